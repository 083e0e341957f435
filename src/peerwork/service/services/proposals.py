"""Matching: proposing peer workers to a person, each peer worker's own answer, recording the person's
choice or refusal, and declared acquaintances (a flag both sides can waive, not a gate).

Every engagement starts here: a proposal from the referral page, an offer from the whole waiting list and a
handover to another peer worker all put peer workers to the person; each proposed peer worker accepts,
declines (no reason needed) or asks to talk first, and the person chooses among those who accepted.

Concurrency: the person's choice and a peer worker's answer both lock the referral and then the proposal
row, in that order, so a decline and a choice are applied one after the other; the choice then reads the
candidate's answer again under the lock and refuses anyone who is no longer "accepted". A proposal locks the
proposed peer workers' profiles (after the referral, in the order of their ids, so two proposals never wait
for each other in a circle) and only then counts their room, pending offers included: two coordinators
offering the last place of one peer worker to two people at once are applied one after the other, and the
second is told that the peer worker has no room left."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core import events
from peerwork.core.actor import Actor
from peerwork.core.roles import Role

from .. import candidates, matching_adapter
from ..models import (
    DeclaredConflict,
    Engagement,
    EngagementExtension,
    Goal,
    MatchProposal,
    PeerWorkerProfile,
    ProposedCandidate,
    Referral,
    ServiceUser,
)
from ._common import add_years, plan_inputs_changed, today, validate
from .engagements import (
    _lock_referral_then_engagement,
    close_for_handover,
    engagement_for_update,
    later_end_errors,
    past_typical_length,
    start_engagement,
)
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
    if "not_accepting" in codes:
        return _("%(name)s has no room for another engagement. Choose someone with room.") % values
    if "no_room" in codes:
        return (
            _(
                "%(name)s has no room for another engagement: their places are taken by engagements and by "
                "offers waiting for a person's choice (someone may just have offered their last place). "
                "Choose someone with room."
            )
            % values
        )
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
    reasons shown to the coordinator; hard limits are checked again here whatever the page sent. Each
    peer worker answers before the person is asked."""
    actor.require(Role.COORDINATOR)
    with transaction.atomic():
        referral = referral_for_update(actor, referral_id)
        return _propose(actor, referral, peer_worker_ids, ranking or {}, origin, None)


def _lock_peer_workers(organisation_id: int, ids: list[int]) -> None:
    """Lock the proposed peer workers' profiles (their capacity and availability) in the order of their ids,
    inside the caller's transaction, so room is counted by one proposal at a time. A peer worker without a
    profile has no room at all, so there is nothing to lock for them."""
    list(
        PeerWorkerProfile.objects.select_for_update()
        .filter(organisation_id=organisation_id, user_id__in=ids)
        .order_by("user_id")
        .values_list("pk", flat=True)
    )


def _propose(
    actor: Actor,
    referral: Referral,
    peer_worker_ids: list[int],
    ranking: Ranking,
    origin: str,
    handover_from: Engagement | None,
    planned_end_on: date | None = None,
    planned_end_reason: str = "",
) -> MatchProposal:
    ids = list(dict.fromkeys(int(i) for i in peer_worker_ids))
    if not 1 <= len(ids) <= 3:
        raise ValidationError({"peer_workers": _("Choose one, two or three peer workers to propose.")})
    if handover_from is not None:
        if MatchProposal.objects.filter(referral=referral, outcome=MatchProposal.Outcome.PENDING).exists():
            raise ValidationError(
                {"peer_workers": _("A handover is already proposed to this person. Record their decision first.")}
            )
        if handover_from.peer_worker_id in ids:
            raise ValidationError({"peer_workers": _("Choose a different peer worker to hand over to.")})
    elif referral.status != Referral.Status.WAITING:
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
    _lock_peer_workers(actor.organisation_id, ids)  # then count room: pending offers made meanwhile count too
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
    if handover_from is None:
        move_referral(referral, (Referral.Status.WAITING,), Referral.Status.PROPOSED)
    proposal = MatchProposal(
        organisation_id=actor.organisation_id,
        referral=referral,
        origin=origin,
        proposed_by=actor.user,
        handover_from=handover_from,
        planned_end_on=planned_end_on,
        planned_end_reason=planned_end_reason,
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
    plan_inputs_changed(actor.organisation_id)  # pending offers take room
    record(actor, Action.CREATE, proposal, subject=referral.service_user, detail=Detail("candidates", count=len(ids)))
    events.emit(
        events.PROPOSAL_WAITING,
        organisation_id=actor.organisation_id,
        recipients=ids,
        url=reverse("service:proposed_to_me"),
        by=actor.user.pk,
    )
    return proposal


def handover_plan_errors(planned_end_on: date | None, reason: str) -> dict[str, str]:
    """A handover's new planned end (optional): after today and plausible, and past the typical two years
    from the new start (today, when proposed) only with a reason — the rules of an extension."""
    if planned_end_on is None:
        return {}
    later = _("The new planned end must come after today. Leave it empty to keep the current planned end.")
    fields = {"end": "planned_end_on", "reason": "planned_end_reason"}
    found = later_end_errors(planned_end_on, after=today(), later=later, reason=reason, started_on=today())
    return {fields[key]: message for key, message in found}


def propose_handover(
    actor: Actor,
    *,
    engagement_id: int,
    peer_worker_ids: list[int],
    planned_end_on: date | None = None,
    planned_end_reason: str = "",
) -> MatchProposal:
    """A handover (a peer worker leaves, or the person wants a change) is a proposal like any other: the new
    peer workers answer, the person chooses, and only then does the old engagement close and the new one
    start with the history (``record_choice``). The old engagement runs on in the meantime.

    The coordinator may set a new plan with it: a planned end for the new engagement (empty keeps the old
    one). Past the typical two years from the new start it needs a reason, as an extension does; the peer
    workers see it when they answer and the person when they choose, and their acceptance and choice are
    the agreement the extension records."""
    actor.require(Role.COORDINATOR)
    planned_end_reason = (planned_end_reason or "").strip()
    if errors := handover_plan_errors(planned_end_on, planned_end_reason):
        raise ValidationError(errors)
    if planned_end_on is None:
        planned_end_reason = ""  # a reason belongs to a new plan
    with transaction.atomic():
        referral, old = _lock_referral_then_engagement(actor, engagement_id)
        if referral is None or old.referral_id != referral.pk:
            raise ValidationError(
                {"peer_workers": _("This engagement has no referral to hand over from. Make a new referral.")}
            )
        return _propose(
            actor,
            referral,
            peer_worker_ids,
            {},
            MatchProposal.Origin.HANDOVER,
            old,
            planned_end_on=planned_end_on,
            planned_end_reason=planned_end_reason,
        )


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


def _candidate_for_update(proposal: MatchProposal, peer_worker_id: int) -> ProposedCandidate | None:
    return (
        ProposedCandidate.objects.select_for_update().filter(proposal=proposal, peer_worker_id=peer_worker_id).first()
    )


def acquaintance(organisation_id: int, peer_worker_id: int, service_user_id: int) -> DeclaredConflict | None:
    return DeclaredConflict.objects.filter(
        organisation_id=organisation_id, profile__user_id=peer_worker_id, service_user_id=service_user_id
    ).first()


def answer(actor: Actor, *, proposal_id: int, answer: str, note: str = "") -> ProposedCandidate:
    """The proposed peer worker's own answer, before the person is asked: accept, decline (no reason
    needed) or ask to talk with the coordinator first. Until the person has chosen, the answer can be
    changed, an acceptance withdrawn included. When the peer worker has declared knowing the person
    privately, accepting records their waiver, with a note."""
    actor.require(Role.PEER_WORKER)
    note = (note or "").strip()
    if answer not in (
        ProposedCandidate.Answer.ACCEPTED,
        ProposedCandidate.Answer.DECLINED,
        ProposedCandidate.Answer.TALK,
    ):
        raise ValidationError({"answer": _("Choose whether you accept, decline or want to talk first.")})
    referral_id = (
        ProposedCandidate.objects.filter(
            organisation_id=actor.organisation_id, proposal_id=proposal_id, peer_worker=actor.user
        )
        .values_list("proposal__referral_id", flat=True)
        .first()
    )
    if referral_id is None:
        raise ValidationError({"proposal": _("This proposal was not made to you.")})
    with transaction.atomic():
        # Same lock order as recording the person's choice: the referral, then the proposal.
        referral = Referral.objects.select_for_update().select_related("service_user").get(pk=referral_id)
        proposal = MatchProposal.objects.select_for_update().get(pk=proposal_id)
        if proposal.outcome != MatchProposal.Outcome.PENDING:
            raise ValidationError(
                {"answer": _("The person has already decided about this proposal; your answer can no longer change.")}
            )
        candidate = _candidate_for_update(proposal, actor.user.pk)
        assert candidate is not None  # found above, and candidates are never deleted from a pending proposal
        known = acquaintance(actor.organisation_id, actor.user.pk, referral.service_user_id)
        if answer == ProposedCandidate.Answer.ACCEPTED and known is not None and known.peer_worker_waived_at is None:
            if not note:
                raise ValidationError(
                    {
                        "note": _(
                            "You have said you know this person privately. To accept, write a short note on why "
                            "working together is fine for you; the coordinator will also ask the person."
                        )
                    }
                )
            known.peer_worker_waiver_note = note
            known.peer_worker_waived_at = timezone.now()
            known.peer_worker_waived_by = actor.user
            validate(known)
            known.save(update_fields=["peer_worker_waiver_note", "peer_worker_waived_at", "peer_worker_waived_by"])
            record(
                actor, Action.UPDATE, known, subject=referral.service_user, detail=Detail("waived", side="peer_worker")
            )
            note = ""
        candidate.answer = answer
        candidate.answer_note = note
        candidate.answered_at = timezone.now()
        validate(candidate)
        candidate.save(update_fields=["answer", "answer_note", "answered_at"])
        plan_inputs_changed(actor.organisation_id)  # a declined offer holds no room
        record(actor, Action.UPDATE, candidate, subject=referral.service_user, detail=Detail("answer", answer=answer))
    return candidate


def record_choice(
    actor: Actor,
    *,
    proposal_id: int,
    peer_worker_id: int,
    started_on: date | None = None,
    frequency: str = Engagement.Frequency.WEEKLY,
) -> Engagement:
    """The person chose one of the peer workers who accepted: the engagement starts. For a handover, the
    old engagement closes on the same day and the new one keeps its history and open goals, and its planned
    end unless the handover set a new one; a new one past the typical two years is recorded as an extension
    agreed by the person (who chose) and the peer worker (who accepted), with the handover's reason."""
    actor.require(Role.COORDINATOR)
    started_on = started_on or today()
    with transaction.atomic():
        referral = referral_for_update(actor, _referral_id_of(actor, proposal_id))
        proposal = _pending_proposal(actor, proposal_id)
        candidate = _candidate_for_update(proposal, int(peer_worker_id))
        if candidate is None:
            raise ValidationError({"peer_worker": _("Choose one of the peer workers who were proposed.")})
        if candidate.answer != ProposedCandidate.Answer.ACCEPTED:
            raise ValidationError(
                {
                    "peer_worker": _(
                        "%(name)s has not accepted this proposal (or withdrew). "
                        "The person chooses among those who accepted."
                    )
                    % {"name": str(candidate.peer_worker)}
                }
            )
        old = proposal.handover_from
        if old is not None:
            old = engagement_for_update(actor, old.pk)
            if started_on < old.started_on:
                raise ValidationError({"started_on": _("The handover date is before the engagement started.")})
            _check_plan(proposal, started_on)
            close_for_handover(actor, old, started_on)
        else:
            move_referral(referral, (Referral.Status.PROPOSED,), Referral.Status.MATCHED)
        engagement = start_engagement(
            actor,
            referral.service_user,
            peer_worker_id=int(peer_worker_id),
            started_on=started_on,
            frequency=frequency if old is None else old.frequency,
            referral=referral,
            previous=old,
            planned_end_on=(proposal.planned_end_on or old.planned_end_on) if old is not None else None,
        )
        if old is not None:
            _record_plan(actor, proposal, engagement)
            Goal.objects.filter(engagement=old, achieved_on__isnull=True, closed_on__isnull=True).update(
                engagement=engagement
            )
            record(
                actor, Action.UPDATE, old, subject=old.service_user, detail=Detail("handover", engagement=engagement.pk)
            )
        proposal.outcome = MatchProposal.Outcome.CHOSEN
        proposal.chosen_id = int(peer_worker_id)
        proposal.decided_at = timezone.now()
        validate(proposal)
        proposal.save(update_fields=["outcome", "chosen", "decided_at"])
        plan_inputs_changed(actor.organisation_id)
        record(actor, Action.UPDATE, proposal, subject=referral.service_user, detail=Detail("chosen"))
    return engagement


def _check_plan(proposal: MatchProposal, started_on: date) -> None:
    """A handover's new plan, checked again for the day the new engagement starts."""
    end = proposal.planned_end_on
    if end is None:
        return
    if end <= started_on:
        raise ValidationError(
            {
                "started_on": _(
                    "The planned end set with the handover (%(date)s) is not after this start. "
                    "Withdraw the proposal and propose the handover again with a later end."
                )
                % {"date": date_format(end, "SHORT_DATE_FORMAT")}
            }
        )
    if past_typical_length(started_on, end) and not proposal.planned_end_reason:
        raise ValidationError(
            {
                "started_on": _(
                    "With this start, the planned end set with the handover (%(date)s) is more than two years "
                    "away, and no reason was given. Choose a later start, or withdraw the proposal and propose "
                    "the handover again with a reason."
                )
                % {"date": date_format(end, "SHORT_DATE_FORMAT")}
            }
        )


def _record_plan(actor: Actor, proposal: MatchProposal, engagement: Engagement) -> None:
    """A new plan past the typical length is an extension agreed when the person chose (inside the caller's
    transaction), so the engagement page and the organisation's figures show it like any other."""
    end = proposal.planned_end_on
    if end is None or not past_typical_length(engagement.started_on, end):
        return
    extension = EngagementExtension(
        organisation_id=actor.organisation_id,
        engagement=engagement,
        previous_end_on=add_years(engagement.started_on, Engagement.TYPICAL_YEARS),
        new_end_on=end,
        reason=proposal.planned_end_reason,
        person_agreed=True,
        peer_worker_agreed=True,
        agreed_on=today(),
        recorded_by=actor.user,
    )
    validate(extension)
    extension.save()
    record(actor, Action.CREATE, extension, subject=engagement.service_user)


def _end_proposal(actor: Actor, proposal_id: int, outcome: str, reason: str) -> MatchProposal:
    with transaction.atomic():
        referral = referral_for_update(actor, _referral_id_of(actor, proposal_id))
        proposal = _pending_proposal(actor, proposal_id)
        if proposal.handover_from_id is None:  # a handover leaves the current engagement as it is
            move_referral(referral, (Referral.Status.PROPOSED,), Referral.Status.WAITING)
        proposal.outcome = outcome
        proposal.refusal_reason = (reason or "").strip()
        proposal.decided_at = timezone.now()
        validate(proposal)
        proposal.save(update_fields=["outcome", "refusal_reason", "decided_at"])
        plan_inputs_changed(actor.organisation_id)  # its pending offers hold no room any more
        record(
            actor,
            Action.UPDATE,
            proposal,
            subject=referral.service_user,
            detail=Detail("proposal_outcome", outcome=outcome),
        )
    return proposal


def record_refusal(actor: Actor, *, proposal_id: int, reason: str = "") -> MatchProposal:
    """The person said no to everyone proposed: the referral goes back to the waiting list (after a
    handover proposal, the current engagement simply goes on)."""
    actor.require(Role.COORDINATOR)
    return _end_proposal(actor, proposal_id, MatchProposal.Outcome.REFUSED, reason)


def withdraw(actor: Actor, *, proposal_id: int) -> MatchProposal:
    """The coordinator takes the proposal back (for instance when no one accepted): the person goes back
    to the waiting list, and others can be proposed."""
    actor.require(Role.COORDINATOR)
    return _end_proposal(actor, proposal_id, MatchProposal.Outcome.WITHDRAWN, "")


def declare_conflict(actor: Actor, *, peer_worker_id: int, service_user_id: int) -> DeclaredConflict:
    """Record that a peer worker knows a person privately. A flag, not a gate: the coordinator is shown it
    when proposing, and both are asked before they can work together (``waive_acquaintance``)."""
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


WAIVER_SIDES = ("peer_worker", "person")


def waive_acquaintance(actor: Actor, *, conflict_id: int, side: str, note: str) -> DeclaredConflict:
    """Record that one side (the peer worker, or the person) is fine with working together although they
    know each other privately: who recorded it, when, and a note. The coordinator records either side
    (the person has no account); a peer worker records only their own."""
    note = (note or "").strip()
    errors = {}
    if side not in WAIVER_SIDES:
        errors["side"] = _("Choose whose answer you are recording.")
    if not note:
        errors["note"] = _("Write a short note on what was said.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        conflict = (
            DeclaredConflict.objects.select_for_update()
            .select_related("profile", "service_user")
            .filter(organisation_id=actor.organisation_id, pk=conflict_id)
            .first()
        )
        if conflict is None:
            raise ValidationError({"conflict": _("This declaration does not exist in your organisation.")})
        own = side == "peer_worker" and conflict.profile.user_id == actor.user.pk
        if not (actor.has(Role.COORDINATOR) or own):
            raise PermissionDenied
        now = timezone.now()
        if side == "peer_worker":
            conflict.peer_worker_waiver_note, conflict.peer_worker_waived_at = note, now
            conflict.peer_worker_waived_by = actor.user
            fields = ["peer_worker_waiver_note", "peer_worker_waived_at", "peer_worker_waived_by"]
        else:
            conflict.person_waiver_note, conflict.person_waived_at = note, now
            conflict.person_waived_by = actor.user
            fields = ["person_waiver_note", "person_waived_at", "person_waived_by"]
        validate(conflict)
        conflict.save(update_fields=fields)
        record(actor, Action.UPDATE, conflict, subject=conflict.service_user, detail=Detail("waived", side=side))
    return conflict
