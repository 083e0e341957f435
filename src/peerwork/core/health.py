"""Readiness: can this server do its work now? The database answers, and every part that registered a
readiness check (``hooks.READINESS_CHECKS``) says it is ready, and a background worker has been seen lately.

``/health/`` stays a liveness check that touches nothing; ``/health/ready/`` runs these checks. Neither
says anything about people: only the name of each check, whether it passed and a short reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from . import hooks
from .models import WorkerHeartbeat


@dataclass(frozen=True)
class Check:
    """One readiness check: its name (``database``, ``worker``), whether it passed, and why not."""

    name: str
    ok: bool
    detail: str = ""


def database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return Check("database", False, f"the database does not answer: {type(exc).__name__}")
    return Check("database", True)


def worker() -> Check:
    """Some background worker has said it is alive within ``PEERWORK_WORKER_STALE_SECONDS`` (it may run on
    another machine: the heartbeat is in the shared database)."""
    quiet = settings.PEERWORK_WORKER_STALE_SECONDS
    if WorkerHeartbeat.objects.filter(seen_at__gte=timezone.now() - timedelta(seconds=quiet)).exists():
        return Check("worker", True)
    return Check("worker", False, f"no background worker seen in the last {quiet} seconds")


def readiness() -> list[Check]:
    """The database first, then each registered check in order. A check that raises counts as failed."""
    checks = [database()]
    if not checks[0].ok:
        return checks  # the others read the database too
    checks.append(worker())
    for check in hooks.get(hooks.READINESS_CHECKS):
        try:
            checks.append(check())
        except Exception as exc:  # noqa: BLE001 - a broken check means "not ready", never a server error
            checks.append(Check(getattr(check, "__name__", "check"), False, f"the check failed: {type(exc).__name__}"))
    return checks
