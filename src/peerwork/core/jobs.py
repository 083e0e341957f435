"""Background jobs on Django's tasks API (the django-tasks backport on Django 5.2).

Three things the tasks API leaves to the project, kept here so every app uses them the same way:

* ``@job``: a task that is tried again when it fails, a bounded number of times (``PEERWORK_JOB_ATTEMPTS``,
  Peerwork default 3) with a growing pause; after the last try it stays *failed* and is listed on the
  administrator's jobs page. Every Peerwork job takes ``organisation_id`` as a keyword, so that page shows an
  administrator their own organisation's jobs only. A job must be safe to run twice: a worker killed half-way
  leaves its job to be run again.
* ``enqueue``: with the database backend (the default) the job is written in the caller's transaction, so
  an action and the jobs it starts are saved together or not at all; a broker-backed backend is handed the
  job only once the transaction has committed.
* The schedule: apps register ``Scheduled`` entries under the ``schedule`` hook; ``due_schedule`` enqueues
  each one once per period (a unique row per job and period), and ``requeue_abandoned`` hands back jobs
  left running by a worker that is no longer heard of. ``peerwork worker`` calls both in a loop beside the
  library's database worker; with a broker, ``peerwork worker --schedule-only`` (or cron calling
  ``peerwork worker --schedule-once``) does the scheduling.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task, task_backends
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from . import hooks
from .models import ScheduledRun, WorkerHeartbeat

if TYPE_CHECKING:
    from .actor import Actor

ATTEMPT = "attempt"


def _pause(attempt: int) -> timedelta:
    """How long to wait before try ``attempt + 1``: one minute, then four, then nine…"""
    return timedelta(minutes=attempt * attempt)


def job(fn: Callable[..., Any]) -> Task[Any, Any]:
    """Make ``fn`` a background job that is retried on failure (see the module's docstring)."""

    @functools.wraps(fn)
    def run(*args: Any, attempt: int = 1, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception:
            if attempt < settings.PEERWORK_JOB_ATTEMPTS:
                retry = wrapped.using(run_after=timezone.now() + _pause(attempt))
                retry.enqueue(*args, attempt=attempt + 1, **kwargs)
            raise

    wrapped: Task[Any, Any] = task()(run)
    return wrapped


def enqueue(job_task: Task[Any, Any], **kwargs: Any) -> None:
    """Queue ``job_task`` with keyword arguments: in this transaction with the database backend, after it
    commits with any other backend (a broker cannot take part in the database's transaction)."""
    if "organisation_id" not in kwargs:
        raise TypeError("Every Peerwork job names the organisation it works for (organisation_id=…).")
    if isinstance(job_task.get_backend(), DatabaseBackend):
        job_task.enqueue(**kwargs)
    else:
        transaction.on_commit(functools.partial(job_task.enqueue, **kwargs))


# --- the schedule -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scheduled:
    """A job enqueued once per ``every`` ("day" or "week", weeks starting on Monday) once the local time
    has passed ``hour``. ``organisations`` gives the organisation ids to enqueue it for (one job each)."""

    name: str
    job: Task[Any, Any]
    every: str
    hour: int
    organisations: Callable[[], Iterable[int]]


def _period(every: str, now: datetime) -> str:
    if every == "day":
        return now.date().isoformat()
    if every == "week":
        year, week, _day = now.isocalendar()
        return f"{year}-W{week:02d}"
    raise ValueError(f"unknown period {every!r}")


def schedule() -> list[Scheduled]:
    """Every scheduled job the installed apps register (the ``schedule`` hook)."""
    return [entry for fn in hooks.get(hooks.SCHEDULE) for entry in fn()]


def due_schedule(now: datetime | None = None) -> list[str]:
    """Enqueue each scheduled job whose period has started and which has not been enqueued for it yet.
    Returns the names enqueued. Safe to call from several workers at once."""
    now = timezone.localtime(now or timezone.now())
    started: list[str] = []
    for entry in schedule():
        if now.hour < entry.hour:
            continue
        period = _period(entry.every, now)
        if ScheduledRun.objects.filter(name=entry.name, period=period).exists():
            continue  # a read first: the insert below would take the database's write lock every round
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=entry.name, period=period)
                for organisation_id in entry.organisations():
                    enqueue(entry.job, organisation_id=organisation_id, period=period)
        except IntegrityError:
            continue  # enqueued already for this period
        started.append(entry.name)
    return started


# --- the worker's bookkeeping -----------------------------------------------------------------------------


def heartbeat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": timezone.now()})


def requeue_abandoned(now: datetime | None = None) -> int:
    """Hand back to the queue every job left *running* by a worker not heard of for
    ``PEERWORK_WORKER_STALE_SECONDS`` (killed, or its machine lost). Returns how many."""
    now = now or timezone.now()
    quiet_since = now - timedelta(seconds=settings.PEERWORK_WORKER_STALE_SECONDS)
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=quiet_since).values_list("worker_id", flat=True))
    handed_back = 0
    with transaction.atomic():
        for result in DBTaskResult.objects.select_for_update().filter(status=TaskResultStatus.RUNNING):
            if result.worker_ids and result.worker_ids[-1] in alive:
                continue
            result.status = TaskResultStatus.READY
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
            handed_back += 1
        WorkerHeartbeat.objects.filter(seen_at__lt=quiet_since - timedelta(days=1)).delete()
    return handed_back


# --- what administrators see ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FailedJob:
    name: str  # the job function's name
    failed_at: datetime | None
    attempt: int
    final: bool
    error: str


def failed_jobs(actor: Actor, limit: int = 100) -> list[FailedJob]:
    """The organisation's failed jobs, newest first: which job, when, which try, whether it will be tried
    again, and the kind of error (never the traceback: it could quote data)."""
    rows = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, args_kwargs__kwargs__organisation_id=actor.organisation_id
    ).order_by("-finished_at")[:limit]
    out = []
    for row in rows:
        attempt = int(row.args_kwargs.get("kwargs", {}).get(ATTEMPT, 1))
        out.append(
            FailedJob(
                name=row.task_path.rsplit(".", 1)[-1],
                failed_at=row.finished_at,
                attempt=attempt,
                final=attempt >= settings.PEERWORK_JOB_ATTEMPTS,
                error=row.exception_class_path.rsplit(".", 1)[-1],
            )
        )
    return out


def waiting_jobs(actor: Actor) -> int:
    return DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        args_kwargs__kwargs__organisation_id=actor.organisation_id,
    ).count()


def uses_database_backend() -> bool:
    return isinstance(task_backends["default"], DatabaseBackend)
