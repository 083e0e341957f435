"""Peer workers and everyone invited as partners: results of closed rounds, checks as counts of at least three,
registers and the action plan, comments (shared or private to one manager), action progress, named answers."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from peerwork.accounts import services as account_services
from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.organisations.models import Position
from peerwork.readiness import partners, scoring, selectors, services
from peerwork.readiness.instrument import ITEMS
from peerwork.readiness.models import ActionItem, Comment, Group, Invitation, Response, Round
from tests.conftest import actor_for, verified_client
from tests.factories import MembershipFactory, UserFactory

from .helpers import TODAY, add_responses, all_answers, invitation_of, open_round, team_with

pytestmark = pytest.mark.django_db


def closed(rnd: Round) -> Round:
    return services.set_round_status(_manager_actor(rnd), rnd.pk, Round.Status.CLOSED)


def _manager_actor(rnd: Round):
    from peerwork.accounts.models import Membership

    m = Membership.objects.filter(organisation_id=rnd.organisation_id, role=Role.MANAGER).first()
    return actor_for(m.user, m.organisation)


# --- who reads a round's results ------------------------------------------------------------------------


def test_the_invited_read_the_results_once_the_round_is_closed(world):
    rnd = open_round(world)
    add_responses(rnd, Group.PROFESSIONAL, 3, value=4)
    url = reverse("readiness:round", args=[rnd.pk])
    professional = world.client(Role.PROFESSIONAL)
    assert professional.get(url).status_code == 404  # not while answers come in
    closed(rnd)
    page = professional.get(url)
    assert page.status_code == 200
    assert "Scores per domain" in page.content.decode()
    assert [r.pk for r in selectors.my_closed_rounds(world.actor(Role.PROFESSIONAL))] == [rnd.pk]
    # Not invited and not a peer worker: nothing.
    assert world.client(Role.DPO).get(url).status_code == 404


def test_peer_workers_read_their_team_and_organisation_rounds_but_not_other_teams(world):
    mine = closed(open_round(world, title="Our team", unit_id=world.team.pk, groups=[Group.MANAGER]))
    theirs = closed(open_round(world, title="The FACT team", unit_id=world.other_team.pk, groups=[Group.MANAGER]))
    everyone = closed(open_round(world, title="Everyone", groups=[Group.MANAGER]))
    peer = world.client(Role.PEER_WORKER)
    assert peer.get(reverse("readiness:round", args=[mine.pk])).status_code == 200
    assert peer.get(reverse("readiness:round", args=[everyone.pk])).status_code == 200
    assert peer.get(reverse("readiness:round", args=[theirs.pk])).status_code == 404
    assert world.client(Role.SENIOR_PEER_WORKER).get(reverse("readiness:round", args=[theirs.pk])).status_code == 200


def test_small_counts_read_fewer_than_three_for_those_who_do_not_run_readiness(world):
    rnd = open_round(world)  # one professional and one peer worker invited in the world
    add_responses(rnd, Group.MANAGER, 3)
    add_responses(rnd, Group.PEER_WORKER, 1)
    closed(rnd)
    peer_page = world.client(Role.PEER_WORKER).get(reverse("readiness:round", args=[rnd.pk])).content.decode()
    assert re.search(r"<td[^>]*>fewer than three", peer_page)
    manager_page = world.client(Role.MANAGER).get(reverse("readiness:round", args=[rnd.pk])).content.decode()
    assert not re.search(r"<td[^>]*>fewer than three", manager_page)


# --- checks as a partner --------------------------------------------------------------------------------


def test_a_peer_worker_sees_counts_of_three_or_more_and_what_is_about_themselves(world):
    for _i in range(3):
        team_with(world, 1)  # three teams, each with a single peer worker
    lonely_unit, (lonely,) = team_with(world, 1, name="Lonely team")
    actor = world.actor(Role.PEER_WORKER)
    me = actor_for(lonely.holder, world.org)
    report = partners.shared_checks(me)
    single = next(r for r in report.results if r.check.code == "single_peer_worker")
    assert single.organisation.shown is not None and single.organisation.shown >= 3
    assert single.teams.n == 1 and single.teams.withheld and single.teams.shown is None
    assert [f.position_id for f in single.mine] == [lonely.pk]
    page = verified_client(lonely.holder).get(reverse("readiness:checks")).content.decode()
    assert "fewer than 3" in page and "About you" in page
    # No other peer worker is named on the page.
    for p in Position.objects.filter(organisation=world.org, holder__isnull=False).exclude(holder=lonely.holder):
        assert str(p.holder) not in page
    # The world's own peer worker is in a team of one too: their team's count is withheld.
    shared = partners.shared_checks(actor)
    assert next(r for r in shared.results if r.check.code == "single_peer_worker").teams.shown is None


# --- registers and the action plan ----------------------------------------------------------------------


def test_a_peer_worker_reads_their_own_teams_register_and_a_senior_every_team(world):
    own = reverse("readiness:risk_register", args=[world.team.pk])
    other = reverse("readiness:risk_register", args=[world.other_team.pk])
    assert world.client(Role.PEER_WORKER).get(own).status_code == 200
    assert world.client(Role.PEER_WORKER).get(other).status_code == 404
    assert world.client(Role.SENIOR_PEER_WORKER).get(other).status_code == 200
    assert world.client(Role.PROFESSIONAL).get(own).status_code == 403


def test_action_plan_scope(world):
    manager = world.actor(Role.MANAGER)
    mine = services.create_action(
        manager, title="In our team", owner_id=world.users[Role.MANAGER].pk, due_on=TODAY, unit_id=world.team.pk
    )
    elsewhere = services.create_action(
        manager,
        title="In the FACT team",
        owner_id=world.users[Role.MANAGER].pk,
        due_on=TODAY,
        unit_id=world.other_team.pk,
    )
    owned = services.create_action(
        manager,
        title="Owned by the professional",
        owner_id=world.users[Role.PROFESSIONAL].pk,
        due_on=TODAY,
        unit_id=world.other_team.pk,
    )
    titles = lambda role: {a.title for a in selectors.actions(world.actor(role), "all")}  # noqa: E731
    assert titles(Role.PEER_WORKER) == {mine.title}
    assert titles(Role.SENIOR_PEER_WORKER) == {mine.title, elsewhere.title, owned.title}
    assert titles(Role.PROFESSIONAL) == {owned.title}
    assert titles(Role.DPO) == set()


def test_the_owner_marks_progress_and_others_cannot(world):
    action = services.create_action(
        world.actor(Role.MANAGER),
        title="Tell the team about the role",
        owner_id=world.users[Role.PEER_WORKER].pk,
        due_on=TODAY + timedelta(days=7),
        unit_id=world.team.pk,
    )
    url = reverse("readiness:action", args=[action.pk])
    response = world.client(Role.PEER_WORKER).post(
        url, {"progress-status": "in_progress", "progress-note": "On the agenda next week."}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionItem.Status.IN_PROGRESS
    assert Comment.objects.get(action=action).text == "On the agenda next week."
    with pytest.raises(PermissionDenied):
        services.update_action_progress(world.actor(Role.SENIOR_PEER_WORKER), action.pk, status="done")
    with pytest.raises(ValidationError):
        services.update_action_progress(world.actor(Role.PEER_WORKER), action.pk, status="finished")
    action.refresh_from_db()
    assert action.status == ActionItem.Status.IN_PROGRESS and action.done_on is None


# --- comments -------------------------------------------------------------------------------------------


def test_a_private_comment_is_seen_by_the_author_and_that_manager_only(world):
    other_manager = UserFactory(username="alpha-manager-two")
    MembershipFactory(organisation=world.org, user=other_manager, role=Role.MANAGER)
    peer = world.actor(Role.PEER_WORKER)
    services.add_comment(
        peer, text="Shared with everyone", unit_id=world.team.pk, kind=Comment.Kind.ATTENTION, code="B1"
    )
    services.add_comment(peer, text="Only for you", unit_id=world.team.pk, private_to_id=world.users[Role.MANAGER].pk)

    def seen(actor):
        return {c.text for c in selectors.comments(actor, unit_id=world.team.pk)}

    assert seen(peer) == {"Shared with everyone", "Only for you"}
    assert seen(world.actor(Role.MANAGER)) == {"Shared with everyone", "Only for you"}
    assert seen(actor_for(other_manager, world.org)) == {"Shared with everyone"}
    assert seen(world.actor(Role.COORDINATOR)) == {"Shared with everyone"}
    assert seen(world.actor(Role.SENIOR_PEER_WORKER)) == {"Shared with everyone"}
    page = world.client(Role.COORDINATOR).get(reverse("readiness:risk_register", args=[world.team.pk]))
    assert "Only for you" not in page.content.decode()


def test_a_comment_needs_text_a_manager_and_a_readable_target(world):
    peer = world.actor(Role.PEER_WORKER)
    cases = [
        ({"text": "", "unit_id": world.team.pk}, "text"),
        ({"text": "x" * 2001, "unit_id": world.team.pk}, "text"),
        ({"text": "Hi", "unit_id": world.team.pk, "private_to_id": world.users[Role.COORDINATOR].pk}, "private_to"),
        ({"text": "Hi", "unit_id": world.team.pk, "code": "B99"}, "code"),
        ({"text": "Nul\x00", "unit_id": world.team.pk}, "text"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as exc:
            services.add_comment(peer, **kwargs)
        assert field in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.add_comment(peer, text="Not my team", unit_id=world.other_team.pk)
    with pytest.raises(ValidationError):
        services.add_comment(peer, text="Two things", unit_id=world.team.pk, round_id=1)
    assert not Comment.objects.exists()


def test_a_peer_worker_comments_on_the_results_page_and_through_the_api(world):
    rnd = closed(open_round(world))
    url = reverse("readiness:round", args=[rnd.pk])
    client = world.client(Role.PEER_WORKER)
    response = client.post(url, {"comment-kind": "comment", "comment-text": "We see supervision differently."})
    assert response.status_code == 302
    assert "We see supervision differently." in client.get(url).content.decode()
    _token, secret = account_services.create_api_token(world.actor(Role.PEER_WORKER), name="t", valid_days=1)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    bad = api.post(
        f"/api/readiness/rounds/{rnd.pk}/comments",
        {"text": "Hi", "private_to_id": world.users[Role.COORDINATOR].pk},
        content_type="application/json",
    )
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"private_to"}
    good = api.post(
        f"/api/readiness/rounds/{rnd.pk}/comments",
        {"text": "To the manager", "private_to_id": world.users[Role.MANAGER].pk},
        content_type="application/json",
    )
    assert good.status_code == 201
    assert Comment.objects.filter(round=rnd).count() == 2


# --- answering with a name ------------------------------------------------------------------------------


def test_named_answers_are_shown_with_the_name_and_never_open_a_small_group():
    items = {i.code: i.domain for i in ITEMS}
    domains = sorted({i.domain for i in ITEMS})
    answers = {i.code: 4 for i in ITEMS}
    # Two anonymous and one named: the group's figure would reveal the two, so it is withheld.
    rows = [("peer_worker", answers, True), ("peer_worker", answers, True), ("peer_worker", answers, False)]
    results = scoring.compute(rows, items, ["peer_worker"], domains)
    assert results.groups[0].withheld
    # Three anonymous and one named: shown.
    rows.append(("peer_worker", answers, True))
    assert not scoring.compute(rows, items, ["peer_worker"], domains).groups[0].withheld
    named = scoring.named([("peer_worker", "Kari", answers)], items, domains)
    assert named[0].name == "Kari" and named[0].domains["A1"].score == 100.0


def test_a_peer_worker_alone_in_their_group_answers_named_and_readers_see_the_name(world):
    rnd = open_round(world, groups=[Group.MANAGER, Group.PEER_WORKER])
    invitation = invitation_of(rnd, world.users[Role.PEER_WORKER])
    review = reverse("readiness:review", args=[invitation.pk])
    page = world.client(Role.PEER_WORKER).get(review).content.decode()
    assert "Your group is small" in page and "sees them with your name" in page
    services.save_answers(invitation, all_answers(2), actor=world.actor(Role.PEER_WORKER))
    response = services.submit(invitation, actor=world.actor(Role.PEER_WORKER), anonymous=False)
    assert response.respondent == world.users[Role.PEER_WORKER] and not response.anonymous
    closed(rnd)
    name = str(world.users[Role.PEER_WORKER])
    for role in (Role.MANAGER, Role.SENIOR_PEER_WORKER):
        content = world.client(role).get(reverse("readiness:round", args=[rnd.pk])).content.decode()
        assert "Answers given with a name" in content and name in content
    assert AuditEntry.objects.filter(
        object_type="readiness.response", subject_id=str(world.users[Role.PEER_WORKER].pk), action="read"
    ).exists()


def test_the_default_stays_anonymous(world):
    rnd = open_round(world, groups=[Group.PEER_WORKER])
    invitation = invitation_of(rnd, world.users[Role.PEER_WORKER])
    services.save_answers(invitation, all_answers(2), actor=world.actor(Role.PEER_WORKER))
    response = services.submit(invitation, actor=world.actor(Role.PEER_WORKER))
    assert response.anonymous and response.respondent is None and response.invitation is None
    assert not Invitation.objects.filter(round=rnd, user=world.users[Role.PEER_WORKER], completed=False).exists()


# --- every write validated ------------------------------------------------------------------------------


def test_services_refuse_implausible_dates_and_save_nothing(world):
    manager = world.actor(Role.MANAGER)
    owner = world.users[Role.MANAGER].pk
    with pytest.raises(ValidationError) as exc:
        services.create_action(manager, title="Typo", owner_id=owner, due_on=date(1026, 1, 1))
    assert "due_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.save_risk(manager, unit_id=world.team.pk, code="B1", status="watch", review_on=date(9999, 12, 31))
    assert "review_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.start_round(manager, title="Far", groups=[Group.MANAGER], closes_on=date(3000, 1, 1))
    assert "closes_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.record_briefing(manager, unit_id=world.team.pk, held_on=date(1800, 1, 1))
    assert "held_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.save_orientation(manager, position_id=world.positions[0].pk, intro_meeting_on=date(1, 1, 1))
    assert "intro_meeting_on" in exc.value.message_dict
    from peerwork.readiness.models import Orientation, Risk, TeamBriefing

    assert not ActionItem.objects.exists() and not Risk.objects.exists() and not Round.objects.exists()
    assert not TeamBriefing.objects.exists() and not Orientation.objects.exists()


def test_services_run_the_models_validation(world):
    manager = world.actor(Role.MANAGER)
    with pytest.raises(ValidationError) as exc:
        services.add_custom_item(manager, domain="A1", text_en="x" * 301, text_nb="", text_da="")
    assert "text_en" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.start_round(manager, title="x" * 201, groups=[Group.MANAGER])
    assert "title" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.save_risk(manager, unit_id=world.team.pk, code="B1", status="under_control", notes="a\x00b")
    assert "notes" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.record_briefing(manager, unit_id=world.team.pk, held_on=TODAY, topics="x" * 301)
    assert "topics" in exc.value.message_dict
    from peerwork.readiness.models import CustomItem, Risk, TeamBriefing

    assert not CustomItem.objects.exists() and not Round.objects.exists()
    assert not Risk.objects.exists() and not TeamBriefing.objects.exists()
    assert not Response.objects.exists()


def test_the_action_form_and_the_api_give_the_same_date_message(world):
    too_early = "1026-01-01"
    form = world.client(Role.MANAGER).post(
        reverse("readiness:action_new"),
        {"title": "Typo", "owner": world.users[Role.MANAGER].pk, "due_on": too_early},
    )
    _token, secret = account_services.create_api_token(world.actor(Role.MANAGER), name="t", valid_days=1)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").post(
        "/api/readiness/actions",
        {"title": "Typo", "owner_id": world.users[Role.MANAGER].pk, "due_on": too_early},
        content_type="application/json",
    )
    assert api.status_code == 422
    message = api.json()["errors"]["due_on"][0]
    assert "check the year" in message and message.split(";")[0] in form.content.decode()
    assert not ActionItem.objects.exists()


# --- query budgets --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "budget"),
    [("round", 40), ("checks", 40), ("risk_register", 40), ("actions", 30), ("action", 40), ("my_rounds", 30)],
)
def test_partner_pages_keep_a_fixed_query_budget(world, name, budget, django_assert_max_num_queries):
    manager = world.actor(Role.MANAGER)
    rnd = closed(open_round(world, groups=[Group.MANAGER, Group.PEER_WORKER]))
    add_responses(rnd, Group.MANAGER, 3)
    for _i in range(5):
        team_with(world, 1)
        action = services.create_action(
            manager, title="Brief", owner_id=world.users[Role.PEER_WORKER].pk, due_on=TODAY, unit_id=world.team.pk
        )
        services.add_comment(world.actor(Role.PEER_WORKER), text="Seen", unit_id=world.team.pk)
        services.add_comment(world.actor(Role.PEER_WORKER), text="Seen", round_id=rnd.pk)
        services.add_comment(world.actor(Role.PEER_WORKER), text="Seen", action_id=action.pk)
    args = {"round": [rnd.pk], "risk_register": [world.team.pk], "action": [action.pk]}.get(name, [])
    client = world.client(Role.PEER_WORKER)
    client.get(reverse(f"readiness:{name}", args=args))  # the first audit entry of the day starts its chain
    with django_assert_max_num_queries(budget):
        assert client.get(reverse(f"readiness:{name}", args=args)).status_code == 200
