"""The entry hash is the SHA-256 of the hashed fields as compact, key-sorted, ASCII-escaped JSON with the time in
UTC: ``entry_hash`` and the bulk writer's ``hash_values`` both give exactly that, for any text an entry holds."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from peerwork.audit import trail
from peerwork.audit.models import AuditEntry


def _by_definition(values: dict) -> str:
    out = {name: values[name] for name in trail._HASHED_FIELDS}
    out["at"] = out["at"].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return hashlib.sha256(json.dumps(out, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _values(**changes) -> dict:
    values = {
        "chain": 70_000_003,
        "organisation_id": 7,
        "at": datetime(2026, 3, 29, 1, 30, 0, 120, tzinfo=timezone(timedelta(hours=2))),
        "actor_id": 12,
        "actor_label": "kari",
        "role": "coordinator",
        "action": AuditEntry.Action.READ,
        "object_type": "service.engagement",
        "object_id": "41",
        "subject_type": "service.serviceuser",
        "subject_id": "9",
        "via": "/service/engagements/41/",
        "detail": "",
        "prev_hash": trail.GENESIS,
    }
    return {**values, **changes}


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"actor_label": 'Bjørn Ærø "quoted" \\ back\tslash\n', "detail": "emoji 🙂 and \u2028 and \x00"},
        {"organisation_id": None, "actor_id": None, "subject_id": ""},
        {"chain": 0, "detail": "status=waiting"},
        {"object_id": "x" * 500, "actor_id": 2**40},
    ],
)
def test_entry_hash_and_hash_values_are_the_json_definition(changes: dict) -> None:
    values = _values(**changes)
    expected = _by_definition(values)
    assert trail.entry_hash(values) == expected
    assert trail.hash_values(values, trail.format_at(values["at"])) == expected
