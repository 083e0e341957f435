"""Dashboard figures against values computed by hand from the fixture in conftest.py."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from peerwork.core.roles import Role
from peerwork.evaluation import figures, selectors
from peerwork.privacy.models import Consent

from .conftest import END, START, build_fixture, grow


@pytest.fixture
def fx(world):
    return build_fixture(world)


def value(d, key):
    return d.figure(key).value


def test_individual_level_by_hand(world, fx):
    d = figures.build(figures.Filters(world.org.pk, START, END))
    # Active in Q2: E1 (Apr 1–May 15), E2 (from Apr 20), E4 (from Jun 1); E3 closed Mar 31.
    assert value(d, "engagements_active") == 3
    assert value(d, "engagements_started") == 3
    assert value(d, "engagements_closed") == 1
    # Goals rated twice with the latest rating in the period: G1 3→6 (+3), G2 5→4 (−1).
    assert value(d, "goals_rated") == 2
    assert value(d, "goals_improved_share") == pytest.approx(0.5)
    assert value(d, "goals_mean_change") == pytest.approx(1.0)
    assert value(d, "goals_achieved") == 1
    # Contacts in Q2: 60 + 90 + 30 + 60 + 120 minutes = 6 hours; two accompaniments, two people.
    assert value(d, "contacts") == 5
    assert value(d, "contact_hours") == pytest.approx(6.0)
    channels = {r.label: r.value for r in next(c for c in d.charts if c.key == "contacts_by_channel").rows}
    assert channels == {"Accompanying to a service": 2, "Meeting": 1, "Phone": 1, "Outdoors activity": 1}


def test_service_level_by_hand(world, fx):
    d = figures.build(figures.Filters(world.org.pk, START, END))
    assert value(d, "reach") == 2  # A and B
    assert value(d, "new_people") == 2  # A's and B's first engagements start in Q2; D's in January
    assert value(d, "referrals_received") == 2  # B (Apr 10) and C (May 1)
    assert value(d, "wait_median_days") == 11  # E1 12 days (Mar 20 → Apr 1), E2 10 days (Apr 10 → Apr 20)
    assert value(d, "waiting_now") == 1
    assert value(d, "longest_wait_days") == (timezone.localdate() - date(2026, 5, 1)).days
    assert value(d, "accompaniments") == 2
    assert value(d, "people_accompanied") == 2
    # Signals: three raised in Q2 (4 h and 10 h to acknowledge, one waiting); two closed in Q2.
    assert value(d, "signals_raised") == 3
    assert value(d, "signals_acknowledged_share") == pytest.approx(2 / 3)
    assert value(d, "signals_ack_median_hours") == pytest.approx(7.0)
    assert value(d, "signals_resolved") == 2


def test_organisation_level_by_hand(world, fx):
    d = figures.build(figures.Filters(world.org.pk, START, END))
    # Initiatives started by Jun 30: I1 (peer worker in design), I2 (delivery only), I3 (none).
    assert value(d, "initiatives") == 3
    assert value(d, "initiatives_early_share") == pytest.approx(1 / 3)
    assert value(d, "initiatives_any_share") == pytest.approx(2 / 3)
    by_phase = {r.label: r.value for r in next(c for c in d.charts if c.key == "initiatives_by_phase").rows}
    assert by_phase == {
        "Co-defining and commissioning": 0,
        "Co-design": 1,
        "Co-delivery": 1,
        "Co-assessment": 0,
    }
    # Proposals: 4 made in Q2; decided in Q2: adopted (20 d), adapted (20 d), rejected (40 d).
    assert value(d, "contributions_made") == 4
    assert value(d, "adoption_rate") == pytest.approx(2 / 3)
    assert value(d, "decision_median_days") == 20
    # Boards meeting in Q2: two service user boards; one led by a peer worker; one without a user-org seat.
    assert value(d, "boards") == 2
    assert value(d, "boards_led_by_peer_workers") == 1
    assert value(d, "boards_replacing_user_org") == 1
    seats = {r.label: r.value for r in next(c for c in d.charts if c.key == "seats_by_kind").rows}
    assert seats["Peer worker"] == 2 and seats["User-organisation representative"] == 1
    # Today: P sits on two boards still meeting; three peer workers (P, Q and the senior peer worker).
    assert value(d, "committees_per_peer_worker") == pytest.approx(2 / 3)
    assert value(d, "committees_most") == 2


def test_pulse_results_by_hand_with_the_threshold(world, fx):
    d = figures.build(figures.Filters(world.org.pk, START, END))
    (q2,) = d.pulse
    groups = {g.group: g for g in q2.groups}
    pw = groups["peer_workers"].cells["acceptance"]
    assert (pw.mean, pw.agree_share) == (pytest.approx(4.0), pytest.approx(2 / 3))
    assert groups["peer_workers"].cells["fit"].withheld  # only two answered this statement
    assert groups["professionals"].withheld and groups["professionals"].cells["acceptance"].mean is None
    assert groups["managers"].cells["acceptance"].mean == pytest.approx(3.0)
    # Pooled from the shown groups only: (4+5+3 + 2+2+5) / 6 — the professionals' 1 and 2 are not in it.
    assert q2.pooled["acceptance"].mean == pytest.approx(3.5)
    assert q2.pooled["fit"].withheld


def test_unit_filter(world, fx):
    d = figures.build(figures.Filters(world.org.pk, START, END, unit_id=world.team.pk))
    assert value(d, "engagements_active") == 2  # E1, E2 (peer worker P's team)
    assert value(d, "contacts") == 4 and value(d, "contact_hours") == pytest.approx(4.0)
    assert value(d, "signals_raised") == 3
    assert value(d, "initiatives") == 2  # I1, I2 belong to the team; I3 to the whole organisation
    assert value(d, "referrals_received") == 2  # not bound to a team


def test_closing_words_quoted_only_with_evaluation_consent(world, fx):
    assert figures.build(figures.Filters(world.org.pk, START, END)).quotes == [], "no consent: nobody is quoted"
    Consent.objects.create(
        organisation=world.org,
        service_user=fx.people["A"],
        purpose=Consent.Purpose.EVALUATION,
        how_given=Consent.HowGiven.VERBAL,
        given_on=timezone.localdate(),
    )
    assert figures.build(figures.Filters(world.org.pk, START, END)).quotes == ["I got my flat back"]


def test_other_organisations_data_is_not_counted(world, other_world, fx):
    build_fixture(other_world)
    d = figures.build(figures.Filters(world.org.pk, START, END))
    assert value(d, "engagements_active") == 3 and value(d, "initiatives") == 3


def test_dashboard_query_count_is_flat(world, fx, django_assert_max_num_queries):
    actor = world.actor(Role.MANAGER)
    f = figures.Filters(world.org.pk, START, END)
    grow(world, 1)  # one of everything, readiness rounds too
    with django_assert_max_num_queries(33) as small:
        selectors.dashboard(actor, f)
    n = len(small.captured_queries)
    print("dashboard queries:", n)
    grow(world, 19)
    with django_assert_max_num_queries(n):
        d = selectors.dashboard(actor, f)
    assert value(d, "engagements_started") == 23


def test_professionals_and_the_data_protection_officer_do_not_see_the_dashboard(world):
    from django.core.exceptions import PermissionDenied

    for role in (Role.PROFESSIONAL, Role.DPO, Role.ADMINISTRATOR):
        with pytest.raises(PermissionDenied):
            selectors.dashboard(world.actor(role), figures.Filters(world.org.pk, START, END))
