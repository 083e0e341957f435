"""Plain words for what people read: local dates and times in the reader's language, names instead of codes.

Rule of the house 8: no internal codes, ids, model names or ISO timestamps in what people read. Pages mostly
get this for free from templates (``|date:"DATE_FORMAT"``, ``get_FOO_display``); these helpers are for text
made in Python (a person's copy, CSV files, PDFs) and for values stored as codes (an audit entry's record type
and page, language codes).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from functools import cache
from typing import Any

from django.apps import apps
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from peerwork.core.roles import Role

# How an audit entry came about, by the shape of its ``via``: a page, the API, or a job Peerwork runs itself.
THROUGH = {"api": _("the API (an integration)"), "page": _("a page in Peerwork"), "job": _("a job Peerwork runs")}
_LABEL = re.compile(r"^[a-z_]+\.[a-z_]+$")


def when(value: datetime | date | time | str | None, *, short: bool = True) -> str:
    """A date, time or moment (or its ISO text) in the reader's language and the service's time zone."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        text = value
        try:
            value = datetime.fromisoformat(text) if "T" in text or " " in text else date.fromisoformat(text)
        except ValueError:
            try:
                value = time.fromisoformat(text)
            except ValueError:
                return text
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, "SHORT_DATETIME_FORMAT" if short else "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT" if short else "DATE_FORMAT")
    return time_format(value, "TIME_FORMAT")


def day(value: date | datetime | None) -> str:
    """A day in words in the reader's language (e.g. 4 May 2026, 4. mai 2026)."""
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localdate(value)
    return date_format(value, "DATE_FORMAT")


@cache
def _models() -> dict[str, Any]:
    """Every installed model by its stored label (audit entries name what they touched this way)."""
    return {m._meta.label_lower: m for m in apps.get_models()}


def kind_of_record(label: str, *, plural: bool = False) -> str:
    """An ``app.model`` label as the model's own name ("goal", "consent"); empty for what is not a model."""
    model = _models().get(label) if label and _LABEL.match(label) else None
    if model is None:
        return ""
    return str(capfirst(model._meta.verbose_name_plural if plural else model._meta.verbose_name))


def role_name(code: str | None) -> str:
    """A stored role code as the role's name in the reader's language ("peer_worker" -> "Peer worker")."""
    if not code:
        return ""
    try:
        return str(Role(code).label)
    except ValueError:
        return code


def through(via: str) -> str:
    """Where an audit entry came from, in words: a page, the API, or a job Peerwork runs by itself."""
    if not via:
        return ""
    return str(THROUGH["api" if via.startswith("API ") else "page" if via.startswith("/") else "job"])


def languages(codes: Any) -> str:
    """Language codes ("nb", "en") as their names in the reader's language; an unknown code as it is."""
    out = []
    for code in codes if isinstance(codes, list | tuple) else [codes]:
        try:
            out.append(str(get_language_info(str(code))["name_translated"]))
        except KeyError:
            out.append(str(code))
    return ", ".join(out)


_SNAKE = re.compile(r"\b([a-z]+(?:_[a-z0-9]+)+)\b")
_ASSIGN = re.compile(r"\b([a-z ]+)=(\S+)")
_ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_LABELS = re.compile(r"\b[a-z]+\.[a-z_]+\b")


def detail_sentence(detail: str) -> str:
    """An audit entry's stored detail ("list csv 12", "own, purpose=evaluation", "visibility care_team") as a
    sentence people read: codes as words, a model label as its kind of record, ``key=value`` as "key: value"."""
    if not detail:
        return ""
    text = _LABELS.sub(lambda m: kind_of_record(m.group(0)).lower() or m.group(0).replace(".", " "), detail)
    text = _ASSIGN.sub(lambda m: f"{m.group(1)}: {m.group(2)}", text)
    text = _SNAKE.sub(lambda m: m.group(1).replace("_", " "), text)
    text = _ISO_DAY.sub(lambda m: day(date.fromisoformat(m.group(0))), text).replace("..", " – ")
    text = re.sub(r"\bcsv\b", "CSV", text)
    text = re.sub(r"\bxlsx\b", "XLSX", text)
    text = text.replace("_", " ").strip()
    return (text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")) if text else ""
