"""Every CSV export goes through one writer that keeps spreadsheet formulas from running."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from peerwork.core.exports import CsvWriter, neutralise

SRC = Path(__file__).resolve().parents[2] / "src" / "peerwork"


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x.invalid","click")'],
)
def test_text_that_looks_like_a_formula_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


def test_ordinary_values_are_left_alone():
    assert neutralise("Alpha peer team") == "Alpha peer team"
    assert neutralise("a = b") == "a = b"
    assert neutralise(-3) == -3 and neutralise(0.5) == 0.5
    assert neutralise(None) == ""


def test_the_writer_neutralises_every_cell():
    stream = io.StringIO()
    CsvWriter(stream).writerow(["=cmd|' /C calc'!A0", "fine", 2])
    assert next(csv.reader(io.StringIO(stream.getvalue()))) == ["'=cmd|' /C calc'!A0", "fine", "2"]


def test_no_export_writes_csv_or_spreadsheets_past_the_shared_writer():
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.name != "exports.py" and re.search(r"csv\.(writer|DictWriter)|openpyxl|xlsxwriter", path.read_text())
    ]
    assert offenders == []
