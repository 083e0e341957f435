"""Loading many rows at once, for generated scale data: COPY on PostgreSQL, one ``executemany`` on SQLite.

A national data set has millions of contacts and audit entries. Model instances and ``bulk_create`` cost a
Python object and a parameter list per row and split the work into many statements; ``COPY … FROM STDIN``
streams the rows to PostgreSQL in one command, the fastest way in, and SQLite's ``executemany`` runs one
prepared INSERT over every row inside the caller's transaction. Rows are tuples of Python values in the
order of ``fields``; primary keys come from the database's sequence and are not returned.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date, time
from typing import Any

from django.db import connection, models

CHUNK = 20_000


def _sqlite_adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return lambda v: None if v is None else ops.adapt_datetimefield_value(v)
    if isinstance(field, models.DateField):
        return lambda v: None if v is None else (v.isoformat() if isinstance(v, date) else v)
    if isinstance(field, models.TimeField):
        return lambda v: None if v is None else (v.isoformat() if isinstance(v, time) else v)
    if isinstance(field, models.JSONField):
        return lambda v: json.dumps(v)
    if isinstance(field, models.DecimalField):
        return lambda v: None if v is None else str(v)
    return None


def _pg_adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    if isinstance(field, models.JSONField):
        from psycopg.types.json import Jsonb

        return Jsonb
    return None


def load(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (values for ``fields``, by field name) into ``model``'s table; returns how many."""
    meta = model._meta
    concrete: list[models.Field[Any, Any]] = []
    for name in fields:
        found = meta.get_field(name)
        assert isinstance(found, models.Field) and found.column, name  # a concrete column
        concrete.append(found)
    # A field the caller does not name gets its model default (a blank text field: ""), as ``Model.save`` would
    # give it: the database has no defaults of its own, so COPY and INSERT would write NULL. A field added to the
    # model later then needs no change in the generators.
    defaulted = [
        f
        for f in meta.concrete_fields
        if not f.primary_key and f not in concrete and (f.has_default() or (not f.null and f.get_default() is not None))
    ]
    if defaulted:
        concrete.extend(defaulted)
        rows = (tuple(row) + tuple(f.get_default() for f in defaulted) for row in rows)
    ops = connection.ops
    table = ops.quote_name(meta.db_table)
    columns = ", ".join(ops.quote_name(str(f.column)) for f in concrete)
    n = 0
    if connection.vendor == "postgresql":
        adapters = [_pg_adapter(f) for f in concrete]
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(_adapted(row, adapters) if any(adapters) else row)
                n += 1
        return n
    adapters = [_sqlite_adapter(f) for f in concrete]
    # Table and column names come from the model, never from input.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(concrete))})"  # noqa: S608
    chunk: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append(_adapted(row, adapters))
            if len(chunk) >= CHUNK:
                cursor.executemany(sql, chunk)
                n += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            n += len(chunk)
    return n


def _adapted(row: Sequence[Any], adapters: Sequence[Callable[[Any], Any] | None]) -> tuple[Any, ...]:
    return tuple(v if a is None else a(v) for v, a in zip(row, adapters, strict=True))


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load (PostgreSQL ``ANALYZE``, SQLite ``ANALYZE``), so
    the first queries on the new data are planned for its real size."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
