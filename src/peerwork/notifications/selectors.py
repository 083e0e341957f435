"""Every read of notifications: a person sees their own, in the organisation they are working in."""

from __future__ import annotations

from django.db.models import QuerySet

from peerwork.accounts.models import User
from peerwork.core import events
from peerwork.core.actor import Actor

from .models import Notification, Preference

PAGE_SIZE = 50


def notifications(actor: Actor, limit: int = PAGE_SIZE) -> list[Notification]:
    return list(
        Notification.objects.filter(organisation_id=actor.organisation_id, recipient=actor.user, in_app=True)[:limit]
    )


def unread_count(actor: Actor) -> int:
    return Notification.objects.filter(
        organisation_id=actor.organisation_id, recipient=actor.user, in_app=True, read_at__isnull=True
    ).count()


def own(actor: Actor, pk: int) -> Notification | None:
    return Notification.objects.filter(organisation_id=actor.organisation_id, recipient=actor.user, pk=pk).first()


def preferences(user: User) -> dict[str, Preference]:
    """Each kind's channels for ``user``: the stored choice, or Peerwork's default (page and e-mail on)."""
    stored = {p.kind: p for p in Preference.objects.filter(user=user)}
    return {kind: stored.get(kind) or Preference(user=user, kind=kind) for kind in events.KINDS}


def notifications_of(organisation_id: int, recipient_ids: list[int]) -> QuerySet[Notification]:
    return Notification.objects.filter(organisation_id=organisation_id, recipient_id__in=recipient_ids)
