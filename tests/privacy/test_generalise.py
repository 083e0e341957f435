"""k-anonymity for evaluation extracts, as a pure function: every released combination of the
quasi-identifiers is shared by at least k people; fields are given up in a fixed order; what cannot be hidden
is left out. No database."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st

from peerwork.core.anonymity import ANONYMITY_THRESHOLD
from peerwork.evaluation.items import MIN_GROUP
from peerwork.privacy.generalise import (
    QUASI_IDENTIFIERS,
    SUPPRESSED,
    combination,
    k_anonymise,
    month,
    smallest_group,
)
from peerwork.readiness.models import ANONYMITY_THRESHOLD as READINESS_THRESHOLD


def rec(age="30-39", gender="woman", municipality="Fjordby", areas=("housing",)):
    return {"age_band": age, "gender": gender, "municipality": municipality, "life_areas": list(areas)}


def test_the_threshold_is_peerworks_default_shared_with_readiness_and_pulse_surveys():
    assert ANONYMITY_THRESHOLD == 3
    assert READINESS_THRESHOLD == MIN_GROUP == ANONYMITY_THRESHOLD


def test_dates_become_months():
    assert month(date(2026, 3, 9)) == "2026-03"
    assert month(datetime(2025, 11, 30, 23, 59)) == "2025-11"
    assert month(None) is None


def test_groups_of_k_or_more_are_released_unchanged():
    records = [rec()] * 3 + [rec(gender="man")] * 4
    released = k_anonymise(records, 3)
    assert released.records == records
    assert released.left_out == 0 and sum(released.suppressed.values()) == 0


def test_a_small_municipality_is_suppressed_first():
    records = [rec()] * 3 + [rec(municipality="Lillevik")] + [rec(municipality="Storvik")] * 2
    released = k_anonymise(records, 3)
    assert released.records[:3] == records[:3]
    for r in released.records[3:]:
        assert r == {**rec(), "municipality": SUPPRESSED}
    assert released.suppressed == {"municipality": 3, "gender": 0, "life_areas": 0, "age_band": 0}


def test_then_gender_then_life_areas_then_age_band():
    records = (
        [rec()] * 3
        + [rec(municipality="A", gender="man"), rec(municipality="B", gender="woman"), rec(municipality="C")]
        + [rec(areas=("work",), municipality="D", gender="man"), rec(areas=("social",), municipality="E")]
        + [rec(age="60-69", areas=("money",), municipality="F")]
    )
    released = k_anonymise(records, 3)
    by_level = Counter(tuple(f for f in QUASI_IDENTIFIERS if r[f] == SUPPRESSED) for r in released.records if r)
    # three keep everything; A, B and C differ in gender once the municipality is gone, so gender goes too
    # and they share age band and life areas; the last three differ in life areas and age band, so they
    # share only a description with every field suppressed
    assert by_level[()] == 3
    assert by_level[("municipality", "gender")] == 3
    assert by_level[("municipality", "gender", "life_areas", "age_band")] == 3
    assert released.left_out == 0
    assert smallest_group(released.records) >= 3


def test_people_who_cannot_be_hidden_are_left_out():
    records = [rec()] * 3 + [rec(age="70-79", municipality="Øy")]
    released = k_anonymise(records, 3)
    assert released.records[3] is None and released.left_out == 1
    assert released.records[:3] == records[:3]
    assert k_anonymise([rec()] * 2, 3).records == [None, None]
    assert smallest_group([None, None]) == 0


def test_life_areas_compare_as_sets():
    records = [rec(areas=("housing", "work")), rec(areas=("work", "housing")), rec(areas=["housing", "work"])]
    assert k_anonymise(records, 3).records == records
    assert combination(records[0], QUASI_IDENTIFIERS) == combination(records[1], QUASI_IDENTIFIERS)


def test_k_of_one_changes_nothing():
    records = [rec(municipality=str(i)) for i in range(5)]
    assert k_anonymise(records, 1).records == records


values = st.fixed_dictionaries(
    {
        "age_band": st.sampled_from(["20-29", "30-39", "40-49", "70-79", None]),
        "gender": st.sampled_from(["woman", "man", "non_binary", None]),
        "municipality": st.sampled_from(["Fjordby", "Lillevik", "Øy", None]),
        "life_areas": st.lists(st.sampled_from(["housing", "work", "social", "money"]), max_size=3, unique=True),
    }
)


@given(st.lists(values, max_size=60), st.integers(1, 6))
def test_every_released_combination_occurs_at_least_k_times(records, k):
    released = k_anonymise(records, k)
    kept = [r for r in released.records if r is not None]
    counts = Counter(combination(r, QUASI_IDENTIFIERS) for r in kept)
    assert all(n >= k for n in counts.values())
    assert not kept or smallest_group(released.records) >= k
    assert released.left_out == len(records) - len(kept) < k
    for original, out in zip(records, released.records, strict=True):
        if out is None:
            continue
        dropped = [f for f in QUASI_IDENTIFIERS if out[f] == SUPPRESSED]
        # fields are given up in order, and what is not suppressed is the person's own value
        assert dropped == list(QUASI_IDENTIFIERS[: len(dropped)])
        for f in QUASI_IDENTIFIERS:
            if out[f] != SUPPRESSED:
                assert out[f] == original[f]
