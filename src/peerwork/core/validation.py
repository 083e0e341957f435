"""Checks every write makes, whether it came from a form or the API: one validation path.

Services call ``clean(instance)`` before saving (the model's own field checks — lengths, choices, ranges —
plus refusing NUL characters, which the forms refuse too) and ``plausible_dates(...)`` for dates people
type in. The API's input schemas carry the same limits (``peerwork.core.apitypes``) so that the OpenAPI
tells clients what is accepted; the services still check, so nothing gets in by another way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

# Peerwork's defaults for dates people enter: nothing before 1900 (a typing slip such as 0001-01-01 or
# 1026), and nothing more than ten years ahead (9999-12-31 as "forever"). Services may narrow these per
# field, e.g. a referral cannot be received in the future.
EARLIEST = date(1900, 1, 1)
YEARS_AHEAD = 10

# Free text (a note, a description) holds at most this many characters, from a form or the API alike.
LONG_TEXT = 10_000


def nul_message() -> str:
    return _("Remove the null character from the text; it cannot be stored.")


def latest(today: date | None = None) -> date:
    """The latest date Peerwork accepts by default: ten years from today."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def date_error(value: date | None, *, earliest: date | None = None, last: date | None = None) -> str | None:
    """The message for a date outside ``earliest``…``last`` (Peerwork's defaults when not given), or None."""
    if value is None:
        return None
    earliest = earliest or EARLIEST
    last = last or latest()
    if value < earliest or value > last:
        return _("Enter a date between %(earliest)s and %(last)s; check the year.") % {
            "earliest": formats.date_format(earliest, "DATE_FORMAT"),
            "last": formats.date_format(last, "DATE_FORMAT"),
        }
    return None


def plausible_date(value: date | None) -> None:
    """A model field validator holding a date to Peerwork's default range (1900 to ten years ahead): set on
    the model's date fields, it runs for forms (model forms), the API and every service alike (``clean``)."""
    if message := date_error(value):
        raise ValidationError(message, code="implausible_date")


def plausible_dates(*, earliest: date | None = None, last: date | None = None, **values: date | None) -> None:
    """Raise one ``ValidationError`` naming each date field outside the plausible range."""
    errors = {}
    for field, value in values.items():
        message = date_error(value, earliest=earliest, last=last)
        if message:
            errors[field] = message
    if errors:
        raise ValidationError(errors)


def _too_long(instance: models.Model) -> Iterable[str]:
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.TextField) and len(getattr(instance, field.attname, None) or "") > LONG_TEXT:
            yield field.name


def _nul_fields(instance: models.Model) -> Iterable[str]:
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname, None)
        if isinstance(value, str) and "\x00" in value:
            yield field.name
        elif isinstance(value, list | dict) and "\\u0000" in _as_text(value):
            yield field.name


def _as_text(value: Any) -> str:
    import json

    return json.dumps(value, default=str)


def clean(instance: models.Model, *, exclude: Iterable[str] | None = None) -> None:
    """The model's full validation (field lengths, choices, validators) plus the forms' NUL check.

    Uniqueness and constraints are left to the database and the service's own messages, so this is safe to
    call inside the transaction right before ``save``.
    """
    errors: dict[str, list[str]] = {}
    for name in _nul_fields(instance):
        errors.setdefault(name, []).append(nul_message())
    for name in _too_long(instance):
        errors.setdefault(name, []).append(
            _("Shorten the text to at most %(limit)s characters.") % {"limit": f"{LONG_TEXT:,}"}
        )
    try:
        instance.full_clean(exclude=list(exclude or []), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(m for m in messages if m not in errors.get(name, []))
    if errors:
        raise ValidationError(errors)


def refuse_nul(**values: Any) -> None:
    """Raise for any of ``values`` (text, or lists and dicts holding text) that contains a NUL character."""
    bad = {
        k: nul_message()
        for k, v in values.items()
        if (isinstance(v, str) and "\x00" in v) or (isinstance(v, list | dict) and "\\u0000" in _as_text(v))
    }
    if bad:
        raise ValidationError(bad)
