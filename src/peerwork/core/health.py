"""Readiness: can this server do its work now? The database answers, and every part that registered a
readiness check (``hooks.READINESS_CHECKS``, e.g. the background worker's heartbeat) says it is ready.

``/health/`` stays a liveness check that touches nothing; ``/health/ready/`` runs these checks. Neither
says anything about people: only the name of each check, whether it passed and a short reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import DatabaseError, connection

from . import hooks


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


def readiness() -> list[Check]:
    """The database first, then each registered check in order. A check that raises counts as failed."""
    checks = [database()]
    if not checks[0].ok:
        return checks  # the others read the database too
    for check in hooks.get(hooks.READINESS_CHECKS):
        try:
            checks.append(check())
        except Exception as exc:  # noqa: BLE001 - a broken check means "not ready", never a server error
            checks.append(Check(getattr(check, "__name__", "check"), False, f"the check failed: {type(exc).__name__}"))
    return checks
