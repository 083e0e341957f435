from __future__ import annotations

from django.db.models import QuerySet

from peerwork.accounts.models import Role
from peerwork.core.actor import Actor

from .models import AuditEntry


def audit_entries(actor: Actor, *, action: str = "", subject_id: str = "", actor_id: int | None = None) -> QuerySet[AuditEntry]:
    """The data protection officer's view of their own organisation's trail."""
    actor.require(Role.DPO)
    qs = AuditEntry.objects.filter(organisation_id=actor.organisation_id).select_related("actor")
    if action:
        qs = qs.filter(action=action)
    if subject_id:
        qs = qs.filter(subject_id=subject_id)
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    return qs.order_by("-id")
