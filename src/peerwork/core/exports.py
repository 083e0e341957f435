"""The one writer for spreadsheet files (CSV): every export in Peerwork goes through it.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab or carriage
return) as a formula, so a name or free text typed into Peerwork could run as a formula on the reader's
machine (CSV injection). Such text cells get a leading apostrophe, which spreadsheets show as plain text.
Numbers are written as numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
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
