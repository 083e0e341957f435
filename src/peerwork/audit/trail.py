"""Write and verify the audit trail.

``record`` is called by every service (writes) and every selector that returns personal data (reads). It
appends inside the caller's transaction, so an action and its audit entry are saved together or not at all.

What makes the trail's integrity claims true:

* each entry stores the SHA-256 of its predecessor in its chain, so a changed, removed or reordered entry
  breaks the links after it. Each organisation has ``settings.AUDIT_LANES`` chains ("lanes"); an entry goes
  to the first lane no other transaction holds, so audited actions of one organisation do not queue behind
  one lock. Chain 0 holds events outside any organisation;
* each chain's head (newest hash and count) is signed with HMAC-SHA256 under a key kept outside the database
  (``settings.AUDIT_KEYS``), so truncating, appending or re-hashing a chain and updating its head to match is
  caught: the head no longer carries a valid signature;
* every chain is registered in the system chain when it is opened, so a chain deleted with its head is
  missed, and a chain nobody opened (forged entries with no head) is found; every lane an organisation
  should have must have its head;
* signed checkpoints (``checkpoint()``), kept by the data protection officer outside Peerwork, pin each
  chain's length and newest hash: history rewritten before a checkpoint is caught even by someone who holds
  the key;
* database triggers (``guards.py``) refuse changes to entries and any head change that is not a step forward.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from .details import Detail, stored
from .models import AuditEntry, AuditHead

if TYPE_CHECKING:
    from peerwork.core.actor import Actor

GENESIS = "0" * 64
SYSTEM_CHAIN = 0
CHAIN_OBJECT = "audit.chain"
CHAIN_OPENED = Detail("chain_opened")
_CHAIN_OPENED_BEFORE = "chain opened"  # how registrations read before details were structured
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


# The hash is the SHA-256 of the entry's hashed fields as compact JSON with sorted keys and ASCII escapes,
# the time written in UTC with microseconds (``format_at``). It is written out here rather than through
# ``json.dumps`` of a dict so that a bulk writer can hash millions of entries with the same function.
_SORTED_FIELDS = tuple(sorted(_HASHED_FIELDS))
_json_string = json.encoder.encode_basestring_ascii


def _json_value(value: Any) -> str:
    """``json.dumps(value)`` for the plain values an entry holds: strings, whole numbers and None."""
    if isinstance(value, str):
        return _json_string(value)
    if value is None:
        return "null"
    if isinstance(value, int) and not isinstance(value, bool):
        return int.__repr__(value)
    return json.dumps(value)


def format_at(at: datetime) -> str:
    """An entry's time as its hash writes it."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def hash_values(values: Mapping[str, Any], at: str | None) -> str:
    """The hash of an entry whose time is already written as ``format_at`` writes it (``at``; the ``"at"`` in
    ``values`` is not read) and whose other hashed fields are plain values. ``entry_hash`` is this."""
    body = ",".join([f'"{name}":{_json_value(at if name == "at" else values[name])}' for name in _SORTED_FIELDS])
    return hashlib.sha256(("{" + body + "}").encode()).hexdigest()


def entry_hash(values: Mapping[str, Any]) -> str:
    at = values["at"]
    return hash_values(values, format_at(at) if isinstance(at, datetime) else at)


def _ref(obj: models.Model | tuple[str, str] | None) -> tuple[str, str]:
    """(type, id) of a record; a pair given as it is names something that is no one row (a page's figures)."""
    if obj is None:
        return "", ""
    if isinstance(obj, tuple):
        return obj
    return obj._meta.label_lower, str(obj.pk)


# --- signing ----------------------------------------------------------------------------------------------


def _mac(key_id: str, message: str) -> str:
    secret = settings.AUDIT_KEYS[key_id]
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def current_key_id() -> str:
    return next(iter(settings.AUDIT_KEYS))


def head_mac(chain: int, count: int, last_hash: str, key_id: str) -> str:
    return _mac(key_id, f"head|{chain}|{count}|{last_hash}")


def _head_signature_ok(head: AuditHead) -> bool:
    if head.key_id not in settings.AUDIT_KEYS:
        return False
    return hmac.compare_digest(head.mac, head_mac(head.chain, head.count, head.last_hash, head.key_id))


# --- lanes ------------------------------------------------------------------------------------------------

# An organisation's trail is ``settings.AUDIT_LANES`` chains ("lanes"). Lane k of organisation o is chain
# o + k * LANE_STRIDE, so lane 0 is the organisation's id (the one chain organisations had before lanes) and
# the organisation and lane of any chain follow from its number alone, whatever the heads table says.
LANE_STRIDE = 10**12


def chain_of(organisation_id: int, lane: int) -> int:
    return organisation_id + lane * LANE_STRIDE


def organisation_of(chain: int) -> int:
    return chain % LANE_STRIDE


def lane_of(chain: int) -> int:
    return chain // LANE_STRIDE


def lane_chains(organisation_id: int) -> list[int]:
    """The chains an organisation has (one per lane, lane 0 first)."""
    return [chain_of(organisation_id, lane) for lane in range(settings.AUDIT_LANES)]


def entry_count(organisation_id: int) -> int:
    """How many entries the organisation's trail holds, read from its lanes' heads (one small query, however
    long the trail): each head counts the entries of its chain, and every entry of the organisation sits in
    one of its lanes."""
    counted = AuditHead.objects.filter(chain__in=lane_chains(organisation_id)).aggregate(n=models.Sum("count"))
    return int(counted["n"] or 0)


def describe(chain: int) -> str:
    if chain == SYSTEM_CHAIN:
        return "system chain"
    return f"organisation {organisation_of(chain)}, lane {lane_of(chain)}"


# --- appending --------------------------------------------------------------------------------------------


def record(
    actor: Actor | None,
    action: str,
    obj: models.Model | None = None,
    *,
    subject: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    detail: Detail | None = None,
    via: str | None = None,
    user: Any = None,
    organisation_id: int | None = None,
) -> AuditEntry:
    """Append one entry. ``subject`` is the person whose data was touched (for the access report); ``detail``
    says what happened, as a registered kind of ``details.Detail`` (stored as its canonical JSON text)."""
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
    row = {
        "organisation_id": organisation_id,
        "actor_id": getattr(user, "pk", None),
        "actor_label": (getattr(user, "username", "") or "")[:150],
        "role": role,
        "action": str(action),
        "object_type": object_type[:60],
        "object_id": str(object_id)[:40],
        "subject_type": subject_type,
        "subject_id": subject_id,
        "via": (via or "")[:200],
        "detail": stored(detail),
    }
    return _append(organisation_id, [row])[-1]


def record_many(
    actor: Actor,
    action: str,
    pairs: Iterable[tuple[models.Model | tuple[str, str] | None, models.Model | None]],
    detail: Detail | None = None,
) -> int:
    """Append one entry per ``(object, subject)`` pair, in order, to one lane of the actor's organisation.
    An object may be an ``(object_type, object_id)`` pair, as ``record`` takes them, for what is no one row.

    A list page shows data about many people, and the access report needs one entry per person shown; this
    appends them with one lock, one INSERT and one head update, so a page's query count stays flat.
    """
    text = stored(detail)
    rows = []
    for obj, subject in pairs:
        object_type, object_id = _ref(obj)
        subject_type, subject_id = _ref(subject)
        rows.append(
            {
                "organisation_id": actor.organisation_id,
                "actor_id": actor.user.pk,
                "actor_label": (actor.user.username or "")[:150],
                "role": actor.primary_role,
                "action": str(action),
                "object_type": object_type[:60],
                "object_id": object_id[:40],
                "subject_type": subject_type,
                "subject_id": subject_id,
                "via": (actor.via or "")[:200],
                "detail": text,
            }
        )
    if not rows:
        return 0
    return len(_append(actor.organisation_id, rows))


def _append(organisation_id: int | None, rows: list[dict[str, Any]]) -> list[AuditEntry]:
    """Chain ``rows`` onto a free lane of the organisation (or the system chain) under that lane's lock."""
    with transaction.atomic():
        head = _free_lane(organisation_id) if organisation_id else _system_head()
        return _chain_onto(head, rows)


def _chain_onto(head: AuditHead, rows: list[dict[str, Any]]) -> list[AuditEntry]:
    """Chain ``rows`` after ``head`` (locked by, and inside, the caller's transaction); move the head."""
    now = timezone.now()
    chain = head.chain
    prev = head.last_hash
    entries = []
    for row in rows:
        values: dict[str, Any] = {"chain": chain, "at": now, **row, "prev_hash": prev}
        values["hash"] = entry_hash(values)
        prev = values["hash"]
        entries.append(AuditEntry(**values))
    if len(entries) == 1:
        entries[0].save(force_insert=True)
    else:
        _insert(entries)
    count = head.count + len(entries)
    key_id = current_key_id()
    AuditHead.objects.filter(chain=chain).update(
        last_hash=prev, count=count, key_id=key_id, mac=head_mac(chain, count, prev, key_id)
    )
    return entries


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


def _free_lane(organisation_id: int) -> AuditHead:
    """Lock the head of the first lane no other transaction holds (``SKIP LOCKED``), so concurrent audited
    actions of one organisation each take their own lane instead of queueing. When every lane is busy, wait
    for one of the lanes, picked at random, so the waiting transactions spread over the lanes. SQLite runs one
    writing transaction at a time and has no row locks: there the first lane is always free, by the same code
    path. Lanes a transaction already holds are never skipped (row locks do not
    block their own transaction), so a transaction that holds a lane never waits; one that holds none waits
    only when every lane is busy. A lane's entries are appended one transaction after another, so a chain
    never forks."""
    chains = lane_chains(organisation_id)
    lanes = AuditHead.objects.select_for_update(skip_locked=True).filter(chain__in=chains).order_by("chain")
    head = lanes.first()
    if head is not None:
        return head
    # Every lane is busy: wait for one lane picked at random, so the waiting transactions spread over the lanes
    # (each one freed lets one waiter through) instead of all queueing behind lane 0.
    waited = chains[secrets.randbelow(len(chains))]
    head = AuditHead.objects.select_for_update().filter(chain=waited).first()
    if head is not None:
        return head
    head = AuditHead.objects.select_for_update().filter(chain=chains[0]).first()
    if head is not None:
        return head
    # The organisation's first entry: open its lanes (normally done when the organisation is set up).
    opened = {h.chain: h for h in _open(chains)}
    return opened.get(chains[0]) or AuditHead.objects.select_for_update().get(chain=chains[0])


def _system_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(chain=SYSTEM_CHAIN).first()
    if head is not None:
        return head
    opened = _open([SYSTEM_CHAIN])
    return opened[0] if opened else AuditHead.objects.select_for_update().get(chain=SYSTEM_CHAIN)


def open_lanes(organisation_id: int) -> int:
    """Open every lane the organisation should have and does not (done when the organisation is set up, and
    after ``PEERWORK_AUDIT_LANES`` was raised); returns how many were opened."""
    chains = lane_chains(organisation_id)
    with transaction.atomic():  # heads and their registrations together
        existing = set(AuditHead.objects.filter(chain__in=chains).values_list("chain", flat=True))
        return len(_open([c for c in chains if c not in existing]))


def _open(chains: list[int]) -> list[AuditHead]:
    """Create the heads of ``chains`` (new, empty, signed) and register each in the system chain, so a chain
    deleted together with its head is missed. Returns the heads created: none when another transaction
    opened them first. A head this transaction has just inserted is its own until it commits."""
    if not chains:
        return []
    key_id = current_key_id()
    heads = [
        AuditHead(chain=c, last_hash=GENESIS, count=0, key_id=key_id, mac=head_mac(c, 0, GENESIS, key_id))
        for c in chains
    ]
    try:
        with transaction.atomic():
            AuditHead.objects.bulk_create(heads)
    except IntegrityError:
        return []
    registrations = [
        {
            "organisation_id": None,
            "actor_id": None,
            "actor_label": "",
            "role": "",
            "action": str(Action.SECURITY),
            "object_type": CHAIN_OBJECT,
            "object_id": str(c),
            "subject_type": "",
            "subject_id": "",
            "via": "",
            "detail": CHAIN_OPENED.stored,
        }
        for c in chains
        if c != SYSTEM_CHAIN
    ]
    if registrations:
        _append(None, registrations)
    return heads


def register_existing_chains() -> int:
    """Register in the system chain every chain opened before chains were registered (run once, on upgrade)."""
    opened = set(_opened_chains())
    missing = [
        h.chain for h in AuditHead.objects.exclude(chain=SYSTEM_CHAIN).order_by("chain") if h.chain not in opened
    ]
    for chain in missing:
        record(None, Action.SECURITY, object_type=CHAIN_OBJECT, object_id=str(chain), detail=CHAIN_OPENED)
    return len(missing)


def sign_existing_heads() -> int:
    """Sign heads written before heads were signed (run once, on upgrade, by whoever holds the key)."""
    key_id = current_key_id()
    heads = list(AuditHead.objects.filter(mac=""))
    for head in heads:
        # A head only moves forward (the database refuses anything else), so this step re-writes it with
        # the same values, signed: the guard is lifted for it by the migration that calls this.
        AuditHead.objects.filter(chain=head.chain).update(
            key_id=key_id, mac=head_mac(head.chain, head.count, head.last_hash, key_id)
        )
    return len(heads)


# --- verifying --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainProblem:
    chain: int
    entry_id: int | None
    problem: str


def _opened_chains() -> Iterator[int]:
    for object_id in AuditEntry.objects.filter(
        chain=SYSTEM_CHAIN, object_type=CHAIN_OBJECT, detail__in=(CHAIN_OPENED.stored, _CHAIN_OPENED_BEFORE)
    ).values_list("object_id", flat=True):
        if object_id.isdigit():
            yield int(object_id)


def verify(organisation_id: int | None = None) -> Iterator[ChainProblem]:
    """Recompute every chain (or one organisation's lanes; 0 for the system chain) and yield each break
    found. No output: intact.

    The chains checked are every chain that has a head, has entries or was registered as opened, and every
    lane that an organisation seen in any of them should have: a lane whose head is missing is reported,
    whether it was deleted (its registration remains) or never opened."""
    heads = {h.chain: h for h in AuditHead.objects.all()}
    with_entries = set(AuditEntry.objects.order_by().values_list("chain", flat=True).distinct())
    opened = set(_opened_chains())
    found = set(heads) | with_entries | opened
    organisations = {organisation_of(c) for c in found if c != SYSTEM_CHAIN}
    expected = {c for o in organisations for c in lane_chains(o)}
    chains = found | expected
    if organisation_id is not None:
        chains = {c for c in chains if organisation_of(c) == organisation_id}
        # An entry that names the organisation but sits outside its lanes shows in its lists: forged.
        strays = AuditEntry.objects.filter(organisation_id=organisation_id).exclude(chain__in=chains)
        for entry_id, stray in strays.order_by("id").values_list("id", "chain"):
            yield ChainProblem(
                stray, entry_id, f"names this organisation but sits in the chain of {describe(stray)} (forged)"
            )
    for c in sorted(chains):
        head = heads.get(c)
        if head is None:
            if c in with_entries:
                yield ChainProblem(c, None, "has entries but no head: forged, or its head was deleted")
            elif c in opened:
                yield ChainProblem(c, None, "was opened but its entries and its head are gone (chain deleted)")
            else:
                yield ChainProblem(
                    c, None, "is a lane the organisation should have, but it has no head and was never opened"
                )
            continue
        if c != SYSTEM_CHAIN and c not in opened and head.count:
            yield ChainProblem(c, None, "was never registered in the system chain (forged chain)")
        if not _head_signature_ok(head):
            yield ChainProblem(
                c, None, "the head's signature does not match: the head was rewritten or its key is unknown"
            )
        yield from _recompute(c, head)


def _recompute(chain: int, head: AuditHead) -> Iterator[ChainProblem]:
    prev = GENESIS
    count = 0
    entries = AuditEntry.objects.filter(chain=chain).order_by("id").values(*_HASHED_FIELDS, "id", "hash")
    for row in entries.iterator(chunk_size=5000):
        count += 1
        if row["prev_hash"] != prev:
            yield ChainProblem(chain, row["id"], "links to an entry that is not its predecessor (deleted or reordered)")
        if entry_hash(row) != row["hash"]:
            yield ChainProblem(chain, row["id"], "content does not match its hash (edited)")
        prev = row["hash"]
    if prev != head.last_hash or count != head.count:
        yield ChainProblem(
            chain, None, f"chain ends after {count} entries; its head says {head.count} (entries removed or added)"
        )


# --- checkpoints ------------------------------------------------------------------------------------------


def checkpoint() -> dict[str, Any]:
    """A signed statement of every chain's length and newest hash now (every lane of every organisation and
    the system chain), for the data protection officer to keep outside Peerwork. ``verify_checkpoint``
    later proves the history up to it is unchanged."""
    chains = [
        {"chain": h.chain, "count": h.count, "last_hash": h.last_hash} for h in AuditHead.objects.order_by("chain")
    ]
    made_at = timezone.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    key_id = current_key_id()
    body = {"made_at": made_at, "chains": chains}
    return {**body, "key_id": key_id, "mac": _mac(key_id, _checkpoint_message(body))}


def _checkpoint_message(body: dict[str, Any]) -> str:
    return "checkpoint|" + json.dumps(
        {"made_at": body["made_at"], "chains": body["chains"]}, sort_keys=True, separators=(",", ":")
    )


def verify_checkpoint(data: dict[str, Any]) -> Iterator[ChainProblem]:
    """Check that every chain still holds, at the checkpoint's length, the hash the checkpoint recorded."""
    key_id = str(data.get("key_id", ""))
    try:
        chains = [(int(c["chain"]), int(c["count"]), str(c["last_hash"])) for c in data["chains"]]
        valid = key_id in settings.AUDIT_KEYS and hmac.compare_digest(
            str(data.get("mac", "")), _mac(key_id, _checkpoint_message(data))
        )
    except (KeyError, TypeError, ValueError):
        yield ChainProblem(SYSTEM_CHAIN, None, "the checkpoint file is not a Peerwork checkpoint")
        return
    if not valid:
        yield ChainProblem(
            SYSTEM_CHAIN, None, "the checkpoint's signature does not match (changed, or signed with an unknown key)"
        )
        return
    heads = set(AuditHead.objects.values_list("chain", flat=True))
    for chain, count, last_hash in chains:
        if chain not in heads:
            yield ChainProblem(chain, None, "had a head at the checkpoint that is gone now")
            continue
        if count == 0:
            continue
        at = AuditEntry.objects.filter(chain=chain).order_by("id").values_list("hash", flat=True)[count - 1 : count]
        found = next(iter(at), None)
        if found is None:
            yield ChainProblem(chain, None, f"is shorter than the {count} entries it had at the checkpoint")
        elif found != last_hash:
            yield ChainProblem(chain, None, "its history up to the checkpoint was rewritten")
