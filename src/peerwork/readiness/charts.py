"""The results of a round as a chart with its table (peerwork.core.charts), and the rows and gaps behind it."""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerwork.core.charts import Cell, Chart, Row, Series, Value, bar_chart

from .instrument import DOMAINS
from .models import Group
from .scoring import Results, change


def _score(score: float | None) -> str:
    return "—" if score is None else floatformat(score, 0)


def results_chart(results: Results, previous: Results | None) -> Chart:
    """One row per domain with a bar per shown group (0–100); the table adds all groups, spread and change."""
    labels = dict(Group.choices)
    rows = []
    for r in table_rows(results, previous):
        spread, wide, delta = r["spread"], r["wide"], r["change"]
        if spread is None:
            spread_cell = Cell("—")
        elif wide:
            spread_cell = Cell(f"{floatformat(spread, 0)} · {_('groups disagree')}", css="tag warn", strong=True)
        else:
            spread_cell = Cell(floatformat(spread, 0))
        values = [
            Value(
                c.score,
                _score(c.score),
                "",
                note=ngettext("%(n)s don't know", "%(n)s don't know", c.dont_know) % {"n": c.dont_know}
                if c.dont_know
                else "",
            )
            for c in r["cells"]
        ]
        rows.append(
            Row(
                f"{r['code']} {r['title']}",
                values,
                note=r["source"],
                extra=[
                    Cell(_score(r["overall"].score)),
                    spread_cell,
                    Cell("—" if delta is None else f"{'+' if delta > 0 else ''}{floatformat(delta, 0)}"),
                ],
                id=f"domain-{r['code']}",
                css="wide-spread" if wide else "",
            )
        )
    return bar_chart(
        "chart",
        _("Score per domain and group, from 0 (not in place) to 100 (fully in place)"),
        _("The table below the chart gives the same figures."),
        label_header=_("Domain"),
        series=[Series(labels[g.group], g.group, g.responses) for g in results.shown_groups],
        rows=rows,
        top=100,
        caption=_("Scores per domain (0 = not in place, 100 = fully in place)"),
        extra_headers=[_("All shown groups"), _("Spread between groups"), _("Change since the previous round")],
        table_css="results",
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
