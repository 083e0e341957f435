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
from django.utils.formats import get_format
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


def collect(person: ServiceUser) -> dict[str, Any]:
    """Everything Peerwork holds about one person, as plain data (for JSON, HTML and PDF): one section per
    table the data map links to the person, with the fields the map puts in the person's copy.

    Each table is read in one query of the declared fields only (``values``), however many rows the person
    has; a linked row shown by its name (who was the peer worker, which group) is read once for the whole
    copy, one query per kind of row named, so the number of queries never grows with the person's record. No
    table is cut short: a copy of a person's data holds all of it."""
    data: dict[str, Any] = {
        "generated_at": _plain(timezone.now()),
        "organisation": person.organisation.name,
    }
    zone = timezone.get_current_timezone()

    def moment(value: datetime) -> str:  # as ``_plain`` writes it, the time zone looked up once
        return value.astimezone(zone).isoformat(timespec="seconds") if timezone.is_aware(value) else value.isoformat()

    named: dict[type[models.Model], set[Any]] = {}
    to_name: list[tuple[list[dict[str, Any]], str, type[models.Model]]] = []
    for label, table in datamap.person_tables():
        fields = datamap.exported(label)
        if not table.section or not fields:
            continue
        model = datamap.model_of(label)
        rows = list(_rows_of(label, table, person).order_by("pk").values(*(n for n, _d in fields)))
        converted = []
        for n, d in fields:
            f = datamap.field_of(model, n)
            if isinstance(f, models.DateTimeField):
                converted.append((n, moment))
            elif isinstance(f, models.DateField | models.TimeField | models.DecimalField):
                converted.append((n, _plain))  # the rest is plain data as it is read
            elif f.is_relation and d.show == "name":
                target = f.related_model
                assert isinstance(target, type)
                named.setdefault(target, set()).update(r[n] for r in rows if r[n] is not None)
                to_name.append((rows, n, target))
        for r in rows:
            for n, convert in converted:
                if r[n] is not None:
                    r[n] = convert(r[n])
        data[table.section] = rows[0] if table.section == "person" else rows
    names = {
        target: {pk: str(obj) for pk, obj in target._base_manager.select_related().in_bulk(ids).items()}
        for target, ids in named.items()
        if ids
    }
    for rows, n, target in to_name:
        for r in rows:
            if r[n] is not None:
                r[n] = names[target][r[n]]
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


# Django's date format characters that are plain numbers, as ``str.format`` fields of the value.
_NUMBERS = {
    "d": "{0.day:02d}",
    "j": "{0.day}",
    "m": "{0.month:02d}",
    "n": "{0.month}",
    "Y": "{0.year:04d}",
    "H": "{0.hour:02d}",
    "G": "{0.hour}",
    "i": "{0.minute:02d}",
    "s": "{0.second:02d}",
}


def _numeric(setting: str) -> Callable[[Any], str] | None:
    """The reader's ``setting`` format (e.g. ``SHORT_DATE_FORMAT``, "d/m/Y") as one ``str.format``, when it
    is made of numbers only: the same text as Django's ``date_format`` for a fraction of its cost. None for a
    format with words in it (a month's name), which only Django writes right."""
    out = []
    chars = iter(get_format(setting))
    for c in chars:
        if c == "\\":
            c = next(chars, "")
        elif c in _NUMBERS:
            out.append(_NUMBERS[c])
            continue
        elif c.isalpha():
            return None
        out.append(c.replace("{", "{{").replace("}", "}}"))
    return "".join(out).format


def _moments() -> Callable[[Any], str]:
    """``plain.when`` for the values of one copy: the same words, each stored text read and written once."""
    formats = [_numeric(f) for f in ("SHORT_DATETIME_FORMAT", "SHORT_DATE_FORMAT", "TIME_FORMAT")]
    if any(f is None for f in formats):
        return plain.when
    moment, day, clock = (f for f in formats if f is not None)
    zone = timezone.get_current_timezone()
    done: dict[str, str] = {}

    def when(value: Any) -> str:
        if not isinstance(value, str):
            return plain.when(value)
        if value in done:
            return done[value]
        try:
            read: datetime | date | time = (
                datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
            )
        except ValueError:
            try:
                read = time.fromisoformat(value)
            except ValueError:
                return value
        if isinstance(read, datetime):
            shown = moment(read.astimezone(zone) if timezone.is_aware(read) else read)
        else:
            shown = day(read) if isinstance(read, date) else clock(read)
        done[value] = shown
        return shown

    return when


def _shower(
    model: type[models.Model],
    name: str,
    decl: datamap.Field,
    numbers: dict[str, dict[Any, int]],
    when: Callable[[Any], str],
) -> Callable[[Any], Any]:
    """How a value of one field of the copy reads in plain words: choices by their label, lists joined, yes
    or no, dates and times in the reader's language, a linked row by its number in this copy (never a
    database id). Decided once per field; the returned function only turns each value."""
    f = datamap.field_of(model, name)
    show: Callable[[Any], Any]
    if f.primary_key or (f.is_relation and decl.show != "name"):
        target = model if f.primary_key else f.related_model
        label = target._meta.label_lower if isinstance(target, type) else ""
        numbered = numbers.get(label, {})

        def show(value: Any) -> Any:
            return numbered.get(value, "")

    elif decl.show == "languages":
        show = plain.languages
    elif decl.show == "kind of record":

        def show(value: Any) -> Any:
            return plain.kind_of_record(str(value))

    elif decl.show == "through":

        def show(value: Any) -> Any:
            return plain.through(str(value))

    else:
        is_moment = isinstance(f, models.DateTimeField | models.DateField | models.TimeField)
        # Labels in the reader's language, translated once for the copy rather than once per row.
        words = {k: str(v) for k, v in decl.choices.choices} if decl.choices is not None else {}
        own = {k: str(v) for k, v in f.flatchoices} if f.choices and not f.is_relation else {}

        def show(value: Any) -> Any:
            if isinstance(value, bool):
                return yesno(value)
            if is_moment:
                return when(value)
            if isinstance(value, list):
                return "; ".join(
                    str(v.get("value", "")) if isinstance(v, dict) else str(words.get(v, v)) for v in value if v != ""
                )
            if decl.choices is not None and isinstance(value, str):
                return str(words.get(value, value))
            if own:
                return str(own.get(value, value))
            return value

    done: dict[tuple[type, Any], Any] = {}  # a value met before reads the same (codes, names, days)

    def shown(value: Any) -> Any:
        if value is None or value == "" or value == []:
            return ""
        try:
            return done[value.__class__, value]
        except KeyError:
            done[value.__class__, value] = out = show(value)
            return out
        except TypeError:  # a list: read each time
            return show(value)

    return shown


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
    when = _moments()
    for label, table in datamap.person_tables():
        if table.section not in data:
            continue
        model = datamap.model_of(label)
        fields = datamap.exported(label)
        showers = [_shower(model, n, d, numbers, when) for n, d in fields]
        if table.section == "person":
            p = data["person"]
            pairs = [
                (datamap.label_of(model, n, d), show(p.get(n)))
                for (n, d), show in zip(fields, showers, strict=True)
                if not datamap.field_of(model, n).primary_key
            ]
            sections.append({"heading": str(table.heading), "pairs": pairs})
            continue
        rows = data[table.section]
        columns = list(zip(fields, showers, strict=True))
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
                "rows": [[show(r.get(n)) for (n, _d), show in columns] for r in rows],
            }
        )
    return sections
