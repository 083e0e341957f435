"""Every write about notifications: made from events, delivered by jobs, read and chosen by their person."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from peerwork.accounts.models import User
from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core import events, jobs
from peerwork.core.actor import Actor

from . import kinds, sms
from .models import Notification, Preference


def on_event(event: events.Event) -> list[Notification]:
    """Record one notification per recipient, on the channels each chose for this kind, and queue the
    e-mail and text messages (inside the caller's transaction: nothing is told of an action undone)."""
    from .tasks import deliver  # the job module imports this one

    stored = {p.user_id: p for p in Preference.objects.filter(user_id__in=event.recipient_ids, kind=event.kind)}
    texts_on = sms.enabled()
    made = []
    for user_id in event.recipient_ids:
        choice = stored.get(user_id) or Preference(kind=event.kind)
        if not (choice.in_app or choice.by_email or (choice.by_sms and texts_on)):
            continue
        made.append(
            Notification(
                organisation_id=event.organisation_id,
                recipient_id=user_id,
                kind=event.kind,
                url=event.url,
                counts=dict(event.counts),
                in_app=choice.in_app,
                by_email=choice.by_email,
                by_sms=choice.by_sms and texts_on,
            )
        )
    if not made:
        return []
    Notification.objects.bulk_create(made)
    # One event tells each person once: their header's count goes up by one.
    User.objects.filter(pk__in=[n.recipient_id for n in made if n.in_app]).update(
        unread_notifications=F("unread_notifications") + 1
    )
    for n in made:
        if n.by_email or n.by_sms:
            jobs.enqueue(deliver, organisation_id=n.organisation_id, notification_id=n.pk)
    return made


def _absolute(url: str) -> str:
    return settings.PEERWORK_BASE_URL.rstrip("/") + url


def deliver(organisation_id: int, notification_id: int) -> str:
    """Send one notification's e-mail and text message, in the recipient's stored language. Safe to run
    again: a channel already sent is skipped."""
    with transaction.atomic():
        n = (
            Notification.objects.select_for_update()
            .select_related("recipient", "organisation")
            .filter(organisation_id=organisation_id, pk=notification_id)
            .first()
        )
        if n is None:
            return "gone"
        user: User = n.recipient
        # The person's own language; before they chose one, their organisation's.
        with translation.override(user.language or n.organisation.language or settings.LANGUAGE_CODE):
            text = kinds.message(n.kind, n.counts)
            if n.by_email and n.emailed_at is None and user.email and user.is_active:
                body = render_to_string(
                    "notifications/email/notification.txt", {"text": text, "link": _absolute(n.url)}
                )
                EmailMessage(kinds.subject(n.kind), body, None, [user.email]).send()
                n.emailed_at = timezone.now()
                record(None, Action.UPDATE, n, organisation_id=organisation_id, detail=Detail("mail_sent"))
            texter = sms.backend()
            if n.by_sms and n.texted_at is None and texter is not None and user.is_active:
                if texter.send(user, f"{text} {_absolute(n.url)}"):
                    n.texted_at = timezone.now()
                    record(None, Action.UPDATE, n, organisation_id=organisation_id, detail=Detail("sent"))
        n.save(update_fields=["emailed_at", "texted_at"])
    return "sent"


def mark_read(actor: Actor, *, notification_id: int | None = None) -> int:
    """Mark one notification (or, with None, all of them) of the actor's as read; returns how many."""
    with transaction.atomic():
        qs = Notification.objects.filter(
            organisation_id=actor.organisation_id, recipient=actor.user, read_at__isnull=True
        )
        if notification_id is not None:
            qs = qs.filter(pk=notification_id)
        changed = qs.update(read_at=timezone.now())
        _recount(actor.user)
        if changed:
            record(
                actor,
                Action.UPDATE,
                object_type="notifications.notification",
                detail=Detail("marked_read", count=changed),
            )
    return changed


def recount_everyone() -> None:
    """Set every header count again from the notifications (after old ones were deleted)."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), in_app=True, read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    User.objects.filter(unread_notifications__gt=0).update(unread_notifications=Coalesce(Subquery(unread), 0))


def _recount(user: User) -> None:
    """Set the header's count again from the notifications themselves (in every organisation)."""
    unread = Notification.objects.filter(recipient=user, in_app=True, read_at__isnull=True).count()
    User.objects.filter(pk=user.pk).update(unread_notifications=unread)
    user.unread_notifications = unread


def set_preferences(actor: Actor, *, choices: Mapping[str, Mapping[str, bool]]) -> list[Preference]:
    """Store the actor's channels for each kind: ``{kind: {"in_app": …, "by_email": …, "by_sms": …}}``."""
    unknown = set(choices) - set(events.KINDS)
    if unknown:
        raise ValidationError({"__all__": _("Choose channels only for the kinds of notification listed.")})
    if any(c.get("by_sms") for c in choices.values()) and not sms.enabled():
        raise ValidationError({"__all__": _("Text messages are not set up here. Choose the page or e-mail.")})
    saved = []
    with transaction.atomic():
        for kind, channel in choices.items():
            pref, _created = Preference.objects.update_or_create(
                user=actor.user,
                kind=kind,
                defaults={
                    "in_app": bool(channel.get("in_app")),
                    "by_email": bool(channel.get("by_email")),
                    "by_sms": bool(channel.get("by_sms")),
                },
            )
            saved.append(pref)
        record(actor, Action.UPDATE, object_type="notifications.preference", detail=Detail("preferences_set"))
    return saved
