"""The notification jobs, run by the worker (``peerwork worker``)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from peerwork.core.jobs import job

from . import reminders, services
from .models import Notification

# Peerwork defaults (docs/operations.md): how long notifications and finished jobs are kept.
NOTIFICATION_DAYS = 180
SUCCESSFUL_JOB_DAYS = 30
FAILED_JOB_DAYS = 90


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


@job
def clean_up(*, organisation_id: int, period: str = "") -> int:
    """Delete notifications older than 180 days and finished jobs (successful after 30 days, failed after 90).
    It runs once for the whole installation (``organisation_id`` 0). Returns how many rows went."""
    now = timezone.now()
    with transaction.atomic():
        gone, _n = Notification.objects.filter(created_at__lt=now - timedelta(days=NOTIFICATION_DAYS)).delete()
        jobs_gone, _n = DBTaskResult.objects.filter(
            status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - timedelta(days=SUCCESSFUL_JOB_DAYS)
        ).delete()
        failed_gone, _n = DBTaskResult.objects.filter(
            status=TaskResultStatus.FAILED, finished_at__lt=now - timedelta(days=FAILED_JOB_DAYS)
        ).delete()
        services.recount_everyone()
    return gone + jobs_gone + failed_gone
