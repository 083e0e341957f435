"""Peer workers' profiles and the organisation's workload and matching settings."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from peerwork.accounts.models import Membership
from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core.actor import Actor
from peerwork.core.roles import Role

from .. import access
from ..models import AvailabilityChange, MatchingSettings, PeerWorkerProfile, WorkloadSettings
from ._common import UNCHANGED, plan_inputs_changed, provided, today, validate

WORD_LISTS = ("experience_kinds", "services_used", "background", "interests", "languages", "districts")
# Fields of a settings row that are not settings.
NOT_SETTINGS = ("id", "organisation", "updated_at", "plan_version")


def profile_for_update(organisation_id: int, user_id: int, by: Any = None) -> PeerWorkerProfile:
    """The peer worker's profile, locked: capacity is checked once per write. A peer worker without one is
    new: the profile is created on hold (not open to new people until profile and orientation are complete,
    ``availability.lift_hold``), and that is the first entry of its availability history."""
    if not Membership.objects.filter(organisation_id=organisation_id, user_id=user_id, role=Role.PEER_WORKER).exists():
        raise ValidationError({"peer_worker": _("Choose a peer worker in your organisation.")})
    found, created = PeerWorkerProfile.objects.get_or_create(
        organisation_id=organisation_id, user_id=user_id, defaults={"on_hold": True}
    )
    if created:
        AvailabilityChange.objects.create(
            organisation_id=organisation_id, profile=found, kind=AvailabilityChange.Kind.HOLD, changed_by=by
        )
        plan_inputs_changed(organisation_id)
    return PeerWorkerProfile.objects.select_for_update().get(pk=found.pk)


def clean_hours(hours: Any) -> dict[str, list[list[str]]]:
    if not isinstance(hours, dict):
        raise ValidationError({"working_hours": _("Enter agreed hours per weekday, like 09:00–15:00.")})
    out: dict[str, list[list[str]]] = {}
    for day, spans in hours.items():
        if str(day) not in {str(i) for i in range(7)}:
            raise ValidationError({"working_hours": _("Weekdays are numbered 0 (Monday) to 6 (Sunday).")})
        cleaned = []
        for span in spans or []:
            try:
                lo, hi = str(span[0]), str(span[1])
                lo_t, hi_t = time.fromisoformat(lo), time.fromisoformat(hi)
            except (IndexError, ValueError, TypeError):
                raise ValidationError({"working_hours": _("Write each span as two times, like 09:00–15:00.")}) from None
            if hi_t <= lo_t:
                raise ValidationError({"working_hours": _("Each span must end after it starts.")})
            cleaned.append([lo_t.strftime("%H:%M"), hi_t.strftime("%H:%M")])
        if cleaned:
            out[str(day)] = cleaned
    return out


def save_profile(
    actor: Actor,
    *,
    peer_worker_id: int,
    experience_kinds: list[str] = UNCHANGED,
    services_used: list[str] = UNCHANGED,
    background: list[str] = UNCHANGED,
    interests: list[str] = UNCHANGED,
    languages: list[str] = UNCHANGED,
    districts: list[str] = UNCHANGED,
    birth_year: int | None = UNCHANGED,
    gender: str = UNCHANGED,
) -> PeerWorkerProfile:
    """A peer worker edits their own self-declared profile; a coordinator may edit it when asked to.
    Availability (open to new people, capacity, evenings and weekends, hours) is ``availability``'s."""
    own = peer_worker_id == actor.user.pk
    if not own:
        actor.require(Role.COORDINATOR)
    changes = provided(
        experience_kinds=experience_kinds,
        services_used=services_used,
        background=background,
        interests=interests,
        languages=languages,
        districts=districts,
        birth_year=birth_year,
        gender=gender,
    )
    year = changes.get("birth_year")
    if year is not None and not 1900 <= int(year) <= today().year:
        raise ValidationError({"birth_year": _("Enter a year of birth between 1900 and this year, or leave it empty.")})
    for key in WORD_LISTS:
        if key in changes:
            changes[key] = sorted({str(v).strip().lower() for v in changes[key] or [] if str(v).strip()})
    with transaction.atomic():
        profile = profile_for_update(actor.organisation_id, peer_worker_id, actor.user)
        for key, value in changes.items():
            setattr(profile, key, value)
        validate(profile)
        profile.save()
        plan_inputs_changed(actor.organisation_id)
        record(
            actor, Action.UPDATE, profile, subject=profile.user, detail=Detail("profile_fields", fields=sorted(changes))
        )
    return profile


def _settings_fields(model: type[WorkloadSettings] | type[MatchingSettings], values: dict[str, Any]) -> None:
    """A name that is not a setting is the caller's mistake, not the person's input."""
    unknown = set(values) - {f.name for f in model._meta.fields if f.name not in NOT_SETTINGS}
    if unknown:
        raise TypeError(f"not a setting of {model.__name__}: {', '.join(sorted(unknown))}")


def save_workload_settings(actor: Actor, **thresholds: int | Decimal) -> WorkloadSettings:
    """Change the thresholds of the workload signals (a field of ``WorkloadSettings`` each); those not
    given stay as they are."""
    actor.require(*access.SETTINGS_ROLES)
    _settings_fields(WorkloadSettings, thresholds)
    with transaction.atomic():
        found, _created = WorkloadSettings.objects.get_or_create(organisation_id=actor.organisation_id)
        for field, value in thresholds.items():
            setattr(found, field, value)
        validate(found)
        try:
            with transaction.atomic():
                found.save()
        except IntegrityError:
            raise ValidationError(
                {"__all__": _("Every threshold must be above zero; a share is at most 100%.")}
            ) from None
        record(actor, Action.UPDATE, found)
    return found


def save_matching_settings(actor: Actor, **weights: float) -> MatchingSettings:
    """Change the weights of the matching factors (a field of ``MatchingSettings`` each); those not given
    stay as they are."""
    actor.require(*access.SETTINGS_ROLES)
    _settings_fields(MatchingSettings, weights)
    with transaction.atomic():
        made, _created = MatchingSettings.objects.get_or_create(organisation_id=actor.organisation_id)
        # Locked and read again: saving the row whole must not write back a plan version moved meanwhile.
        found = MatchingSettings.objects.select_for_update().get(pk=made.pk)
        for field, value in weights.items():
            if float(value) < 0:
                raise ValidationError({field: _("A weight cannot be negative; use 0 to switch a factor off.")})
            setattr(found, field, float(value))
        validate(found)
        found.save()
        plan_inputs_changed(actor.organisation_id)
        found.refresh_from_db(fields=["plan_version"])
        record(actor, Action.UPDATE, found)
    return found
