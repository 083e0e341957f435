"""The one way Peerwork makes a PDF: a Django template rendered to a tagged PDF (PDF/UA-1) by WeasyPrint.

Every document people download as a PDF (a person's copy of everything held about them, the readiness report
for the board, later co-assessment reports) is an HTML template extending ``core/pdf/base.html``, rendered here.
WeasyPrint writes the structure tree from the HTML itself (``h1``–``h6`` as headings, ``p`` as paragraphs,
``table``/``th``/``td`` as tables, lists, figures with their names), the document's language from
``<html lang>`` and its title from ``<title>``, shown by viewers instead of the file name, so a screen reader
reads the PDF as it reads the page. Charts are the same inline SVG and table as on the page.

WeasyPrint is pure Python on PyPI; it draws text with the system's Pango (Debian: ``libpango-1.0-0`` and
``libpangoft2-1.0-0``, which ``./run`` installs when they are missing). It is imported on first use, so a
machine without Pango still serves every page and only a PDF download fails, with a message saying why.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import get_language

PDF_VARIANT = "pdf/ua-1"
# WeasyPrint draws an inline SVG on its own, without the page's style sheet: each chart's SVG gets the colours
# of its series (the same as peerwork.css) in a style element of its own.
SVG_STYLE = (
    "<style>"
    + "".join(
        f"rect.series-{i},circle.series-{i}{{fill:{c}}}polyline.series-{i}{{stroke:{c};fill:none;stroke-width:2.5}}"
        for i, c in enumerate(("#1d4f91", "#a34f00", "#00703c", "#6f2c91", "#b10e1e", "#505a5f"))
    )
    + ".chart-grid{stroke:#d8d8d8;stroke-width:1}.chart-axis{font-size:12px;fill:#505a5f}"
    + ".chart-marker{stroke:#b10e1e;stroke-width:2;stroke-dasharray:4 2}"
    + "</style>"
)
_SVG_OPEN = re.compile(r"(<svg\b[^>]*>)")
BASE_TEMPLATE = "core/pdf/base.html"


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system's Pango is missing: tell the operator what to install."""


def render(template_name: str, context: dict[str, Any], *, title: str) -> bytes:
    """The template as a tagged PDF in the current language. ``title`` becomes the document's title."""
    try:
        from weasyprint import HTML  # imported on first use: Pango is loaded only when a PDF is made
    except OSError as exc:  # pragma: no cover - depends on the machine
        raise PdfUnavailable(
            "Making PDFs needs the Pango library (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)."
        ) from exc
    page = render_to_string(template_name, {**context, "pdf_title": title, "pdf_lang": get_language() or "en"})
    html = _SVG_OPEN.sub(lambda m: m.group(1) + SVG_STYLE, str(page))
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    return bytes(document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False))
