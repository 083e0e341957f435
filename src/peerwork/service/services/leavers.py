"""A peer worker leaves: their open engagements need a new peer worker.

Switching a person off is never held up by their caseload (they lose access at once); instead each open
engagement of theirs is flagged, the coordinators are told, and the dashboard lists it as a handover to do.
For each, a coordinator either proposes a new peer worker (``proposals.propose_handover``: the new peer
worker accepts, the person chooses, and only then does the engagement pass on) or sends the person back to
the waiting list (``back_to_queue``), where their referral keeps the day it was received, so the time they
have already waited still counts.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.accounts.models import Membership
from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core import events
from peerwork.core.actor import Actor
from peerwork.core.roles import Role

from ..models import Engagement, MatchProposal, Referral
from ._common import today
from .engagements import _lock_referral_then_engagement, close_engagement_as
from .referrals import move_referral, new_referral_for


def flag_caseload(actor: Actor, peer_worker_id: int) -> int:
    """Inside the switch-off's transaction: flag each open engagement of the leaving peer worker as needing a
    new peer worker, and tell the organisation's coordinators. Returns how many were flagged."""
    flagged = _set_handover_flag(actor, peer_worker_id, timezone.now())
    if flagged:
        coordinators = Membership.objects.filter(
            organisation_id=actor.organisation_id, role=Role.COORDINATOR, user__is_active=True
        ).values_list("user_id", flat=True)
        events.emit(
            events.CASELOAD_TO_HAND_OVER,
            organisation_id=actor.organisation_id,
            recipients=list(coordinators),
            url=reverse("service:dashboard") + "#handovers",
            by=actor.user.pk,
            engagements=flagged,
        )
    return flagged


def unflag_caseload(actor: Actor, peer_worker_id: int) -> int:
    """Inside the switch-on's transaction: the peer worker is back (switched off by mistake, or returned), so
    their engagements still open are theirs again and leave the coordinators' list. A new peer worker already
    proposed stays proposed: the coordinator withdraws that proposal if it is no longer wanted."""
    return _set_handover_flag(actor, peer_worker_id, None)


def _set_handover_flag(actor: Actor, peer_worker_id: int, since: datetime | None) -> int:
    """Lock the peer worker's open engagements whose flag is the other way and set it: ``since`` flags them
    as needing a new peer worker from then, ``None`` clears the flag. Returns how many changed."""
    changing = list(
        Engagement.objects.select_for_update()
        .select_related("service_user")
        .filter(
            organisation_id=actor.organisation_id,
            peer_worker_id=peer_worker_id,
            closed_on__isnull=True,
            new_peer_worker_needed_since__isnull=since is not None,
        )
        .order_by("pk")
    )
    detail = Detail("new_peer_worker_needed") if since is not None else Detail("peer_worker_back")
    for engagement in changing:
        engagement.new_peer_worker_needed_since = since
        engagement.save(update_fields=["new_peer_worker_needed_since"])
        record(actor, Action.UPDATE, engagement, subject=engagement.service_user, detail=detail)
    return len(changing)


def back_to_queue(actor: Actor, *, engagement_id: int, reason: str) -> Referral:
    """End the engagement (its peer worker has left, or no one can take it over) and put the person back on
    the waiting list: their referral opens again with the day it was received, so the time already waited
    counts; a person who came without a referral gets a new one. The reason, in plain words, is kept on the
    referral for whoever proposes next."""
    actor.require(Role.COORDINATOR)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": _(
                    "Write why the person goes back to the waiting list, for example that their peer worker left."
                )
            }
        )
    with transaction.atomic():
        referral, engagement = _lock_referral_then_engagement(actor, engagement_id)
        if MatchProposal.objects.filter(handover_from=engagement, outcome=MatchProposal.Outcome.PENDING).exists():
            raise ValidationError(
                {
                    "reason": _(
                        "A new peer worker is already proposed for this engagement. Record the person's choice, "
                        "or withdraw the proposal on the referral page first."
                    )
                }
            )
        close_engagement_as(actor, engagement, today(), Engagement.ClosureReason.BACK_TO_QUEUE)
        record(
            actor,
            Action.UPDATE,
            engagement,
            subject=engagement.service_user,
            detail=Detail("closed_reason", reason="back_to_queue"),
        )
        person = engagement.service_user
        already_open = (
            Referral.objects.filter(service_user=person, status__in=Referral.OPEN).order_by("received_on").first()
        )
        if already_open is not None:
            return already_open
        if referral is not None and referral.status == Referral.Status.MATCHED:
            move_referral(referral, (Referral.Status.MATCHED,), Referral.Status.WAITING, reason)
            record(actor, Action.UPDATE, referral, subject=person, detail=Detail("referral_status", status="waiting"))
            return referral
        found = new_referral_for(actor, person, reason=reason, like=referral)
        record(actor, Action.CREATE, found, subject=person, detail=Detail("referral_status", status="waiting"))
        return found
