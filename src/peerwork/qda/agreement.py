"""How far independent coders agree, per code, and where they differ: material for the coders' conversation.

Agreement is a conversation aid, never a gate. A low figure says where coders read the text differently and
where to talk; it does not say who is right, and nothing in Peerwork waits on a figure or blocks on one (a
Peerwork design). In reflexive thematic analysis a second reading that differs is a resource, not an error.

The figure is Krippendorff's alpha for nominal data, computed by the ``krippendorff`` library, per code: for
each unit of text each coder either applied the code (1) or did not (0); a coder who did not code that unit's
source gives no value (missing), and alpha allows for that. 1 means the coders agree fully, 0 no more than
chance would give; it can be negative when they disagree systematically.

Units are stretches of text. The caller may give them (the meaning units of a systematic text condensation, the
turns of a transcript). Otherwise they are cut from the codings themselves, a Peerwork choice: each source is
cut at every start and end of any coder's coding, and every piece that at least one coder coded (with any code)
is a unit; text nobody coded is left out, so agreement on "nothing here" does not inflate the figure. Each unit
counts once, whatever its length.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import krippendorff
import numpy as np
import numpy.typing as npt

from .model import Coding

__all__ = [
    "FEWER_THAN_TWO_CODERS",
    "NO_SHARED_UNITS",
    "NOT_ENOUGH_VARIATION",
    "OK",
    "CodeAgreement",
    "Disagreement",
    "Unit",
    "agreement",
    "agreement_and_disagreements",
    "alpha_nominal",
    "compare",
    "disagreements",
    "units_from_codings",
]

#: Status of a figure: computed.
OK = "ok"
#: Fewer than two coders coded the units: there is nothing to compare.
FEWER_THAN_TWO_CODERS = "fewer_than_two_coders"
#: No unit was coded by two coders or more: there is nothing to compare.
NO_SHARED_UNITS = "no_shared_units"
#: Every coder gave every shared unit the same value (the code everywhere, or nowhere): alpha is undefined,
#: since the coders show no variation to agree or disagree on.
NOT_ENOUGH_VARIATION = "not_enough_variation"

_EXPLANATION = {
    OK: "",
    FEWER_THAN_TWO_CODERS: "Fewer than two coders coded this material, so there is nothing to compare.",
    NO_SHARED_UNITS: "No stretch of text was coded by two coders or more, so there is nothing to compare.",
    NOT_ENOUGH_VARIATION: (
        "Not enough variation: every coder gave every shared stretch the same answer (the code everywhere or "
        "nowhere), so agreement cannot be measured."
    ),
}


@dataclass(frozen=True, order=True)
class Unit:
    """A stretch of a source, from ``start`` (included) to ``end`` (excluded), in characters."""

    source_guid: str
    start: int
    end: int


@dataclass(frozen=True)
class CodeAgreement:
    """Agreement on one code. ``alpha`` is None unless ``status`` is :data:`OK`; ``explanation`` says why in a
    plain English sentence (the app shows its own translated words for ``status``)."""

    code_guid: str
    alpha: float | None
    status: str
    units: int  # units that at least two coders coded, the ones alpha compares
    coders: int  # coders who gave a value for at least one of those units
    applied: int  # of the values given on those units, how many applied the code

    @property
    def explanation(self) -> str:
        return _EXPLANATION[self.status]


@dataclass(frozen=True)
class Disagreement:
    """A unit where coders differ on a code: who applied it and who did not (coders who did not code the
    source are in neither)."""

    unit: Unit
    code_guid: str
    applied_by: tuple[str, ...]
    not_applied_by: tuple[str, ...]


def alpha_nominal(reliability_data: npt.ArrayLike) -> tuple[float | None, str]:
    """Krippendorff's alpha for nominal data: rows are coders, columns units, ``nan`` a missing value.

    Returns the figure and :data:`OK`, or None and the reason it cannot be computed (never ``nan``)."""
    data = np.asarray(reliability_data, dtype=float)
    if data.ndim != 2 or data.shape[0] < 2:
        return None, FEWER_THAN_TWO_CODERS
    present = ~np.isnan(data)
    shared = present.sum(axis=0) >= 2
    if not shared.any():
        return None, NO_SHARED_UNITS
    values = np.unique(data[:, shared][present[:, shared]])
    if len(values) < 2:
        return None, NOT_ENOUGH_VARIATION
    # The library counts values per unit itself; counting them here, over the known values, is quicker.
    counts = np.stack([(data == v).sum(axis=0) for v in values], axis=1)
    value = float(krippendorff.alpha(value_counts=counts, value_domain=values, level_of_measurement="nominal"))
    if math.isnan(value):  # the library found no expected disagreement after all
        return None, NOT_ENOUGH_VARIATION
    return value, OK


def units_from_codings(codings: Iterable[Coding]) -> tuple[Unit, ...]:
    """Cut each source at every start and end of any coding; keep the pieces some coding covers."""
    by_source: dict[str, list[Coding]] = {}
    for coding in codings:
        if coding.end > coding.start:
            by_source.setdefault(coding.source_guid, []).append(coding)
    units: list[Unit] = []
    for source_guid, found in sorted(by_source.items()):
        # Sweep the cuts in order, counting the codings open at each: a piece is kept when one or more is.
        change: dict[int, int] = {}
        for c in found:
            change[c.start] = change.get(c.start, 0) + 1
            change[c.end] = change.get(c.end, 0) - 1
        cuts = sorted(change)
        open_codings = 0
        for start, end in zip(cuts, cuts[1:], strict=False):
            open_codings += change[start]
            if open_codings > 0:
                units.append(Unit(source_guid, start, end))
    return tuple(units)


@dataclass(frozen=True)
class _Table:
    """Who applied which code on which unit: ``values[code, coder, unit]`` is 1.0, 0.0 or nan (did not code
    the unit's source)."""

    coders: tuple[str, ...]
    codes: tuple[str, ...]
    units: tuple[Unit, ...]
    values: npt.NDArray[np.float64]


def _table(
    codings: Sequence[Coding],
    coders: Sequence[str],
    code_guids: Sequence[str] | None,
    units: Sequence[Unit] | None,
    coded_sources: Mapping[str, Collection[str]] | None,
) -> _Table:
    coder_at = {coder: i for i, coder in enumerate(coders)}
    mine = [c for c in codings if c.coder_guid in coder_at]
    chosen = tuple(units) if units is not None else units_from_codings(mine)
    codes = tuple(code_guids) if code_guids is not None else tuple(sorted({c.code_guid for c in mine}))
    code_at = {code: i for i, code in enumerate(codes)}
    applied = np.zeros((len(codes), len(coders), len(chosen)), dtype=np.float64)
    # Per source, the units in order of their start, to find those a coding overlaps by bisection.
    by_source: dict[str, list[tuple[int, int, int]]] = {}
    for i, unit in enumerate(chosen):
        by_source.setdefault(unit.source_guid, []).append((unit.start, unit.end, i))
    starts: dict[str, list[int]] = {}
    ends: dict[str, list[int]] = {}  # only for sources whose units do not overlap (then ends are in order too)
    for source, ordered in by_source.items():
        ordered.sort()
        starts[source] = [start for start, _, _ in ordered]
        if all(ordered[i][1] <= ordered[i + 1][0] for i in range(len(ordered) - 1)):
            ends[source] = [end for _, end, _ in ordered]
    for coding in mine:
        code = code_at.get(coding.code_guid)
        candidates = by_source.get(coding.source_guid)
        if code is None or not candidates:
            continue
        # A unit counts as coded when the coding overlaps it (a unit cut from the codings lies inside it).
        first = bisect_right(ends[coding.source_guid], coding.start) if coding.source_guid in ends else 0
        for start, end, i in candidates[first : bisect_left(starts[coding.source_guid], coding.end)]:
            if end > coding.start and start < coding.end:
                applied[code, coder_at[coding.coder_guid], i] = 1.0
    if coded_sources is not None:
        for coder, row in coder_at.items():
            theirs = coded_sources.get(coder, ())
            missing = [i for i, unit in enumerate(chosen) if unit.source_guid not in theirs]
            applied[:, row, missing] = np.nan
    return _Table(tuple(coders), codes, chosen, applied)


def _figures(table: _Table, n_coders: int) -> list[CodeAgreement]:
    results = []
    for code_guid, data in zip(table.codes, table.values, strict=True):
        present = ~np.isnan(data)
        shared = present.sum(axis=0) >= 2
        value, status = alpha_nominal(data) if table.units else (None, NO_SHARED_UNITS)
        if n_coders < 2:
            value, status = None, FEWER_THAN_TWO_CODERS
        results.append(
            CodeAgreement(
                code_guid=code_guid,
                alpha=value,
                status=status,
                units=int(shared.sum()),
                coders=int(present[:, shared].any(axis=1).sum()),
                applied=int(np.nansum(data[:, shared])),
            )
        )
    return results


def _differences(table: _Table) -> list[Disagreement]:
    found = []
    for code_index, code_guid in enumerate(table.codes):
        data = table.values[code_index]
        differ = np.flatnonzero((data == 1.0).any(axis=0) & (data == 0.0).any(axis=0))
        for i in differ:
            applied = tuple(coder for row, coder in enumerate(table.coders) if data[row, i] == 1.0)
            not_applied = tuple(coder for row, coder in enumerate(table.coders) if data[row, i] == 0.0)
            found.append((table.units[i], code_index, Disagreement(table.units[i], code_guid, applied, not_applied)))
    found.sort(key=lambda item: (item[0], item[1]))
    return [item[2] for item in found]


def agreement(
    codings: Sequence[Coding],
    *,
    coders: Sequence[str],
    code_guids: Sequence[str] | None = None,
    units: Sequence[Unit] | None = None,
    coded_sources: Mapping[str, Collection[str]] | None = None,
) -> list[CodeAgreement]:
    """Krippendorff's alpha per code, for the given coders' codings (a conversation aid, never a gate).

    ``coders``: the GUIDs of the coders to compare (their order is kept nowhere). ``code_guids``: the codes to
    report, in this order (default: every code applied, sorted). ``units``: the stretches to compare on (default:
    :func:`units_from_codings` of these coders' codings). ``coded_sources``: for each coder, the sources they
    coded; a coder gives no value on the other sources' units. Default: every coder coded every source.
    """
    return _figures(_table(codings, coders, code_guids, units, coded_sources), len(coders))


def disagreements(
    codings: Sequence[Coding],
    *,
    coders: Sequence[str],
    code_guids: Sequence[str] | None = None,
    units: Sequence[Unit] | None = None,
    coded_sources: Mapping[str, Collection[str]] | None = None,
) -> list[Disagreement]:
    """The units where some coders applied a code and others did not, in the order of the text, to discuss
    together. Arguments as for :func:`agreement`."""
    return _differences(_table(codings, coders, code_guids, units, coded_sources))


def agreement_and_disagreements(
    codings: Sequence[Coding],
    *,
    coders: Sequence[str],
    code_guids: Sequence[str] | None = None,
    units: Sequence[Unit] | None = None,
    coded_sources: Mapping[str, Collection[str]] | None = None,
) -> tuple[list[CodeAgreement], list[Disagreement]]:
    """:func:`agreement` and :func:`disagreements` from one table of who applied what. Arguments as for
    :func:`agreement`."""
    table = _table(codings, coders, code_guids, units, coded_sources)
    return _figures(table, len(coders)), _differences(table)


def compare(
    codings: Sequence[Coding],
    *,
    coders: Sequence[str],
    code_guids: Sequence[str] | None = None,
    units: Sequence[Unit] | None = None,
    coded_sources: Mapping[str, Collection[str]] | None = None,
) -> tuple[list[CodeAgreement], int]:
    """:func:`agreement` and how many disagreements :func:`disagreements` would list, from one table of who
    applied what. Arguments as for :func:`agreement`."""
    table = _table(codings, coders, code_guids, units, coded_sources)
    differ = (table.values == 1.0).any(axis=1) & (table.values == 0.0).any(axis=1)
    return _figures(table, len(coders)), int(differ.sum())
