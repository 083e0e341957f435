"""Scores per domain and respondent group, with the anonymity threshold applied. Pure: no database.

A group with fewer than ``threshold`` submitted responses is withheld entirely, and the "all groups"
figure is computed from the shown groups only, so a withheld group cannot be worked out by subtracting
the shown groups from the total.

Someone may answer with their name (say, the only peer worker in a team). Named answers are shown on their
own, with the name; a group's figure that includes them is shown only when its anonymous answers alone
also reach the threshold (or there are none), so subtracting the named answers never reveals fewer than
``threshold`` anonymous people.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .instrument import DONT_KNOW, score_of

SPREAD_HIGHLIGHT = 25.0  # points on the 0–100 scale


@dataclass
class Cell:
    score: float | None  # 0–100; None when every answer was "don't know"
    answers: int
    dont_know: int


@dataclass
class GroupResult:
    group: str
    responses: int
    withheld: bool
    domains: dict[str, Cell] = field(default_factory=dict)


@dataclass
class NamedResult:
    group: str
    name: str
    domains: dict[str, Cell] = field(default_factory=dict)


@dataclass
class Results:
    threshold: int
    total_responses: int
    groups: list[GroupResult]
    overall: dict[str, Cell]
    spread: dict[str, float | None]

    @property
    def shown_groups(self) -> list[GroupResult]:
        return [g for g in self.groups if not g.withheld]

    @property
    def too_few(self) -> bool:
        return not self.shown_groups

    def spread_is_wide(self, domain: str) -> bool:
        s = self.spread.get(domain)
        return s is not None and s >= SPREAD_HIGHLIGHT


def _cell(values: list[int]) -> Cell:
    known = [v for v in values if v != DONT_KNOW]
    score = round(sum(score_of(v) for v in known) / len(known), 1) if known else None
    return Cell(score=score, answers=len(values), dont_know=len(values) - len(known))


def _domain_values(
    rows: Iterable[Mapping[str, int]], item_domain: Mapping[str, str], domains: Sequence[str]
) -> dict[str, list[int]]:
    values: dict[str, list[int]] = {d: [] for d in domains}
    for answers in rows:
        for code, value in answers.items():
            domain = item_domain.get(code)
            if domain in values and isinstance(value, int):
                values[domain].append(value)
    return values


def named(
    responses: Iterable[tuple[str, str, Mapping[str, int]]],
    item_domain: Mapping[str, str],
    domains: Sequence[str],
) -> list[NamedResult]:
    """``responses``: (group, name, answers) of answers given with a name, each shown on its own."""
    return [
        NamedResult(group, name, {d: _cell(v) for d, v in _domain_values([answers], item_domain, domains).items()})
        for group, name, answers in responses
    ]


def compute(
    responses: Iterable[tuple[str, Mapping[str, int]] | tuple[str, Mapping[str, int], bool]],
    item_domain: Mapping[str, str],
    groups: Sequence[str],
    domains: Sequence[str],
    threshold: int = 3,
) -> Results:
    """``responses``: (group, {item code: value}[, anonymous]) of submitted responses; unknown codes are
    ignored. A response without the third element counts as anonymous."""
    per_group: dict[str, list[Mapping[str, int]]] = {g: [] for g in groups}
    anonymous: dict[str, int] = dict.fromkeys(groups, 0)
    for group, answers, *flag in responses:
        per_group.setdefault(group, []).append(answers)
        if not flag or flag[0]:
            anonymous[group] = anonymous.get(group, 0) + 1
    results: list[GroupResult] = []
    pooled: dict[str, list[int]] = {d: [] for d in domains}
    for group in per_group:
        rows = per_group[group]
        hidden_people = anonymous.get(group, 0)
        withheld = len(rows) < threshold or 0 < hidden_people < threshold
        gr = GroupResult(group=group, responses=len(rows), withheld=withheld)
        if not withheld:
            values = _domain_values(rows, item_domain, domains)
            gr.domains = {d: _cell(v) for d, v in values.items()}
            for d, v in values.items():
                pooled[d].extend(v)
        results.append(gr)
    overall = {d: _cell(v) for d, v in pooled.items()}
    spread: dict[str, float | None] = {}
    for d in domains:
        scores = [s for g in results if not g.withheld and (s := g.domains[d].score) is not None]
        spread[d] = round(max(scores) - min(scores), 1) if len(scores) >= 2 else None
    return Results(
        threshold=threshold,
        total_responses=sum(len(r) for r in per_group.values()),
        groups=results,
        overall=overall,
        spread=spread,
    )


def change(current: Results, previous: Results | None, domain: str) -> float | None:
    """Change in the all-groups score of a domain since the previous round."""
    if previous is None:
        return None
    now, before = current.overall[domain].score, previous.overall.get(domain)
    if now is None or before is None or before.score is None:
        return None
    return round(now - before.score, 1)
