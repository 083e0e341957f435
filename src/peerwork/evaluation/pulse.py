"""Pulse survey results: per survey, stakeholder group and condition, with the anonymity threshold.

* A group with fewer than three responses in a survey is withheld entirely.
* Within a shown group, a statement answered by fewer than three people (the others said "don't know") is
  withheld too.
* "All groups" is pooled from the shown cells only, so a withheld group cannot be worked out by subtracting
  the shown groups from a total.

* A statement whose wording changed (``items.CHANGES``) is not compared across the change: the trend has a
  separate line for each wording, and ``wording_history`` says what was asked when.

Two aggregate queries, whatever the number of responses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from .items import CHANGES, MIN_GROUP, Condition, Group, wording_era, wordings
from .models import PulseAnswer, PulseResponse, PulseSurvey


@dataclass
class Cell:
    n: int = 0
    total: int = 0
    agree: int = 0
    withheld: bool = False

    @property
    def mean(self) -> float | None:
        return None if self.withheld or not self.n else self.total / self.n

    @property
    def agree_share(self) -> float | None:
        return None if self.withheld or not self.n else self.agree / self.n

    @property
    def agree_percent(self) -> int | None:
        share = self.agree_share
        return None if share is None else round(share * 100)


@dataclass
class GroupResult:
    group: str
    label: str
    responses: int
    withheld: bool
    cells: dict[str, Cell] = field(default_factory=dict)

    def cell_list(self) -> list[tuple[str, Cell]]:
        return [(c, self.cells[c]) for c in Condition.values]


@dataclass
class SurveyResult:
    survey: PulseSurvey
    groups: list[GroupResult]
    pooled: dict[str, Cell]

    @property
    def responses(self) -> int:
        return sum(g.responses for g in self.groups)

    def pooled_list(self) -> list[tuple[str, Cell]]:
        return [(c, self.pooled[c]) for c in Condition.values]

    def condition_rows(self) -> list[tuple[str, str, bool, list[Cell]]]:
        """One row per condition for the results table: (condition, label, reworded, the cell of each group
        and then the pooled cell), so the table is written without searching the cells for each row."""
        labels = dict(Condition.choices)
        reworded = self.reworded
        return [
            (c, str(labels[c]), c in reworded, [g.cells[c] for g in self.groups] + [self.pooled[c]])
            for c in Condition.values
        ]

    @property
    def reworded(self) -> list[str]:
        """Conditions whose statements this survey asked in a wording other than the first."""
        return [c for c in Condition.values if wording_era(c, self.survey.items_version)]


@dataclass
class Wording:
    """One wording of a condition's statements, and the surveys shown that asked it."""

    texts: list[tuple[str, str]]  # (group label, statement)
    surveys: list[str]
    current: bool


@dataclass
class History:
    condition: str
    label: str
    why: str
    wordings: list[Wording]
    cites: tuple[str, ...] = ()


def wording_history(results: Sequence[SurveyResult]) -> list[History]:
    """For each condition whose wording changed: every wording, with the surveys among ``results`` that asked
    it. Pure; no query."""
    groups = dict(Group.choices)
    conditions = dict(Condition.choices)
    out = []
    for condition in dict.fromkeys(c.condition for c in CHANGES):
        eras = wordings(condition)
        out.append(
            History(
                condition,
                str(conditions[condition]),
                " ".join(str(c.why) for c in CHANGES if c.condition == condition),
                [
                    Wording(
                        [(str(groups[i.group]), str(i.text)) for i in items],
                        [
                            r.survey.label
                            for r in results
                            if since <= r.survey.items_version and (until is None or r.survey.items_version <= until)
                        ],
                        until is None,
                    )
                    for since, until, items in eras
                ],
                tuple(dict.fromkeys(k for c in CHANGES if c.condition == condition for k in c.cites)),
            )
        )
    return out


def results(surveys: Sequence[PulseSurvey], min_group: int = MIN_GROUP) -> list[SurveyResult]:
    ids = [s.pk for s in surveys]
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for row in (
        PulseResponse.objects.filter(survey_id__in=ids).values("survey_id", "group").annotate(n=Count("id")).order_by()
    ):
        counts[(row["survey_id"], row["group"])] = row["n"]
    cells: dict[tuple[int, str, str], Cell] = {}
    rows = (
        PulseAnswer.objects.filter(response__survey_id__in=ids)
        .values("response__survey_id", "response__group", "condition")
        .annotate(n=Count("id"), total=Sum("value"), agree=Count("id", filter=Q(value__gte=4)))
        .order_by()
    )
    for row in rows:
        cells[(row["response__survey_id"], row["response__group"], row["condition"])] = Cell(
            row["n"], row["total"] or 0, row["agree"]
        )
    labels = dict(Group.choices)
    out = []
    for survey in surveys:
        groups = []
        pooled = {c: Cell() for c in Condition.values}
        for group in Group.values:
            n = counts[(survey.pk, group)]
            withheld = n < min_group
            gr = GroupResult(group, str(labels[group]), n, withheld)
            for condition in Condition.values:
                cell = cells.get((survey.pk, group, condition), Cell())
                cell = Cell(cell.n, cell.total, cell.agree, withheld or cell.n < min_group)
                gr.cells[condition] = cell
                if not cell.withheld:
                    p = pooled[condition]
                    p.n, p.total, p.agree = p.n + cell.n, p.total + cell.total, p.agree + cell.agree
            groups.append(gr)
        for p in pooled.values():
            p.withheld = p.n < min_group
        out.append(SurveyResult(survey, groups, pooled))
    return out
