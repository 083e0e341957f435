"""Rounds, invitations, drafts, submission and the anonymity threshold."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.readiness import scoring, selectors, services
from peerwork.readiness.instrument import DOMAINS, ITEMS
from peerwork.readiness.models import Group, Invitation, Response
from tests.factories import MembershipFactory, UserFactory

from .helpers import TODAY, add_responses, all_answers, invitation_of, open_round

pytestmark = pytest.mark.django_db


def test_starting_a_round_invites_members_of_each_group_and_makes_single_use_links(world):
    rnd, tokens = services.start_round(
        world.actor(Role.MANAGER),
        title="Before the start",
        groups=[Group.MANAGER, Group.PROFESSIONAL, Group.PEER_WORKER, Group.SERVICE_USER_REP],
        links={Group.SERVICE_USER_REP: 3},
    )
    by_group = {i.user_id: i.group for i in Invitation.objects.filter(round=rnd, user__isnull=False)}
    assert by_group[world.users[Role.MANAGER].pk] == Group.MANAGER
    assert by_group[world.users[Role.PROFESSIONAL].pk] == Group.PROFESSIONAL
    assert by_group[world.users[Role.PEER_WORKER].pk] == Group.PEER_WORKER
    assert by_group[world.users[Role.SENIOR_PEER_WORKER].pk] == Group.PEER_WORKER
    assert world.users[Role.DPO].pk not in by_group
    assert len(tokens[Group.SERVICE_USER_REP]) == 3
    stored = set(Invitation.objects.filter(round=rnd, token_hash__isnull=False).values_list("token_hash", flat=True))
    assert all(t not in stored and Invitation.hash_token(t) in stored for t in tokens[Group.SERVICE_USER_REP])


def test_team_round_invites_only_that_team_and_the_managers(world):
    outsider = UserFactory()
    MembershipFactory(organisation=world.org, user=outsider, role=Role.PROFESSIONAL, unit=world.other_team)
    rnd = open_round(world, unit_id=world.team.pk)
    invited = set(Invitation.objects.filter(round=rnd).values_list("user_id", flat=True))
    assert world.users[Role.PROFESSIONAL].pk in invited and world.users[Role.MANAGER].pk in invited
    assert outsider.pk not in invited


def test_round_needs_a_title_a_group_and_links_for_service_user_representatives(world):
    with pytest.raises(ValidationError) as exc:
        services.start_round(world.actor(Role.MANAGER), title=" ", groups=[])
    assert set(exc.value.message_dict) == {"title", "groups"}
    with pytest.raises(ValidationError) as exc:
        services.start_round(world.actor(Role.MANAGER), title="R", groups=[Group.SERVICE_USER_REP])
    assert "links" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.start_round(world.actor(Role.PROFESSIONAL), title="R", groups=[Group.MANAGER])


def test_incomplete_answers_are_kept_as_a_draft_and_cannot_be_submitted(world):
    rnd = open_round(world)
    professional = world.actor(Role.PROFESSIONAL)
    inv = invitation_of(rnd, professional.user)
    services.save_answers(inv, {"A1.1": "3", "A1.2": "0"}, actor=professional)
    draft = selectors.draft_of(inv)
    assert draft.status == Response.Status.DRAFT and draft.answers == {"A1.1": 3, "A1.2": 0}
    with pytest.raises(ValidationError) as exc:
        services.submit(inv, actor=professional)
    assert "Don't know" in exc.value.messages[0] and "saved as a draft" in exc.value.messages[0]
    assert Response.objects.get(invitation=inv).answers == {"A1.1": 3, "A1.2": 0}
    inv.refresh_from_db()
    assert not inv.completed


def test_answers_outside_the_scale_are_refused(world):
    rnd = open_round(world)
    inv = invitation_of(rnd, world.users[Role.PROFESSIONAL])
    with pytest.raises(ValidationError) as exc:
        services.save_answers(inv, {"A1.1": "9"})
    assert "A1.1" in exc.value.message_dict
    assert not Response.objects.filter(round=rnd).exists()


def test_anonymous_submission_keeps_no_link_to_the_person(world):
    rnd = open_round(world)
    professional = world.actor(Role.PROFESSIONAL)
    inv = invitation_of(rnd, professional.user)
    draft = services.save_answers(inv, all_answers(2), actor=professional)
    response = services.submit(inv, actor=professional, anonymous=True)
    assert response.pk != draft.pk, "a fresh id, not the draft's"
    assert response.respondent_id is None and response.invitation_id is None
    assert response.group == Group.PROFESSIONAL and response.submitted_on == TODAY
    assert not Response.objects.filter(pk=draft.pk).exists()
    # Nothing in the audit trail names the submitted response.
    assert not AuditEntry.objects.filter(object_id=str(response.pk)).exists()
    inv.refresh_from_db()
    assert inv.completed
    with pytest.raises(ValidationError):
        services.submit(inv, actor=professional)


def test_the_database_refuses_an_anonymous_response_tied_to_a_person(world):
    rnd = open_round(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            organisation=world.org,
            round=rnd,
            group=Group.MANAGER,
            status="submitted",
            anonymous=True,
            respondent=world.users[Role.MANAGER],
            submitted_on=TODAY,
        )


def test_named_submission_keeps_the_respondent(world):
    rnd = open_round(world)
    manager = world.actor(Role.MANAGER)
    inv = invitation_of(rnd, manager.user)
    services.save_answers(inv, all_answers(4), actor=manager)
    response = services.submit(inv, actor=manager, anonymous=False)
    assert response.respondent_id == manager.user.pk and not response.anonymous


def test_a_link_answers_once_and_always_anonymously(world):
    _rnd, tokens = services.start_round(
        world.actor(Role.MANAGER),
        title="R",
        groups=[Group.SERVICE_USER_REP],
        links={Group.SERVICE_USER_REP: 1},
    )
    inv = selectors.invitation_by_token(tokens[Group.SERVICE_USER_REP][0])
    services.save_answers(inv, all_answers(1))
    response = services.submit(inv, anonymous=False)
    assert response.anonymous and response.respondent_id is None
    with pytest.raises(ValidationError):
        services.save_answers(inv, {"A1.1": 2})


def test_closed_round_takes_no_answers(world):
    rnd = open_round(world)
    inv = invitation_of(rnd, world.users[Role.PROFESSIONAL])
    services.set_round_status(world.actor(Role.MANAGER), rnd.pk, "closed")
    with pytest.raises(ValidationError):
        services.save_answers(inv, {"A1.1": 2})


def test_threshold_two_responses_are_withheld_three_are_shown(world):
    rnd = open_round(world)
    add_responses(rnd, Group.PROFESSIONAL, 2, value=1)
    add_responses(rnd, Group.MANAGER, 3, value=4)
    results = selectors.results_for(rnd)
    groups = {g.group: g for g in results.groups}
    assert groups[Group.PROFESSIONAL].withheld and groups[Group.PROFESSIONAL].domains == {}
    assert not groups[Group.MANAGER].withheld
    assert groups[Group.MANAGER].domains["A6"].score == 100.0
    assert results.overall["A6"].score == 100.0, "the withheld group is left out of the total too"
    add_responses(rnd, Group.PROFESSIONAL, 1, value=1)
    results = selectors.results_for(rnd)
    groups = {g.group: g for g in results.groups}
    assert groups[Group.PROFESSIONAL].domains["A6"].score == 0.0
    assert results.spread["A6"] == 100.0 and results.spread_is_wide("A6")


def test_results_of_several_rounds_read_together_are_each_rounds_own(world, django_assert_num_queries):
    earlier = open_round(world, title="Autumn", opens_on=TODAY - timedelta(days=90))
    later = open_round(world, title="Spring", opens_on=TODAY)
    empty = open_round(world, title="Not answered yet", opens_on=TODAY)
    add_responses(earlier, Group.MANAGER, 3, value=2)
    add_responses(earlier, Group.PROFESSIONAL, 2, value=5)
    add_responses(later, Group.MANAGER, 4, value=4)
    rounds = [earlier, later, empty]
    for rnd in rounds:
        selectors.round_items(rnd)  # the rounds' own statements, read before counting
    with django_assert_num_queries(1):
        together = selectors.results_for_rounds(world.org.pk, rounds)
    assert together == {rnd.pk: selectors.results_for(rnd) for rnd in rounds}


def test_round_with_too_few_respondents_says_so(world):
    rnd = open_round(world)
    add_responses(rnd, Group.MANAGER, 2)
    results = selectors.results_for(rnd)
    assert results.too_few
    body = world.client(Role.MANAGER).get(f"/readiness/rounds/{rnd.pk}/").content.decode()
    assert "Too few people have answered" in body


def test_dont_know_is_counted_apart_and_not_as_a_low_score(world):
    rnd = open_round(world)
    add_responses(rnd, Group.MANAGER, 3, value=4, A6_1=0, A6_2=0, A6_3=0, A6_4=0)
    cell = {g.group: g for g in selectors.results_for(rnd).groups}[Group.MANAGER].domains["A6"]
    assert cell.score is None and cell.dont_know == 12


def test_previous_round_is_the_one_before_with_the_same_scope(world):
    earlier = open_round(world, title="Autumn", opens_on=TODAY - timedelta(days=90))
    open_round(world, title="Team round", opens_on=TODAY - timedelta(days=30), unit_id=world.team.pk)
    later = open_round(world, title="Spring", opens_on=TODAY)
    assert selectors.previous_round(later) == earlier
    add_responses(earlier, Group.MANAGER, 3, value=2)
    add_responses(later, Group.MANAGER, 3, value=3)
    view = selectors.round_view(world.actor(Role.MANAGER), later.pk)
    assert scoring.change(view.results, view.previous_results, "A1") == pytest.approx(33.3, abs=0.2)


def test_an_organisation_can_add_its_own_questions(world):
    manager = world.actor(Role.MANAGER)
    item = services.add_custom_item(
        manager,
        domain="A6",
        text_en="We have a peer-work champion",
        text_nb="",
        text_da="Vi har en tovholder",
    )
    rnd = open_round(world)
    inv = invitation_of(rnd, world.users[Role.PROFESSIONAL])
    services.save_answers(inv, all_answers(3))
    with pytest.raises(ValidationError):
        services.submit(inv)  # the own question is still unanswered
    services.save_answers(inv, {item.code: 1})
    services.submit(inv)
    with pytest.raises(ValidationError):
        services.add_custom_item(manager, domain="A6", text_en="", text_nb="", text_da="")


RESPONSES = st.lists(
    st.tuples(st.sampled_from(Group.values), st.fixed_dictionaries({i.code: st.integers(0, 4) for i in ITEMS[:6]})),
    max_size=20,
)


@settings(max_examples=150, deadline=None)
@given(RESPONSES)
def test_no_group_below_the_threshold_is_ever_exposed(rows):
    domains = [d.code for d in DOMAINS]
    results = scoring.compute(rows, {i.code: i.domain for i in ITEMS}, Group.values, domains, threshold=3)
    counts = {g: sum(1 for r in rows if r[0] == g) for g in Group.values}
    shown_rows = [r for r in rows if counts[r[0]] >= 3]
    for g in results.groups:
        assert g.withheld == (counts[g.group] < 3)
        if g.withheld:
            assert g.domains == {}
    # The total only pools shown groups: it equals computing over the shown rows alone.
    alone = scoring.compute(shown_rows, {i.code: i.domain for i in ITEMS}, Group.values, domains, threshold=0)
    assert results.overall == alone.overall
    for cell in results.overall.values():
        assert cell.score is None or 0 <= cell.score <= 100
