"""Bookkeeping of the background worker (``peerwork worker``): no personal data, no organisation's data."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """A running worker says it is alive every few seconds. A job left running by a worker that has gone
    quiet (killed, or its machine lost) is handed back to the queue by the next worker (``core.jobs``)."""

    worker_id = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.worker_id


class ScheduledRun(models.Model):
    """One row per scheduled job and period (a day, an ISO week): inserting it is what entitles a worker to
    enqueue that period's job, so two workers, or a worker and a restarted one, never enqueue it twice."""

    name = models.CharField(max_length=100)
    period = models.CharField(max_length=20)
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "period"], name="scheduled_run_once_per_period")]

    def __str__(self) -> str:
        return f"{self.name} {self.period}"
