"""The pulse survey: results of the latest surveys (groups below the threshold withheld) and their trend."""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from peerwork.core import charts

from .. import pulse
from ..items import Condition
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


def pulse_chart(results: list[pulse.SurveyResult]) -> Any:
    if len(results) < 2:
        return None
    condition_labels = dict(Condition.choices)
    series = Condition.values
    return charts.line_chart(
        "chart-pulse-trend",
        _("Pulse survey: average agreement by condition"),
        _(
            "For each survey, the average answer (1 strongly disagree to 5 strongly agree) of all groups "
            "shown, "
            "for each condition. Withheld results leave a gap."
        ),
        label_header=_("Survey"),
        x_labels=[r.survey.label for r in results],
        series=[condition_labels[c] for c in series],
        values=[[None if r.pooled[c].withheld else r.pooled[c].mean for r in results] for c in series],
        texts=[
            [
                charts.Cell(_("withheld"), css="withheld") if r.pooled[c].withheld else floatformat(r.pooled[c].mean, 1)
                for r in results
            ]
            for c in series
        ],
        y_min=1,
        y_max=5,
        caption=_("Average answer of all groups shown, by survey"),
    )
