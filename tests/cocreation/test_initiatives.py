from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from peerwork.audit.models import AuditEntry
from peerwork.cocreation import selectors, services
from peerwork.cocreation.models import Contribution, ParticipantKind, Phase
from peerwork.cocreation.warnings import ASSESSMENT_WITHOUT_IMPLEMENTERS, PEER_WORKERS_ONLY_IN_DELIVERY
from peerwork.core.roles import Role

from .conftest import add_user, phase_of

PW = ParticipantKind.PEER_WORKER


def codes(view):
    return {w.code for w in view.warnings}


def test_initiative_has_the_four_phases_in_order_and_is_audited(drop_in, manager):
    assert [p.kind for p in drop_in.phases.order_by("position")] == [
        "defining",
        "design",
        "delivery",
        "assessment",
    ]
    assert AuditEntry.objects.filter(
        object_type="cocreation.initiative", object_id=str(drop_in.pk), action="create"
    ).exists()


def test_managers_coordinators_and_peer_workers_start_initiatives(world):
    for role in (Role.PROFESSIONAL, Role.DPO, Role.ADMINISTRATOR):
        with pytest.raises(PermissionDenied):
            services.create_initiative(world.actor(role), title="x", problem_statement="y")
    for role in (Role.COORDINATOR, Role.PEER_WORKER, Role.SENIOR_PEER_WORKER):
        services.create_initiative(world.actor(role), title=f"x {role}", problem_statement="y")


def test_initiative_needs_title_problem_and_an_owner_who_may_own(world, manager):
    with pytest.raises(ValidationError) as exc:
        services.create_initiative(manager, title=" ", problem_statement="", owner=world.users[Role.PROFESSIONAL])
    assert set(exc.value.message_dict) == {"title", "problem_statement", "owner"}


def test_peer_workers_only_in_delivery_fires_and_stops_firing(world, drop_in, manager):
    pw = world.users[Role.PEER_WORKER]
    view = selectors.initiative(manager, drop_in.pk)
    assert PEER_WORKERS_ONLY_IN_DELIVERY not in codes(view)  # no peer worker at all yet

    services.add_participant(manager, phase_of(drop_in, "delivery"), kind=PW, person=pw)
    services.add_participant(
        manager,
        phase_of(drop_in, "design"),
        kind=ParticipantKind.PROFESSIONAL,
        person=world.users[Role.PROFESSIONAL],
    )
    assert PEER_WORKERS_ONLY_IN_DELIVERY in codes(selectors.initiative(manager, drop_in.pk))

    services.add_participant(manager, phase_of(drop_in, "design"), kind=PW, person=pw)
    assert PEER_WORKERS_ONLY_IN_DELIVERY not in codes(selectors.initiative(manager, drop_in.pk))


def test_peer_worker_only_in_assessment_is_not_the_delivery_warning(world, drop_in, manager):
    services.add_participant(manager, phase_of(drop_in, "assessment"), kind=PW, person=world.users[Role.PEER_WORKER])
    assert PEER_WORKERS_ONLY_IN_DELIVERY not in codes(selectors.initiative(manager, drop_in.pk))


def test_assessment_without_implementers_fires_and_stops_firing(world, drop_in, manager):
    pw = world.users[Role.PEER_WORKER]
    delivery, assessment = phase_of(drop_in, "delivery"), phase_of(drop_in, "assessment")
    services.add_participant(manager, delivery, kind=PW, person=pw)
    services.add_participant(manager, delivery, kind=ParticipantKind.SERVICE_USER, external_name="Sara")
    services.add_participant(manager, assessment, kind=ParticipantKind.MANAGER, person=world.users[Role.MANAGER])
    # Not started: no warning yet.
    assert ASSESSMENT_WITHOUT_IMPLEMENTERS not in codes(selectors.initiative(manager, drop_in.pk))

    today = timezone.localdate()
    services.update_phase(manager, assessment, start_date=today - timedelta(days=10), end_date=today, status="done")
    assert ASSESSMENT_WITHOUT_IMPLEMENTERS in codes(selectors.initiative(manager, drop_in.pk))

    # The service user who took part in delivery joins the assessment (matched by name, case-insensitive).
    services.add_participant(manager, assessment, kind=ParticipantKind.SERVICE_USER, external_name=" sara ")
    assert ASSESSMENT_WITHOUT_IMPLEMENTERS not in codes(selectors.initiative(manager, drop_in.pk))


def test_phase_ending_before_it_starts_is_refused_by_service_and_database(drop_in, manager):
    design = phase_of(drop_in, "design")
    with pytest.raises(ValidationError) as exc:
        services.update_phase(manager, design, start_date=date(2026, 3, 1), end_date=date(2026, 2, 1), status="active")
    assert "end before it starts" in exc.value.message_dict["end_date"][0]
    design.refresh_from_db()
    assert design.start_date is None

    Phase.objects.filter(pk=design.pk).update(start_date=date(2026, 3, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Phase.objects.filter(pk=design.pk).update(end_date=date(2026, 2, 1))


def test_done_phase_needs_an_end_date(drop_in, manager):
    with pytest.raises(ValidationError) as exc:
        services.update_phase(manager, phase_of(drop_in, "defining"), start_date=None, end_date=None, status="done")
    assert "end_date" in exc.value.message_dict


def test_participant_rules(world, drop_in, manager):
    design = phase_of(drop_in, "design")
    with pytest.raises(ValidationError):
        services.add_participant(manager, design, kind=PW)  # nobody
    with pytest.raises(ValidationError):
        services.add_participant(manager, design, kind=PW, person=world.users[Role.PROFESSIONAL])  # not a peer worker
    with pytest.raises(ValidationError):
        services.add_participant(manager, design, kind=PW, person=world.users[Role.PEER_WORKER], external_name="Also")
    services.add_participant(manager, design, kind=PW, person=world.users[Role.PEER_WORKER])
    with pytest.raises(ValidationError):
        services.add_participant(manager, design, kind=PW, person=world.users[Role.PEER_WORKER])  # twice


def test_participant_from_another_organisation_is_refused(world, other_world, drop_in, manager):
    with pytest.raises(ValidationError):
        services.add_participant(
            manager, phase_of(drop_in, "design"), kind=PW, person=other_world.users[Role.PEER_WORKER]
        )


# --- contributions ----------------------------------------------------------------------------------------


def test_peer_worker_proposal_is_their_own_and_decision_shows_in_you_said_we_did(world, drop_in, manager, peer):
    design = phase_of(drop_in, "design")
    c = services.add_contribution(
        peer,
        drop_in,
        phase=design,
        summary="Open until 23:00 on Fridays",
        contributor=world.users[Role.PROFESSIONAL],
    )
    assert c.contributor == world.users[Role.PEER_WORKER]  # a peer worker cannot record for someone else
    assert c.outcome == "pending"
    services.decide_contribution(manager, c, outcome="adapted", note="Changed opening hours to 18–23 on Fridays")
    mine = selectors.you_said_we_did(peer)
    assert [(x.summary, x.outcome, x.outcome_note) for x in mine] == [
        ("Open until 23:00 on Fridays", "adapted", "Changed opening hours to 18–23 on Fridays")
    ]
    assert mine[0].decided_by == world.users[Role.MANAGER]


def test_manager_records_a_service_users_proposal(world, drop_in, manager):
    c = services.add_contribution(
        manager,
        drop_in,
        phase=phase_of(drop_in, "defining"),
        summary="Peer-run evenings",
        contributor_name="Jonas",
    )
    assert c.contributor_kind == "service_user"
    with pytest.raises(ValidationError):
        services.add_contribution(manager, drop_in, phase=phase_of(drop_in, "defining"), summary="x")


def test_rejection_without_reason_is_refused_and_nothing_changes(world, drop_in, manager, peer):
    c = services.add_contribution(peer, drop_in, phase=phase_of(drop_in, "design"), summary="Free bus tickets")
    for outcome in ("rejected", "adapted"):
        with pytest.raises(ValidationError) as exc:
            services.decide_contribution(manager, c, outcome=outcome, note="   ")
        assert "outcome_note" in exc.value.message_dict
    c.refresh_from_db()
    assert c.outcome == "pending" and c.decided_on is None
    with pytest.raises(ValidationError):
        services.decide_contribution(manager, c, outcome="pending")
    services.decide_contribution(manager, c, outcome="rejected", note="No budget this year; asked again in the autumn")
    c.refresh_from_db()
    assert c.outcome == "rejected"


def test_database_refuses_rejection_without_reason(world, drop_in, peer):
    c = services.add_contribution(peer, drop_in, phase=phase_of(drop_in, "design"), summary="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.filter(pk=c.pk).update(outcome="rejected", decided_on=timezone.localdate())


def test_only_managers_or_the_owner_decide(world, drop_in, peer):
    c = services.add_contribution(peer, drop_in, phase=phase_of(drop_in, "design"), summary="x")
    for role in (Role.PEER_WORKER, Role.PROFESSIONAL, Role.COORDINATOR):
        with pytest.raises(PermissionDenied):
            services.decide_contribution(world.actor(role), c, outcome="adopted")


def test_pending_too_long_uses_the_organisations_limit(world, drop_in, manager, peer):
    today = timezone.localdate()
    old = services.add_contribution(
        peer,
        drop_in,
        phase=phase_of(drop_in, "design"),
        summary="old",
        submitted_on=today - timedelta(days=31),
    )
    services.add_contribution(
        peer,
        drop_in,
        phase=phase_of(drop_in, "design"),
        summary="recent",
        submitted_on=today - timedelta(days=29),
    )
    found, days = selectors.pending_too_long(manager)
    assert days == 30 and [c.pk for c in found] == [old.pk]
    assert selectors.initiative(manager, drop_in.pk).overdue_ids == {old.pk}

    services.set_pending_limit(manager, 45)
    assert selectors.pending_too_long(manager)[0] == []
    services.decide_contribution(manager, old, outcome="adopted")
    services.set_pending_limit(manager, 7)
    assert [c.summary for c in selectors.pending_too_long(manager)[0]] == ["recent"]
    with pytest.raises(ValidationError):
        services.set_pending_limit(manager, 0)


def test_initiatives_are_scoped_to_the_organisation(world, other_world, drop_in):
    other = other_world.actor(Role.MANAGER)
    assert selectors.initiatives(other) == []
    with pytest.raises(Http404):
        selectors.initiative(other, drop_in.pk)
    with pytest.raises(PermissionDenied):
        services.add_participant(
            other,
            phase_of(drop_in, "design"),
            kind=ParticipantKind.MANAGER,
            person=other_world.users[Role.MANAGER],
        )


def test_list_query_count_is_flat(world, manager, django_assert_max_num_queries):
    def make(n):
        for i in range(n):
            ini = services.create_initiative(manager, title=f"i{i}", problem_statement="p")
            services.add_participant(
                manager, ini.phases.get(kind="delivery"), kind=PW, person=world.users[Role.PEER_WORKER]
            )

    make(2)
    with django_assert_max_num_queries(9) as small:
        selectors.initiatives(manager)
    make(18)
    with django_assert_max_num_queries(len(small.captured_queries)):
        rows = selectors.initiatives(manager)
    assert len(rows) == 20 and all(PEER_WORKERS_ONLY_IN_DELIVERY in codes(r) for r in rows)


def test_add_user_helper(world):
    assert add_user(world, Role.PEER_WORKER, "kari").memberships.count() == 1
