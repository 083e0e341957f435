"""The pulse survey: results of the latest surveys (groups below the threshold withheld) and their trend."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .. import charts, pulse
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
    return charts.line_chart(
        "chart-pulse-trend",
        _("Pulse survey: average agreement by condition"),
        _(
            "For each survey, the average answer (1 strongly disagree to 5 strongly agree) of all groups "
            "shown, "
            "for each condition. Withheld results leave a gap."
        ),
        [r.survey.label for r in results],
        [charts.Series(str(condition_labels[c]), [r.pooled[c].mean for r in results]) for c in Condition.values],
    )
