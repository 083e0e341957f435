"""Guidance that is safe: explicit relationships, records read only by those they belong to, the peer
worker's own preparation (agenda items, a private note), session kinds and group sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.service import access, selectors, services, workload
from peerwork.service.models import GuidanceKind, GuidanceRelationship, GuidanceSession
from tests.conftest import actor_for
from tests.factories import MembershipFactory, UserFactory

from .conftest import add_peer_worker

TODAY = timezone.localdate()
g = services.guidance


def member(world, username, role):
    user = UserFactory(username=username)
    MembershipFactory(organisation=world.org, user=user, role=role, unit=world.team)
    return user


@pytest.fixture
def people(svc):
    """The world's coordinator guides its peer worker; a senior peer worker supervises them too; a second
    coordinator guides nobody; a second peer worker is supervised by the same senior peer worker."""
    senior = svc.users[Role.SENIOR_PEER_WORKER]
    pw = svc.users[Role.PEER_WORKER]
    coordinator = svc.actor(Role.COORDINATOR)
    g.set_relationship(coordinator, peer_worker_id=pw.pk, guide_id=senior.pk, starts_on=TODAY - timedelta(days=30))
    other = add_peer_worker(svc, "pw-two")
    g.set_relationship(coordinator, peer_worker_id=other.pk, guide_id=senior.pk, starts_on=TODAY - timedelta(days=30))
    bystander = member(svc, "coordinator-two", Role.COORDINATOR)
    return {
        "pw": actor_for(pw, svc.org),
        "other": actor_for(other, svc.org),
        "senior": actor_for(senior, svc.org),
        "coordinator": coordinator,
        "bystander": actor_for(bystander, svc.org),
    }


# --- relationships ----------------------------------------------------------------------------------------


def test_only_an_explicit_current_relationship_makes_a_guide(svc):
    senior = svc.actor(Role.SENIOR_PEER_WORKER)
    coordinator = svc.actor(Role.COORDINATOR)
    pw = add_peer_worker(svc, "pw-reports", reports_to=senior.user)
    assert pw.pk not in access.guided_ids(senior), "a reporting line does not make a guide"
    coming = g.set_relationship(
        coordinator, peer_worker_id=pw.pk, guide_id=senior.user.pk, starts_on=TODAY + timedelta(days=3)
    )
    assert pw.pk not in access.guided_ids(svc.actor(Role.SENIOR_PEER_WORKER)), "not before it starts"
    coming.starts_on = TODAY - timedelta(days=10)
    coming.save()
    assert pw.pk in access.guided_ids(svc.actor(Role.SENIOR_PEER_WORKER))
    g.end_relationship(coordinator, relationship_id=coming.pk, ends_on=TODAY - timedelta(days=1))
    assert pw.pk not in access.guided_ids(svc.actor(Role.SENIOR_PEER_WORKER)), "not after it ends"
    assert AuditEntry.objects.filter(object_type="service.guidancerelationship", subject_id=str(pw.pk)).count() == 2


def test_a_session_held_once_does_not_make_a_guide(people, svc):
    session = g.plan_session(
        people["bystander"],
        kind=GuidanceKind.INTERVISION,
        meets_on=TODAY,
        peer_worker_ids=[people["pw"].user.pk, people["other"].user.pk],
    )
    assert session.is_group_session
    assert people["pw"].user.pk not in access.guided_ids(actor_for(people["bystander"].user, svc.org))
    with pytest.raises(PermissionDenied):
        selectors.guidance_of(actor_for(people["bystander"].user, svc.org), people["pw"].user.pk)


def test_only_a_coordinator_sets_relationships_and_the_rules_hold(people, svc):
    pw, senior = people["pw"].user, people["senior"].user
    with pytest.raises(PermissionDenied):
        g.set_relationship(people["senior"], peer_worker_id=pw.pk, guide_id=senior.pk, starts_on=TODAY)
    with pytest.raises(ValidationError) as exc:
        g.set_relationship(
            people["coordinator"],
            peer_worker_id=senior.pk,
            guide_id=pw.pk,
            starts_on=TODAY,
            ends_on=TODAY - timedelta(days=1),
        )
    assert {"peer_worker", "guide", "ends_on"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        g.set_relationship(people["coordinator"], peer_worker_id=pw.pk, guide_id=senior.pk, starts_on=TODAY)
    assert "already guides" in exc.value.message_dict["guide"][0]
    # the peer worker sees who guides them, and who set it
    guides = selectors.guides_of(people["pw"], pw.pk)
    assert {r.guide_id for r in guides} == {people["coordinator"].user.pk, senior.pk}
    assert any(r.set_by_id == people["coordinator"].user.pk for r in guides)


# --- who reads a record -----------------------------------------------------------------------------------


def test_a_one_to_one_record_is_read_by_the_peer_worker_and_their_guides_only(people, svc):
    pw = people["pw"]
    session = g.add_guidance(people["senior"], peer_worker_id=pw.user.pk, meets_on=TODAY, topics="Boundaries")
    assert session.kind == GuidanceKind.SUPERVISION
    for who in ("pw", "senior", "coordinator"):  # the coordinator is also one of the peer worker's guides
        reader = actor_for(people[who].user, svc.org)
        assert selectors.guidance_session(reader, session.pk).session.topics == "Boundaries"
    for who in ("bystander", "other"):
        with pytest.raises(Http404):
            selectors.guidance_session(actor_for(people[who].user, svc.org), session.pk)
    with pytest.raises(PermissionDenied):
        selectors.guidance_of(actor_for(people["bystander"].user, svc.org), pw.user.pk)
    # the peer worker shares the record with the coordinator who does not guide them, then takes it back
    g.share_session(pw, session_id=session.pk, reader_id=people["bystander"].user.pk)
    assert selectors.guidance_session(actor_for(people["bystander"].user, svc.org), session.pk)
    with pytest.raises(ValidationError):
        g.share_session(pw, session_id=session.pk, reader_id=people["bystander"].user.pk)
    with pytest.raises(PermissionDenied):  # only the peer worker shares their record
        g.share_session(people["senior"], session_id=session.pk, reader_id=people["bystander"].user.pk)
    g.stop_sharing(pw, session_id=session.pk, reader_id=people["bystander"].user.pk)
    with pytest.raises(Http404):
        selectors.guidance_session(actor_for(people["bystander"].user, svc.org), session.pk)


def test_a_group_record_is_read_by_its_participants_and_its_guide_and_cannot_be_shared(people, svc):
    third = add_peer_worker(svc, "pw-three")
    g.set_relationship(
        people["coordinator"], peer_worker_id=third.pk, guide_id=people["bystander"].user.pk, starts_on=TODAY
    )
    session = g.plan_session(
        people["senior"],
        kind=GuidanceKind.INTERVISION,
        meets_on=TODAY,
        peer_worker_ids=[people["pw"].user.pk, people["other"].user.pk],
    )
    for who in ("pw", "other", "senior"):
        assert selectors.guidance_session(actor_for(people[who].user, svc.org), session.pk)
    # the peer worker's own coordinator-guide did not take part: a group record is not theirs to read
    with pytest.raises(Http404):
        selectors.guidance_session(actor_for(people["coordinator"].user, svc.org), session.pk)
    with pytest.raises(Http404):
        selectors.guidance_session(actor_for(third, svc.org), session.pk)
    with pytest.raises(Http404):
        g.share_session(people["pw"], session_id=session.pk, reader_id=people["bystander"].user.pk)


# --- the peer worker's preparation ------------------------------------------------------------------------


def test_the_private_note_is_read_only_by_its_writer_unless_shared_with_the_sessions_guide(people, svc):
    pw = people["pw"]
    session = g.plan_session(
        people["senior"],
        kind=GuidanceKind.SUPERVISION,
        meets_on=TODAY + timedelta(days=3),
        peer_worker_ids=[pw.user.pk],
    )
    g.add_agenda_item(pw, session_id=session.pk, text="Evenings")
    g.set_hard_now(pw, session_id=session.pk, hard_now="Sleeping badly since the move", share_with_guide=False)
    mine = selectors.guidance_session(pw, session.pk)
    assert mine.mine is not None and mine.mine.hard_now == "Sleeping badly since the move"
    assert [a.text for a in mine.agenda] == ["Evenings"]
    guide_view = selectors.guidance_session(actor_for(people["senior"].user, svc.org), session.pk)
    assert guide_view.notes_for_guide == [] and [a.text for a in guide_view.agenda] == ["Evenings"]
    g.set_hard_now(pw, session_id=session.pk, hard_now="Sleeping badly since the move", share_with_guide=True)
    guide_view = selectors.guidance_session(actor_for(people["senior"].user, svc.org), session.pk)
    assert [p.hard_now for p in guide_view.notes_for_guide] == ["Sleeping badly since the move"]
    # another guide of the peer worker reads the record but never the note
    other_guide = selectors.guidance_session(actor_for(people["coordinator"].user, svc.org), session.pk)
    assert other_guide.notes_for_guide == [] and other_guide.mine is None
    # nobody else writes the note; a guide cannot write one
    with pytest.raises(PermissionDenied):
        g.set_hard_now(people["senior"], session_id=session.pk, hard_now="x", share_with_guide=True)
    with pytest.raises(Http404):
        g.set_hard_now(people["other"], session_id=session.pk, hard_now="x", share_with_guide=True)
    # clearing it removes it, and an empty note is never shared
    cleared = g.set_hard_now(pw, session_id=session.pk, hard_now="  ", share_with_guide=True)
    assert cleared.hard_now == "" and not cleared.hard_now_shared


def test_agenda_items_before_the_session_by_participants_and_guide_only(people, svc):
    pw = people["pw"]
    session = g.plan_session(
        people["senior"], kind=GuidanceKind.SUPERVISION, meets_on=TODAY, peer_worker_ids=[pw.user.pk]
    )
    with pytest.raises(ValidationError):
        g.add_agenda_item(pw, session_id=session.pk, text="   ")
    g.add_agenda_item(people["senior"], session_id=session.pk, text="Your first month")
    with pytest.raises(PermissionDenied):  # a guide of the peer worker, but not this session's
        g.add_agenda_item(people["coordinator"], session_id=session.pk, text="x")
    g.record_session(people["senior"], session_id=session.pk, topics="Talked", next_on=TODAY + timedelta(days=28))
    with pytest.raises(ValidationError):
        g.add_agenda_item(pw, session_id=session.pk, text="Too late")
    with pytest.raises(PermissionDenied):
        g.record_session(people["coordinator"], session_id=session.pk, topics="x")


def test_session_kinds_and_who_may_hold_them(people, svc):
    pw = people["pw"].user.pk
    with pytest.raises(ValidationError) as exc:
        g.plan_session(people["coordinator"], kind=GuidanceKind.SUPERVISION, meets_on=TODAY, peer_worker_ids=[pw])
    assert "senior peer worker" in exc.value.message_dict["kind"][0]
    with pytest.raises(ValidationError):
        g.plan_session(people["senior"], kind=GuidanceKind.FOLLOW_UP, meets_on=TODAY, peer_worker_ids=[pw])
    with pytest.raises(ValidationError):
        g.plan_session(people["senior"], kind=GuidanceKind.INTERVISION, meets_on=TODAY, peer_worker_ids=[pw])
    with pytest.raises(ValidationError) as exc:
        g.plan_session(
            people["senior"], kind=GuidanceKind.SUPERVISION, meets_on=TODAY - timedelta(days=1), peer_worker_ids=[pw]
        )
    assert "meets_on" in exc.value.message_dict
    with pytest.raises(PermissionDenied):  # one-to-one only with a peer worker one guides
        g.plan_session(people["bystander"], kind=GuidanceKind.FOLLOW_UP, meets_on=TODAY, peer_worker_ids=[pw])
    with pytest.raises(PermissionDenied):
        g.plan_session(people["pw"], kind=GuidanceKind.INTERVISION, meets_on=TODAY, peer_worker_ids=[pw])
    coaching = g.plan_session(
        people["coordinator"],
        kind=GuidanceKind.TEAM_COACHING,
        meets_on=TODAY,
        peer_worker_ids=[pw, people["other"].user.pk],
    )
    assert coaching.planned and coaching.participants.count() == 2


def test_group_and_planned_sessions_count_for_the_guidance_interval(people, svc):
    pw, other = people["pw"].user.pk, people["other"].user.pk
    g.plan_session(people["senior"], kind=GuidanceKind.INTERVISION, meets_on=TODAY, peer_worker_ids=[pw, other])
    state = workload.guidance_states(svc.org.pk, [pw])[pw]
    assert state.last is None and state.next == TODAY, "planned: the next agreed, not yet held"
    session = GuidanceSession.objects.get(kind=GuidanceKind.INTERVISION)
    g.record_session(people["senior"], session_id=session.pk, topics="Loyalty")
    states = workload.guidance_states(svc.org.pk, [pw, other])
    assert states[pw].last == TODAY and states[other].last == TODAY


# --- pages ------------------------------------------------------------------------------------------------


def test_the_peer_worker_prepares_a_session_on_its_page(people, svc, django_assert_max_num_queries):
    pw = people["pw"]
    session = g.plan_session(
        people["senior"],
        kind=GuidanceKind.SUPERVISION,
        meets_on=TODAY + timedelta(days=2),
        peer_worker_ids=[pw.user.pk],
    )
    client = svc.client(Role.PEER_WORKER)
    home = client.get("/service/my-guidance/").content.decode()
    assert f"/service/guidance/sessions/{session.pk}/" in home
    assert "Supervision by a senior peer worker" in home
    url = f"/service/guidance/sessions/{session.pk}/"
    with django_assert_max_num_queries(40):
        page = client.get(url)
    assert page.status_code == 200 and "What is hard now" in page.content.decode()
    client.post(url, {"which": "agenda", "a-text": "Saying no kindly"})
    client.post(url, {"which": "note", "n-hard_now": "Money worries"})
    senior_page = svc.client(Role.SENIOR_PEER_WORKER).get(url).content.decode()
    assert "Saying no kindly" in senior_page and "Money worries" not in senior_page
    bystander = member(svc, "nobody-special", Role.PROFESSIONAL)
    from tests.conftest import verified_client

    assert verified_client(people["bystander"].user).get(url).status_code == 404
    # a coordinator who does not guide the peer worker is not sent to a page that refuses them
    guidance_page = f"/service/peer-workers/{pw.user.pk}/guidance/"
    assert verified_client(people["bystander"].user).get(guidance_page).status_code == 403
    for client_of, linked in ((people["bystander"].user, False), (people["coordinator"].user, True)):
        c = verified_client(client_of)
        pages = [c.get("/service/dashboard/?all=1"), c.get(f"/service/peer-workers/{pw.user.pk}/caseload/")]
        assert all((guidance_page in p.content.decode()) is linked for p in pages), client_of
    assert verified_client(bystander).get(url).status_code == 403
    # the error comes back on the form, nothing saved
    response = client.post(url, {"which": "agenda", "a-text": ""})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()


def test_the_coordinator_names_and_ends_guides_on_the_relationships_page(people, svc):
    client = svc.client(Role.COORDINATOR)
    third = add_peer_worker(svc, "pw-three")
    response = client.post(
        "/service/guidance/relationships/",
        {
            "which": "add",
            "g-peer_worker_id": third.pk,
            "g-guide_id": people["senior"].user.pk,
            "g-starts_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    found = GuidanceRelationship.objects.get(peer_worker=third)
    assert found.set_by_id == people["coordinator"].user.pk
    client.post("/service/guidance/relationships/", {"which": "end", "relationship": found.pk})
    found.refresh_from_db()
    assert found.ends_on == TODAY
    assert svc.client(Role.SENIOR_PEER_WORKER).get("/service/guidance/relationships/").status_code == 403
