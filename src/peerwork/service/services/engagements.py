"""Engagements: starting one (always from the person's choice among peer workers who accepted, see
``proposals``), reviews, closing, and closing for a handover."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core import events, validation
from peerwork.core.actor import Actor
from peerwork.core.roles import Role

from .. import access
from ..models import DeclaredConflict, Engagement, EngagementExtension, Referral, ServiceUser
from ..workload import settings_for
from ._common import add_years, plan_inputs_changed, today, validate
from .profiles import profile_for_update
from .referrals import referral_for_update


def start_engagement(
    actor: Actor,
    person: ServiceUser,
    *,
    peer_worker_id: int,
    started_on: date,
    frequency: str,
    referral: Referral | None = None,
    previous: Engagement | None = None,
    planned_end_on: date | None = None,
) -> Engagement:
    """Start an engagement inside the caller's transaction, within the peer worker's agreed capacity."""
    if started_on > today():
        raise ValidationError({"started_on": _("The start date cannot be in the future. Enter today or earlier.")})
    validation.plausible_dates(started_on=started_on)
    if frequency not in Engagement.Frequency.values:
        raise ValidationError({"frequency": _("Choose how often you agreed to meet.")})
    profile = profile_for_update(actor.organisation_id, peer_worker_id)  # locks: capacity is checked once
    active = Engagement.objects.filter(
        organisation_id=actor.organisation_id, peer_worker_id=peer_worker_id, closed_on__isnull=True
    ).count()
    if active >= profile.capacity:
        raise ValidationError(
            {
                "peer_worker": _(
                    "%(name)s already has %(active)d active engagements, which is their agreed capacity. "
                    "Choose another peer worker, or close an engagement first."
                )
                % {"name": str(profile.user), "active": active}
            }
        )
    known = DeclaredConflict.objects.filter(profile=profile, service_user=person).first()
    if known is not None and not known.waived:
        raise ValidationError(
            {
                "peer_worker": _(
                    "%(name)s knows this person privately. Ask both, and record that each is fine with it, "
                    "before they start."
                )
                % {"name": str(profile.user)}
            }
        )
    settings = settings_for(actor.organisation_id)
    # Peerwork default: the typical length sets the planned end unless one is given (a handover may set its own).
    end = planned_end_on or add_years(started_on, Engagement.TYPICAL_YEARS)
    if end <= started_on:
        raise ValidationError({"planned_end_on": _("The planned end must come after the start.")})
    validation.plausible_dates(planned_end_on=end)
    engagement = Engagement(
        organisation_id=actor.organisation_id,
        service_user=person,
        peer_worker_id=peer_worker_id,
        referral=referral,
        previous=previous,
        started_on=started_on,
        frequency=frequency,
        planned_end_on=end,
        next_review_on=started_on + timedelta(weeks=settings.review_every_weeks),
        created_by=actor.user,
    )
    validate(engagement)
    try:
        with transaction.atomic():
            engagement.save()
    except IntegrityError:
        raise ValidationError(
            {"peer_worker": _("This person already has an active engagement. Close or hand it over first.")}
        ) from None
    plan_inputs_changed(actor.organisation_id)
    record(actor, Action.CREATE, engagement, subject=person)
    events.emit(
        events.ENGAGEMENT_STARTED,
        organisation_id=actor.organisation_id,
        recipients=[peer_worker_id],
        url=reverse("service:engagement", args=[engagement.pk]),
        by=actor.user.pk,
    )
    return engagement


def engagement_for_update(actor: Actor, pk: int, *, open_only: bool = True) -> Engagement:
    """The engagement, locked, if the actor may see it; a closed one only when ``open_only`` is False."""
    found = (
        Engagement.objects.select_for_update()
        .select_related("service_user", "peer_worker")
        .filter(access.engagement_scope(actor), organisation_id=actor.organisation_id, pk=pk)
        .first()
    )
    if found is None:
        raise PermissionDenied
    if open_only and found.closed_on is not None:
        raise ValidationError(
            {
                "__all__": _(
                    "This engagement was closed on %(date)s and can no longer be changed. "
                    "If the person wants support again, make a new referral."
                )
                % {"date": found.closed_on.isoformat()}
            }
        )
    return found


def _lock_referral_then_engagement(actor: Actor, engagement_id: int) -> tuple[Referral | None, Engagement]:
    """Inside the caller's transaction: lock the engagement's referral (``None`` if it came without one),
    then the engagement, the order every write that touches both keeps (a handover, recording the choice,
    sending the person back to the waiting list)."""
    referral_id = (
        Engagement.objects.filter(organisation_id=actor.organisation_id, pk=engagement_id)
        .values_list("referral_id", flat=True)
        .first()
    )
    referral = referral_for_update(actor, referral_id) if referral_id else None
    return referral, engagement_for_update(actor, engagement_id)


def own_engagement_for_update(actor: Actor, pk: int) -> Engagement:
    """An open engagement of the actor's own (contacts and goals are the peer worker's to record)."""
    engagement = engagement_for_update(actor, pk)
    if engagement.peer_worker_id != actor.user.pk:
        raise PermissionDenied
    return engagement


def may_manage(actor: Actor, engagement: Engagement) -> None:
    """Reviews, closure and handover: coordinators, and the engagement's own peer worker."""
    if not (actor.has(Role.COORDINATOR) or engagement.peer_worker_id == actor.user.pk):
        raise PermissionDenied


def review_engagement(
    actor: Actor, *, engagement_id: int, held_on: date, next_review_on: date | None = None
) -> Engagement:
    """Record a review held; the next one is due after the organisation's interval unless a date is given."""
    with transaction.atomic():
        engagement = engagement_for_update(actor, engagement_id)
        may_manage(actor, engagement)
        errors = {}
        if held_on > today():
            errors["held_on"] = _("A review cannot be recorded for a future date.")
        if held_on < engagement.started_on:
            errors["held_on"] = _("The review date is before the engagement started.")
        if next_review_on is not None and next_review_on <= held_on:
            errors["next_review_on"] = _("The next review must come after this one.")
        if errors:
            raise ValidationError(errors)
        if next_review_on is None:
            next_review_on = held_on + timedelta(weeks=settings_for(actor.organisation_id).review_every_weeks)
        engagement.last_review_on = held_on
        engagement.next_review_on = min(next_review_on, engagement.planned_end_on)
        validate(engagement)
        engagement.save(update_fields=["last_review_on", "next_review_on"])
        record(actor, Action.UPDATE, engagement, subject=engagement.service_user, detail=Detail("review"))
    return engagement


def close_engagement(actor: Actor, *, engagement_id: int, closed_on: date, reason: str, words: str = "") -> Engagement:
    with transaction.atomic():
        engagement = engagement_for_update(actor, engagement_id)
        may_manage(actor, engagement)
        errors = {}
        if reason not in Engagement.ClosureReason.values or reason in (
            Engagement.ClosureReason.HANDOVER,
            Engagement.ClosureReason.BACK_TO_QUEUE,
        ):
            errors["reason"] = _("Choose why the engagement ends. For a handover, use “Hand over”.")
        if closed_on > today():
            errors["closed_on"] = _("The closing date cannot be in the future.")
        elif closed_on < engagement.started_on:
            errors["closed_on"] = _("The closing date is before the engagement started.")
        if errors:
            raise ValidationError(errors)
        _close(engagement, closed_on, reason, words, actor)
        record(
            actor,
            Action.UPDATE,
            engagement,
            subject=engagement.service_user,
            detail=Detail("closed_reason", reason=reason),
        )
    return engagement


def _close(engagement: Engagement, closed_on: date, reason: str, words: str, actor: Actor) -> None:
    engagement.closed_on = closed_on
    engagement.closure_reason = reason
    engagement.closure_words = (words or "").strip()
    engagement.closed_by = actor.user
    validate(engagement)
    engagement.save(update_fields=["closed_on", "closure_reason", "closure_words", "closed_by"])
    plan_inputs_changed(engagement.organisation_id)


def close_engagement_as(actor: Actor, engagement: Engagement, on: date, reason: str) -> None:
    """Close a locked engagement for ``reason`` inside the caller's transaction (the caller audits); a date
    before the start is moved to the start."""
    _close(engagement, max(on, engagement.started_on), reason, "", actor)


def close_for_handover(actor: Actor, engagement: Engagement, on: date) -> None:
    """Close a locked engagement because the person chose another peer worker (inside the caller's
    transaction; see ``proposals.record_choice``)."""
    _close(engagement, on, Engagement.ClosureReason.HANDOVER, "", actor)


def past_typical_length(started_on: date, end: date) -> bool:
    """Whether a planned end lies past the typical length (two years) from the start."""
    return end > add_years(started_on, Engagement.TYPICAL_YEARS)


def later_end_errors(
    end: object, *, after: date, later: str, reason: str, started_on: date | None = None
) -> list[tuple[str, str]]:
    """The rules of a later planned end, for an extension and for a handover's new plan alike: a date after
    ``after`` (message ``later``), within the plausible range, and the reason in plain words — always for an
    extension (no ``started_on``), and for a new plan only when it lies past the typical length from
    ``started_on``. Returns (``"end"`` or ``"reason"``, message) pairs."""
    errors = []
    if not isinstance(end, date) or end <= after:
        errors.append(("end", later))
    elif message := validation.date_error(end):
        errors.append(("end", message))
    needs_reason = started_on is None or (isinstance(end, date) and past_typical_length(started_on, end))
    if needs_reason and not (reason or "").strip():
        if started_on is None:
            errors.append(("reason", _("Write why the engagement goes on, in plain words.")))
        else:
            errors.append(
                (
                    "reason",
                    _(
                        "The new planned end is more than two years after the start. Write why the engagement "
                        "goes on that long, in plain words, as for any extension."
                    ),
                )
            )
    return errors


def extend_engagement(
    actor: Actor,
    *,
    engagement_id: int,
    new_end_on: date,
    reason: str,
    person_agreed: bool,
    peer_worker_agreed: bool,
    agreed_on: date,
) -> EngagementExtension:
    """Move the planned end later, past the typical two years too, when the person and the peer worker both
    agree; the reason is recorded in plain words with who agreed and when (coordinators and the engagement's
    own peer worker)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        engagement = engagement_for_update(actor, engagement_id)
        may_manage(actor, engagement)
        errors = {}
        if not person_agreed:
            errors["person_agreed"] = _("Ask the person first: the engagement goes on only if they agree.")
        if not peer_worker_agreed:
            errors["peer_worker_agreed"] = _("The peer worker must agree to go on as well.")
        later = _("The new planned end must come after the current one (%(date)s).") % {
            "date": date_format(engagement.planned_end_on, "SHORT_DATE_FORMAT")
        }
        for key, message in later_end_errors(new_end_on, after=engagement.planned_end_on, later=later, reason=reason):
            errors["new_end_on" if key == "end" else key] = message
        if agreed_on > today():
            errors["agreed_on"] = _("The date of the agreement cannot be in the future.")
        elif agreed_on < engagement.started_on:
            errors["agreed_on"] = _("The date of the agreement is before the engagement started.")
        if errors:
            raise ValidationError(errors)
        extension = EngagementExtension(
            organisation_id=actor.organisation_id,
            engagement=engagement,
            previous_end_on=engagement.planned_end_on,
            new_end_on=new_end_on,
            reason=reason,
            person_agreed=True,
            peer_worker_agreed=True,
            agreed_on=agreed_on,
            recorded_by=actor.user,
        )
        validate(extension)
        extension.save()
        engagement.planned_end_on = new_end_on
        validate(engagement)
        engagement.save(update_fields=["planned_end_on"])
        record(actor, Action.UPDATE, engagement, subject=engagement.service_user, detail=Detail("extended"))
    return extension
