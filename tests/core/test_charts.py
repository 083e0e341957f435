"""The shared chart helper: the table shows the same numbers as the chart, in the same order."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.template.loader import render_to_string
from django.utils import translation

from peerwork.core.charts import Cell, Row, Series, Value, bar_chart, line_chart


class Table(HTMLParser):
    """The text of each table body row, cell by cell, and the values written beside the bars."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.bar_values: list[str] = []
        self.rects: list[dict[str, str]] = []
        self.circles = 0
        self._cell: list[str] | None = None
        self._in_body = False
        self._in_value = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag in ("th", "td") and self._in_body:
            self._cell = []
        elif tag == "span" and a.get("class") == "chart-value":
            self._in_value = True
            self.bar_values.append("")
        elif tag == "rect":
            self.rects.append(a)
        elif tag == "circle":
            self.circles += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag in ("th", "td") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "span" and self._in_value:
            self._in_value = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._in_value:
            self.bar_values[-1] += data


def render(chart: object) -> Table:
    t = Table()
    t.feed(render_to_string("includes/chart.html", {"chart": chart}))
    return t


def test_bar_chart_table_has_the_same_numbers_as_the_bars():
    chart = bar_chart(
        "c",
        "Contacts by channel",
        "Number of contacts for each way of meeting.",
        label_header="How",
        series=["Contacts"],
        rows=[("Phone", [(12, "12")]), ("Visit", [(3, "3")]), ("Video", [(0, "0")])],
    )
    html = render(chart)
    assert html.rows == [["Phone", "12"], ["Visit", "3"], ["Video", "0"]] == chart.table()
    assert html.bar_values == ["12", "3", "0"]
    assert [r["width"] for r in html.rects] == ["100", "25", "0"]  # longest bar = largest value


def test_grouped_bars_with_extra_columns_a_marker_and_notes():
    chart = bar_chart(
        "g",
        "Scores",
        "",
        label_header="Domain",
        series=[Series("Managers", "manager", 3), Series("Peer workers", "peer_worker", 4)],
        rows=[
            Row("A1", [Value(50, "50", ""), Value(None, "—", "", note="2 don't know")], extra=[Cell("50")]),
            Row("A2", [Value(75.5, "76", ""), Value(25, "25", "")], extra=[Cell("50", css="tag warn", strong=True)]),
        ],
        top=100,
        marker=60,
        extra_headers=["All"],
    )
    html = render(chart)
    assert html.rows == [["A1", "50", "— (2 don't know)", "50"], ["A2", "76", "25", "50"]]
    assert html.bar_values == ["50", "—", "76", "25"]
    assert [(r["class"], r["width"]) for r in html.rects] == [
        ("series-manager", "50"),
        ("series-peer_worker", "0"),
        ("series-manager", "75.5"),
        ("series-peer_worker", "25"),
    ]
    out = render_to_string("includes/chart.html", {"chart": chart})
    assert out.count('x1="60"') == 4 and "Managers <span" in out and "(3)" in out
    assert "chart-legend" in out  # two series: a legend names the colours


def test_line_chart_table_has_one_row_per_point_and_a_gap_for_a_missing_value():
    chart = line_chart(
        "l",
        "Average agreement",
        "By survey.",
        label_header="Survey",
        x_labels=["Spring", "Summer", "Autumn"],
        series=["Safety", "Support"],
        values=[[4.5, None, 3.0], [2.0, 2.5, 3.5]],
        texts=[["4.5", Cell("withheld", css="withheld"), "3.0"], ["2.0", "2.5", "3.5"]],
        y_min=1,
        y_max=5,
    )
    html = render(chart)
    assert html.rows == [["Spring", "4.5", "2.0"], ["Summer", "withheld", "2.5"], ["Autumn", "3.0", "3.5"]]
    assert html.rows == chart.table()
    assert html.circles == 5  # one dot per number shown, none for the withheld one
    safety, support = chart.lines
    assert safety.segments == [] and len(support.segments) == 1  # the gap breaks the line into single dots
    ys = {float(y) for _x, y in safety.dots}
    assert ys == {round(10 + 134 * (1 - 3.5 / 4), 1), 10 + 134 * (1 - 2 / 4)}  # 4.5 and 3.0 on 1–5, 134 px tall


def test_chart_numbers_in_svg_attributes_are_not_localised_but_its_text_is():
    with translation.override("da"):
        chart = line_chart(
            "l",
            "Title",
            "",
            label_header="Date",
            x_labels=["1.2.2026", "3.2.2026"],
            x_positions=[0, 1],
            series=["Rating"],
            values=[[2.5, 7.25]],
            texts=[["2,5", "7,25"]],
            y_min=0,
            y_max=10,
            y_step=5,
        )
        out = render_to_string("includes/chart.html", {"chart": chart})
    assert not re.search(r'(x|y|cx|cy|x1|x2|y1|y2)="\d+,\d', out)
    assert "<td>2,5</td>" in out and "som tabel" in out  # the default caption is translated
