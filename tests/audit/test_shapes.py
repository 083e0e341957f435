"""The shapes every audit entry must have (``audit/shapes.py``); ``tests/conftest.py`` checks every entry
every test writes against them."""

from __future__ import annotations

import pytest

from peerwork.audit import shapes

GOOD = {
    "actor_label": "alpha-dpo",
    "actor__username": "alpha-dpo",
    "role": "dpo",
    "action": "delete",
    "object_type": "service.serviceuser",
    "object_id": "12",
    "subject_type": "service.serviceuser",
    "subject_id": "12",
    "via": "/privacy/people/12/anonymise/",
    "detail": "anonymised (erasure): person=1, referrals=1, match_proposals=2, other=0",
}


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"via": "API GET /api/service/referrals", "detail": "status=waiting"},
        {"via": "retention run", "actor_label": "", "role": "", "detail": "fields: chosen_name,email"},
        {"object_id": "42e44ade-f6b6-4c1d-84ca-e612d967fb1f", "detail": "draft"},
        {"detail": "csv 2026-01-01..2026-03-31 unit=-"},
    ],
)
def test_who_acted_ids_codes_and_counts_are_accepted(db, values):
    assert shapes.problems({**GOOD, **values}) == []


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"detail": "Kari Nordmann"}, "detail"),
        ({"detail": "note: feels low on Sundays"}, "detail"),
        ({"detail": "kari@example.invalid"}, "detail"),
        ({"via": "/privacy/people/?q=Kari"}, "via"),
        ({"via": "/people/Kari/"}, "via"),
        ({"object_id": "kari@example.invalid"}, "object_id"),
        ({"subject_id": "Kari"}, "subject_id"),
        ({"actor_label": "someone-else"}, "actor_label"),
        ({"object_type": "Kari Nordmann"}, "object_type"),
        ({"role": "friend"}, "role"),
    ],
)
def test_a_personal_value_in_any_field_is_found(db, values, field):
    assert shapes.problems({**GOOD, **values}) == [field]
