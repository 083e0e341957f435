"""Generalisation for evaluation extracts: dates to the month, and k-anonymity over the quasi-identifiers.

Pure: no database, no Django. ``k_anonymise`` takes one description per person (the quasi-identifiers the
extract releases: age band, gender, municipality, life areas) and returns what may be released for each, so
that every released combination is shared by at least ``k`` people in the extract:

1. people whose full combination is shared by at least ``k`` people keep it;
2. for the others, the fields in ``order`` are replaced by ``SUPPRESSED`` one more at a time (first the
   municipality, then gender, then life areas, then the age band); at each step a person is released when at
   least ``k`` of the people still waiting share the generalised combination;
3. the few left when every field is suppressed, if fewer than ``k``, are left out of the extract altogether.

Each step groups only the people still waiting, and each step suppresses a different set of fields, so a
released combination is never shared with people released at another step: its count is its group's count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

SUPPRESSED = "suppressed"
# The quasi-identifiers an extract releases about a person, in the order they are given up.
QUASI_IDENTIFIERS = ("municipality", "gender", "life_areas", "age_band")


def month(value: date | datetime | None) -> str | None:
    """A date as its month, ``YYYY-MM`` (None stays None)."""
    if value is None:
        return None
    return f"{value.year:04d}-{value.month:02d}"


def _hashable(value: Any) -> Hashable:
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(sorted(str(v) for v in value))
    return value if isinstance(value, Hashable) else str(value)


def combination(record: Mapping[str, Any], fields: Sequence[str]) -> tuple[Hashable, ...]:
    """The comparable combination of ``fields`` in ``record`` (lists compare as sorted tuples)."""
    return tuple(_hashable(record.get(f)) for f in fields)


@dataclass
class Released:
    """What ``k_anonymise`` decided: per person (same order as given) the released description, or None
    when the person is left out; and how many values of each field were suppressed."""

    records: list[dict[str, Any] | None]
    k: int
    suppressed: dict[str, int] = field(default_factory=dict)
    left_out: int = 0


def k_anonymise(records: Sequence[Mapping[str, Any]], k: int, order: Sequence[str] = QUASI_IDENTIFIERS) -> Released:
    """Generalise ``records`` (each a mapping of the fields in ``order``) until every released combination
    of those fields occurs at least ``k`` times. See the module text for the steps."""
    if k < 1:
        raise ValueError("k must be at least 1")
    fields = tuple(order)
    out: list[dict[str, Any] | None] = [None] * len(records)
    suppressed = dict.fromkeys(fields, 0)
    waiting = list(range(len(records)))
    for level in range(len(fields) + 1):
        dropped = set(fields[:level])

        def generalised(i: int, dropped: set[str] = dropped) -> dict[str, Any]:
            return {f: SUPPRESSED if f in dropped else records[i].get(f) for f in fields}

        keys = {i: combination(generalised(i), fields) for i in waiting}
        counts = Counter(keys.values())
        still = []
        for i in waiting:
            if counts[keys[i]] >= k:
                out[i] = generalised(i)
                for f in dropped:
                    suppressed[f] += 1
            else:
                still.append(i)
        waiting = still
        if not waiting:
            break
    return Released(records=out, k=k, suppressed=suppressed, left_out=len(waiting))


def smallest_group(records: Sequence[Mapping[str, Any] | None], fields: Sequence[str] = QUASI_IDENTIFIERS) -> int:
    """How many people share the rarest released combination of ``fields`` (0 when nothing is released);
    the re-identification check: an extract is k-anonymous when this is at least k."""
    counts = Counter(combination(r, fields) for r in records if r is not None)
    return min(counts.values(), default=0)
