"""The service's charts, built with the shared chart helper (peerwork.core.charts): a goal's ratings over time
and contacts per week against the threshold. Each renders with its table of the same numbers."""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format, localize
from django.utils.translation import gettext as _

from peerwork.core.charts import Cell, Chart, Row, Value, bar_chart, line_chart

from .workload import Week


def goal_chart(goal: Any) -> Chart | None:
    """A line of the person's own ratings (0–10) over time; None before the first rating."""
    ratings = list(goal.ratings.all())
    if not ratings:
        return None
    first, last = ratings[0].rated_on, ratings[-1].rated_on
    span = max((last - first).days, 1)
    return line_chart(
        f"goal-chart-{goal.pk}",
        _("The person's own rating over time; latest %(latest)s of 10. The same numbers are in the table below.")
        % {"latest": ratings[-1].rating},
        "",
        label_header=_("Date"),
        x_labels=[date_format(r.rated_on, "SHORT_DATE_FORMAT") for r in ratings],
        x_positions=[(r.rated_on - first).days / span if len(ratings) > 1 else 0.5 for r in ratings],
        series=[_("Rating (0–10)")],
        values=[[r.rating for r in ratings]],
        texts=[[str(r.rating) for r in ratings]],
        y_min=0,
        y_max=10,
        y_step=5,
        caption=_("The person's own ratings"),
        caption_hidden=True,
        details=_("Ratings as a table"),
    )


def week_chart(weeks: list[Week], threshold: int) -> Chart:
    """Contacts per week as bars, with the organisation's threshold as a line across them."""
    return bar_chart(
        "weeks-chart",
        _("Contacts per week; the dashed line is the threshold of %(limit)s. The same numbers are in the table below.")
        % {"limit": threshold},
        "",
        label_header=_("Week starting"),
        series=[_("Contacts")],
        rows=[
            Row(
                date_format(w.start, "SHORT_DATE_FORMAT"),
                [Value(w.contacts, str(w.contacts), "")],
                extra=[Cell(localize(w.hours)), Cell(f"{w.outside} ({w.outside_percent}%)"), Cell(str(w.weekend))],
            )
            for w in weeks
        ],
        marker=threshold,
        caption=_("Week by week"),
        extra_headers=[_("Hours"), _("Outside agreed hours"), _("At the weekend")],
    )
