"""Audit many reads at once, on the same hash chain ``audit.record`` writes.

A list page shows data about many people; the access report needs one entry per person shown. This appends
them with one lock, one bulk insert and one head update, so a page's query count stays flat as lists grow.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone

from .audit import _locked_head, entry_hash
from .models import AuditEntry, AuditHead

if TYPE_CHECKING:
    from peerwork.core.actor import Actor


def record_many(
    actor: Actor,
    action: str,
    pairs: Iterable[tuple[models.Model | None, models.Model | None]],
    detail: str = "",
) -> int:
    """Append one entry per ``(object, subject)`` pair, in order, to the actor's organisation chain."""
    rows = list(pairs)
    if not rows:
        return 0
    chain = actor.organisation_id
    now = timezone.now()
    with transaction.atomic():
        head = _locked_head(chain)
        prev = head.last_hash
        entries = []
        for obj, subject in rows:
            values: dict[str, Any] = {
                "chain": chain,
                "organisation_id": actor.organisation_id,
                "at": now,
                "actor_id": actor.user.pk,
                "actor_label": (actor.user.username or "")[:150],
                "role": actor.primary_role,
                "action": str(action),
                "object_type": obj._meta.label_lower[:60] if obj is not None else "",
                "object_id": str(obj.pk)[:40] if obj is not None else "",
                "subject_type": subject._meta.label_lower if subject is not None else "",
                "subject_id": str(subject.pk) if subject is not None else "",
                "via": (actor.via or "")[:200],
                "detail": detail[:300],
                "prev_hash": prev,
            }
            values["hash"] = entry_hash(values)
            prev = values["hash"]
            entries.append(AuditEntry(**values))
        AuditEntry.objects.bulk_create(entries, batch_size=500)
        AuditHead.objects.filter(chain=chain).update(last_hash=prev, count=models.F("count") + len(entries))
    return len(entries)
