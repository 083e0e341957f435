"""A PDF of everything held about a person, made on the server with fpdf2.

It uses a Unicode font (DejaVu Sans when the system has it, so æ, ø, å and quotation marks print as they
are).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fpdf import FPDF

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]


def _font() -> tuple[Path, Path] | None:
    for d in FONT_DIRS:
        regular, bold = d / "DejaVuSans.ttf", d / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            return regular, bold
    return None


def render(
    title: str, sections: Sequence[tuple[str, Sequence[tuple[str, str]] | Sequence[list[str]]]], intro: str
) -> bytes:
    """``sections``: (heading, rows); rows are (label, value) pairs or table rows (first row: headers)."""
    doc = FPDF(format="A4")
    doc.set_auto_page_break(auto=True, margin=15)
    font = _font()
    if font:
        doc.add_font("body", "", str(font[0]))
        doc.add_font("body", "B", str(font[1]))
        family = "body"
    else:
        family = "helvetica"
    doc.set_title(title)
    doc.add_page()

    def text(value: Any) -> str:
        s = "" if value is None else str(value)
        return s if font else s.encode("latin-1", "replace").decode("latin-1")

    doc.set_font(family, "B", 16)
    doc.multi_cell(0, 8, text(title), new_x="LMARGIN", new_y="NEXT")
    doc.set_font(family, "", 10)
    doc.multi_cell(0, 5, text(intro), new_x="LMARGIN", new_y="NEXT")
    for heading, rows in sections:
        doc.ln(3)
        doc.set_font(family, "B", 12)
        doc.multi_cell(0, 7, text(heading), new_x="LMARGIN", new_y="NEXT")
        doc.set_font(family, "", 9)
        if not rows:
            doc.multi_cell(0, 5, "—", new_x="LMARGIN", new_y="NEXT")
            continue
        for row in rows:
            line = " · ".join(text(v) for v in row) if isinstance(row, list) else f"{text(row[0])}: {text(row[1])}"
            doc.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())
