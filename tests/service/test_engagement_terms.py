"""The planned end is a review point: extensions agreed by both, with a reason; handover with a new plan."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.service import selectors, services
from peerwork.service.models import Engagement, EngagementExtension

from .conftest import actor_for, add_peer_worker, engage, new_referral


def _extend(actor, engagement, **over):
    values = {
        "engagement_id": engagement.pk,
        "new_end_on": engagement.planned_end_on + timedelta(days=365),
        "reason": "Wants support through the move to a new flat",
        "person_agreed": True,
        "peer_worker_agreed": True,
        "agreed_on": timezone.localdate(),
    }
    values.update(over)
    return services.engagements.extend_engagement(actor, **values)


def test_extension_past_two_years_is_recorded_with_who_agreed_when_and_why(svc):
    coordinator = svc.actor(Role.COORDINATOR)
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    before = engagement.planned_end_on
    new_end = engagement.started_on + timedelta(days=3 * 365)
    extension = _extend(coordinator, engagement, new_end_on=new_end)
    engagement.refresh_from_db()
    assert engagement.planned_end_on == new_end
    assert extension.previous_end_on == before and extension.new_end_on == new_end
    assert extension.person_agreed and extension.peer_worker_agreed
    assert extension.reason == "Wants support through the move to a new flat"
    assert extension.recorded_by_id == coordinator.user.pk and extension.agreed_on == timezone.localdate()
    assert AuditEntry.objects.filter(object_id=str(engagement.pk), detail="extended").count() == 1
    # the own peer worker may extend again, later still
    _extend(svc.actor(Role.PEER_WORKER), engagement, new_end_on=new_end + timedelta(days=100))
    assert EngagementExtension.objects.filter(engagement=engagement).count() == 2


@pytest.mark.parametrize(
    ("field", "over"),
    [
        ("person_agreed", {"person_agreed": False}),
        ("peer_worker_agreed", {"peer_worker_agreed": False}),
        ("reason", {"reason": "   "}),
        ("new_end_on", {"new_end_on": date(2020, 1, 1)}),
        ("agreed_on", {"agreed_on": timezone.localdate() + timedelta(days=2)}),
    ],
)
def test_extension_needs_both_agreements_a_reason_and_a_later_end(svc, field, over):
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    with pytest.raises(ValidationError) as caught:
        _extend(svc.actor(Role.COORDINATOR), engagement, **over)
    assert field in caught.value.message_dict
    assert not EngagementExtension.objects.exists()
    engagement.refresh_from_db()
    assert engagement.planned_end_on == Engagement.objects.get(pk=engagement.pk).planned_end_on


def test_only_coordinators_and_the_own_peer_worker_extend(svc):
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    other = add_peer_worker(svc, "pw-other")
    with pytest.raises(PermissionDenied):
        _extend(actor_for(other, svc.org), engagement)


def test_handover_can_set_a_new_planned_end_and_keeps_the_old_one_by_default(svc):
    coordinator = svc.actor(Role.COORDINATOR)
    pw = svc.users[Role.PEER_WORKER]
    b, c = add_peer_worker(svc, "pw-b"), add_peer_worker(svc, "pw-c")
    engagement = engage(svc, new_referral(svc), pw)
    kept = services.engagements.hand_over(coordinator, engagement_id=engagement.pk, peer_worker=b.pk)
    assert kept.planned_end_on == engagement.planned_end_on
    later = kept.started_on + timedelta(days=3 * 365)
    moved = services.engagements.hand_over(coordinator, engagement_id=kept.pk, peer_worker=c.pk, planned_end_on=later)
    assert moved.planned_end_on == later
    with pytest.raises(ValidationError) as caught:
        services.engagements.hand_over(
            coordinator, engagement_id=moved.pk, peer_worker=b.pk, planned_end_on=moved.started_on
        )
    assert "planned_end_on" in caught.value.message_dict


def test_length_figures_count_engagements_past_the_typical_two_years(svc):
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    figures = selectors.length_figures(svc.org.pk)
    assert (figures.years, figures.total, figures.ran_past, figures.planned_past, figures.extended) == (2, 1, 0, 0, 0)
    _extend(svc.actor(Role.COORDINATOR), engagement, new_end_on=engagement.started_on + timedelta(days=900))
    figures = selectors.length_figures(svc.org.pk)
    assert (figures.ran_past, figures.planned_past, figures.extended) == (0, 1, 1)
    Engagement.objects.filter(pk=engagement.pk).update(started_on=timezone.localdate() - timedelta(days=800))
    figures = selectors.length_figures(svc.org.pk)
    assert (figures.ran_past, figures.planned_past) == (1, 0)
