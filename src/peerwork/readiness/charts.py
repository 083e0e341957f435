"""Geometry for the server-rendered SVG bar chart of a round's results (with a table beside it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .instrument import DOMAINS
from .models import Group
from .scoring import Results, change

LABEL_WIDTH = 210
PLOT_WIDTH = 400
BAR_HEIGHT = 12
BAR_GAP = 2
DOMAIN_GAP = 14


@dataclass
class Bar:
    group: str
    y: int
    width: float
    score: float | None
    label_x: float


@dataclass
class DomainRow:
    code: str
    title: Any
    y: int
    label_y: int
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Chart:
    width: int
    height: int
    plot_x: int
    plot_width: int
    rows: list[DomainRow]
    groups: list[tuple[str, Any]]
    ticks: list[tuple[float, int]]


def bar_chart(results: Results) -> Chart | None:
    shown = [g for g in results.groups if not g.withheld]
    if not shown:
        return None
    labels = dict(Group.choices)
    rows: list[DomainRow] = []
    y = 24
    for d in DOMAINS:
        block = len(shown) * (BAR_HEIGHT + BAR_GAP)
        row = DomainRow(d.code, d.title, y, y + block // 2 + 4)
        for n, g in enumerate(shown):
            score = g.domains[d.code].score
            width = round(PLOT_WIDTH * (score or 0) / 100, 1)
            row.bars.append(Bar(g.group, y + n * (BAR_HEIGHT + BAR_GAP), width, score, LABEL_WIDTH + width + 4))
        rows.append(row)
        y += block + DOMAIN_GAP
    ticks = [(LABEL_WIDTH + PLOT_WIDTH * t / 100, t) for t in (0, 25, 50, 75, 100)]
    return Chart(
        LABEL_WIDTH + PLOT_WIDTH + 50,
        y + 4,
        LABEL_WIDTH,
        PLOT_WIDTH,
        rows,
        [(g.group, labels[g.group]) for g in shown],
        ticks,
    )


def table_rows(results: Results, previous: Results | None) -> list[dict[str, Any]]:
    """One row per domain: score per shown group, all shown groups, spread, change since last round."""
    shown = [g for g in results.groups if not g.withheld]
    out = []
    for d in DOMAINS:
        out.append(
            {
                "code": d.code,
                "title": d.title,
                "source": d.source,
                "cells": [g.domains[d.code] for g in shown],
                "overall": results.overall[d.code],
                "spread": results.spread.get(d.code),
                "wide": results.spread_is_wide(d.code),
                "change": change(results, previous, d.code),
            }
        )
    return out


def gaps(results: Results, limit: int = 3) -> list[dict[str, Any]]:
    """The lowest-scoring domains over all shown groups: where to act first."""
    scored = [(s, d) for d in DOMAINS if (s := results.overall[d.code].score) is not None]
    scored.sort(key=lambda t: t[0])
    return [{"code": d.code, "title": d.title, "score": s, "source": d.source} for s, d in scored[:limit]]
