"""Audit many reads at once.

A list page (the referral queue, a caseload, the dashboard) shows data about many people; the access report
per person needs one entry per person shown. ``record_many`` appends those entries to the organisation's
hash chain with one lock, one INSERT (executemany) and one head update, so a page's query count stays flat
however many people it lists. The chain is the same as ``peerwork.privacy.audit.record`` writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.utils import timezone

from peerwork.privacy.audit import _locked_head, entry_hash
from peerwork.privacy.models import AuditEntry, AuditHead

if TYPE_CHECKING:
    from peerwork.core.actor import Actor


def record_many(
    actor: Actor,
    action: str,
    pairs: Iterable[tuple[models.Model | None, models.Model | None]],
    detail: str = "",
) -> int:
    """Append one entry per ``(object, subject)`` pair, in order, to the actor's organisation chain."""
    rows = [(obj, subject) for obj, subject in pairs]
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
                "object_type": obj._meta.label_lower if obj is not None else "",
                "object_id": str(obj.pk) if obj is not None else "",
                "subject_type": subject._meta.label_lower if subject is not None else "",
                "subject_id": str(subject.pk) if subject is not None else "",
                "via": (actor.via or "")[:200],
                "detail": detail[:300],
                "prev_hash": prev,
            }
            values["hash"] = entry_hash(values)
            prev = values["hash"]
            entries.append(AuditEntry(**values))
        _insert(entries)
        AuditHead.objects.filter(chain=chain).update(last_hash=prev, count=models.F("count") + len(entries))
    return len(entries)


def _insert(entries: list[AuditEntry]) -> None:
    """One INSERT run with executemany: a single statement whatever the number of rows (``bulk_create``
    would split it into many on SQLite, whose statements take at most 999 parameters)."""
    meta = AuditEntry._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    ops = connection.ops
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names come from the model)
        ops.quote_name(meta.db_table),
        ", ".join(ops.quote_name(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [tuple(f.get_db_prep_save(getattr(e, f.attname), connection) for f in fields) for e in entries]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
