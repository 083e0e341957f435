"""The notification jobs, run by the worker (``peerwork worker``)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from peerwork.core.jobs import job

from . import reminders, services


@job
def deliver(*, organisation_id: int, notification_id: int) -> str:
    """Send one notification's e-mail (and text message) in the recipient's language."""
    return services.deliver(organisation_id, notification_id)


@job
def daily_reminders(*, organisation_id: int, period: str = "") -> int:
    """Reviews coming up and guidance overdue, once a day."""
    with transaction.atomic():
        return reminders.send_reminders(organisation_id, timezone.localdate())


@job
def weekly_digest(*, organisation_id: int, period: str = "") -> int:
    """The coordinators' week in numbers, once a week."""
    with transaction.atomic():
        return reminders.send_digest(organisation_id, timezone.localdate())
