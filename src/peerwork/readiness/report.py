"""The readiness report for the board: HTML (with print styles) and the same template as a tagged PDF.

Made for people who do not use Peerwork: the organisation's name, the day, each domain by its name (no codes),
the scores of this round beside the previous one as a chart with its table of numbers (the trend), where the
largest gaps are, what the checks on the organisation's own data found, and how far the action plan has come.
"""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core import pdf, plain
from peerwork.core.actor import Actor
from peerwork.core.charts import Cell, Chart, Row, Series, Value, bar_chart

from . import charts, checks, selectors
from .instrument import DOMAINS
from .models import ActionItem, Group
from .roles import READ_ROLES
from .scoring import change


def _score(score: float | None) -> str:
    return "—" if score is None else floatformat(score, 0)


def trend_chart(view: selectors.RoundView) -> Chart:
    """Each domain's score over all shown groups, this round beside the previous one, with the change."""
    now, before = view.results, view.previous_results
    series = [Series(_("This round (%(day)s)") % {"day": plain.day(view.round.opens_on)}, "0")]
    if before is not None and view.previous is not None:
        series.append(Series(_("Previous round (%(day)s)") % {"day": plain.day(view.previous.opens_on)}, "1"))
    rows = []
    for d in DOMAINS:
        score = now.overall[d.code].score
        values = [Value(score, _score(score), "0")]
        if before is not None and len(series) > 1:
            old = before.overall.get(d.code)
            old_score = old.score if old is not None else None
            values.append(Value(old_score, _score(old_score), "1"))
        delta = change(now, before, d.code)
        rows.append(
            Row(
                d.title,
                values,
                extra=[Cell("—" if delta is None else f"{'+' if delta > 0 else ''}{floatformat(delta, 0)}")],
            )
        )
    return bar_chart(
        "board-trend",
        _("Score per domain, from 0 (not in place) to 100 (fully in place)"),
        _("All groups who answered together; the previous round beside it when there was one."),
        label_header=_("Domain"),
        series=series,
        rows=rows,
        top=100,
        caption=_("Score per domain and change since the previous round"),
        extra_headers=[_("Change since the previous round")],
    )


def actions_chart(counts: dict[str, int]) -> Chart:
    return bar_chart(
        "board-actions",
        _("The action plan: actions by where they stand"),
        "",
        label_header=_("Where the action stands"),
        series=[_("Actions")],
        rows=[(label, [(counts[value], str(counts[value]))]) for value, label in ActionItem.Status.choices]
        + [(_("Past their due date"), [(counts["overdue"], str(counts["overdue"]))])],
        caption=_("Actions by where they stand"),
    )


def gather(actor: Actor) -> dict[str, Any]:
    actor.require(*READ_ROLES)
    view = selectors.round_view(actor)
    check_report = checks.run(actor)
    counts = selectors.action_status_counts(actor)
    labels = dict(Group.choices)
    data: dict[str, Any] = {
        "organisation": actor.organisation.name,
        "today": timezone.localdate(),
        "view": view,
        "trend": trend_chart(view) if view and not view.results.too_few else None,
        "gaps": charts.gaps(view.results) if view else [],
        "groups": [labels[g.group] for g in view.results.shown_groups] if view else [],
        "withheld": [labels[g.group] for g in view.results.groups if g.withheld] if view else [],
        "checks": [(r.check, len(r.findings), r.available) for r in check_report.results],
        "actions": actions_chart(counts),
        "overdue": counts["overdue"],
    }
    return data


def render_pdf(data: dict[str, Any]) -> bytes:
    """The same report as the page, as a tagged PDF (``peerwork.core.pdf``)."""
    title = _("Readiness report for the board: %(org)s") % {"org": data["organisation"]}
    return pdf.render("readiness/report_pdf.html", data, title=title)


def audit_export(actor: Actor) -> None:
    record(actor, Action.EXPORT, object_type="readiness.report", detail=Detail("board_report"))
