"""Krippendorff's alpha per code and the disagreement list, checked against Krippendorff's worked examples."""

from __future__ import annotations

import math
from collections import Counter
from itertools import permutations

import krippendorff
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerwork.qda import (
    FEWER_THAN_TWO_CODERS,
    NO_SHARED_UNITS,
    NOT_ENOUGH_VARIATION,
    OK,
    Coding,
    Unit,
    agreement,
    agreement_and_disagreements,
    alpha_nominal,
    disagreements,
    units_from_codings,
)
from peerwork.qda import agreement as agreement_module

NAN = math.nan

# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for Communication,
# University of Pennsylvania. Example C, "nominal data, any number of observers, missing data": four observers,
# twelve units; the paper gives alpha = 0.743.
FOUR_OBSERVERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]

# The same paper, example A, "binary data, two observers, no missing data": alpha = 0.095.
TWO_OBSERVERS_BINARY = [
    [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
]


def alpha_by_hand(data: list[list[float]]) -> float:
    """Nominal alpha from the coincidence matrix, as the paper computes it: 1 - (n - 1) * sum of o_ck over c != k
    divided by sum of n_c * n_k over c != k, with units coded by fewer than two observers left out."""
    coincidences: Counter[tuple[float, float]] = Counter()
    for column in zip(*data, strict=True):
        values = [v for v in column if not math.isnan(v)]
        if len(values) < 2:
            continue
        for a, b in permutations(range(len(values)), 2):
            coincidences[(values[a], values[b])] += 1 / (len(values) - 1)
    totals: Counter[float] = Counter()
    for (c, _), count in coincidences.items():
        totals[c] += count
    n = sum(totals.values())
    observed = sum(count for (c, k), count in coincidences.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    return 1 - (n - 1) * observed / expected


def test_krippendorffs_worked_example_for_nominal_data_with_missing_values():
    value, status = alpha_nominal(FOUR_OBSERVERS)
    assert status == OK
    assert round(value, 3) == 0.743
    assert value == pytest.approx(alpha_by_hand(FOUR_OBSERVERS))


def test_krippendorffs_worked_example_for_binary_data():
    value, status = alpha_nominal(TWO_OBSERVERS_BINARY)
    assert (status, round(value, 3)) == (OK, 0.095)
    assert value == pytest.approx(alpha_by_hand(TWO_OBSERVERS_BINARY))


def coding(n: int, coder: str, start: int, end: int, code: str = "hope", source: str = "s1") -> Coding:
    return Coding(f"c{n}", source, start, end, code, coder)


def test_the_binary_example_through_codings_of_text():
    """Ten meaning units of ten characters; a code applied where the paper's observers wrote 1."""
    units = [Unit("s1", 10 * i, 10 * i + 10) for i in range(10)]
    codings = [
        coding(i * 2 + row, coder, 10 * i + 2, 10 * i + 7)
        for row, coder in enumerate(("anne", "bo"))
        for i, value in enumerate(TWO_OBSERVERS_BINARY[row])
        if value
    ]
    (result,) = agreement(codings, coders=["anne", "bo"], units=units)
    assert result.status == OK and round(result.alpha or 0, 3) == 0.095
    assert (result.units, result.coders, result.applied) == (10, 2, 6)
    assert result.explanation == ""
    found = disagreements(codings, coders=["anne", "bo"], units=units)
    assert [(d.unit.start, d.applied_by, d.not_applied_by) for d in found] == [
        (0, ("bo",), ("anne",)),
        (20, ("bo",), ("anne",)),
        (50, ("bo",), ("anne",)),
        (80, ("anne",), ("bo",)),
    ]


def test_units_are_cut_at_every_coding_boundary_and_text_nobody_coded_is_left_out():
    codings = [coding(1, "anne", 0, 10), coding(2, "bo", 5, 15), coding(3, "bo", 30, 40, source="s2")]
    assert units_from_codings(codings) == (
        Unit("s1", 0, 5),
        Unit("s1", 5, 10),
        Unit("s1", 10, 15),
        Unit("s2", 30, 40),
    )


def test_overlapping_codings_of_two_coders_give_a_figure_per_code():
    codings = [
        coding(1, "anne", 0, 10),
        coding(2, "bo", 0, 10),
        coding(3, "anne", 20, 30, code="role"),
        coding(4, "bo", 20, 30, code="role"),
        coding(5, "bo", 40, 50),
        coding(6, "anne", 60, 70, code="role"),
    ]
    results = {r.code_guid: r for r in agreement(codings, coders=["anne", "bo"])}
    assert set(results) == {"hope", "role"}
    assert all(r.status == OK and r.alpha is not None and -1 <= r.alpha <= 1 for r in results.values())
    assert results["hope"].alpha == pytest.approx(alpha_nominal([[1, 0, 0, 0], [1, 0, 1, 0]])[0])


def test_perfect_agreement_gives_one():
    codings = [coding(1, "anne", 0, 10), coding(2, "bo", 0, 10), coding(3, "anne", 20, 30, code="role")]
    codings.append(coding(4, "bo", 20, 30, code="role"))
    results = agreement(codings, coders=["anne", "bo"])
    assert [(r.code_guid, r.alpha) for r in results] == [("hope", 1.0), ("role", 1.0)]
    assert disagreements(codings, coders=["anne", "bo"]) == []


def test_one_coder_gives_no_figure_and_says_why():
    (result,) = agreement([coding(1, "anne", 0, 10)], coders=["anne"])
    assert (result.alpha, result.status) == (None, FEWER_THAN_TWO_CODERS)
    assert "Fewer than two coders" in result.explanation
    assert alpha_nominal([[1, 0, 1]]) == (None, FEWER_THAN_TWO_CODERS)


def test_no_variation_is_reported_as_such_never_as_nan():
    # Both coders applied the one code to the one stretch anyone coded: nothing varies.
    codings = [coding(1, "anne", 0, 10), coding(2, "bo", 0, 10)]
    (result,) = agreement(codings, coders=["anne", "bo"])
    assert (result.alpha, result.status) == (None, NOT_ENOUGH_VARIATION)
    assert result.explanation.startswith("Not enough variation")
    assert alpha_nominal([[0, 0, 0], [0, 0, 0]]) == (None, NOT_ENOUGH_VARIATION)
    assert alpha_nominal([[1, 1, NAN], [1, NAN, 1], [NAN, 1, 1]]) == (None, NOT_ENOUGH_VARIATION)


def test_coders_of_different_sources_share_no_unit():
    codings = [coding(1, "anne", 0, 10), coding(2, "bo", 0, 10, source="s2")]
    (result,) = agreement(codings, coders=["anne", "bo"], coded_sources={"anne": {"s1"}, "bo": {"s2"}})
    assert (result.alpha, result.status, result.units) == (None, NO_SHARED_UNITS, 0)
    assert alpha_nominal([[1, NAN], [NAN, 0]]) == (None, NO_SHARED_UNITS)
    assert agreement([], coders=["anne", "bo"], code_guids=["hope"])[0].status == NO_SHARED_UNITS


def test_a_coder_who_did_not_code_a_source_gives_no_value_there():
    codings = [
        coding(1, "anne", 0, 10),
        coding(2, "bo", 20, 30),
        coding(3, "cai", 0, 10),
        coding(4, "anne", 0, 10, source="s2"),
    ]
    coded = {"anne": {"s1", "s2"}, "bo": {"s1"}, "cai": {"s1"}}
    (result,) = agreement(codings, coders=["anne", "bo", "cai"], coded_sources=coded)
    # Units: s1 0-10 and 20-30 (three coders each); s2 0-10 has one coder only and is not compared.
    assert result.units == 2
    found = disagreements(codings, coders=["anne", "bo", "cai"], coded_sources=coded)
    assert [(d.unit, d.applied_by, d.not_applied_by) for d in found] == [
        (Unit("s1", 0, 10), ("anne", "cai"), ("bo",)),
        (Unit("s1", 20, 30), ("bo",), ("anne", "cai")),
    ]


def test_codings_of_coders_not_compared_are_ignored():
    codings = [coding(1, "anne", 0, 10), coding(2, "bo", 0, 10), coding(3, "eve", 20, 30)]
    (result,) = agreement(codings, coders=["anne", "bo"])
    assert result.units == 1  # eve's stretch is no unit


def test_the_module_says_agreement_is_never_a_gate():
    assert "never a gate" in (agreement_module.__doc__ or "")
    assert "never a gate" in (agreement.__doc__ or "")


def test_a_value_given_on_a_unit_nobody_else_coded_does_not_change_the_figure():
    with_single = [[1, 0, 0, 7], [1, 1, 0, NAN]]
    value, status = alpha_nominal(with_single)
    assert status == OK
    assert value == pytest.approx(krippendorff.alpha(reliability_data=with_single, level_of_measurement="nominal"))
    assert value == pytest.approx(alpha_by_hand(with_single))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 30), st.sampled_from(["s1", "s2"])), max_size=25))
def test_units_cut_from_codings_are_the_pieces_some_coding_covers(stretches):
    codings = [coding(n, "anne", at, at + length, source=source) for n, (at, length, source) in enumerate(stretches)]
    expected = []
    for source in ("s1", "s2"):
        mine = [c for c in codings if c.source_guid == source]
        cuts = sorted({c.start for c in mine} | {c.end for c in mine})
        for a, b in zip(cuts, cuts[1:], strict=False):
            if any(c.start <= a and b <= c.end for c in mine):
                expected.append(Unit(source, a, b))
    assert list(units_from_codings(codings)) == expected


def test_units_given_by_the_caller_may_overlap():
    units = [Unit("s1", 0, 20), Unit("s1", 10, 30), Unit("s1", 40, 50)]
    codings = [coding(1, "anne", 25, 28), coding(2, "bo", 5, 8), coding(3, "bo", 45, 46)]
    found = disagreements(codings, coders=["anne", "bo"], units=units)
    assert [(d.unit, d.applied_by) for d in found] == [(units[0], ("bo",)), (units[1], ("anne",)), (units[2], ("bo",))]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 5), st.sampled_from("abcd"), st.sampled_from(["x", "y", "z"])),
        min_size=1,
        max_size=40,
    )
)
def test_some_codes_computed_alone_give_the_figures_all_codes_give(picked):
    """A code's figure and disagreements rest only on its own codings, the units and the sources each coder
    coded: computing some codes from their codings alone gives what computing every code gives."""
    codings = [
        Coding(
            guid=f"g{i}",
            source_guid=f"s{source}",
            start=piece * 10,
            end=piece * 10 + 10,
            code_guid=code,
            coder_guid=coder,
        )
        for i, (source, piece, code, coder) in enumerate(picked)
    ]
    coders = sorted({c.coder_guid for c in codings})
    units = units_from_codings(codings)
    sources = {coder: {c.source_guid for c in codings if c.coder_guid == coder} for coder in coders}
    codes = sorted({c.code_guid for c in codings})
    every = agreement_and_disagreements(codings, coders=coders, code_guids=codes, units=units, coded_sources=sources)
    assert every == (
        agreement(codings, coders=coders, code_guids=codes, units=units, coded_sources=sources),
        disagreements(codings, coders=coders, code_guids=codes, units=units, coded_sources=sources),
    )
    for code in codes:
        alone = agreement_and_disagreements(
            [c for c in codings if c.code_guid == code],
            coders=coders,
            code_guids=[code],
            units=units,
            coded_sources=sources,
        )
        assert alone[0] == [f for f in every[0] if f.code_guid == code]
        assert alone[1] == [d for d in every[1] if d.code_guid == code]
