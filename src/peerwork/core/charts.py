"""The one chart helper of every app: plain data for a bar or line chart and the table of the same numbers.

``templates/includes/chart.html`` renders a :class:`Chart` as an accessible picture (``role="img"`` named by the
title and description) followed by its data table, so nothing depends on seeing the picture. Bars are HTML rows
with a small SVG bar each, so the labels wrap and stay readable on a 320 px screen; a line chart is one SVG
scaled to the width. No script and no inline style (the content-security policy forbids both): lengths are
SVG attributes, colours come from the ``series-N`` classes in peerwork.css (an app may add its own keys).

Every number in an SVG attribute is formatted here with a decimal point; text shown to people (labels, values)
comes in already translated and formatted for the reader's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


def _num(x: float) -> str:
    """A number for an SVG attribute: a decimal point, at most one decimal, never localised."""
    return f"{x:.1f}".rstrip("0").rstrip(".") or "0"


@dataclass(frozen=True)
class Series:
    """One set of values: a column of the table, a colour in the chart."""

    name: Any
    key: str = ""  # the colour class is series-<key>; by default the series' position
    note: Any = ""  # shown muted after the name in the table header


@dataclass(frozen=True)
class Cell:
    """A table cell that is not drawn: text, an optional muted note, an optional class (strong if ``strong``)."""

    text: Any
    note: Any = ""
    css: str = ""
    strong: bool = False


@dataclass(frozen=True)
class Value:
    """One value of one series in one row: drawn as a bar or a point, and shown as ``text`` in the table."""

    value: float | None
    text: Any
    series: str
    percent: str = "0"  # bar length, 0–100, as an SVG attribute
    note: Any = ""
    css: str = ""


@dataclass
class Row:
    """One category (bars) or one point on the x axis (lines): a table row."""

    label: Any
    values: list[Value]
    note: Any = ""
    extra: list[Cell] = field(default_factory=list)
    id: str = ""
    css: str = ""


@dataclass
class Line:
    series: str
    segments: list[str]  # polyline points, one string per unbroken run
    dots: list[tuple[str, str]]


@dataclass
class Chart:
    id: str
    kind: str  # "bars" or "lines"
    title: Any
    description: Any
    label_header: Any
    series: list[Series]
    rows: list[Row]
    caption: Any = ""
    caption_hidden: bool = False
    extra_headers: list[Any] = field(default_factory=list)
    empty_text: Any = ""
    details: Any = ""  # when set, the table sits in a <details> with this summary
    marker: str | None = None  # bars: a reference line across every bar, 0–100
    # lines only
    width: int = 0
    height: int = 0
    lines: list[Line] = field(default_factory=list)
    y_ticks: list[tuple[str, str, str]] = field(default_factory=list)  # (y of the grid line, y of its text, label)
    x_ticks: list[tuple[str, str, str]] = field(default_factory=list)  # (x, text-anchor, label)
    axis: dict[str, str] = field(default_factory=dict)  # x0, x1, base, y_label_x, x_label_y
    table_css: str = ""

    @property
    def legend(self) -> bool:
        return len(self.series) > 1

    def table(self) -> list[list[str]]:
        """The table as plain text, row by row (label, then one cell per series): what a reader of the table sees."""
        return [[str(r.label), *(str(v.text) for v in r.values)] for r in self.rows]


def _series(series: Sequence[Series | Any]) -> list[Series]:
    out = []
    for i, s in enumerate(series):
        s = s if isinstance(s, Series) else Series(s)
        out.append(s if s.key else Series(s.name, str(i), s.note))
    return out


def bar_chart(
    chart_id: str,
    title: Any,
    description: Any,
    *,
    label_header: Any,
    series: Sequence[Series | Any],
    rows: Sequence[Row | tuple[Any, Sequence[tuple[float | None, Any]]]],
    top: float | None = None,
    marker: float | None = None,
    **options: Any,
) -> Chart:
    """Horizontal bars: one row per category, one bar per series. ``rows`` are :class:`Row` with values given as
    ``Value(value, text, series="")``, or ``(label, [(value, text), …])``; bar length is value / ``top`` (by default
    the largest value, or the marker if larger). ``marker`` draws a reference line (e.g. a threshold)."""
    ss = _series(series)
    built: list[Row] = []
    for r in rows:
        if not isinstance(r, Row):
            label, pairs = r
            r = Row(label, [Value(v, t, "") for v, t in pairs])
        built.append(r)
    values = [v.value for r in built for v in r.values if v.value is not None]
    scale = top or max([*values, marker or 0, 0]) or 1
    for r in built:
        r.values = [
            Value(
                v.value,
                v.text,
                ss[i].key,
                _num(max(0.0, min(100.0, 100 * (v.value or 0) / scale))),
                v.note,
                v.css,
            )
            for i, v in enumerate(r.values)
        ]
    return Chart(
        chart_id,
        "bars",
        title,
        description,
        label_header,
        ss,
        built,
        marker=None if marker is None else _num(min(100.0, 100 * marker / scale)),
        **options,
    )


def _value(value: float | None, text: Any, series: str) -> Value:
    if isinstance(text, Cell):
        return Value(value, text.text, series, note=text.note, css=text.css)
    return Value(value, text, series)


WIDTH, HEIGHT = 320, 170
LEFT, RIGHT, TOP, BOTTOM = 30, 14, 10, 26


def line_chart(
    chart_id: str,
    title: Any,
    description: Any,
    *,
    label_header: Any,
    x_labels: Sequence[Any],
    series: Sequence[Series | Any],
    values: Sequence[Sequence[float | None]],
    texts: Sequence[Sequence[Any]],  # text, or a Cell for text with a note or class
    y_min: float,
    y_max: float,
    y_step: float = 1,
    x_positions: Sequence[float] | None = None,
    **options: Any,
) -> Chart:
    """One line per series over ``x_labels`` (at ``x_positions`` from 0 to 1 when the gaps are uneven, e.g. dates);
    a missing value (None, e.g. withheld) breaks the line. ``values[s][i]`` is series s at x i and ``texts[s][i]``
    how the table shows it. The table has one row per x label and one column per series."""
    ss = _series(series)
    n = len(x_labels)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    uneven = x_positions is not None  # labels of close dates would overlap: label only the first and last
    if x_positions is None:
        x_positions = [i / (n - 1) if n > 1 else 0.5 for i in range(n)]

    def x(i: int) -> float:
        return LEFT + plot_w * x_positions[i]

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - y_min) / ((y_max - y_min) or 1))

    lines = []
    for s, vals in zip(ss, values, strict=True):
        runs: list[list[tuple[float, float]]] = [[]]
        for i, v in enumerate(vals):
            if v is None:
                runs.append([])
            else:
                runs[-1].append((x(i), y(v)))
        lines.append(
            Line(
                s.key,
                [" ".join(f"{_num(px)},{_num(py)}" for px, py in run) for run in runs if len(run) > 1],
                [(_num(px), _num(py)) for run in runs for px, py in run],
            )
        )
    ticks = []
    t = y_min
    while t <= y_max + 1e-9:
        ticks.append((_num(y(t)), _num(y(t) + 4), _num(t)))
        t += y_step
    shown = range(n) if n <= 4 and not uneven else [0, n - 1] if n > 1 else [0]
    x_ticks = [
        (_num(x(i)), "start" if n > 1 and i == 0 else "end" if n > 1 and i == n - 1 else "middle", str(x_labels[i]))
        for i in shown
    ]
    rows = [
        Row(label, [_value(values[si][i], texts[si][i], s.key) for si, s in enumerate(ss)])
        for i, label in enumerate(x_labels)
    ]
    return Chart(
        chart_id,
        "lines",
        title,
        description,
        label_header,
        ss,
        rows,
        width=WIDTH,
        height=HEIGHT,
        lines=lines,
        y_ticks=ticks,
        x_ticks=x_ticks,
        axis={
            "x0": _num(LEFT),
            "x1": _num(LEFT + plot_w),
            "base": _num(TOP + plot_h),
            "y_label_x": _num(LEFT - 6),
            "x_label_y": _num(HEIGHT - 6),
        },
        **options,
    )
