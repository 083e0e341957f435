"""The one-page readiness report for the board: HTML (with print styles) and PDF.

The PDF uses fpdf2 (pure Python, on PyPI) with its built-in Helvetica, which covers the Latin-1 letters
of English, Norwegian and Danish; other characters are replaced with plain equivalents.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerwork.audit.trail import Action, record
from peerwork.core.actor import Actor
from peerwork.core.sources import label_text

from . import charts, checks, selectors
from .models import ActionItem, Group
from .roles import READ_ROLES


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
        "rows": charts.table_rows(view.results, view.previous_results) if view else [],
        "gaps": charts.gaps(view.results) if view else [],
        "groups": [labels[g.group] for g in view.results.shown_groups] if view else [],
        "withheld": [labels[g.group] for g in view.results.groups if g.withheld] if view else [],
        "checks": [(r.check, len(r.findings), r.available) for r in check_report.results],
        "actions": [(label, counts[value]) for value, label in ActionItem.Status.choices],
        "overdue": counts["overdue"],
    }
    return data


_REPLACE = {
    "\u2013": "-",
    "\u2014": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2026": "...",
    "\u00a0": " ",
    "\u2212": "-",
    "\u2265": ">=",
    "\u2264": "<=",
    "§": "S",
}


def _latin1(text: Any) -> str:
    s = str(text)
    for a, b in _REPLACE.items():
        s = s.replace(a, b)
    return s.encode("latin-1", "replace").decode("latin-1")


def _fmt(score: float | None) -> str:
    return "-" if score is None else f"{score:.0f}"


def render_pdf(data: dict[str, Any]) -> bytes:
    from fpdf import FPDF  # imported here: only this download needs it

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_margins(14, 12, 14)
    pdf.add_page()
    pdf.set_title(_latin1(_("Readiness report")))
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 8, _latin1(_("Readiness report")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(0, 5, _latin1(f"{data['organisation']} - {data['today'].isoformat()}"), new_x="LMARGIN", new_y="NEXT")
    view = data["view"]

    def heading(text: str) -> None:
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(0, 6, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 8.5)

    heading(_("Results by domain (0 = not in place, 100 = fully in place)"))
    if view is None:
        pdf.multi_cell(0, 4.5, _latin1(_("No readiness round has been run yet.")), new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.multi_cell(
            0,
            4.5,
            _latin1(
                ngettext(
                    "Round: %(title)s, opened %(date)s. %(n)d answer.",
                    "Round: %(title)s, opened %(date)s. %(n)d answers.",
                    view.results.total_responses,
                )
                % {
                    "title": view.round.title,
                    "date": view.round.opens_on.isoformat(),
                    "n": view.results.total_responses,
                }
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        if data["withheld"]:
            pdf.multi_cell(
                0,
                4.5,
                _latin1(
                    _("Not shown, fewer than three answers: %(groups)s.")
                    % {"groups": ", ".join(str(g) for g in data["withheld"])}
                ),
                new_x="LMARGIN",
                new_y="NEXT",
            )
        groups = data["groups"]
        widths = [58] + [18] * len(groups) + [16, 14, 16]
        header = [_("Domain"), *groups, _("All"), _("Spread"), _("Change")]
        pdf.set_font("Helvetica", "B", 7.5)
        with pdf.table(col_widths=widths, text_align="LEFT", line_height=4, first_row_as_headings=True) as table:
            row = table.row()
            for h in header:
                row.cell(_latin1(h))
            pdf.set_font("Helvetica", "", 8)
            for r in data["rows"]:
                row = table.row()
                row.cell(_latin1(f"{r['code']} {r['title']}"))
                for cell in r["cells"]:
                    row.cell(_fmt(cell.score))
                row.cell(_fmt(r["overall"].score))
                row.cell(_fmt(r["spread"]) + (" !" if r["wide"] else ""))
                change = r["change"]
                row.cell("-" if change is None else f"{change:+.0f}")
        heading(_("Largest gaps"))
        for g in data["gaps"]:
            pdf.cell(
                0,
                4.5,
                _latin1(f"{g['code']} {g['title']}: {_fmt(g['score'])} ({label_text(g['source'])})"),
                new_x="LMARGIN",
                new_y="NEXT",
            )

    heading(_("Checks derived from the data"))
    for check, n, available in data["checks"]:
        status = _("not available yet") if not available else (_("%(n)d found") % {"n": n} if n else _("none found"))
        pdf.cell(
            0, 4.5, _latin1(f"{check.title} ({label_text(check.source)}): {status}"), new_x="LMARGIN", new_y="NEXT"
        )

    heading(_("Action plan"))
    pdf.cell(
        0,
        4.5,
        _latin1(
            ", ".join(f"{label}: {n}" for label, n in data["actions"])
            + "; "
            + _("overdue: %(n)d") % {"n": data["overdue"]}
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())


def audit_export(actor: Actor) -> None:
    record(actor, Action.EXPORT, object_type="readiness.report", detail="board report pdf")
