"""What every write of the service shares: today's date, the model's own field validation, and a
marker for "leave this field as it is" in partial updates."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any, Final

from django.db import models
from django.utils import timezone

from peerwork.core import validation

from ..models import MatchingSettings


class _Unchanged:
    """The default of a field a partial update leaves alone (``None`` is a value: "not stated")."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Final[Any] = _Unchanged()


def today() -> date:
    return timezone.localdate()


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def provided(**values: Any) -> dict[str, Any]:
    """The keyword arguments a caller actually gave (those not left at ``UNCHANGED``)."""
    return {k: v for k, v in values.items() if v is not UNCHANGED}


def validate(obj: models.Model) -> None:
    """Run the model's own field validation (choices, lengths, required fields, validators) before a write,
    so the API and the forms are held to the same rules. Relations are left out: the service has already
    looked them up in the actor's organisation, and checking them again would cost a query each. Unique
    fields and constraints are left to the database, whose refusal each service turns into a message."""
    relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
    validation.clean(obj, exclude=relations)


def plan_inputs_changed(organisation_id: int) -> None:
    """Inside the caller's transaction: something the waiting list's offer plan is computed from changed, so
    the organisation's ``MatchingSettings.plan_version`` takes a new value and a plan remembered under the old
    one is planned afresh when the list is next opened. Every service that changes such an input calls it.

    The new value is a fresh random number, not a count: a count comes back to a value it had once a
    transaction is rolled back or a backup restored, and a plan remembered under that value would then be
    taken for one of different inputs. The organisation's settings row is made with the default weights when
    it has none yet (the weights matching uses without one)."""
    stamp = secrets.randbits(62) + 1  # never 0: the value of an organisation whose inputs were never stamped
    if not MatchingSettings.objects.filter(organisation_id=organisation_id).update(plan_version=stamp):
        found, created = MatchingSettings.objects.get_or_create(
            organisation_id=organisation_id, defaults={"plan_version": stamp}
        )
        if not created:  # made by another transaction meanwhile
            MatchingSettings.objects.filter(pk=found.pk).update(plan_version=stamp)
