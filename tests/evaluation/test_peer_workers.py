"""What peer workers and senior peer workers see of the evaluation dashboard: the service and organisation
levels, no one's individual data, and every number resting on fewer than three records withheld — against the
hand-computed fixture in conftest.py (three peer workers in the organisation: P and the senior peer worker in
the world's team, Q in the other team)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.evaluation import figures, selectors
from peerwork.privacy.models import Consent
from tests.factories import MembershipFactory, UserFactory

from .conftest import END, START, build_fixture

Q2 = {"period": "custom", "start": START.isoformat(), "end": END.isoformat()}
PEERS = (Role.PEER_WORKER, Role.SENIOR_PEER_WORKER)

SHOWN = {
    "signals_raised": 3,
    "signals_acknowledged_share": pytest.approx(2 / 3),
    "initiatives": 3,
    "initiatives_early_share": pytest.approx(1 / 3),
    "initiatives_any_share": pytest.approx(2 / 3),
    "contributions_made": 4,
    "adoption_rate": pytest.approx(2 / 3),
    "decision_median_days": 20,
    "committees_per_peer_worker": pytest.approx(2 / 3),  # an average over three peer workers
    # no groups or courses in this fixture: a zero counts no one, so it is shown
    "group_reach": 0,
    "group_reach_waiting": 0,
    "group_sessions": 0,
}
WITHHELD = {
    # counts of one or two
    "reach",
    "new_people",
    "referrals_received",
    "waiting_now",
    "accompaniments",
    "people_accompanied",
    "signals_resolved",
    "boards",
    "boards_led_by_peer_workers",
    "boards_replacing_user_org",
    # a median of two values; the longest wait of the one person waiting
    "wait_median_days",
    "signals_ack_median_hours",
    "longest_wait_days",
}


@pytest.fixture
def fx(world):
    fixture = build_fixture(world)
    # even with consent to use in evaluation, closing words are no one's to read but managers'
    Consent.objects.create(
        organisation=world.org,
        service_user=fixture.people["A"],
        purpose=Consent.Purpose.EVALUATION,
        how_given=Consent.HowGiven.VERBAL,
        given_on=timezone.localdate(),
    )
    return fixture


@pytest.mark.parametrize("role", PEERS)
def test_peer_workers_see_service_and_organisation_figures_with_small_cells_withheld(world, fx, role):
    d = selectors.dashboard(world.actor(role), figures.Filters(world.org.pk, START, END))
    assert [level["key"] for level in d.levels] == ["service", "organisation"]
    by_key = {f.key: f for f in d.figures}
    assert set(by_key) == set(SHOWN) | WITHHELD
    for key, expected in SHOWN.items():
        assert not by_key[key].withheld and by_key[key].value == expected, key
    for key in WITHHELD:
        assert by_key[key].withheld and by_key[key].value is None and by_key[key].display == "withheld", key
    # no individual level, no closing words, no one peer worker's number
    assert not any(f.level == "individual" for f in d.figures) and not any(c.level == "individual" for c in d.charts)
    assert d.quotes == [] and "committees_most" not in by_key
    # chart rows of one or two are withheld, zeros stay
    phases = {r.label: r.value for r in next(c for c in d.charts if c.key == "initiatives_by_phase").rows}
    assert phases == {"Co-defining and commissioning": 0, "Co-design": None, "Co-delivery": None, "Co-assessment": 0}
    seats = {r.label: (r.value, r.display) for r in next(c for c in d.charts if c.key == "seats_by_kind").rows}
    assert seats["Peer worker"] == (None, "withheld") and seats["User-organisation representative"][0] is None
    outcomes = {r.label: r.value for r in next(c for c in d.charts if c.key == "contribution_outcomes").rows}
    assert set(outcomes.values()) == {None}  # one adopted, one adapted, one rejected, one waiting
    assert d.withheld == len(WITHHELD) + 2 + 4 + 2


@pytest.mark.parametrize("role", (Role.MANAGER, Role.COORDINATOR))
def test_managers_and_coordinators_still_see_everything(world, fx, role):
    d = selectors.dashboard(world.actor(role), figures.Filters(world.org.pk, START, END))
    assert [level["key"] for level in d.levels] == ["individual", "service", "organisation"]
    assert d.figure("reach").value == 2 and d.figure("committees_most").value == 2 and d.withheld == 0
    assert d.quotes == ["I got my flat back"]


def test_a_team_with_fewer_than_three_peer_workers_is_not_a_peer_workers_scope(world, fx):
    """P and the senior peer worker are the world's team: its figures would be theirs."""
    team = figures.Filters(world.org.pk, START, END, unit_id=world.team.pk)
    for role in PEERS:
        with pytest.raises(PermissionDenied):
            selectors.dashboard(world.actor(role), team)
        assert world.team not in selectors.filter_units(world.actor(role))
    assert world.team in selectors.filter_units(world.actor(Role.MANAGER))
    page = world.client(Role.PEER_WORKER).get(reverse("evaluation:dashboard"), {**Q2, "unit": world.team.pk})
    assert "Choose the whole organisation or a unit from the list" in page.content.decode()
    # with a third peer worker the team becomes a scope a peer worker may choose
    MembershipFactory(organisation=world.org, user=UserFactory(), role=Role.PEER_WORKER, unit=world.team)
    assert world.team in selectors.filter_units(world.actor(Role.PEER_WORKER))
    d = selectors.dashboard(world.actor(Role.PEER_WORKER), team)
    assert d.figure("signals_raised").value == 3 and d.figure("initiatives").withheld  # two of the team's


def test_an_organisation_with_fewer_than_three_peer_workers_shows_no_figures(world, other_world):
    """Q is not there: only P and the senior peer worker."""
    d = selectors.dashboard(world.actor(Role.PEER_WORKER), figures.Filters(world.org.pk, START, END))
    assert d.too_few_peer_workers and d.figures == [] and d.charts == []
    body = world.client(Role.PEER_WORKER).get(reverse("evaluation:dashboard"), Q2).content.decode()
    assert "Fewer than 3 peer workers work here" in body and "How this is computed" not in body


def test_the_peer_workers_page_says_what_is_withheld_and_why(world, fx, django_assert_max_num_queries):
    client = world.client(Role.PEER_WORKER)
    with django_assert_max_num_queries(60):
        body = client.get(reverse("evaluation:dashboard"), Q2).content.decode()
    for text in (
        "What you see here, and what you do not",
        "individual data: no figure about one peer worker",
        "21 numbers below are withheld: each rests on fewer than 3 people or records.",
        "Fewer than 3: not shown, so no one can be recognised.",
        "Service level",
        "Organisation level",
        "Adoption rate of proposals",
    ):
        assert text in body, text
    for text in ("Individual level", "I got my flat back", "Most boards held by one peer worker", "export.csv"):
        assert text not in body, text
    entry = AuditEntry.objects.filter(object_type="evaluation.dashboard").latest("id")
    assert entry.role == Role.PEER_WORKER and '"k":"period_peer_view"' in entry.detail
    # their menu and home page lead to it
    home = client.get("/").content.decode()
    assert reverse("evaluation:dashboard") in home and "the evaluation figures" in home


@pytest.mark.parametrize("role", (Role.PROFESSIONAL, Role.DPO, Role.ADMINISTRATOR))
def test_other_roles_see_nothing_of_the_dashboard(world, fx, role):
    with pytest.raises(PermissionDenied):
        selectors.dashboard(world.actor(role), figures.Filters(world.org.pk, START, END))
    assert world.client(role).get(reverse("evaluation:dashboard"), Q2).status_code == 403


def test_index_sends_peer_workers_to_the_dashboard_and_professionals_to_the_pulse_survey(world):
    assert world.client(Role.PEER_WORKER).get(reverse("evaluation:index"))["Location"].endswith("/dashboard/")
    assert world.client(Role.PROFESSIONAL).get(reverse("evaluation:index"))["Location"].endswith("/pulse/")
