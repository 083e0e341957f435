"""The pulse survey: results of the latest surveys (groups below the threshold withheld) and their trend."""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from peerwork.core import charts

from .. import pulse
from ..items import Condition, wording_era
from ..models import PulseSurvey
from .base import Dashboard, Filters

PULSE_TREND = 8  # surveys in the trend


def add(d: Dashboard, f: Filters) -> None:
    surveys = list(
        PulseSurvey.objects.filter(organisation_id=f.organisation_id, period_start__lte=f.end).order_by(
            "-period_start"
        )[:PULSE_TREND]
    )[::-1]
    d.pulse = pulse.results(surveys)
    d.pulse_chart = pulse_chart(d.pulse)
    d.pulse_history = pulse.wording_history(d.pulse)


def _series(results: list[pulse.SurveyResult]) -> list[tuple[str, int, str]]:
    """(condition, wording era, label) for each line: one per condition, and one per wording where the
    statements of a condition were reworded between the surveys shown, so they are never joined."""
    condition_labels = dict(Condition.choices)
    out = []
    for c in Condition.values:
        eras = sorted({wording_era(c, r.survey.items_version) for r in results})
        if len(eras) == 1:
            out.append((c, eras[0], str(condition_labels[c])))
            continue
        for era in eras:
            first = next(r.survey.label for r in results if wording_era(c, r.survey.items_version) == era)
            label = _("%(condition)s (wording asked from %(survey)s)") % {
                "condition": condition_labels[c],
                "survey": first,
            }
            out.append((c, era, label))
    return out


def pulse_chart(results: list[pulse.SurveyResult]) -> Any:
    if len(results) < 2:
        return None
    series = _series(results)

    def shown(r: pulse.SurveyResult, c: str, era: int) -> bool:
        return not r.pooled[c].withheld and wording_era(c, r.survey.items_version) == era

    def text(r: pulse.SurveyResult, c: str, era: int) -> Any:
        if wording_era(c, r.survey.items_version) != era:
            return charts.Cell(_("asked in other words"), css="withheld")
        if r.pooled[c].withheld:
            return charts.Cell(_("withheld"), css="withheld")
        return floatformat(r.pooled[c].mean, 1)

    return charts.line_chart(
        "chart-pulse-trend",
        _("Pulse survey: average agreement by condition"),
        _(
            "For each survey, the average answer (1 strongly disagree to 5 strongly agree) of all groups "
            "shown, "
            "for each condition. Withheld results leave a gap. Where a statement was reworded, each wording "
            "has its own line: answers to different questions are not compared."
        ),
        label_header=_("Survey"),
        x_labels=[r.survey.label for r in results],
        series=[label for _c, _e, label in series],
        values=[[r.pooled[c].mean if shown(r, c, era) else None for r in results] for c, era, _label in series],
        texts=[[text(r, c, era) for r in results] for c, era, _label in series],
        y_min=1,
        y_max=5,
        caption=_("Average answer of all groups shown, by survey"),
    )
