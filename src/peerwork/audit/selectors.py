"""Reads of the audit trail that are not the data protection officer's pages (those live in privacy)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from peerwork.core.actor import Actor
from peerwork.core.roles import Role

from .models import AuditEntry


def week_summary(actor: Actor) -> list[dict[str, object]]:
    """Entries of the last seven days in the actor's organisation, counted by kind of action."""
    actor.require(Role.DPO)
    since = timezone.now() - timedelta(days=7)
    rows = (
        AuditEntry.objects.filter(organisation_id=actor.organisation_id, at__gte=since)
        .values("action")
        .annotate(n=Count("id"))
        .order_by("action")
    )
    labels = dict(AuditEntry.Action.choices)
    return [{"action": labels.get(r["action"], r["action"]), "n": r["n"]} for r in rows]
