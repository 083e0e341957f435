"""Search, filters, sort order, pages and spreadsheet export (CSV or Excel) of a list, declared once per
list as a GET form.

A list page declares a ``ListForm`` subclass: its own fields are the filters (each optional, each applied by
``filter_lookups`` or a ``filter_<name>(qs, value)`` method), ``search_fields`` are where the search box
looks, and ``sorts`` are the orders a person may choose, the first being the default. The list's selector
applies the form to its scoped queryset (``form.apply(qs)``), so the organisation scope, the filters and the
order are one SQL query; ``paginate`` cuts one page of it. The page keeps the choices in every page link and
in the export links (``form.query``, ``form.export_query``, ``form.xlsx_query``), and renders the controls with
``templates/includes/list_controls.html`` and the page links with ``templates/includes/pagination.html``.

A value that does not fit (an unknown status, a sort key nobody declared) is shown as an error on the form and
left out; the list is then shown without that filter rather than refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any, ClassVar, TypeVar

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Model, Q, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from . import plain
from .exports import XlsxWriter, csv_download, xlsx_download

M = TypeVar("M", bound=Model)
T = TypeVar("T")

EXPORT = "csv"  # the value of ``?format=`` that asks for the list as a spreadsheet file (CSV)
XLSX = "xlsx"  # ... and as an Excel workbook
EXPORTS = (EXPORT, XLSX)
EXPORT_LIMIT = 10_000  # rows in one export; a larger list is narrowed with the filters first


@dataclass(frozen=True)
class Sort:
    """One order a person may choose: its key in the address, its label, and the columns it orders by."""

    key: str
    label: Any
    order: tuple[Any, ...]  # field names, or expressions such as F("x").asc(nulls_first=True)


@dataclass(frozen=True)
class Column:
    """One column of an export: its heading and how to read a row's value."""

    heading: Any
    value: Callable[[Any], Any]


class ListForm(forms.Form):
    """The GET form of one list: a search box, the list's filters, and a sort order."""

    search_fields: ClassVar[tuple[str, ...]] = ()
    sorts: ClassVar[tuple[Sort, ...]] = ()
    filter_lookups: ClassVar[Mapping[str, str]] = {}
    # Fields carried along in every link but not shown as controls (e.g. the reason a coordinator gave).
    carried: ClassVar[tuple[str, ...]] = ()

    q = forms.CharField(label=_("Search"), required=False, max_length=100, strip=True)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, data: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", None)
        kwargs.setdefault("auto_id", "list-%s")  # ids apart from any other form on the page (names stay plain)
        super().__init__(data={} if data is None else data, **kwargs)  # always bound: the defaults apply
        if not self.search_fields:
            del self.fields["q"]
        if self.sorts:
            sort = self.fields["sort"]
            assert isinstance(sort, forms.ChoiceField)
            sort.choices = [(s.key, s.label) for s in self.sorts]
            sort.initial = self.sorts[0].key
        else:
            del self.fields["sort"]

    @cached_property
    def values(self) -> dict[str, Any]:
        """The choices that are valid, by field name (empty ones left out)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], False)}

    @property
    def is_filtered(self) -> bool:
        """Whether a search or filter narrows the list (a sort order alone does not)."""
        return any(k not in ("sort", *self.carried) for k in self.values)

    @property
    def order(self) -> tuple[Any, ...]:
        chosen = self.values.get("sort")
        for s in self.sorts:
            if s.key == chosen:
                return s.order
        return self.sorts[0].order if self.sorts else ()

    def apply(self, qs: QuerySet[M]) -> QuerySet[M]:
        """``qs`` narrowed by the search and the filters, in the chosen order (all in SQL)."""
        values = self.values
        term = values.get("q")
        if term and self.search_fields:
            match = Q()
            for name in self.search_fields:
                match |= Q(**{f"{name}__icontains": term})
            qs = qs.filter(match)
        for name, value in values.items():
            custom = getattr(self, f"filter_{name}", None)
            if custom is not None:
                qs = custom(qs, value)
            elif name in self.filter_lookups:
                qs = qs.filter(**{self.filter_lookups[name]: value})
        return qs.order_by(*self.order) if self.order else qs

    def _pairs(self) -> list[tuple[str, str]]:
        pairs = []
        for name in self.fields:
            if name in self.values:
                raw = self.data.get(name)
                if raw not in (None, ""):
                    pairs.append((name, str(raw)))
        return pairs

    @property
    def query(self) -> str:
        """The valid choices as a query string, for page links (without ``page``)."""
        return urlencode(self._pairs())

    @property
    def export_query(self) -> str:
        """The query string that downloads this list, narrowed and ordered as shown, as a CSV file."""
        return urlencode([*self._pairs(), ("format", EXPORT)])

    @property
    def xlsx_query(self) -> str:
        """The query string that downloads this list, narrowed and ordered as shown, as an Excel workbook."""
        return urlencode([*self._pairs(), ("format", XLSX)])

    @property
    def export_kind(self) -> str:
        """The kind of file asked for (``csv`` or ``xlsx``), for the export's audit entry; ``csv`` if none."""
        return wants_export(self.data) or EXPORT

    @property
    def clear_query(self) -> str:
        """The query string that clears the search and filters but keeps what is carried."""
        return urlencode([(k, v) for k, v in self._pairs() if k in self.carried])

    @property
    def control_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.carried]

    @property
    def carried_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.carried if name in self.fields]


def wants_export(data: Mapping[str, Any]) -> str | None:
    """The kind of spreadsheet file asked for (``csv`` or ``xlsx``), or None for the page."""
    kind = data.get("format")
    return kind if kind in EXPORTS else None


def paginate(qs: QuerySet[M], number: Any, per_page: int) -> Page[M]:
    """One page of ``qs``: a count query, and the rows when the page's ``object_list`` is read."""
    return Paginator(qs, per_page).get_page(number)


def cell(value: Any) -> Any:
    """A value as a reader sees it in a spreadsheet: dates in the reader's language, never ISO codes."""
    if isinstance(value, date):  # a datetime is a date too
        return plain.when(value)
    if value is None:
        return ""
    return value if isinstance(value, int | float | bool) else str(value)


def xlsx_cell(value: Any) -> Any:
    """A value for an Excel cell: a plain date stays a date (a real date cell), the rest as in ``cell``."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    return cell(value)


def export(filename: str, columns: Sequence[Column], rows: Iterable[T], kind: str = EXPORT) -> HttpResponse:
    """The rows as a download (``kind`` ``csv`` or ``xlsx``), a header row then one line a row, through the
    formula-safe writers (``core.exports``)."""
    name = f"{filename}-{timezone.localdate():%Y-%m-%d}"
    headings = [str(c.heading) for c in columns]
    if kind == XLSX:
        book = XlsxWriter(filename.replace("-", " ").capitalize())
        book.writerow(headings)
        book.writerows([xlsx_cell(c.value(row)) for c in columns] for row in rows)
        return xlsx_download(f"{name}.xlsx", book)
    response, out = csv_download(f"{name}.csv")
    out.writerow(headings)
    for row in rows:
        out.writerow([cell(c.value(row)) for c in columns])
    return response
