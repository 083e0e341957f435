"""Groups and courses: setting one up, sessions, offering places (also to people waiting), marking who came,
who sees what, the API, the person's copy and erasure, and reach in the evaluation."""

from __future__ import annotations

from datetime import timedelta

import hypothesis
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from hypothesis import strategies as st

from peerwork.accounts import services as account_services
from peerwork.activities import selectors, services
from peerwork.activities.models import Activity, ActivityPlace, ActivitySession, Attendance
from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.privacy import subject
from peerwork.service.models import Referral, ServiceUser
from tests.conftest import World, actor_for
from tests.service.conftest import add_peer_worker, new_referral

TODAY = timezone.localdate


def setup(world: World, places: int = 3, leaders: list[int] | None = None) -> Activity:
    return services.create_activity(
        world.actor(Role.COORDINATOR),
        kind="course",
        title="Recovery course",
        leader_ids=leaders or [world.users[Role.PEER_WORKER].pk],
        venue="Library, room 2",
        schedule="Thursdays 12 to 14",
        places=places,
        starts_on=TODAY() - timedelta(days=14),
    )


def person(world: World, name: str) -> ServiceUser:
    return ServiceUser.objects.create(organisation=world.org, chosen_name=name)


def test_a_coordinator_sets_up_a_course_led_by_peer_workers(world):
    a = setup(world)
    assert list(a.leaders.all()) == [world.users[Role.PEER_WORKER]]
    assert AuditEntry.objects.filter(object_type="activities.activity", object_id=str(a.pk), action="create").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"leader_ids": []}, "leader_ids"),
        ({"places": 0}, "places"),
        ({"places": 61}, "places"),
        ({"title": ""}, "title"),
        ({"kind": "party"}, "kind"),
        ({"ends_on": TODAY() - timedelta(days=30)}, "ends_on"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(world, change, field):
    values = dict(
        kind="course", title="Course", leader_ids=[world.users[Role.PEER_WORKER].pk], venue="Room", places=5,
        starts_on=TODAY(),
    )  # fmt: skip
    values.update(change)
    with pytest.raises(ValidationError) as err:
        services.create_activity(world.actor(Role.COORDINATOR), **values)
    assert field in err.value.message_dict
    assert not Activity.objects.exists()


def test_a_leader_must_be_a_peer_worker_of_the_organisation(world, other_world):
    with pytest.raises(ValidationError):
        setup(world, leaders=[world.users[Role.MANAGER].pk])
    with pytest.raises(ValidationError):
        setup(world, leaders=[other_world.users[Role.PEER_WORKER].pk])


def test_offering_places_counts_against_the_places_and_notes_the_waiting_list(world):
    a = setup(world, places=2)
    coord = world.actor(Role.COORDINATOR)
    waiting = new_referral(world, "Kari")
    first = services.offer_place(coord, activity_id=a.pk, service_user_id=waiting.service_user_id)
    assert first.from_waiting_list and first.status == "offered"
    second = services.offer_place(coord, activity_id=a.pk, service_user_id=person(world, "Per").pk)
    assert not second.from_waiting_list
    with pytest.raises(ValidationError) as err:
        services.offer_place(coord, activity_id=a.pk, service_user_id=person(world, "Lise").pk)
    assert "activity_id" in err.value.message_dict
    # a declined place frees the place again
    services.answer_place(coord, place_id=second.pk, status="declined")
    services.offer_place(coord, activity_id=a.pk, service_user_id=person(world, "Lise").pk)
    assert ActivityPlace.objects.filter(activity=a, status__in=ActivityPlace.HOLDING).count() == 2
    # the referral itself is untouched: the person keeps their place on the waiting list
    waiting.refresh_from_db()
    assert waiting.status == Referral.Status.WAITING


def test_a_peer_worker_cannot_offer_places(world):
    a = setup(world)
    with pytest.raises(Exception):  # noqa: B017  (PermissionDenied from actor.require)
        services.offer_place(world.actor(Role.PEER_WORKER), activity_id=a.pk, service_user_id=person(world, "P").pk)


def test_the_leader_marks_who_came_and_marking_again_replaces_it(world):
    a = setup(world)
    coord = world.actor(Role.COORDINATOR)
    places = [
        services.offer_place(coord, activity_id=a.pk, service_user_id=person(world, n).pk) for n in ("A", "B", "C")
    ]
    lead = world.actor(Role.PEER_WORKER)
    s = services.plan_session(lead, activity_id=a.pk, meets_on=TODAY())
    services.mark_attendance(lead, session_id=s.pk, present=[places[0].pk, places[1].pk])
    s.refresh_from_db()
    assert s.status == "held" and s.marked_by == world.users[Role.PEER_WORKER]
    assert set(Attendance.objects.filter(session=s).values_list("place_id", flat=True)) == {places[0].pk, places[1].pk}
    # coming on an offered place means taking it
    assert ActivityPlace.objects.get(pk=places[0].pk).status == "taken"
    services.mark_attendance(lead, session_id=s.pk, present=[places[2].pk])
    assert list(Attendance.objects.filter(session=s).values_list("place_id", flat=True)) == [places[2].pk]
    # one audit entry per person whose attendance was marked, naming the person as the subject
    subjects = set(
        AuditEntry.objects.filter(
            object_type="activities.activitysession", subject_type="service.serviceuser"
        ).values_list("subject_id", flat=True)
    )
    assert subjects == {str(p.service_user_id) for p in places}


def test_attendance_cannot_be_marked_ahead_or_for_someone_without_a_place(world, other_world):
    a = setup(world)
    lead = world.actor(Role.PEER_WORKER)
    later = services.plan_session(lead, activity_id=a.pk, meets_on=TODAY() + timedelta(days=3))
    with pytest.raises(ValidationError):
        services.mark_attendance(lead, session_id=later.pk, present=[])
    b = setup(world)
    elsewhere = services.offer_place(
        world.actor(Role.COORDINATOR), activity_id=b.pk, service_user_id=person(world, "X").pk
    )
    s = services.plan_session(lead, activity_id=a.pk, meets_on=TODAY())
    with pytest.raises(ValidationError):
        services.mark_attendance(lead, session_id=s.pk, present=[elsewhere.pk])
    assert not Attendance.objects.exists()


def test_a_session_must_fall_while_the_course_runs(world):
    a = setup(world)
    with pytest.raises(ValidationError):
        services.plan_session(world.actor(Role.COORDINATOR), activity_id=a.pk, meets_on=a.starts_on - timedelta(days=1))


def test_a_peer_worker_sees_and_marks_only_the_groups_they_lead(world):
    other_pw = add_peer_worker(world, "other-pw")
    mine, theirs = setup(world), setup(world, leaders=[other_pw.pk])
    pw = world.actor(Role.PEER_WORKER)
    assert [a.pk for a in selectors.activities(pw)] == [mine.pk]
    assert {a.pk for a in selectors.activities(world.actor(Role.COORDINATOR))} == {mine.pk, theirs.pk}
    with pytest.raises(Http404):
        selectors.activity(pw, theirs.pk)
    s = services.plan_session(world.actor(Role.COORDINATOR), activity_id=theirs.pk, meets_on=TODAY())
    with pytest.raises(Http404):
        services.mark_attendance(pw, session_id=s.pk, present=[])


def test_cancelling_a_session_removes_its_marks(world):
    a = setup(world)
    place = services.offer_place(world.actor(Role.COORDINATOR), activity_id=a.pk, service_user_id=person(world, "A").pk)
    lead = world.actor(Role.PEER_WORKER)
    s = services.plan_session(lead, activity_id=a.pk, meets_on=TODAY())
    services.mark_attendance(lead, session_id=s.pk, present=[place.pk])
    services.cancel_session(lead, session_id=s.pk)
    assert ActivitySession.objects.get(pk=s.pk).status == "cancelled"
    assert not Attendance.objects.filter(session=s).exists()


def test_pages_for_the_coordinator_and_the_leader(world):
    a = setup(world)
    referral = new_referral(world, "Kari Venter")
    coord = world.client(Role.COORDINATOR)
    # from the referral page to the offer page, and the offer
    assert (
        reverse("activities:offer", args=[referral.pk])
        in coord.get(reverse("service:referral", args=[referral.pk])).text
    )
    response = coord.post(reverse("activities:offer", args=[referral.pk]), {"o-activity_id": a.pk})
    assert response.status_code == 302
    place = ActivityPlace.objects.get(activity=a)
    assert place.service_user_id == referral.service_user_id and place.from_waiting_list
    # the leader plans today's session and marks attendance
    lead = world.client(Role.PEER_WORKER)
    page = lead.get(reverse("activities:activity", args=[a.pk])).text
    assert "Kari Venter" in page and "on the waiting list" in page
    lead.post(reverse("activities:activity", args=[a.pk]), {"which": "session", "s-meets_on": TODAY().isoformat()})
    s = ActivitySession.objects.get(activity=a)
    assert lead.get(reverse("activities:session", args=[s.pk])).status_code == 200
    response = lead.post(reverse("activities:session", args=[s.pk]), {"which": "attendance", "present": [place.pk]})
    assert response.status_code == 302
    assert Attendance.objects.filter(session=s, place=place).exists()
    # a bad form comes back with its message, nothing saved
    response = coord.post(reverse("activities:activities"), {"which": "new", "a-title": ""})
    assert response.status_code == 200 and "There is a problem" in response.text
    # a professional does not reach the pages
    assert world.client(Role.PROFESSIONAL).get(reverse("activities:activities")).status_code == 403


def test_pages_stay_within_a_query_budget(world, django_assert_max_num_queries):
    a = setup(world, places=20)
    coord_actor = world.actor(Role.COORDINATOR)
    places = [
        services.offer_place(coord_actor, activity_id=a.pk, service_user_id=person(world, f"P{i}").pk)
        for i in range(12)
    ]
    s = services.plan_session(coord_actor, activity_id=a.pk, meets_on=TODAY())
    services.mark_attendance(coord_actor, session_id=s.pk, present=[p.pk for p in places[:6]])
    for i in range(6):
        services.plan_session(coord_actor, activity_id=a.pk, meets_on=TODAY() + timedelta(days=i + 1))
    client = world.client(Role.COORDINATOR)
    for url in (
        reverse("activities:activities"),
        reverse("activities:activity", args=[a.pk]),
        reverse("activities:session", args=[s.pk]),
    ):
        with django_assert_max_num_queries(30):
            assert client.get(url).status_code == 200


def test_the_api_validates_like_the_forms(world):
    coord = actor_for(world.users[Role.COORDINATOR], world.org)
    _t, secret = account_services.create_api_token(coord, name="t", valid_days=1)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    from django.test import Client

    c = Client()
    body = {
        "kind": "self_help", "title": "Tuesday group", "leader_ids": [world.users[Role.PEER_WORKER].pk],
        "venue": "Library", "places": 8, "starts_on": TODAY().isoformat(),
    }  # fmt: skip
    created = c.post("/api/groups", body, content_type="application/json", **auth)
    assert created.status_code == 201, created.content
    aid = created.json()["id"]
    refused = c.post(
        "/api/groups", {**body, "leader_ids": [world.users[Role.MANAGER].pk]}, content_type="application/json", **auth
    )
    assert (
        refused.status_code in (400, 422)
        and not Activity.objects.filter(title="Tuesday group").exclude(pk=aid).exists()
    )
    who = person(world, "Api Person")
    offered = c.post(f"/api/groups/{aid}/places", {"service_user_id": who.pk}, content_type="application/json", **auth)
    assert offered.status_code == 201
    s = c.post(
        f"/api/groups/{aid}/sessions", {"meets_on": TODAY().isoformat()}, content_type="application/json", **auth
    )
    assert s.status_code == 201
    marked = c.put(
        f"/api/groups/sessions/{s.json()['id']}/attendance",
        {"present": [offered.json()["id"]]},
        content_type="application/json",
        **auth,
    )
    assert marked.status_code == 200 and marked.json()["status"] == "held"
    detail = c.get(f"/api/groups/{aid}", **auth).json()
    assert detail["participants"][0]["status"] == "taken" and len(detail["sessions"]) == 1


def test_attendance_is_in_the_persons_copy_and_survives_erasure_as_a_count(world):
    a = setup(world)
    who = person(world, "Copy Person")
    place = services.offer_place(world.actor(Role.COORDINATOR), activity_id=a.pk, service_user_id=who.pk)
    lead = world.actor(Role.PEER_WORKER)
    s = services.plan_session(lead, activity_id=a.pk, meets_on=TODAY())
    services.mark_attendance(lead, session_id=s.pk, present=[place.pk])
    data = subject.collect(who)
    assert data["activity_places"] and data["attendance"]
    assert "Recovery course" in str(subject.as_sections(data))
    subject.anonymise(who)
    who.refresh_from_db()
    assert who.chosen_name != "Copy Person"
    assert Attendance.objects.filter(place__service_user=who).count() == 1
    assert selectors.reach(world.org.pk, TODAY() - timedelta(days=1), TODAY())["people"] == 1


def test_attendance_is_a_separate_part_of_reach_and_small_counts_are_withheld_from_peer_workers(world):
    from peerwork.evaluation import figures
    from peerwork.evaluation.figures import audience

    a = setup(world, places=10)
    coord = world.actor(Role.COORDINATOR)
    waiting = new_referral(world, "Kari")
    places = [services.offer_place(coord, activity_id=a.pk, service_user_id=waiting.service_user_id)]
    places += [services.offer_place(coord, activity_id=a.pk, service_user_id=person(world, n).pk) for n in "ABCD"]
    lead = world.actor(Role.PEER_WORKER)
    first = services.plan_session(lead, activity_id=a.pk, meets_on=TODAY() - timedelta(days=7))
    second = services.plan_session(lead, activity_id=a.pk, meets_on=TODAY())
    services.mark_attendance(lead, session_id=first.pk, present=[p.pk for p in places[:3]])
    services.mark_attendance(lead, session_id=second.pk, present=[p.pk for p in places[2:4]])
    services.cancel_session(lead, session_id=services.plan_session(lead, activity_id=a.pk, meets_on=TODAY()).pk)
    d = figures.build(figures.Filters(world.org.pk, TODAY() - timedelta(days=30), TODAY()))
    assert d.figure("group_reach").value == 4  # A..C on the first day, C and D on the second: four people
    assert d.figure("group_reach_waiting").value == 1
    assert d.figure("group_sessions").value == 2
    assert d.figure("reach").value == 0  # no one has an engagement: group reach is not added to it
    seen = audience.for_peer_workers(d)
    assert seen.figure("group_reach").value == 4
    assert seen.figure("group_reach_waiting").withheld and seen.figure("group_reach_waiting").value is None
    # a unit filter counts the groups its peer workers lead
    d = figures.build(figures.Filters(world.org.pk, TODAY() - timedelta(days=30), TODAY(), world.other_team.pk))
    assert d.figure("group_reach").value == 0


class _Rollback(Exception):
    pass


@hypothesis.settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture, hypothesis.HealthCheck.too_slow],
)
@hypothesis.given(
    places=st.integers(min_value=1, max_value=4),
    steps=st.lists(st.tuples(st.sampled_from(["offer", "declined", "taken", "left"]), st.integers(0, 5)), max_size=14),
)
def test_held_places_never_exceed_the_places_whatever_the_order(world, places, steps):
    """Offers, answers and leaving in any order: the offered and taken places never exceed the places, and an
    offer is refused exactly when every place is held."""
    try:
        with transaction.atomic():
            a = setup(world, places=places)
            coord = world.actor(Role.COORDINATOR)
            people = [person(world, f"H{i}") for i in range(6)]
            for action, i in steps:
                held = ActivityPlace.objects.filter(activity=a, status__in=ActivityPlace.HOLDING)
                if action == "offer":
                    has = held.filter(service_user=people[i]).exists()
                    full = held.count() >= places
                    try:
                        services.offer_place(coord, activity_id=a.pk, service_user_id=people[i].pk)
                        assert not has and not full
                    except ValidationError:
                        assert has or full
                else:
                    place = ActivityPlace.objects.filter(activity=a, service_user=people[i]).first()
                    if place is None:
                        continue
                    try:
                        services.answer_place(coord, place_id=place.pk, status=action)
                    except (ValidationError, PermissionDenied):
                        pass
                assert ActivityPlace.objects.filter(activity=a, status__in=ActivityPlace.HOLDING).count() <= places
            raise _Rollback
    except _Rollback:
        pass
