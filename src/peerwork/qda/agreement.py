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
    "alpha_nominal",
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
    value = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
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
        cuts = sorted({c.start for c in found} | {c.end for c in found})
        for start, end in zip(cuts, cuts[1:], strict=False):
            if any(c.start <= start and end <= c.end for c in found):
                units.append(Unit(source_guid, start, end))
    return tuple(units)


_Index = dict[tuple[str, str, str], list[tuple[int, int]]]


def _index(codings: Iterable[Coding]) -> _Index:
    """The stretches each coder coded with each code, per source: (coder, code, source) -> [(start, end)]."""
    index: _Index = {}
    for coding in codings:
        index.setdefault((coding.coder_guid, coding.code_guid, coding.source_guid), []).append(
            (coding.start, coding.end)
        )
    return index


def _matrix(
    code_guid: str,
    index: _Index,
    coders: Sequence[str],
    units: Sequence[Unit],
    coded_sources: Mapping[str, Collection[str]] | None,
) -> list[list[float]]:
    rows = []
    for coder in coders:
        sources = coded_sources.get(coder, ()) if coded_sources is not None else None
        row = []
        for unit in units:
            if sources is not None and unit.source_guid not in sources:
                row.append(math.nan)
                continue
            stretches = index.get((coder, code_guid, unit.source_guid), ())
            # A unit counts as coded when a coding overlaps it (a unit cut from the codings lies inside it).
            row.append(1.0 if any(start < unit.end and unit.start < end for start, end in stretches) else 0.0)
        rows.append(row)
    return rows


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
    mine = [c for c in codings if c.coder_guid in set(coders)]
    units = tuple(units) if units is not None else units_from_codings(mine)
    codes = list(code_guids) if code_guids is not None else sorted({c.code_guid for c in mine})
    stretches = _index(mine)
    results = []
    for code_guid in codes:
        rows = _matrix(code_guid, stretches, coders, units, coded_sources)
        data = np.asarray(rows, dtype=float).reshape(len(coders), len(units))
        present = ~np.isnan(data)
        shared = present.sum(axis=0) >= 2
        value, status = alpha_nominal(data) if units else (None, NO_SHARED_UNITS)
        if len(coders) < 2:
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
    mine = [c for c in codings if c.coder_guid in set(coders)]
    units = tuple(units) if units is not None else units_from_codings(mine)
    codes = list(code_guids) if code_guids is not None else sorted({c.code_guid for c in mine})
    stretches = _index(mine)
    found = []
    for code_guid in codes:
        rows = _matrix(code_guid, stretches, coders, units, coded_sources)
        for index, unit in enumerate(units):
            applied = tuple(coder for coder, row in zip(coders, rows, strict=True) if row[index] == 1.0)
            not_applied = tuple(coder for coder, row in zip(coders, rows, strict=True) if row[index] == 0.0)
            if applied and not_applied:
                found.append(Disagreement(unit, code_guid, applied, not_applied))
    found.sort(key=lambda d: (d.unit, codes.index(d.code_guid)))
    return found
