"""Contacts: the engagement's own peer worker logs each contact after it happened, and may correct it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.audit.trail import Action, record
from peerwork.core import validation
from peerwork.core.actor import Actor

from ..models import Contact, PeerWorkerProfile, Visibility
from ..workload import outside_agreed_hours
from ._common import validate
from .engagements import engagement_for_update, own_engagement_for_update

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
) -> dict[str, Any]:
    """Check one contact's values; the messages say how to put each right."""
    errors = {}
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
