"""Every write of the peer recovery service.

Each function validates, raises ``ValidationError({field: message})`` with a message that says how to put
it right, runs in one transaction and records the audit entry in it: nothing is ever half-saved. Writes that
two coordinators might do at the same moment (proposing, recording a choice, closing a referral) change the
referral's status with a *conditional* UPDATE on the status it must have, under a row lock where the
database has one, so the second of two simultaneous attempts gets a clear message instead of a duplicate.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.audit.trail import Action, record
from peerwork.core import validation
from peerwork.core.actor import Actor
from peerwork.core.roles import Role

from . import access, candidates, matching_adapter
from .models import (
    Contact,
    DeclaredConflict,
    Engagement,
    Goal,
    GoalRating,
    GuidanceSession,
    LifeArea,
    MatchingSettings,
    MatchProposal,
    PeerWorkerProfile,
    ProposedCandidate,
    Referral,
    ServiceUser,
    Visibility,
    WorkloadSettings,
)
from .workload import outside_agreed_hours, settings_for

PERSON_FIELDS = (
    "chosen_name",
    "phone",
    "email",
    "birth_year",
    "languages",
    "municipality",
    "district",
    "gender",
    "help_with",
    "help_areas",
    "interests",
    "background",
    "services_used",
    "wishes",
)
REFERRAL_FIELDS = (
    "source",
    "referrer",
    "received_on",
    "wanted_experience",
    "needs_evenings",
    "needs_weekends",
)
FUTURE_SLACK = timedelta(minutes=5)


def _today() -> date:
    return timezone.localdate()


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _referral_for_update(actor: Actor, pk: int) -> Referral:
    actor.require(Role.COORDINATOR)
    found = (
        Referral.objects.select_for_update()
        .select_related("service_user")
        .filter(organisation_id=actor.organisation_id, pk=pk)
        .first()
    )
    if found is None:
        raise ValidationError({"referral": _("This referral does not exist in your organisation.")})
    return found


def _move_referral(referral: Referral, from_statuses: tuple[str, ...], to: str, reason: str = "") -> None:
    """Change the status only if it is still one of ``from_statuses``; else someone else was first."""
    moved = Referral.objects.filter(pk=referral.pk, status__in=from_statuses).update(
        status=to, status_reason=reason, status_changed_at=timezone.now()
    )
    if not moved:
        current = Referral.objects.filter(pk=referral.pk).values_list("status", flat=True).first()
        label = dict(Referral.Status.choices).get(current or "", current)
        raise ValidationError(
            {
                "referral": _(
                    "Someone else changed this referral a moment ago: it is now “%(status)s”. "
                    "Nothing was saved. Reload the page to see what was done."
                )
                % {"status": label}
            }
        )
    referral.status = to
    referral.status_reason = reason


# --- service users and referrals -------------------------------------------------------------------------


def _clean_person(values: dict[str, Any]) -> dict[str, Any]:
    out = {k: values[k] for k in PERSON_FIELDS if k in values}
    errors = {}
    if "chosen_name" in out:
        out["chosen_name"] = (out["chosen_name"] or "").strip()
        if not out["chosen_name"]:
            errors["chosen_name"] = _("Enter the name the person wants to be called; a first name is enough.")
    year = out.get("birth_year")
    if year is not None and not 1900 <= int(year) <= _today().year:
        errors["birth_year"] = _("Enter a year of birth between 1900 and this year, or leave it empty.")
    for key in ("languages", "help_areas", "interests", "background", "services_used"):
        if key in out:
            out[key] = sorted({str(v).strip().lower() for v in out[key] or [] if str(v).strip()})
    bad_areas = set(out.get("help_areas", [])) - set(LifeArea.values)
    if bad_areas:
        errors["help_areas"] = _("Choose life areas from the list.")
    if "wishes" in out:
        wishes = []
        for wish in out["wishes"] or []:
            if not isinstance(wish, dict) or not wish.get("kind") or wish.get("value") in (None, ""):
                errors["wishes"] = _("Each wish needs a kind and a value.")
                break
            wishes.append({"kind": str(wish["kind"]), "value": wish["value"], "firm": bool(wish.get("firm"))})
        out["wishes"] = wishes
    if errors:
        raise ValidationError(errors)
    return out


def create_referral(actor: Actor, *, person: dict[str, Any], referral: dict[str, Any]) -> Referral:
    """Register a new person and their referral in one step (coordinators)."""
    actor.require(Role.COORDINATOR)
    values = _clean_person(person)
    if "chosen_name" not in values:
        raise ValidationError({"chosen_name": _("Enter the name the person wants to be called.")})
    ref = {k: referral[k] for k in REFERRAL_FIELDS if k in referral}
    errors = {}
    if ref.get("source") not in Referral.Source.values:
        errors["source"] = _("Choose who referred the person.")
    received = ref.get("received_on") or _today()
    if received > _today():
        errors["received_on"] = _("The date received cannot be in the future. Enter today's date or earlier.")
    elif message := validation.date_error(received):
        errors["received_on"] = message
    if errors:
        raise ValidationError(errors)
    ref["received_on"] = received
    ref["wanted_experience"] = sorted(set(ref.get("wanted_experience") or []))
    su = ServiceUser(organisation_id=actor.organisation_id, created_by=actor.user, **values)
    validation.clean(su, exclude=["organisation", "created_by"])
    found = Referral(organisation_id=actor.organisation_id, created_by=actor.user, **ref)
    validation.clean(found, exclude=["organisation", "created_by", "service_user"])
    with transaction.atomic():
        su.save()
        found.service_user = su
        found.save()
        record(actor, Action.CREATE, su, subject=su)
        record(actor, Action.CREATE, found, subject=su)
    return found


def refer_again(actor: Actor, service_user_id: int, referral: dict[str, Any]) -> Referral:
    """A new referral for someone already known (e.g. after an earlier engagement closed)."""
    actor.require(Role.COORDINATOR)
    su = ServiceUser.objects.filter(organisation_id=actor.organisation_id, pk=service_user_id).first()
    if su is None:
        raise ValidationError({"service_user": _("This person is not registered in your organisation.")})
    ref = {k: referral[k] for k in REFERRAL_FIELDS if k in referral}
    ref.setdefault("received_on", _today())
    try:
        with transaction.atomic():
            found = Referral.objects.create(
                organisation_id=actor.organisation_id, service_user=su, created_by=actor.user, **ref
            )
            record(actor, Action.CREATE, found, subject=su)
    except IntegrityError:
        raise ValidationError(
            {"service_user": _("This person already has an open referral. Open that one instead.")}
        ) from None
    return found


def update_person(actor: Actor, service_user_id: int, values: dict[str, Any]) -> ServiceUser:
    actor.require(Role.COORDINATOR)
    cleaned = _clean_person(values)
    with transaction.atomic():
        su = (
            ServiceUser.objects.select_for_update()
            .filter(organisation_id=actor.organisation_id, pk=service_user_id, anonymised_at__isnull=True)
            .first()
        )
        if su is None:
            raise ValidationError({"service_user": _("This person is not registered in your organisation.")})
        for key, value in cleaned.items():
            setattr(su, key, value)
        validation.clean(su, exclude=["organisation", "created_by"])
        su.save(update_fields=list(cleaned))
        record(actor, Action.UPDATE, su, subject=su, detail="fields: " + ",".join(sorted(cleaned)))
    return su


def close_referral(actor: Actor, referral_id: int, status: str, reason: str) -> Referral:
    """Refer back or decline, with the reason (coordinators). A pending proposal is withdrawn."""
    if status not in (Referral.Status.REFERRED_BACK, Referral.Status.DECLINED):
        raise ValidationError({"status": _("Choose “refer back” or “decline”.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write the reason, so the referrer and the person know why.")})
    with transaction.atomic():
        referral = _referral_for_update(actor, referral_id)
        _move_referral(referral, Referral.OPEN, status, reason)
        MatchProposal.objects.filter(referral=referral, outcome=MatchProposal.Outcome.PENDING).update(
            outcome=MatchProposal.Outcome.WITHDRAWN, decided_at=timezone.now()
        )
        record(actor, Action.UPDATE, referral, subject=referral.service_user, detail=f"status={status}")
    return referral


# --- matching --------------------------------------------------------------------------------------------


def _limit_message(name: str, failed: list[dict[str, Any]]) -> str:
    codes = {f["code"] for f in failed}
    values = {"name": name}
    if "conflict" in codes:
        return _("%(name)s has declared that they know this person privately, so cannot be proposed.") % values
    if "no_room" in codes or "not_accepting" in codes:
        return _("%(name)s has no room for another engagement. Choose someone with room.") % values
    return _("%(name)s does not meet the person's firm requirements. Choose someone who does.") % values


def propose(
    actor: Actor,
    referral_id: int,
    peer_worker_ids: list[int],
    *,
    ranking: dict[int, tuple[float, list[dict[str, Any]]]] | None = None,
    origin: str = MatchProposal.Origin.SINGLE,
) -> MatchProposal:
    """Put one to three peer workers to the person, in the order given. ``ranking`` holds the score and
    reasons shown to the coordinator; hard limits are checked again here whatever the page sent."""
    ids = list(dict.fromkeys(int(i) for i in peer_worker_ids))
    if not 1 <= len(ids) <= 3:
        raise ValidationError({"peer_workers": _("Choose one, two or three peer workers to propose.")})
    ranking = ranking or {}
    with transaction.atomic():
        referral = _referral_for_update(actor, referral_id)
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
        _move_referral(referral, (Referral.Status.WAITING,), Referral.Status.PROPOSED)
        proposal = MatchProposal.objects.create(
            organisation_id=actor.organisation_id, referral=referral, origin=origin, proposed_by=actor.user
        )
        ProposedCandidate.objects.bulk_create(
            [
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
        )
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
    proposal_id: int,
    peer_worker_id: int,
    *,
    started_on: date | None = None,
    frequency: str = Engagement.Frequency.WEEKLY,
) -> Engagement:
    """The person chose one of the proposed peer workers: the engagement starts."""
    actor.require(Role.COORDINATOR)
    started_on = started_on or _today()
    with transaction.atomic():
        referral = _referral_for_update(actor, _referral_id_of(actor, proposal_id))
        proposal = _pending_proposal(actor, proposal_id)
        if not proposal.candidates.filter(peer_worker_id=peer_worker_id).exists():
            raise ValidationError({"peer_worker": _("Choose one of the peer workers who were proposed.")})
        _move_referral(referral, (Referral.Status.PROPOSED,), Referral.Status.MATCHED)
        engagement = _start_engagement(
            actor, referral.service_user, peer_worker_id, started_on, frequency, referral=referral
        )
        MatchProposal.objects.filter(pk=proposal.pk).update(
            outcome=MatchProposal.Outcome.CHOSEN, chosen_id=peer_worker_id, decided_at=timezone.now()
        )
        record(actor, Action.UPDATE, proposal, subject=referral.service_user, detail="chosen")
    return engagement


def record_refusal(actor: Actor, proposal_id: int, reason: str) -> MatchProposal:
    """The person said no to everyone proposed: the referral goes back to the waiting list."""
    actor.require(Role.COORDINATOR)
    with transaction.atomic():
        referral = _referral_for_update(actor, _referral_id_of(actor, proposal_id))
        proposal = _pending_proposal(actor, proposal_id)
        _move_referral(referral, (Referral.Status.PROPOSED,), Referral.Status.WAITING)
        MatchProposal.objects.filter(pk=proposal.pk).update(
            outcome=MatchProposal.Outcome.REFUSED,
            refusal_reason=(reason or "").strip(),
            decided_at=timezone.now(),
        )
        record(actor, Action.UPDATE, proposal, subject=referral.service_user, detail="refused")
    proposal.refresh_from_db()
    return proposal


def declare_conflict(actor: Actor, peer_worker_id: int, service_user_id: int) -> DeclaredConflict:
    """Record that a peer worker knows a person privately; matching will never propose them to that person."""
    actor.require(Role.COORDINATOR)
    with transaction.atomic():
        su = ServiceUser.objects.filter(organisation_id=actor.organisation_id, pk=service_user_id).first()
        if su is None:
            raise ValidationError({"service_user": _("This person is not registered in your organisation.")})
        profile = _profile_for_update(actor.organisation_id, peer_worker_id)
        conflict, _created = DeclaredConflict.objects.get_or_create(
            organisation_id=actor.organisation_id,
            profile=profile,
            service_user=su,
            defaults={"declared_on": _today()},
        )
        record(actor, Action.CREATE, conflict, subject=su)
    return conflict


# --- engagements -----------------------------------------------------------------------------------------


def _profile_for_update(organisation_id: int, user_id: int) -> PeerWorkerProfile:
    from peerwork.accounts.models import Membership

    if not Membership.objects.filter(organisation_id=organisation_id, user_id=user_id, role=Role.PEER_WORKER).exists():
        raise ValidationError({"peer_worker": _("Choose a peer worker in your organisation.")})
    PeerWorkerProfile.objects.get_or_create(organisation_id=organisation_id, user_id=user_id)
    return PeerWorkerProfile.objects.select_for_update().get(organisation_id=organisation_id, user_id=user_id)


def _start_engagement(
    actor: Actor,
    person: ServiceUser,
    peer_worker_id: int,
    started_on: date,
    frequency: str,
    *,
    referral: Referral | None = None,
    previous: Engagement | None = None,
    planned_end_on: date | None = None,
) -> Engagement:
    if started_on > _today():
        raise ValidationError({"started_on": _("The start date cannot be in the future. Enter today or earlier.")})
    validation.plausible_dates(started_on=started_on)
    if frequency not in Engagement.Frequency.values:
        raise ValidationError({"frequency": _("Choose how often you agreed to meet.")})
    profile = _profile_for_update(actor.organisation_id, peer_worker_id)  # locks: capacity is checked once
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
    if DeclaredConflict.objects.filter(profile=profile, service_user=person).exists():
        raise ValidationError({"peer_worker": _("This peer worker has declared that they know the person privately.")})
    settings = settings_for(actor.organisation_id)
    latest_end = add_years(started_on, Engagement.MAX_YEARS)
    end = min(planned_end_on or latest_end, latest_end)
    if end <= started_on:
        end = started_on + timedelta(days=1)
    try:
        with transaction.atomic():
            engagement = Engagement.objects.create(
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
    except IntegrityError:
        raise ValidationError(
            {"peer_worker": _("This person already has an active engagement. Close or hand it over first.")}
        ) from None
    record(actor, Action.CREATE, engagement, subject=person)
    return engagement


def _engagement_for_update(actor: Actor, pk: int, *, open_only: bool = True) -> Engagement:
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


def _may_manage(actor: Actor, engagement: Engagement) -> None:
    """Reviews, closure and handover: coordinators, and the engagement's own peer worker."""
    if not (actor.has(Role.COORDINATOR) or engagement.peer_worker_id == actor.user.pk):
        raise PermissionDenied


def review_engagement(actor: Actor, engagement_id: int, held_on: date, next_review_on: date | None) -> Engagement:
    with transaction.atomic():
        engagement = _engagement_for_update(actor, engagement_id)
        _may_manage(actor, engagement)
        errors = {}
        if held_on > _today():
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
        engagement.save(update_fields=["last_review_on", "next_review_on"])
        record(actor, Action.UPDATE, engagement, subject=engagement.service_user, detail="review")
    return engagement


def close_engagement(actor: Actor, engagement_id: int, *, closed_on: date, reason: str, words: str = "") -> Engagement:
    with transaction.atomic():
        engagement = _engagement_for_update(actor, engagement_id)
        _may_manage(actor, engagement)
        errors = {}
        if reason not in Engagement.ClosureReason.values or reason == Engagement.ClosureReason.HANDOVER:
            errors["reason"] = _("Choose why the engagement ends. For a handover, use “Hand over”.")
        if closed_on > _today():
            errors["closed_on"] = _("The closing date cannot be in the future.")
        elif closed_on < engagement.started_on:
            errors["closed_on"] = _("The closing date is before the engagement started.")
        if errors:
            raise ValidationError(errors)
        _close(engagement, closed_on, reason, words, actor)
        record(actor, Action.UPDATE, engagement, subject=engagement.service_user, detail=f"closed={reason}")
    return engagement


def _close(engagement: Engagement, closed_on: date, reason: str, words: str, actor: Actor) -> None:
    engagement.closed_on = closed_on
    engagement.closure_reason = reason
    engagement.closure_words = (words or "").strip()
    engagement.closed_by = actor.user
    engagement.save(update_fields=["closed_on", "closure_reason", "closure_words", "closed_by"])


def hand_over(actor: Actor, engagement_id: int, new_peer_worker_id: int, on: date | None = None) -> Engagement:
    """Close this engagement and start one with another peer worker that keeps the history (coordinators)."""
    actor.require(Role.COORDINATOR)
    on = on or _today()
    with transaction.atomic():
        old = _engagement_for_update(actor, engagement_id)
        if int(new_peer_worker_id) == old.peer_worker_id:
            raise ValidationError({"peer_worker": _("Choose a different peer worker to hand over to.")})
        if on < old.started_on:
            raise ValidationError({"on": _("The handover date is before the engagement started.")})
        _close(old, on, Engagement.ClosureReason.HANDOVER, "", actor)
        new = _start_engagement(
            actor,
            old.service_user,
            int(new_peer_worker_id),
            on,
            old.frequency,
            referral=old.referral,
            previous=old,
            planned_end_on=old.planned_end_on,
        )
        Goal.objects.filter(engagement=old, achieved_on__isnull=True, closed_on__isnull=True).update(engagement=new)
        record(actor, Action.UPDATE, old, subject=old.service_user, detail=f"handover to engagement {new.pk}")
    return new


# --- contacts --------------------------------------------------------------------------------------------


def _contact_values(values: dict[str, Any]) -> dict[str, Any]:
    errors = {}
    day = values.get("date")
    start = values.get("start_time")
    duration = values.get("duration_minutes")
    if not isinstance(day, date):
        errors["date"] = _("Enter the date of the contact.")
    if not isinstance(start, time):
        errors["start_time"] = _("Enter the time the contact started, for example 14:30.")
    if not isinstance(duration, int) or not 1 <= duration <= 1440:
        errors["duration_minutes"] = _("Enter how long it lasted in minutes, from 1 to 1440.")
    if values.get("channel") not in Contact.Channel.values:
        errors["channel"] = _("Choose how you were in contact.")
    if values.get("initiated_by") not in Contact.Initiator.values:
        errors["initiated_by"] = _("Choose who made contact.")
    if values.get("note_visibility", Visibility.PRIVATE) not in Visibility.values:
        errors["note_visibility"] = _("Choose who may read the note.")
    if isinstance(start, time) and start.tzinfo is not None:
        errors["start_time"] = _("Give the start time in local time, without a time zone, for example 14:30.")
    if isinstance(day, date) and (message := validation.date_error(day)):
        errors["date"] = message
    if errors:
        raise ValidationError(errors)
    assert isinstance(day, date) and isinstance(start, time)  # noqa: S101 (narrowing for type checkers)
    begins = timezone.make_aware(datetime.combine(day, start))
    if begins > timezone.now() + FUTURE_SLACK:
        raise ValidationError(
            {
                "date": _(
                    "This contact would start in the future. Log contacts after they happen; check the date and time."
                )
            }
        )
    return {
        "date": day,
        "start_time": start,
        "duration_minutes": duration,
        "channel": values["channel"],
        "initiated_by": values["initiated_by"],
        "note": (values.get("note") or "").strip(),
        "note_visibility": values.get("note_visibility") or Visibility.PRIVATE,
    }


def _check_overlap(organisation_id: int, peer_worker_id: int, v: dict[str, Any], exclude: int | None = None) -> None:
    begin = v["start_time"].hour * 60 + v["start_time"].minute
    end = begin + v["duration_minutes"]
    same_day = Contact.objects.filter(organisation_id=organisation_id, peer_worker_id=peer_worker_id, date=v["date"])
    if exclude:
        same_day = same_day.exclude(pk=exclude)
    for other_start, other_minutes in same_day.values_list("start_time", "duration_minutes"):
        o_begin = other_start.hour * 60 + other_start.minute
        if begin < o_begin + other_minutes and o_begin < end:
            o_end = o_begin + other_minutes
            raise ValidationError(
                {
                    "start_time": _(
                        "You already logged a contact from %(start)s to %(end)s that day. "
                        "Change the start time or the duration so they do not overlap."
                    )
                    % {
                        "start": f"{o_begin // 60:02d}:{o_begin % 60:02d}",
                        "end": f"{o_end // 60 % 24:02d}:{o_end % 60:02d}",
                    }
                }
            )


def add_contact(actor: Actor, engagement_id: int, values: dict[str, Any]) -> Contact:
    """The engagement's own peer worker logs a contact."""
    v = _contact_values(values)
    with transaction.atomic():
        engagement = _engagement_for_update(actor, engagement_id)
        if engagement.peer_worker_id != actor.user.pk:
            raise PermissionDenied
        if v["date"] < engagement.started_on:
            msg = _("The engagement started on %(date)s; a contact cannot be earlier.")
            raise ValidationError({"date": msg % {"date": engagement.started_on.isoformat()}})
        _check_overlap(actor.organisation_id, actor.user.pk, v)
        hours = (
            PeerWorkerProfile.objects.filter(organisation_id=actor.organisation_id, user=actor.user)
            .values_list("working_hours", flat=True)
            .first()
        )
        contact = Contact(
            organisation_id=actor.organisation_id,
            engagement=engagement,
            peer_worker=actor.user,
            outside_agreed_hours=outside_agreed_hours(hours, v["date"], v["start_time"], v["duration_minutes"]),
            **v,
        )
        validation.clean(contact, exclude=["organisation", "engagement", "peer_worker"])
        contact.save()
        record(actor, Action.CREATE, contact, subject=engagement.service_user)
    return contact


def update_contact(actor: Actor, contact_id: int, values: dict[str, Any]) -> Contact:
    v = _contact_values(values)
    with transaction.atomic():
        contact = (
            Contact.objects.select_for_update()
            .filter(organisation_id=actor.organisation_id, pk=contact_id, peer_worker=actor.user)
            .first()
        )
        if contact is None:
            raise PermissionDenied
        engagement = _engagement_for_update(actor, contact.engagement_id)
        _check_overlap(actor.organisation_id, actor.user.pk, v, exclude=contact.pk)
        hours = (
            PeerWorkerProfile.objects.filter(organisation_id=actor.organisation_id, user=actor.user)
            .values_list("working_hours", flat=True)
            .first()
        )
        for key, value in v.items():
            setattr(contact, key, value)
        contact.outside_agreed_hours = outside_agreed_hours(hours, v["date"], v["start_time"], v["duration_minutes"])
        validation.clean(contact, exclude=["organisation", "engagement", "peer_worker"])
        contact.save()
        record(actor, Action.UPDATE, contact, subject=engagement.service_user)
    return contact


# --- goals -------------------------------------------------------------------------------------------------


def add_goal(actor: Actor, engagement_id: int, *, life_area: str, words: str, visibility: str) -> Goal:
    errors = {}
    if life_area not in LifeArea.values:
        errors["life_area"] = _("Choose the life area the goal belongs to.")
    if not (words or "").strip():
        errors["words"] = _("Write the goal the way the person said it.")
    if visibility not in Visibility.values:
        errors["visibility"] = _("Choose who may read the goal.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        engagement = _engagement_for_update(actor, engagement_id)
        if engagement.peer_worker_id != actor.user.pk:
            raise PermissionDenied
        goal = Goal.objects.create(
            organisation_id=actor.organisation_id,
            service_user=engagement.service_user,
            engagement=engagement,
            life_area=life_area,
            words=words.strip(),
            visibility=visibility,
            created_by=actor.user,
        )
        record(actor, Action.CREATE, goal, subject=engagement.service_user)
    return goal


def _goal_for_update(actor: Actor, goal_id: int) -> tuple[Goal, Engagement]:
    goal = (
        Goal.objects.select_for_update()
        .select_related("service_user")
        .filter(organisation_id=actor.organisation_id, pk=goal_id)
        .first()
    )
    if goal is None or goal.engagement_id is None:
        raise PermissionDenied
    engagement = _engagement_for_update(actor, goal.engagement_id)
    if engagement.peer_worker_id != actor.user.pk:
        raise PermissionDenied
    if goal.visibility == Visibility.PRIVATE and goal.created_by_id != actor.user.pk:
        raise PermissionDenied
    return goal, engagement


def rate_goal(actor: Actor, goal_id: int, *, rating: int, rated_on: date | None = None) -> GoalRating:
    """Record the person's own rating (0–10). A second rating on the same day replaces the first."""
    rated_on = rated_on or _today()
    errors = {}
    if not isinstance(rating, int) or not 0 <= rating <= 10:
        errors["rating"] = _("Enter the person's own rating as a whole number from 0 to 10.")
    if rated_on > _today():
        errors["rated_on"] = _("A rating cannot be given for a future date.")
    elif message := validation.date_error(rated_on):
        errors["rated_on"] = message
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        goal, engagement = _goal_for_update(actor, goal_id)
        if goal.achieved_on or goal.closed_on:
            raise ValidationError({"rating": _("This goal is finished; add a new goal to rate progress again.")})
        found, _created = GoalRating.objects.update_or_create(
            goal=goal,
            rated_on=rated_on,
            defaults={"organisation_id": actor.organisation_id, "rating": rating, "recorded_by": actor.user},
        )
        record(actor, Action.CREATE, found, subject=goal.service_user)
    return found


def finish_goal(actor: Actor, goal_id: int, *, achieved: bool, on: date | None = None) -> Goal:
    on = on or _today()
    with transaction.atomic():
        goal, _engagement = _goal_for_update(actor, goal_id)
        if goal.achieved_on or goal.closed_on:
            raise ValidationError({"__all__": _("This goal is already finished.")})
        if achieved:
            goal.achieved_on = on
        else:
            goal.closed_on = on
        goal.save(update_fields=["achieved_on", "closed_on"])
        record(
            actor,
            Action.UPDATE,
            goal,
            subject=goal.service_user,
            detail="achieved" if achieved else "set aside",
        )
    return goal


# --- guidance ----------------------------------------------------------------------------------------------


def add_guidance(
    actor: Actor,
    peer_worker_id: int,
    *,
    held_on: date,
    topics: str,
    follow_ups: str = "",
    next_on: date | None = None,
    signals: list[dict[str, Any]] | None = None,
) -> GuidanceSession:
    """A coordinator or senior peer worker records a guidance session they held."""
    actor.require(*access.GUIDE_ROLES)
    if not access.may_see_peer_worker(actor, peer_worker_id) or peer_worker_id == actor.user.pk:
        raise PermissionDenied
    errors = {}
    if held_on > _today():
        errors["held_on"] = _("Record a session after it is held; the date cannot be in the future.")
    if next_on is not None and next_on <= held_on:
        errors["next_on"] = _("The next session must come after this one.")
    if not (topics or "").strip():
        errors["topics"] = _("Write at least one topic you talked about.")
    if errors:
        raise ValidationError(errors)
    from peerwork.accounts.models import Membership

    if not Membership.objects.filter(
        organisation_id=actor.organisation_id, user_id=peer_worker_id, role=Role.PEER_WORKER
    ).exists():
        raise ValidationError({"peer_worker": _("Choose a peer worker in your organisation.")})
    with transaction.atomic():
        session = GuidanceSession.objects.create(
            organisation_id=actor.organisation_id,
            peer_worker_id=peer_worker_id,
            guide=actor.user,
            held_on=held_on,
            topics=topics.strip(),
            follow_ups=(follow_ups or "").strip(),
            next_on=next_on,
            signals=signals or [],
        )
        record(actor, Action.CREATE, session, subject=session.peer_worker)
    return session


# --- profiles and settings ---------------------------------------------------------------------------------

OWN_PROFILE_FIELDS = (
    "experience_kinds",
    "services_used",
    "background",
    "interests",
    "languages",
    "districts",
    "birth_year",
    "gender",
    "evenings",
    "weekends",
)
AGREED_FIELDS = ("working_hours", "capacity", "accepting")


def _clean_hours(hours: Any) -> dict[str, list[list[str]]]:
    if not isinstance(hours, dict):
        raise ValidationError({"working_hours": _("Enter agreed hours per weekday, like 09:00–15:00.")})
    out: dict[str, list[list[str]]] = {}
    for day, spans in hours.items():
        if str(day) not in {str(i) for i in range(7)}:
            raise ValidationError({"working_hours": _("Weekdays are numbered 0 (Monday) to 6 (Sunday).")})
        cleaned = []
        for span in spans or []:
            try:
                lo, hi = str(span[0]), str(span[1])
                lo_t, hi_t = time.fromisoformat(lo), time.fromisoformat(hi)
            except (IndexError, ValueError, TypeError):
                raise ValidationError({"working_hours": _("Write each span as two times, like 09:00–15:00.")}) from None
            if hi_t <= lo_t:
                raise ValidationError({"working_hours": _("Each span must end after it starts.")})
            cleaned.append([lo_t.strftime("%H:%M"), hi_t.strftime("%H:%M")])
        if cleaned:
            out[str(day)] = cleaned
    return out


def save_profile(actor: Actor, peer_worker_id: int, values: dict[str, Any]) -> PeerWorkerProfile:
    """A peer worker edits their own self-declared profile; only a coordinator changes the agreed parts
    (working hours, capacity, open to new engagements), and may edit the rest when asked to."""
    own = peer_worker_id == actor.user.pk
    if not own:
        actor.require(Role.COORDINATOR)
    allowed = set(OWN_PROFILE_FIELDS)
    if actor.has(Role.COORDINATOR):
        allowed |= set(AGREED_FIELDS)
    changes = {k: v for k, v in values.items() if k in allowed}
    if "working_hours" in changes:
        changes["working_hours"] = _clean_hours(changes["working_hours"])
    if "capacity" in changes and not 0 <= int(changes["capacity"]) <= 30:
        raise ValidationError({"capacity": _("Capacity is a number of engagements from 0 to 30.")})
    year = changes.get("birth_year")
    if year is not None and not 1900 <= int(year) <= _today().year:
        raise ValidationError({"birth_year": _("Enter a year of birth between 1900 and this year, or leave it empty.")})
    for key in ("experience_kinds", "services_used", "background", "interests", "languages", "districts"):
        if key in changes:
            changes[key] = sorted({str(v).strip().lower() for v in changes[key] or [] if str(v).strip()})
    with transaction.atomic():
        profile = _profile_for_update(actor.organisation_id, peer_worker_id)
        for key, value in changes.items():
            setattr(profile, key, value)
        profile.save()
        record(actor, Action.UPDATE, profile, subject=profile.user, detail="fields: " + ",".join(sorted(changes)))
    return profile


def save_workload_settings(actor: Actor, values: dict[str, Any]) -> WorkloadSettings:
    actor.require(*access.SETTINGS_ROLES)
    with transaction.atomic():
        found, _created = WorkloadSettings.objects.get_or_create(organisation_id=actor.organisation_id)
        for field in (f.name for f in WorkloadSettings._meta.fields):
            if field in values and field not in ("id", "organisation", "updated_at"):
                setattr(found, field, values[field])
        try:
            with transaction.atomic():
                found.save()
        except IntegrityError:
            raise ValidationError(
                {"__all__": _("Every threshold must be above zero; a share is at most 100%.")}
            ) from None
        record(actor, Action.UPDATE, found)
    return found


def save_matching_settings(actor: Actor, values: dict[str, Any]) -> MatchingSettings:
    actor.require(*access.SETTINGS_ROLES)
    with transaction.atomic():
        found, _created = MatchingSettings.objects.get_or_create(organisation_id=actor.organisation_id)
        for field in (f.name for f in MatchingSettings._meta.fields):
            if field in values and field not in ("id", "organisation", "updated_at"):
                if float(values[field]) < 0:
                    raise ValidationError({field: _("A weight cannot be negative; use 0 to switch a factor off.")})
                setattr(found, field, float(values[field]))
        found.save()
        record(actor, Action.UPDATE, found)
    return found
