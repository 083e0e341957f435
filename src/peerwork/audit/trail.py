"""Write and verify the audit trail.

``record`` is called by every service (writes) and every selector that returns personal data (reads). It
appends inside the caller's transaction, so an action and its audit entry are saved together or not at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from .models import AuditEntry, AuditHead

if TYPE_CHECKING:
    from peerwork.core.actor import Actor

GENESIS = "0" * 64
SYSTEM_CHAIN = 0
Action = AuditEntry.Action

_HASHED_FIELDS = (
    "chain",
    "organisation_id",
    "at",
    "actor_id",
    "actor_label",
    "role",
    "action",
    "object_type",
    "object_id",
    "subject_type",
    "subject_id",
    "via",
    "detail",
    "prev_hash",
)


def _canonical(values: dict[str, Any]) -> bytes:
    out = {}
    for name in _HASHED_FIELDS:
        value = values[name]
        if isinstance(value, datetime):
            value = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        out[name] = value
    return json.dumps(out, sort_keys=True, separators=(",", ":")).encode()


def entry_hash(values: dict[str, Any]) -> str:
    return hashlib.sha256(_canonical(values)).hexdigest()


def _ref(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def record(
    actor: Actor | None,
    action: str,
    obj: models.Model | None = None,
    *,
    subject: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    detail: str = "",
    via: str | None = None,
    user: Any = None,
    organisation_id: int | None = None,
) -> AuditEntry:
    """Append one entry. ``subject`` is the person whose data was touched (for the access report)."""
    if obj is not None:
        object_type, object_id = _ref(obj)
    subject_type, subject_id = _ref(subject)
    if actor is not None:
        user = actor.user
        organisation_id = actor.organisation_id
        role = actor.primary_role
        via = actor.via if via is None else via
    else:
        role = ""
    chain = organisation_id or SYSTEM_CHAIN
    with transaction.atomic():
        head = _locked_head(chain)
        values: dict[str, Any] = {
            "chain": chain,
            "organisation_id": organisation_id,
            "at": timezone.now(),
            "actor_id": getattr(user, "pk", None),
            "actor_label": (getattr(user, "username", "") or "")[:150],
            "role": role,
            "action": str(action),
            "object_type": object_type[:60],
            "object_id": str(object_id)[:40],
            "subject_type": subject_type,
            "subject_id": subject_id,
            "via": (via or "")[:200],
            "detail": detail[:300],
            "prev_hash": head.last_hash,
        }
        values["hash"] = entry_hash(values)
        entry = AuditEntry.objects.create(**values)
        AuditHead.objects.filter(chain=chain).update(last_hash=values["hash"], count=models.F("count") + 1)
    return entry


def record_many(
    actor: Actor,
    action: str,
    pairs: Iterable[tuple[models.Model | None, models.Model | None]],
    detail: str = "",
) -> int:
    """Append one entry per ``(object, subject)`` pair, in order, to the actor's organisation chain.

    A list page shows data about many people, and the access report needs one entry per person shown; this
    appends them with one lock, one INSERT and one head update, so a page's query count stays flat.
    """
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
            object_type, object_id = _ref(obj)
            subject_type, subject_id = _ref(subject)
            values: dict[str, Any] = {
                "chain": chain,
                "organisation_id": actor.organisation_id,
                "at": now,
                "actor_id": actor.user.pk,
                "actor_label": (actor.user.username or "")[:150],
                "role": actor.primary_role,
                "action": str(action),
                "object_type": object_type[:60],
                "object_id": object_id[:40],
                "subject_type": subject_type,
                "subject_id": subject_id,
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


def _locked_head(chain: int) -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(chain=chain).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            AuditHead.objects.create(chain=chain, last_hash=GENESIS, count=0)
    except IntegrityError:
        pass  # another transaction created it first
    return AuditHead.objects.select_for_update().get(chain=chain)


@dataclass(frozen=True)
class ChainProblem:
    chain: int
    entry_id: int | None
    problem: str


def verify(chain: int | None = None) -> Iterator[ChainProblem]:
    """Recompute every chain (or one) and yield each break found. No output means the trail is intact."""
    heads = AuditHead.objects.all() if chain is None else AuditHead.objects.filter(chain=chain)
    for head in heads.order_by("chain"):
        prev = GENESIS
        count = 0
        entries = AuditEntry.objects.filter(chain=head.chain).order_by("id").values(*_HASHED_FIELDS, "id", "hash")
        for row in entries.iterator(chunk_size=5000):
            count += 1
            if row["prev_hash"] != prev:
                yield ChainProblem(
                    head.chain, row["id"], "links to an entry that is not its predecessor (deleted or reordered)"
                )
            if entry_hash(row) != row["hash"]:
                yield ChainProblem(head.chain, row["id"], "content does not match its hash (edited)")
            prev = row["hash"]
        if prev != head.last_hash or count != head.count:
            yield ChainProblem(
                head.chain,
                None,
                f"chain ends after {count} entries; {head.count} were written (entries removed at the end)",
            )
