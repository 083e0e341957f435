"""What the scheduled reminders and the coordinators' weekly digest count (numbers only, per organisation)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse

from peerwork.accounts.models import Membership
from peerwork.cocreation.models import Contribution
from peerwork.core import events
from peerwork.core.roles import Role
from peerwork.service import workload
from peerwork.service.models import Engagement, GuidanceRelationship, Referral
from peerwork.service.selectors import REVIEW_HORIZON_DAYS


def _holders(organisation_id: int, role: str) -> list[int]:
    return list(
        Membership.objects.filter(organisation_id=organisation_id, role=role, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )


def reviews_due(organisation_id: int, today: date) -> Counter[int]:
    """Open engagements due for a review within the horizon, counted per peer worker."""
    rows = Engagement.objects.filter(
        organisation_id=organisation_id,
        closed_on__isnull=True,
        next_review_on__lte=today + timedelta(days=REVIEW_HORIZON_DAYS),
    ).values_list("peer_worker_id", flat=True)
    return Counter(rows)


def guidance_overdue(organisation_id: int, today: date) -> set[int]:
    """The peer workers whose guidance is overdue (as the dashboard shows them)."""
    peer_workers = _holders(organisation_id, Role.PEER_WORKER)
    states = workload.guidance_states(organisation_id, peer_workers)
    limits = workload.settings_for(organisation_id)
    return {
        pid
        for pid in peer_workers
        if any(t.code == "guidance_overdue" for t in workload.guidance_topics(states.get(pid), today, limits))
    }


def send_reminders(organisation_id: int, today: date) -> int:
    """Reviews coming up (each peer worker their own, coordinators the total) and guidance overdue (each
    guide, for the peer workers they guide). Returns how many people were told."""
    told = 0
    due = reviews_due(organisation_id, today)
    for peer_worker_id, n in sorted(due.items()):
        events.emit(
            events.REVIEWS_DUE,
            organisation_id=organisation_id,
            recipients=[peer_worker_id],
            url=reverse("service:caseload"),
            engagements=n,
        )
        told += 1
    if due:
        coordinators = _holders(organisation_id, Role.COORDINATOR)
        events.emit(
            events.REVIEWS_DUE,
            organisation_id=organisation_id,
            recipients=coordinators,
            url=reverse("service:dashboard"),
            engagements=sum(due.values()),
        )
        told += len(coordinators)
    overdue = guidance_overdue(organisation_id, today)
    if overdue:
        guides = Counter(
            GuidanceRelationship.objects.filter(
                organisation_id=organisation_id, peer_worker_id__in=overdue, starts_on__lte=today
            )
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
            .values_list("guide_id", flat=True)
        )
        for guide_id, n in sorted(guides.items()):
            events.emit(
                events.GUIDANCE_OVERDUE,
                organisation_id=organisation_id,
                recipients=[guide_id],
                url=reverse("core:home"),
                peer_workers=n,
            )
            told += 1
    return told


def send_digest(organisation_id: int, today: date) -> int:
    coordinators = _holders(organisation_id, Role.COORDINATOR)
    if not coordinators:
        return 0
    events.emit(
        events.WEEKLY_DIGEST,
        organisation_id=organisation_id,
        recipients=coordinators,
        url=reverse("service:dashboard"),
        waiting=Referral.objects.filter(organisation_id=organisation_id, status=Referral.Status.WAITING).count(),
        reviews=sum(reviews_due(organisation_id, today).values()),
        guidance=len(guidance_overdue(organisation_id, today)),
        proposals=Contribution.objects.filter(
            organisation_id=organisation_id, outcome=Contribution.Outcome.PENDING
        ).count(),
    )
    return len(coordinators)
