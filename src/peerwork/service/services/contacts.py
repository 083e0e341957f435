"""Contacts: the engagement's own peer worker logs each contact after it happened, and may correct it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.accounts.models import User
from peerwork.audit.trail import Action, record
from peerwork.core import validation
from peerwork.core.actor import Actor
from peerwork.core.roles import Role

from ..models import Contact, ContactAgreement, PeerWorkerProfile, StrainAction, Visibility
from ..workload import outside_agreed_hours
from ._common import validate
from .engagements import engagement_for_update, may_manage, own_engagement_for_update

# A contact logged "now" may start a few minutes ahead of the server's clock.
FUTURE_SLACK = dt.timedelta(minutes=5)


def _contact_values(
    *,
    date: Any,
    start_time: Any,
    duration_minutes: Any,
    channel: str,
    initiated_by: str,
    note: str,
    note_visibility: str,
    kind: str = Contact.Kind.CONTACT,
) -> dict[str, Any]:
    """Check one contact's values; the messages say how to put each right."""
    errors = {}
    if kind not in Contact.Kind.values:
        errors["kind"] = _("Choose what happened: a contact, a try without an answer, or a call not taken.")
    elif kind != Contact.Kind.CONTACT:
        duration_minutes = 1  # an attempt: its moment counts, not its length
    if not isinstance(date, dt.date):
        errors["date"] = _("Enter the date of the contact.")
    if not isinstance(start_time, dt.time):
        errors["start_time"] = _("Enter the time the contact started, for example 14:30.")
    if not isinstance(duration_minutes, int) or not 1 <= duration_minutes <= 1440:
        errors["duration_minutes"] = _("Enter how long it lasted in minutes, from 1 to 1440.")
    if channel not in Contact.Channel.values:
        errors["channel"] = _("Choose how you were in contact.")
    if initiated_by not in Contact.Initiator.values:
        errors["initiated_by"] = _("Choose who made contact.")
    if note_visibility not in Visibility.values:
        errors["note_visibility"] = _("Choose who may read the note.")
    if isinstance(start_time, dt.time) and start_time.tzinfo is not None:
        errors["start_time"] = _("Give the start time in local time, without a time zone, for example 14:30.")
    if isinstance(date, dt.date) and (message := validation.date_error(date)):
        errors["date"] = message
    if errors:
        raise ValidationError(errors)
    begins = timezone.make_aware(dt.datetime.combine(date, start_time))
    if begins > timezone.now() + FUTURE_SLACK:
        raise ValidationError(
            {
                "date": _(
                    "This contact would start in the future. Log contacts after they happen; check the date and time."
                )
            }
        )
    return {
        "date": date,
        "start_time": start_time,
        "duration_minutes": duration_minutes,
        "channel": channel,
        "initiated_by": initiated_by,
        "note": (note or "").strip(),
        "note_visibility": note_visibility,
        "kind": kind,
    }


def _check_overlap(organisation_id: int, peer_worker_id: int, v: dict[str, Any], exclude: int | None = None) -> None:
    begin = v["start_time"].hour * 60 + v["start_time"].minute
    end = begin + v["duration_minutes"]
    if v["kind"] != Contact.Kind.CONTACT:
        return  # a try or a missed call may fall during another contact
    same_day = Contact.objects.filter(
        organisation_id=organisation_id, peer_worker_id=peer_worker_id, date=v["date"], kind=Contact.Kind.CONTACT
    )
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


def _outside_agreed_hours(actor: Actor, v: dict[str, Any]) -> bool:
    hours = (
        PeerWorkerProfile.objects.filter(organisation_id=actor.organisation_id, user=actor.user)
        .values_list("working_hours", flat=True)
        .first()
    )
    return outside_agreed_hours(hours, v["date"], v["start_time"], v["duration_minutes"])


def add_contact(
    actor: Actor,
    *,
    engagement_id: int,
    date: dt.date,
    start_time: dt.time,
    duration_minutes: int,
    channel: str,
    initiated_by: str,
    note: str = "",
    note_visibility: str = Visibility.PRIVATE,
    kind: str = Contact.Kind.CONTACT,
) -> Contact:
    """The engagement's own peer worker logs a contact."""
    v = _contact_values(
        date=date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        channel=channel,
        initiated_by=initiated_by,
        note=note,
        note_visibility=note_visibility,
        kind=kind,
    )
    with transaction.atomic():
        engagement = own_engagement_for_update(actor, engagement_id)
        if v["date"] < engagement.started_on:
            msg = _("The engagement started on %(date)s; a contact cannot be earlier.")
            raise ValidationError({"date": msg % {"date": engagement.started_on.isoformat()}})
        _check_overlap(actor.organisation_id, actor.user.pk, v)
        contact = Contact(
            organisation_id=actor.organisation_id,
            engagement=engagement,
            peer_worker=actor.user,
            outside_agreed_hours=_outside_agreed_hours(actor, v),
            **v,
        )
        validate(contact)
        contact.save()
        record(actor, Action.CREATE, contact, subject=engagement.service_user)
    return contact


def update_contact(
    actor: Actor,
    *,
    contact_id: int,
    date: dt.date,
    start_time: dt.time,
    duration_minutes: int,
    channel: str,
    initiated_by: str,
    note: str = "",
    note_visibility: str = Visibility.PRIVATE,
    kind: str = Contact.Kind.CONTACT,
) -> Contact:
    """The contact's author corrects it."""
    v = _contact_values(
        date=date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        channel=channel,
        initiated_by=initiated_by,
        note=note,
        note_visibility=note_visibility,
        kind=kind,
    )
    with transaction.atomic():
        contact = (
            Contact.objects.select_for_update()
            .filter(organisation_id=actor.organisation_id, pk=contact_id, peer_worker=actor.user)
            .first()
        )
        if contact is None:
            raise PermissionDenied
        engagement = engagement_for_update(actor, contact.engagement_id)
        _check_overlap(actor.organisation_id, actor.user.pk, v, exclude=contact.pk)
        for key, value in v.items():
            setattr(contact, key, value)
        contact.outside_agreed_hours = _outside_agreed_hours(actor, v)
        validate(contact)
        contact.save()
        record(actor, Action.UPDATE, contact, subject=engagement.service_user)
    return contact


def _agreement_values(
    *,
    channels: Any,
    days: Any,
    hours_from: Any,
    hours_until: Any,
    out_of_hours: str,
    crisis: str,
    agreed_on: Any,
) -> dict[str, Any]:
    errors = {}
    channels = list(dict.fromkeys(channels or []))
    days = list(days or [])
    valid_days = all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6 for d in days)
    days = sorted(set(days)) if valid_days else days
    if not channels or any(c not in Contact.Channel.values for c in channels):
        errors["channels"] = _("Choose at least one way of contact the person prefers.")
    if not days or not valid_days:
        errors["days"] = _("Choose the days you agreed to be in touch.")
    if not isinstance(hours_from, dt.time):
        errors["hours_from"] = _("Enter the time from which contact is agreed, for example 09:00.")
    if not isinstance(hours_until, dt.time):
        errors["hours_until"] = _("Enter the time until which contact is agreed, for example 16:00.")
    elif isinstance(hours_from, dt.time) and hours_until <= hours_from:
        errors["hours_until"] = _("The agreed hours must end after they begin.")
    if not (out_of_hours or "").strip():
        errors["out_of_hours"] = _("Write what happens when the person reaches out out of hours.")
    if not (crisis or "").strip():
        errors["crisis"] = _("Write whom the person calls in a crisis instead.")
    if not isinstance(agreed_on, dt.date):
        errors["agreed_on"] = _("Enter the date you made the agreement with the person.")
    elif agreed_on > timezone.localdate():
        errors["agreed_on"] = _("The date of the agreement cannot be in the future.")
    elif message := validation.date_error(agreed_on):
        errors["agreed_on"] = message
    if errors:
        raise ValidationError(errors)
    return {
        "channels": channels,
        "days": days,
        "hours_from": hours_from,
        "hours_until": hours_until,
        "out_of_hours": out_of_hours.strip(),
        "crisis": crisis.strip(),
        "agreed_on": agreed_on,
    }


def save_agreement(actor: Actor, *, engagement_id: int, **values: Any) -> ContactAgreement:
    """Make or look again at the engagement's contact agreement, made with the person (coordinators and the
    engagement's own peer worker). Saving it again counts as having looked at it with the person."""
    v = _agreement_values(**values)
    with transaction.atomic():
        engagement = engagement_for_update(actor, engagement_id)
        may_manage(actor, engagement)
        agreement = ContactAgreement.objects.filter(engagement=engagement).first()
        created = agreement is None
        if agreement is None:
            agreement = ContactAgreement(organisation_id=actor.organisation_id, engagement=engagement)
        else:
            agreement.reviewed_on = timezone.localdate()
        for key, value in v.items():
            setattr(agreement, key, value)
        agreement.updated_by = actor.user
        validate(agreement)
        agreement.save()
        record(
            actor,
            Action.CREATE if created else Action.UPDATE,
            agreement,
            subject=engagement.service_user,
        )
    return agreement


def record_strain_action(
    actor: Actor,
    *,
    peer_worker_id: int,
    topic: str,
    action: str,
    engagement_id: int | None = None,
    taken_on: dt.date | None = None,
) -> StrainAction:
    """A coordinator records what they did about a strain topic, from a fixed list."""
    actor.require(Role.COORDINATOR)
    errors = {}
    if action not in StrainAction.Action.values:
        errors["action"] = _("Choose what was done.")
    if not topic or len(topic) > 40 or not topic.replace("_", "").isalpha():
        errors["topic"] = _("Choose the topic this is about.")
    taken_on = taken_on or timezone.localdate()
    if taken_on > timezone.localdate():
        errors["taken_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        worker = User.objects.filter(
            pk=peer_worker_id,
            memberships__organisation_id=actor.organisation_id,
            memberships__role=Role.PEER_WORKER,
        ).first()
        if worker is None:
            raise PermissionDenied
        engagement = None
        if engagement_id is not None:
            engagement = engagement_for_update(actor, engagement_id, open_only=False)
            if engagement.peer_worker_id != worker.pk:
                raise ValidationError({"engagement": _("This engagement is not the peer worker's.")})
        found = StrainAction(
            organisation_id=actor.organisation_id,
            peer_worker=worker,
            engagement=engagement,
            topic=topic,
            action=action,
            taken_on=taken_on,
            recorded_by=actor.user,
        )
        validate(found)
        found.save()
        record(actor, Action.CREATE, found, subject=engagement.service_user if engagement else worker)
    return found
