"""The one writer for spreadsheet files (CSV and Excel XLSX): every export in Peerwork goes through it.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab or carriage
return) as a formula, so a name or free text typed into Peerwork could run as a formula on the reader's
machine (CSV injection). Such text cells get a leading apostrophe, which spreadsheets show as plain text.
Numbers are written as numbers. The Excel writer neutralises text the same way (``neutralise``), writes plain
dates as date cells the spreadsheet can sort and count with, and sets the first row apart as the header.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A cell value that no spreadsheet will run as a formula: text starting like one gets an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool) or isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class CsvWriter:
    """``csv.writer`` that neutralises every cell; use ``csv_download`` for a file to download."""

    def __init__(self, stream: Any) -> None:
        self._out = csv.writer(stream)

    def writerow(self, row: Iterable[Any]) -> None:
        self._out.writerow([neutralise(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_download(filename: str) -> tuple[HttpResponse, CsvWriter]:
    """A CSV attachment in UTF-8 with a byte-order mark (so spreadsheet programs read it right) and its writer."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response, CsvWriter(response)


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_DATE = "mm-dd-yy"  # Excel's built-in short date (format 14): shown in the reader's own date style


class XlsxWriter:
    """An Excel workbook of one sheet, every text cell neutralised as in the CSV writer; ``xlsx_download`` for a
    file to download. A ``date`` (not a date and time) becomes a date cell; the first row written is the header."""

    def __init__(self, title: str) -> None:
        from openpyxl import Workbook

        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet(title=_sheet_title(title))
        self._rows = 0

    def _cell(self, value: Any, *, header: bool) -> Any:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.styles import Font

        if isinstance(value, date) and not isinstance(value, datetime):
            found = WriteOnlyCell(self._sheet, value=datetime.combine(value, time()))  # a day: the serial number
            found.number_format = XLSX_DATE
            return found
        safe = neutralise(value)
        if isinstance(safe, str):
            safe = ILLEGAL_CHARACTERS_RE.sub("", safe)  # control characters a workbook cannot hold
        found = WriteOnlyCell(self._sheet, value=safe)
        if isinstance(safe, str):
            found.data_type = "s"  # text, never a formula, whatever it starts with
        if header:
            found.font = Font(bold=True)
        return found

    def writerow(self, row: Iterable[Any]) -> None:
        header = self._rows == 0
        self._sheet.append([self._cell(v, header=header) for v in row])
        self._rows += 1

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)

    def content(self) -> bytes:
        stream = io.BytesIO()
        self._book.save(stream)
        return stream.getvalue()


def _sheet_title(title: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()
    return (cleaned or "Sheet")[:31]


def xlsx_download(filename: str, writer: XlsxWriter) -> HttpResponse:
    """The workbook ``writer`` holds as an Excel attachment."""
    response = HttpResponse(writer.content(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
