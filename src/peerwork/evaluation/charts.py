"""Charts as server-rendered inline SVG: no script, no inline style (the content-security policy forbids
both). Colours come from classes in evaluation.css. Every chart has ``role="img"``, a ``<title>`` and a
``<desc>``, and the page shows the same numbers in a table next to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ROW = 34
LABEL_W = 230
BAR_W = 330
VALUE_W = 70


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


@dataclass
class Row:
    label: str
    value: float
    display: str


def bar_chart(chart_id: str, title: str, desc: str, rows: Sequence[Row]) -> SafeString:
    """Horizontal bars, one per row, longest bar = largest value."""
    width = LABEL_W + BAR_W + VALUE_W
    height = max(1, len(rows)) * ROW + 8
    top = max((r.value for r in rows), default=0) or 1
    cid = escape(chart_id)
    parts = [_open_svg(cid, width, height, title, desc)]
    for i, r in enumerate(rows):
        y = 4 + i * ROW
        w = 0 if r.value <= 0 else max(2.0, BAR_W * r.value / top)
        ty = f"{y + ROW / 2 + 5:.0f}"
        vx = f"{LABEL_W + _num_f(w) + 6:.0f}"
        parts.append(
            f'<text class="chart-label" x="{LABEL_W - 8}" y="{ty}" text-anchor="end">{escape(r.label)}</text>'
            f'<rect class="bar bar-{i % 6}" x="{LABEL_W}" y="{y + 5}" width="{_num(w)}" height="{ROW - 12}">'
            f'</rect><text class="chart-value" x="{vx}" y="{ty}">{escape(r.display)}</text>'
        )
    if not rows:
        parts.append(f'<text class="chart-label" x="8" y="24">{escape("—")}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every interpolated value above is escaped


def _open_svg(cid: str, width: float, height: float, title: str, desc: str) -> str:
    return (
        f'<svg class="chart" id="{cid}" role="img" aria-labelledby="{cid}-t {cid}-d" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'preserveAspectRatio="xMinYMin meet" focusable="false">'
        f'<title id="{cid}-t">{escape(title)}</title><desc id="{cid}-d">{escape(desc)}</desc>'
    )


def _num_f(x: float) -> float:
    return float(_num(x))


@dataclass
class Series:
    name: str
    values: Sequence[float | None]


def line_chart(
    chart_id: str,
    title: str,
    desc: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    y_min: float = 1,
    y_max: float = 5,
) -> SafeString:
    """One line per series over ``x_labels``; a missing value (withheld) breaks the line."""
    left, right, top, bottom = 44, 240, 12, 34
    plot_w = max(320, 120 * max(1, len(x_labels) - 1))
    plot_h = 180
    width, height = left + plot_w + right, top + plot_h + bottom
    cid = escape(chart_id)

    def x(i: int) -> float:
        return left + (plot_w * i / (len(x_labels) - 1) if len(x_labels) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - y_min) / (y_max - y_min))

    parts = [_open_svg(cid, width, height, title, desc)]
    step = 1 if y_max - y_min <= 5 else (y_max - y_min) / 5
    tick = y_min
    while tick <= y_max + 1e-9:
        ty = y(tick)
        parts.append(
            f'<line class="grid" x1="{left}" x2="{left + plot_w}" y1="{ty:.1f}" y2="{ty:.1f}"></line>'
            f'<text class="chart-axis" x="{left - 8}" y="{ty + 5:.1f}" text-anchor="end">{_num(tick)}</text>'
        )
        tick += step
    for i, label in enumerate(x_labels):
        base = top + plot_h + 22
        parts.append(f'<text class="chart-axis" x="{x(i):.1f}" y="{base}" text-anchor="middle">{escape(label)}</text>')
    for s_i, s in enumerate(series):
        segments: list[list[tuple[float, float]]] = [[]]
        for i, v in enumerate(s.values):
            if v is None:
                segments.append([])
            else:
                segments[-1].append((x(i), y(v)))
        for seg in segments:
            if len(seg) > 1:
                points = " ".join(f"{px:.1f},{py:.1f}" for px, py in seg)
                parts.append(f'<polyline class="line line-{s_i % 6}" points="{points}"></polyline>')
            for px, py in seg:
                parts.append(f'<circle class="dot dot-{s_i % 6}" cx="{px:.1f}" cy="{py:.1f}" r="4"></circle>')
        ly = top + 14 + s_i * 22
        lx = left + plot_w + 16
        parts.append(
            f'<line class="line line-{s_i % 6}" x1="{lx}" x2="{lx + 18}" y1="{ly - 5}" y2="{ly - 5}"></line>'
            f'<text class="chart-label" x="{lx + 24}" y="{ly}">{escape(s.name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every interpolated value above is escaped
