"""The waiting list's plan is remembered under the organisation's plan stamp (``MatchingSettings.plan_version``):
every service that changes an input of the plan gives the stamp a new value in its transaction, so the page
reads the stamp and its own rows only, and a change is seen at the next opening.

Each input-changing service is run here after the list was opened: the stamp moves and the page shown then
is the page a fresh plan gives. Every public function of the service's services is named below as changing
the plan's inputs or not, so a new one cannot be added without that question being answered; and after every
test of the service, any plan still remembered under its organisation's current stamp must be the plan its
inputs give now (``conftest._remembered_plans_hold``), which fails a test whose service forgot the stamp.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peerwork.accounts import services as accounts_services
from peerwork.core.roles import Role
from peerwork.privacy import services as privacy_services
from peerwork.service import matching_adapter, services
from peerwork.service.models import Engagement, MatchingSettings, Referral
from tests.conftest import World, actor_for

from .conftest import add_peer_worker, engage, new_referral

# Every public function of ``peerwork.service.services``: does it change an input of the waiting list's plan?
CHANGES_INPUTS = {
    "availability.agree_range",
    "availability.lift_hold",
    "availability.save_availability",
    "engagements.close_engagement",
    "engagements.close_engagement_as",
    "engagements.close_for_handover",
    "engagements.start_engagement",
    "leavers.back_to_queue",
    "leavers.flag_caseload",  # called when a peer worker leaves: the hook stamps (``service.hooks.leaving``)
    "leavers.unflag_caseload",  # called when a peer worker returns: the hook stamps
    "profiles.profile_for_update",  # makes a new peer worker's profile (on hold)
    "profiles.save_matching_settings",
    "profiles.save_profile",
    "proposals.answer",
    "proposals.propose",
    "proposals.propose_handover",
    "proposals.record_choice",
    "proposals.record_refusal",
    "proposals.withdraw",
    "referrals.close_referral",
    "referrals.create_referral",
    "referrals.move_referral",
    "referrals.new_referral_for",
    "referrals.refer_again",
    "referrals.update_person",
}
LEAVES_INPUTS = {
    "contacts.add_contact",
    "contacts.record_strain_action",
    "contacts.save_agreement",
    "contacts.update_contact",
    "engagements.engagement_for_update",  # reads, locked
    "engagements.extend_engagement",  # the planned end is no input
    "engagements.later_end_errors",
    "engagements.may_manage",
    "engagements.own_engagement_for_update",
    "engagements.past_typical_length",
    "engagements.review_engagement",
    "goals.add_goal",
    "goals.finish_goal",
    "goals.rate_goal",
    "goals.revise_goal",
    "guidance.add_agenda_item",
    "guidance.add_guidance",
    "guidance.end_relationship",
    "guidance.plan_session",
    "guidance.record_session",
    "guidance.set_hard_now",
    "guidance.set_relationship",
    "guidance.share_session",
    "guidance.stop_sharing",
    "profiles.clean_hours",
    "profiles.save_workload_settings",
    "proposals.acquaintance",  # a declared acquaintance is a flag, never a limit of the plan
    "proposals.declare_conflict",
    "proposals.handover_plan_errors",
    "proposals.waive_acquaintance",
    "referrals.referral_for_update",
}


def _public_services() -> set[str]:
    found = set()
    for module_name in services.__all__:
        module = getattr(services, module_name)
        if not inspect.ismodule(module):
            continue
        for name, fn in vars(module).items():
            if inspect.isfunction(fn) and fn.__module__ == module.__name__ and not name.startswith("_"):
                found.add(f"{module_name}.{name}")
    return found


def test_every_service_is_named_as_changing_the_plans_inputs_or_not():
    found = _public_services()
    unnamed = found - CHANGES_INPUTS - LEAVES_INPUTS
    assert not unnamed, (
        f"Name {sorted(unnamed)} in CHANGES_INPUTS (and call services.plan_inputs_changed in its transaction, "
        "and run it in test_each_change_is_seen_at_the_next_opening) or in LEAVES_INPUTS."
    )
    assert not (CHANGES_INPUTS | LEAVES_INPUTS) - found, "a service named here is gone: take it off the list"


def _stamp(world: World) -> int:
    return MatchingSettings.objects.filter(organisation=world.org).values_list("plan_version", flat=True).first() or 0


def _page(world: World) -> Any:
    """What the coordinator is shown: people with offers, their offers (fit, engagements, room) and the rest."""
    plan = matching_adapter.offer_waiting_list(world.actor(Role.COORDINATOR))
    return (
        [
            (row.referral.pk, row.waiting_days, [(o.user.pk, round(o.score, 9), o.active, o.room) for o in row.offers])
            for row in plan.rows
        ],
        [(r.pk, outranked) for r, outranked in plan.waiting],
        plan.places,
        plan.offered,
    )


@pytest.fixture
def listed(svc: World) -> dict[str, Any]:
    """Two peer workers with room, three people waiting, one engagement running, one offer pending."""
    second = add_peer_worker(svc, "plan-second", capacity=3)
    first = svc.users[Role.PEER_WORKER]
    kari, ola, per = (new_referral(svc, name) for name in ("Kari", "Ola", "Per"))
    running = engage(svc, new_referral(svc, "Engaged", birth_year=1970), first)
    offered = new_referral(svc, "Offered")
    pending = services.proposals.propose(
        svc.actor(Role.COORDINATOR), referral_id=offered.pk, peer_worker_ids=[first.pk, second.pk]
    )
    return {
        "first": first,
        "second": second,
        "kari": kari,
        "ola": ola,
        "per": per,
        "running": running,
        "offered": offered,
        "pending": pending,
    }


def _coordinator(w: World) -> Any:
    return w.actor(Role.COORDINATOR)


def _admin(w: World) -> Any:
    return w.actor(Role.ADMINISTRATOR)


Change = Callable[[World, dict[str, Any]], Any]

# Each change through its service, after the list was opened; ``None`` as the second item: the page shown
# changes too (``False``: the input changed but the page happens to stay the same, e.g. a new peer worker on hold).
CHANGES: dict[str, tuple[Change, bool]] = {
    "create_referral": (lambda w, s: new_referral(w, "New"), True),
    "update_person": (
        lambda w, s: services.referrals.update_person(
            _coordinator(w),
            service_user_id=s["kari"].service_user_id,
            wishes=[{"kind": "language", "value": "so", "firm": True}],
        ),
        True,
    ),
    "close_referral": (
        lambda w, s: services.referrals.close_referral(
            _coordinator(w), referral_id=s["ola"].pk, status="declined", reason="Moved away"
        ),
        True,
    ),
    "propose": (
        lambda w, s: services.proposals.propose(
            _coordinator(w), referral_id=s["per"].pk, peer_worker_ids=[s["second"].pk]
        ),
        True,
    ),
    "answer_declined": (
        lambda w, s: services.proposals.answer(
            actor_for(s["second"], w.org), proposal_id=s["pending"].pk, answer="declined"
        ),
        True,
    ),
    "withdraw": (lambda w, s: services.proposals.withdraw(_coordinator(w), proposal_id=s["pending"].pk), True),
    "record_refusal": (
        lambda w, s: services.proposals.record_refusal(_coordinator(w), proposal_id=s["pending"].pk, reason="No"),
        True,
    ),
    "record_choice": (
        lambda w, s: (
            services.proposals.answer(actor_for(s["first"], w.org), proposal_id=s["pending"].pk, answer="accepted"),
            services.proposals.record_choice(
                _coordinator(w), proposal_id=s["pending"].pk, peer_worker_id=s["first"].pk
            ),
        ),
        True,
    ),
    "close_engagement": (
        lambda w, s: services.engagements.close_engagement(
            _coordinator(w),
            engagement_id=s["running"].pk,
            closed_on=timezone.localdate(),
            reason=Engagement.ClosureReason.GOALS_REACHED,
        ),
        True,
    ),
    "back_to_queue": (
        lambda w, s: services.leavers.back_to_queue(_coordinator(w), engagement_id=s["running"].pk, reason="Left"),
        True,
    ),
    "save_profile": (
        lambda w, s: services.profiles.save_profile(
            actor_for(s["second"], w.org), peer_worker_id=s["second"].pk, languages=["en"]
        ),
        True,
    ),
    "save_matching_settings": (
        lambda w, s: services.profiles.save_matching_settings(w.actor(Role.MANAGER), language=0.0),
        True,
    ),
    "save_availability": (
        lambda w, s: services.availability.save_availability(
            actor_for(s["second"], w.org), peer_worker_id=s["second"].pk, accepting=False
        ),
        True,
    ),
    "agree_range": (
        lambda w, s: services.availability.agree_range(
            _coordinator(w), peer_worker_id=s["second"].pk, capacity_min=0, capacity_max=1
        ),
        True,
    ),
    "deactivate_person": (
        lambda w, s: accounts_services.deactivate_person(_admin(w), user_id=s["second"].pk),
        True,
    ),
    "remove_peer_worker_role": (
        lambda w, s: (
            accounts_services.add_role(_admin(w), user_id=s["second"].pk, role=Role.PROFESSIONAL, unit=None),
            accounts_services.remove_role(
                _admin(w),
                user_id=s["second"].pk,
                membership_id=s["second"].memberships.get(organisation=w.org, role=Role.PEER_WORKER).pk,
            ),
        ),
        True,
    ),
    "add_person_as_peer_worker": (
        lambda w, s: accounts_services.add_person(
            _admin(w),
            username="plan-new",
            first_name="Nina",
            last_name="New",
            email="",
            role=Role.PEER_WORKER,
            unit=None,
        ),
        False,  # a new peer worker is on hold until profile and orientation are complete
    ),
    "rectify": (
        lambda w, s: privacy_services.rectify(
            w.actor(Role.DPO), s["kari"].service_user_id, birth_year="1950", district="Grünerløkka"
        ),
        False,  # year of birth and district are inputs; with these profiles the fit stays the same
    ),
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_each_change_is_seen_at_the_next_opening(svc, listed, name):
    change, page_changes = CHANGES[name]
    before_page = _page(svc)
    assert _page(svc) == before_page  # opened again without a change: the remembered plan
    before = _stamp(svc)
    change(svc, listed)
    assert _stamp(svc) != before, f"{name} changed an input of the plan without services.plan_inputs_changed"
    shown = _page(svc)
    matching_adapter.forget_plans()
    assert shown == _page(svc)  # what a fresh plan gives
    assert (shown != before_page) is page_changes


def test_a_reactivated_peer_worker_is_offered_again(svc, listed):
    admin = _admin(svc)
    accounts_services.deactivate_person(admin, user_id=listed["second"].pk)
    without = _page(svc)
    before = _stamp(svc)
    accounts_services.reactivate_person(admin, user_id=listed["second"].pk)
    assert _stamp(svc) != before
    assert _page(svc) != without


def test_opening_the_list_again_reads_the_stamp_and_the_shown_rows_only(svc, listed):
    coordinator = svc.actor(Role.COORDINATOR)
    matching_adapter.offer_waiting_list(coordinator, page=1)
    with CaptureQueriesContext(connection) as ctx:
        matching_adapter.offer_waiting_list(coordinator, page=1)
    read = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    tables = " ".join(read)
    for input_table in ("service_peerworkerprofile", "service_engagement", "service_proposedcandidate"):
        assert input_table not in tables, input_table


def test_a_change_past_the_services_to_a_shown_row_is_planned_afresh(svc, listed):
    """A referral gone from the list without the stamp moving (written past the services) is not shown from
    memory: the page notices the missing row and plans again."""
    before = _page(svc)
    Referral.objects.filter(pk=listed["kari"].pk).update(status=Referral.Status.DECLINED, status_reason="Moved")
    after = _page(svc)
    assert listed["kari"].pk not in [r for r, _d, _o in after[0]] + [r for r, _o in after[1]]
    assert after != before
    matching_adapter.forget_plans()


def test_stamps_never_repeat(svc):
    seen = set()
    for _ in range(5):
        services.plan_inputs_changed(svc.org.pk)
        seen.add(_stamp(svc))
    assert len(seen) == 5 and 0 not in seen


def test_tomorrow_is_planned_afresh(svc, listed):
    """The day is part of the key: the days waited (and who has opened again) count from the day shown."""
    matching_adapter.offer_waiting_list(svc.actor(Role.COORDINATOR))
    planned, _referrals, _users = matching_adapter._planned(svc.org.pk, timezone.localdate() + timedelta(days=1))
    assert planned.days[listed["kari"].pk] == 11  # received ten days ago
