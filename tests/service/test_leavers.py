"""A peer worker leaves: switched off at once, their open engagements flagged for the coordinators, each then
handed over to a new peer worker (the person's choice recorded) or sent back to the waiting list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peerwork.accounts import services as account_services
from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.notifications.models import Notification
from peerwork.service import selectors, services
from peerwork.service.models import Engagement, MatchProposal, Referral

from .conftest import accept, add_peer_worker, engage, new_referral


def _leaver_with_two(svc):
    leaver = svc.users[Role.PEER_WORKER]
    first = engage(svc, new_referral(svc, "Kari"), leaver)
    second = engage(svc, new_referral(svc, "Ola"), leaver)
    account_services.deactivate_person(svc.actor(Role.ADMINISTRATOR), user_id=leaver.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    return leaver, first, second


def test_switching_off_a_peer_worker_with_engagements_is_not_refused_and_flags_each(svc):
    leaver, first, second = _leaver_with_two(svc)
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert first.closed_on is None and first.new_peer_worker_needed_since is not None
    assert second.new_peer_worker_needed_since is not None
    flagged = AuditEntry.objects.filter(
        object_type="service.engagement", detail=Detail("new_peer_worker_needed").stored
    )
    assert sorted(int(e.object_id) for e in flagged) == sorted([first.pk, second.pk])
    # The coordinators are told, with a link and a count only.
    told = Notification.objects.get(kind="caseload_to_hand_over", recipient=svc.users[Role.COORDINATOR])
    assert told.url == "/service/dashboard/#handovers"
    assert told.counts == {"engagements": 2}
    todo = selectors.handovers_to_do(svc.actor(Role.COORDINATOR))
    assert [h.engagement.pk for h in todo] == [first.pk, second.pk]
    assert all(h.proposed_on_referral is None for h in todo)
    # Someone who has left is never proposed again.
    assert leaver.pk not in {pk for pk, _name in selectors.peer_worker_choices(svc.actor(Role.COORDINATOR))}


def test_a_leaver_s_engagement_is_handed_over_through_offer_and_choice(svc):
    _leaver, first, _second = _leaver_with_two(svc)
    coordinator = svc.actor(Role.COORDINATOR)
    other = add_peer_worker(svc, "pw-next", capacity=5)
    proposal = services.proposals.propose_handover(coordinator, engagement_id=first.pk, peer_worker_ids=[other.pk])
    todo = selectors.handovers_to_do(coordinator)
    assert todo[0].proposed_on_referral == first.referral_id
    accept(svc, proposal, other)
    new = services.proposals.record_choice(coordinator, proposal_id=proposal.pk, peer_worker_id=other.pk)
    first.refresh_from_db()
    assert first.closure_reason == Engagement.ClosureReason.HANDOVER
    assert new.previous_id == first.pk and new.peer_worker_id == other.pk
    assert MatchProposal.objects.get(pk=proposal.pk).chosen_id == other.pk
    assert [h.engagement.pk for h in selectors.handovers_to_do(coordinator)] == [_second.pk]


def test_back_to_the_queue_ends_the_engagement_and_reopens_the_referral_with_its_waiting_time(svc):
    _leaver, first, _second = _leaver_with_two(svc)
    received = first.referral.received_on
    coordinator = svc.actor(Role.COORDINATOR)
    referral = services.leavers.back_to_queue(
        coordinator, engagement_id=first.pk, reason="  Her peer worker left; nobody free this month  "
    )
    first.refresh_from_db()
    assert first.closed_on == timezone.localdate()
    assert first.closure_reason == Engagement.ClosureReason.BACK_TO_QUEUE
    assert referral.pk == first.referral_id
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WAITING
    assert referral.received_on == received  # the time already waited still counts
    assert referral.status_reason == "Her peer worker left; nobody free this month"
    assert AuditEntry.objects.filter(
        object_id=str(first.pk), detail=Detail("closed_reason", reason="back_to_queue").stored
    ).exists()
    assert AuditEntry.objects.filter(
        object_type="service.referral",
        object_id=str(referral.pk),
        detail=Detail("referral_status", status="waiting").stored,
    ).exists()
    assert [h.engagement.pk for h in selectors.handovers_to_do(coordinator)] == [_second.pk]


def test_back_to_the_queue_without_a_referral_makes_a_waiting_one(svc):
    leaver = svc.users[Role.PEER_WORKER]
    first = engage(svc, new_referral(svc, "Kari"), leaver)
    Engagement.objects.filter(pk=first.pk).update(referral=None)
    Referral.objects.filter(pk=first.referral_id).update(status=Referral.Status.MATCHED)
    account_services.deactivate_person(svc.actor(Role.ADMINISTRATOR), user_id=leaver.pk)
    found = services.leavers.back_to_queue(svc.actor(Role.COORDINATOR), engagement_id=first.pk, reason="Left")
    assert found.status == Referral.Status.WAITING and found.service_user_id == first.service_user_id
    assert found.received_on == timezone.localdate()


def test_back_to_the_queue_needs_a_reason_and_no_pending_handover_and_saves_nothing_otherwise(svc):
    _leaver, first, _second = _leaver_with_two(svc)
    coordinator = svc.actor(Role.COORDINATOR)
    with pytest.raises(ValidationError) as missing:
        services.leavers.back_to_queue(coordinator, engagement_id=first.pk, reason="  ")
    assert "Write why the person goes back" in str(missing.value)
    other = add_peer_worker(svc, "pw-next", capacity=5)
    services.proposals.propose_handover(coordinator, engagement_id=first.pk, peer_worker_ids=[other.pk])
    with pytest.raises(ValidationError, match="already proposed"):
        services.leavers.back_to_queue(coordinator, engagement_id=first.pk, reason="Left")
    first.refresh_from_db()
    assert first.closed_on is None
    assert Referral.objects.get(pk=first.referral_id).status == Referral.Status.MATCHED


def test_only_a_coordinator_sends_back_and_the_close_page_offers_neither_special_reason(svc):
    _leaver, first, _second = _leaver_with_two(svc)
    with pytest.raises(PermissionDenied):
        services.leavers.back_to_queue(svc.actor(Role.ADMINISTRATOR), engagement_id=first.pk, reason="Left")
    with pytest.raises(ValidationError, match="Choose why the engagement ends"):
        services.engagements.close_engagement(
            svc.actor(Role.COORDINATOR),
            engagement_id=first.pk,
            closed_on=timezone.localdate() - timedelta(days=1),
            reason=Engagement.ClosureReason.BACK_TO_QUEUE,
        )


def _dashboard_queries(client) -> int:
    client.get("/service/dashboard/")  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/service/dashboard/").status_code == 200
    return len(ctx)


def test_the_dashboard_lists_the_handovers_and_the_back_to_queue_page_works(svc):
    _leaver, first, second = _leaver_with_two(svc)
    client = svc.client(Role.COORDINATOR)
    with_two = _dashboard_queries(client)
    body = client.get("/service/dashboard/").content.decode()
    assert 'id="handovers"' in body
    assert f'href="/service/engagements/{first.pk}/handover/"' in body
    assert f'href="/service/engagements/{second.pk}/back-to-queue/"' in body
    page = client.get(f"/service/engagements/{second.pk}/back-to-queue/")
    assert page.status_code == 200
    refused = client.post(f"/service/engagements/{second.pk}/back-to-queue/", {"reason": ""})
    assert "Write why the person goes back" in refused.content.decode()
    done = client.post(f"/service/engagements/{second.pk}/back-to-queue/", {"reason": "Left"}, follow=True)
    assert "back on the waiting list" in done.content.decode()
    second.refresh_from_db()
    assert second.closure_reason == Engagement.ClosureReason.BACK_TO_QUEUE
    assert _dashboard_queries(client) == with_two  # the list costs the same however long it is


def test_switching_the_peer_worker_on_again_gives_back_what_was_not_handed_over(svc):
    leaver, first, second = _leaver_with_two(svc)
    services.leavers.back_to_queue(svc.actor(Role.COORDINATOR), engagement_id=first.pk, reason="Left")
    account_services.reactivate_person(svc.actor(Role.ADMINISTRATOR), user_id=leaver.pk)
    second.refresh_from_db()
    assert second.closed_on is None and second.new_peer_worker_needed_since is None
    assert selectors.handovers_to_do(svc.actor(Role.COORDINATOR)) == []
    assert AuditEntry.objects.filter(object_id=str(second.pk), detail=Detail("peer_worker_back").stored).exists()


def test_taking_the_peer_worker_role_away_flags_the_caseload_as_leaving_does(svc):
    """Someone who stays on in another role (here a coordinator) no longer holds the people they supported."""
    admin = svc.actor(Role.ADMINISTRATOR)
    changing = svc.users[Role.PEER_WORKER]
    held = engage(svc, new_referral(svc, "Kari"), changing)
    account_services.add_role(admin, user_id=changing.pk, role=Role.COORDINATOR, unit=None)
    as_peer_worker = changing.memberships.get(organisation=svc.org, role=Role.PEER_WORKER)
    account_services.remove_role(admin, user_id=changing.pk, membership_id=as_peer_worker.pk)
    held.refresh_from_db()
    changing.refresh_from_db()
    assert changing.is_active and held.closed_on is None
    assert held.new_peer_worker_needed_since is not None
    assert [h.engagement.pk for h in selectors.handovers_to_do(svc.actor(Role.COORDINATOR))] == [held.pk]
    assert Notification.objects.filter(kind="caseload_to_hand_over", recipient=svc.users[Role.COORDINATOR]).exists()
    # Given the role back before anyone took over, the engagement is theirs again.
    account_services.add_role(admin, user_id=changing.pk, role=Role.PEER_WORKER, unit=None)
    held.refresh_from_db()
    assert held.new_peer_worker_needed_since is None
    assert selectors.handovers_to_do(svc.actor(Role.COORDINATOR)) == []
