"""Matching: proposing peer workers to a person, recording the person's choice or refusal, and declared
conflicts (a peer worker who knows the person privately is never proposed to them)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.audit.trail import Action, record
from peerwork.core.actor import Actor
from peerwork.core.roles import Role

from .. import candidates, matching_adapter
from ..models import DeclaredConflict, Engagement, MatchProposal, ProposedCandidate, Referral, ServiceUser
from ._common import today, validate
from .engagements import start_engagement
from .profiles import profile_for_update
from .referrals import move_referral, referral_for_update

Ranking = dict[int, tuple[float, list[dict[str, Any]]]]


def _limit_message(name: str, failed: list[dict[str, Any]]) -> str:
    codes = {f["code"] for f in failed}
    values = {"name": name}
    if "conflict" in codes:
        return _("%(name)s has declared that they know this person privately, so cannot be proposed.") % values
    if "on_hold" in codes:
        return _("%(name)s is new and not open to new people until profile and orientation are complete.") % values
    if "no_room" in codes or "not_accepting" in codes:
        return _("%(name)s has no room for another engagement. Choose someone with room.") % values
    return _("%(name)s does not meet the person's firm requirements. Choose someone who does.") % values


def propose(
    actor: Actor,
    *,
    referral_id: int,
    peer_worker_ids: list[int],
    ranking: Ranking | None = None,
    origin: str = MatchProposal.Origin.SINGLE,
) -> MatchProposal:
    """Put one to three peer workers to the person, in the order given. ``ranking`` holds the score and
    reasons shown to the coordinator; hard limits are checked again here whatever the page sent."""
    ids = list(dict.fromkeys(int(i) for i in peer_worker_ids))
    if not 1 <= len(ids) <= 3:
        raise ValidationError({"peer_workers": _("Choose one, two or three peer workers to propose.")})
    ranking = ranking or {}
    with transaction.atomic():
        referral = referral_for_update(actor, referral_id)
        if referral.status != Referral.Status.WAITING:
            if referral.status == Referral.Status.PROPOSED:
                raise ValidationError(
                    {
                        "peer_workers": _(
                            "Peer workers have already been proposed to this person. "
                            "Record the person's choice or refusal first."
                        )
                    }
                )
            raise ValidationError({"peer_workers": _("This referral is no longer waiting; nothing was proposed.")})
        found = {c.user.pk: c for c in candidates.load(actor.organisation_id, ids)}
        errors = []
        for pid in ids:
            cand = found.get(pid)
            if cand is None:
                errors.append(_("One of the chosen people is not a peer worker in your organisation."))
                continue
            failed = matching_adapter.unmet_limits(cand, referral)
            if failed:
                errors.append(_limit_message(str(cand.user), failed))
        if errors:
            raise ValidationError({"peer_workers": errors})
        move_referral(referral, (Referral.Status.WAITING,), Referral.Status.PROPOSED)
        proposal = MatchProposal(
            organisation_id=actor.organisation_id, referral=referral, origin=origin, proposed_by=actor.user
        )
        validate(proposal)
        proposal.save()
        rows = [
            ProposedCandidate(
                organisation_id=actor.organisation_id,
                proposal=proposal,
                peer_worker_id=pid,
                rank=rank,
                score=float(ranking.get(pid, (0.0, []))[0]),
                reasons=list(ranking.get(pid, (0.0, []))[1]),
            )
            for rank, pid in enumerate(ids, start=1)
        ]
        for row in rows:  # bulk_create skips the model's validation: each row is checked first
            validate(row)
        ProposedCandidate.objects.bulk_create(rows)
        record(actor, Action.CREATE, proposal, subject=referral.service_user, detail=f"candidates={len(ids)}")
    return proposal


def _referral_id_of(actor: Actor, proposal_id: int) -> int:
    found = (
        MatchProposal.objects.filter(organisation_id=actor.organisation_id, pk=proposal_id)
        .values_list("referral_id", flat=True)
        .first()
    )
    if found is None:
        raise ValidationError({"proposal": _("This proposal does not exist in your organisation.")})
    return found


def _pending_proposal(actor: Actor, proposal_id: int) -> MatchProposal:
    proposal = (
        MatchProposal.objects.select_for_update().filter(organisation_id=actor.organisation_id, pk=proposal_id).first()
    )
    if proposal is None:
        raise ValidationError({"proposal": _("This proposal does not exist in your organisation.")})
    if proposal.outcome != MatchProposal.Outcome.PENDING:
        raise ValidationError(
            {"proposal": _("The person's answer to this proposal was already recorded. Reload the page to see it.")}
        )
    return proposal


def record_choice(
    actor: Actor,
    *,
    proposal_id: int,
    peer_worker_id: int,
    started_on: date | None = None,
    frequency: str = Engagement.Frequency.WEEKLY,
) -> Engagement:
    """The person chose one of the proposed peer workers: the engagement starts."""
    actor.require(Role.COORDINATOR)
    started_on = started_on or today()
    with transaction.atomic():
        referral = referral_for_update(actor, _referral_id_of(actor, proposal_id))
        proposal = _pending_proposal(actor, proposal_id)
        if not proposal.candidates.filter(peer_worker_id=peer_worker_id).exists():
            raise ValidationError({"peer_worker": _("Choose one of the peer workers who were proposed.")})
        move_referral(referral, (Referral.Status.PROPOSED,), Referral.Status.MATCHED)
        engagement = start_engagement(
            actor,
            referral.service_user,
            peer_worker_id=peer_worker_id,
            started_on=started_on,
            frequency=frequency,
            referral=referral,
        )
        proposal.outcome = MatchProposal.Outcome.CHOSEN
        proposal.chosen_id = peer_worker_id
        proposal.decided_at = timezone.now()
        validate(proposal)
        proposal.save(update_fields=["outcome", "chosen", "decided_at"])
        record(actor, Action.UPDATE, proposal, subject=referral.service_user, detail="chosen")
    return engagement


def record_refusal(actor: Actor, *, proposal_id: int, reason: str = "") -> MatchProposal:
    """The person said no to everyone proposed: the referral goes back to the waiting list."""
    actor.require(Role.COORDINATOR)
    with transaction.atomic():
        referral = referral_for_update(actor, _referral_id_of(actor, proposal_id))
        proposal = _pending_proposal(actor, proposal_id)
        move_referral(referral, (Referral.Status.PROPOSED,), Referral.Status.WAITING)
        proposal.outcome = MatchProposal.Outcome.REFUSED
        proposal.refusal_reason = (reason or "").strip()
        proposal.decided_at = timezone.now()
        validate(proposal)
        proposal.save(update_fields=["outcome", "refusal_reason", "decided_at"])
        record(actor, Action.UPDATE, proposal, subject=referral.service_user, detail="refused")
    return proposal


def declare_conflict(actor: Actor, *, peer_worker_id: int, service_user_id: int) -> DeclaredConflict:
    """Record that a peer worker knows a person privately; matching will never propose them to that person."""
    actor.require(Role.COORDINATOR)
    with transaction.atomic():
        person = ServiceUser.objects.filter(organisation_id=actor.organisation_id, pk=service_user_id).first()
        if person is None:
            raise ValidationError({"service_user": _("This person is not registered in your organisation.")})
        profile = profile_for_update(actor.organisation_id, peer_worker_id)
        conflict, _created = DeclaredConflict.objects.get_or_create(
            organisation_id=actor.organisation_id,
            profile=profile,
            service_user=person,
            defaults={"declared_on": today()},
        )
        record(actor, Action.CREATE, conflict, subject=person)
    return conflict
