"""Subject rights for a service user: everything held about them, and anonymisation that keeps statistics.

Both are read from the data map (``datamap``): ``collect`` gathers, from every table the map links to the
person, the fields it declares as part of the person's copy, under their plain labels; ``anonymise`` does
to every field of those tables what the map declares (blank, replace, stamp, delete the row), keeps what
statistics need and withdraws every consent. A field added later is declared in the map or a test fails,
so it can be neither left out of a copy nor left behind by an erasure. Other parts of Peerwork can add
their own steps to ``ERASERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.template.defaultfilters import yesno
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core import plain
from peerwork.service.models import ServiceUser
from peerwork.service.services import plan_inputs_changed

from . import datamap
from .consent import withdrawn
from .models import Consent

SUBJECT_TYPE = datamap.PERSON
ANONYMISED_REASON = "[anonymised]"
ROW_LIMIT = 5000

# (service user) -> number of rows changed; called inside the anonymisation transaction.
ERASERS: list[Callable[[ServiceUser], int]] = []


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).isoformat(timespec="seconds") if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def _rows_of(label: str, table: datamap.Table, person: ServiceUser) -> models.QuerySet[Any]:
    """The rows of one mapped table that belong to the person, in their organisation."""
    if table.person is None:
        raise LookupError(f"{label} is not part of a person's record")
    model = datamap.model_of(label)
    rows = model._default_manager.filter(**{table.person: person.pk}, **table.where)
    if any(f.name == "organisation" for f in model._meta.concrete_fields):
        rows = rows.filter(organisation_id=person.organisation_id)
    return rows


def _value(obj: models.Model, name: str, decl: datamap.Field) -> Any:
    f = datamap.field_of(type(obj), name)
    if f.is_relation:
        if decl.show == "name" and getattr(obj, f.attname) is not None:
            return str(getattr(obj, name))
        return getattr(obj, f.attname)
    return _plain(getattr(obj, name))


def collect(person: ServiceUser) -> dict[str, Any]:
    """Everything Peerwork holds about one person, as plain data (for JSON, HTML and PDF): one section per
    table the data map links to the person, with the fields the map puts in the person's copy."""
    data: dict[str, Any] = {
        "generated_at": _plain(timezone.now()),
        "organisation": person.organisation.name,
    }
    for label, table in datamap.person_tables():
        fields = datamap.exported(label)
        if not table.section or not fields:
            continue
        model = datamap.model_of(label)
        named = [n for n, d in fields if d.show == "name" and datamap.field_of(model, n).is_relation]
        rows = _rows_of(label, table, person).select_related(*named).order_by("pk")[:ROW_LIMIT]
        found = [{n: _value(obj, n, d) for n, d in fields} for obj in rows]
        data[table.section] = found[0] if table.section == "person" else found
    return data


def _blank(f: models.Field[Any, Any]) -> Any:
    if f.null:
        return None
    if f.has_default() and callable(f.default):
        return f.default()
    return ""


def anonymise(person: ServiceUser, *, actor: Any = None, reason: str = "erasure") -> dict[str, int]:
    """Do to every field of the person's record what the data map declares; keep counts, dates and ratings.
    One transaction; one DELETE audit entry with the person as subject (counts only in the detail)."""
    now = timezone.now()
    with transaction.atomic():
        changed: dict[str, int] = {}
        # Erasure withdraws every consent still standing; what rested on them goes in this transaction too.
        standing = list(Consent.objects.filter(service_user=person, withdrawn_at__isnull=True))
        for label, table in datamap.person_tables():
            model = datamap.model_of(label)
            rows = _rows_of(label, table, person)
            name = table.section or model._meta.model_name or label
            if table.delete_rows:
                changed[name], _ = rows.delete()
                continue
            todo = datamap.erased(label)
            blanks = {n: _blank(datamap.field_of(model, n)) for n, e in todo.items() if e is datamap.Erase.BLANK}
            count = rows.update(**blanks) if blanks else 0
            for n in (n for n, e in todo.items() if e is datamap.Erase.REPLACE):
                count = max(count, rows.exclude(**{n: ""}).update(**{n: ANONYMISED_REASON}))
            for n in (n for n, e in todo.items() if e is datamap.Erase.STAMP):
                count = max(count, rows.filter(**{f"{n}__isnull": True}).update(**{n: now}))
            if todo:
                changed[name] = count
        changed["other"] = sum(eraser(person) for eraser in ERASERS) + withdrawn(actor, standing)
        plan_inputs_changed(person.organisation_id)  # the person's profile and referrals no longer match
        detail = Detail(
            "anonymised", reason=reason, count=sum(changed.values()), parts=[f"{k}={v}" for k, v in changed.items()]
        )
        if actor is not None:
            record(actor, Action.DELETE, person, subject=person, detail=detail)
        else:
            record(
                None,
                Action.DELETE,
                person,
                subject=person,
                detail=detail,
                organisation_id=person.organisation_id,
                via="retention run",
            )
    return changed


def _shown(
    model: type[models.Model], name: str, decl: datamap.Field, value: Any, numbers: dict[str, dict[Any, int]]
) -> Any:
    """A value of the copy in plain words: choices by their label, lists joined, yes or no, dates and times in
    the reader's language, a linked row by its number in this copy (never a database id)."""
    if value is None or value == "" or value == []:
        return ""
    f = datamap.field_of(model, name)
    if f.primary_key or (f.is_relation and decl.show != "name"):
        target = model if f.primary_key else f.related_model
        label = target._meta.label_lower if isinstance(target, type) else ""
        return numbers.get(label, {}).get(value, "")
    if decl.show == "languages":
        return plain.languages(value)
    if decl.show == "kind of record":
        return plain.kind_of_record(str(value))
    if decl.show == "through":
        return plain.through(str(value))
    if isinstance(value, bool):
        return yesno(value)
    if isinstance(f, models.DateTimeField | models.DateField | models.TimeField):
        return plain.when(value)
    if isinstance(value, list):
        words = dict(decl.choices.choices) if decl.choices is not None else {}
        return "; ".join(
            str(v.get("value", "")) if isinstance(v, dict) else str(words.get(v, v)) for v in value if v != ""
        )
    if decl.choices is not None and isinstance(value, str):
        return str(dict(decl.choices.choices).get(value, value))
    if f.choices and not f.is_relation:
        return str(dict(f.flatchoices).get(value, value))
    return value


def _by_month(model: type[models.Model], fields: list[tuple[str, datamap.Field]], rows: list[dict[str, Any]]) -> Any:
    """(headers, rows) counting ``rows`` by the month of their first date, newest month first, or None when
    the section has no date to count by."""
    for name, _decl in fields:
        if isinstance(datamap.field_of(model, name), models.DateTimeField | models.DateField):
            break
    else:
        return None
    counts: dict[tuple[int, int], int] = {}
    undated = 0
    for r in rows:
        value = str(r.get(name) or "")
        try:
            month = (int(value[:4]), int(value[5:7]))
        except ValueError:
            undated += 1
            continue
        counts[month] = counts.get(month, 0) + 1
    shown = [[dateformat.format(date(y, m, 1), "F Y"), n] for (y, m), n in sorted(counts.items(), reverse=True)]
    if undated:
        shown.append([_("No date"), undated])
    return [_("Month"), _("Rows")], shown


def as_sections(data: dict[str, Any], *, months_over: int | None = None) -> list[dict[str, Any]]:
    """The export as readable sections (heading, column headers, rows) for the HTML page and the PDF,
    labelled as the data map declares. Rows are numbered 1, 2, 3… within their section, and a link to a row of
    another section (a rating's goal, a consent's items) shows that row's number, so nothing shows an id.

    With ``months_over`` (the PDF), a section of more rows than that which has a date is counted by month
    instead, with a note that the web page and the JSON copy list every row: a document of a few pages
    rather than hundreds for a person with years of contacts."""
    numbers: dict[str, dict[Any, int]] = {}
    for label, table in datamap.person_tables():
        rows = data.get(table.section)
        if isinstance(rows, list):
            numbers[datamap.model_of(label)._meta.label_lower] = {
                r["id"]: i for i, r in enumerate(rows, start=1) if "id" in r
            }
    sections: list[dict[str, Any]] = []
    for label, table in datamap.person_tables():
        if table.section not in data:
            continue
        model = datamap.model_of(label)
        fields = datamap.exported(label)
        if table.section == "person":
            p = data["person"]
            pairs = [
                (datamap.label_of(model, n, d), _shown(model, n, d, p.get(n), numbers))
                for n, d in fields
                if not datamap.field_of(model, n).primary_key
            ]
            sections.append({"heading": str(table.heading), "pairs": pairs})
            continue
        rows = data[table.section]
        counted = _by_month(model, fields, rows) if months_over is not None and len(rows) > months_over else None
        if counted is not None:
            sections.append(
                {
                    "heading": str(table.heading),
                    "headers": counted[0],
                    "rows": counted[1],
                    "note": _("%(n)d rows, counted here by month; the web page and the JSON copy list each one.")
                    % {"n": len(rows)},
                }
            )
            continue
        sections.append(
            {
                "heading": str(table.heading),
                "headers": [datamap.label_of(model, n, d) for n, d in fields],
                "rows": [[_shown(model, n, d, r.get(n), numbers) for n, d in fields] for r in data[table.section]],
            }
        )
    return sections
