"""Tables that turn into one block per row on a phone with the stylesheet alone.

On a narrow screen the stylesheet lays a table out as one block per row, each cell led by its column's heading
(``td[data-label]::before``). The heading has to be on the cell for that, and a table laid out as blocks loses
its table semantics in some browsers unless its parts carry explicit roles. Rather than repeat every column's
heading on every cell of every template, each template wraps its table in ``{% labelled_table %}`` (the
``tables`` template library), which writes both in as the table is rendered: each body cell gets its column's
heading as ``data-label`` and each part its role, so a page reflows at 320 px whether or not its script runs.
A table that must stay a table (``class="keep-table"``) is left as it is; so is one inside a ``.table-scroll``
box, which the stylesheet never stacks.

A long table (a person's copy with hundreds of contacts) writes its body rows in one pass in Python with
``written_rows`` (the ``{% table_rows %}`` tag) rather than a template loop: the rows come out labelled as
``label_cells`` would label them, behind a marker that tells ``label_cells`` to copy that body as it is
instead of reading it again tag by tag.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

# The tags that matter, with their attributes; everything between them is copied as it is.
TAG = re.compile(r"<(/?)(table|thead|tbody|tfoot|tr|th|td)\b([^>]*)>", re.IGNORECASE)
TEXT_TAGS = re.compile(r"<[^>]*>")
SPACE = re.compile(r"\s+")
COLSPAN = re.compile(r"""\bcolspan\s*=\s*["']?(\d+)""", re.IGNORECASE)
SCOPE_COL = re.compile(r"""\bscope\s*=\s*["']?col\b""", re.IGNORECASE)
KEEP = re.compile(r"""\bclass\s*=\s*["'][^"']*\bkeep-table\b""", re.IGNORECASE)
HAS_ROLE = re.compile(r"\brole\s*=", re.IGNORECASE)
HAS_LABEL = re.compile(r"\bdata-label\s*=", re.IGNORECASE)
# Right after a <tbody> tag: the rows up to </tbody> were written labelled (``written_rows``), copy them.
WRITTEN = "<!--labelled-->"
EMPTY = "—"


@dataclass
class _Table:
    keep: bool
    labels: list[str] = field(default_factory=list)
    head_row: list[str] | None = None  # the headings of the row of <thead> being read
    section: str = ""  # thead, tbody or tfoot
    column: int = 0
    heading_start: int = -1  # where the text of the <th> being read in <thead> starts, in the output
    heading_span: int = 1  # the columns that <th> covers


def _attrs(attrs: str, *extra: tuple[str, str]) -> str:
    added = "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in extra)
    if attrs.rstrip().endswith("/"):
        return attrs.rstrip()[:-1] + added + "/"
    return attrs + added


def label_cells(page: str) -> str:
    """``page`` with every table's body cells labelled by their column's heading and each part given its role."""
    if "<table" not in page:
        return page
    out: list[str] = []
    stack: list[_Table] = []
    position = 0
    while (match := TAG.search(page, position)) is not None:
        out.append(page[position : match.start()])
        position = match.end()
        closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
        table = stack[-1] if stack else None
        if name == "table":
            if closing:
                if stack:
                    stack.pop()
            else:
                stack.append(_Table(keep=bool(KEEP.search(attrs))))
                if not stack[-1].keep and not HAS_ROLE.search(attrs):
                    attrs = _attrs(attrs, ("role", "table"))
            out.append(match.group(0) if closing else f"<table{attrs}>")
            continue
        if table is None or table.keep:
            out.append(match.group(0))
            continue
        if name in ("thead", "tbody", "tfoot"):
            table.section = "" if closing else name
            if not closing and not HAS_ROLE.search(attrs):
                attrs = _attrs(attrs, ("role", "rowgroup"))
            out.append(match.group(0) if closing else f"<{name}{attrs}>")
            if name == "tbody" and not closing and page.startswith(WRITTEN, position):
                end = page.find("</tbody>", position)
                end = len(page) if end < 0 else end
                out.append(page[position + len(WRITTEN) : end])
                position = end
            continue
        if name == "tr":
            if closing:
                if table.head_row is not None:
                    table.labels = table.head_row  # the last row of the head names the columns
                    table.head_row = None
                out.append(match.group(0))
                continue
            table.column = 0
            if table.section == "thead":
                table.head_row = []
            if not HAS_ROLE.search(attrs):
                attrs = _attrs(attrs, ("role", "row"))
            out.append(f"<tr{attrs}>")
            continue
        # th or td
        if closing:
            if name == "th" and table.head_row is not None and table.heading_start >= 0:
                text = "".join(out[table.heading_start :])
                heading = SPACE.sub(" ", html.unescape(TEXT_TAGS.sub(" ", text))).strip()
                table.head_row.extend([heading] * table.heading_span)
                table.heading_start = -1
            out.append(match.group(0))
            continue
        span_match = COLSPAN.search(attrs)
        span = int(span_match.group(1)) if span_match else 1
        extra: list[tuple[str, str]] = []
        in_head = table.section == "thead"
        if not HAS_ROLE.search(attrs):
            if name == "th":
                extra.append(("role", "columnheader" if in_head or SCOPE_COL.search(attrs) else "rowheader"))
            else:
                extra.append(("role", "cell"))
        if name == "td" and not in_head and not HAS_LABEL.search(attrs):
            label = table.labels[table.column] if table.column < len(table.labels) else ""
            if label:
                extra.append(("data-label", label))
        out.append(f"<{name}{_attrs(attrs, *extra)}>")
        if table.head_row is not None:
            if name == "th":
                table.heading_start = len(out)
                table.heading_span = span
            else:
                table.head_row.extend([""] * span)  # a cell with no heading over its column
        table.column += span
    out.append(page[position:])
    return "".join(out)


def _label(heading: object) -> str:
    """A column's heading as ``label_cells`` reads it from the page: its text, spaces collapsed."""
    return html.escape(SPACE.sub(" ", str(heading)).strip(), quote=True)


def written_rows(headers: list[object], rows: list[list[object]], *, labelled: bool) -> str:
    """The body rows of a table, ``<tr><td>…</td></tr>`` for each, every value escaped and an empty one shown
    as a dash, written in one pass. ``labelled``: each row and cell carries its role and each cell its
    column's heading, as ``label_cells`` writes them, behind the marker that has ``label_cells`` copy them (a
    page); otherwise as written (a PDF or an e-mail). ``headers`` are the texts of the column headings."""
    esc = html.escape
    if not labelled:
        return "".join(
            "<tr>" + "".join(f"<td>{esc(str(v)) if v else EMPTY}</td>" for v in row) + "</tr>" for row in rows
        )
    opens = [
        f'<td role="cell" data-label="{label}">' if label else '<td role="cell">' for label in map(_label, headers)
    ]
    out = [WRITTEN]
    for row in rows:
        if len(row) > len(opens):
            opens += ['<td role="cell">'] * (len(row) - len(opens))
        out.append('<tr role="row">')
        out += [f"{start}{esc(str(v)) if v else EMPTY}</td>" for start, v in zip(opens, row, strict=False)]
        out.append("</tr>")
    return "".join(out)
