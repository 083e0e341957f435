"""A peer worker's availability: the peer worker sets it, within what the coordinator agrees.

* The peer worker (or a coordinator, when asked) pauses or reopens new referrals, with an optional day to
  open again; picks how many engagements they carry within the range agreed with the coordinator; says
  whether they work evenings and weekends; and sets their agreed hours.
* Only a coordinator agrees the range (fewest and most engagements) and lifts the hold of a new peer worker.
* A new peer worker is on hold, "not open to new people", until their profile and orientation are complete.
  Orientation belongs to readiness, a higher layer; it answers through the ``orientation_complete`` hook
  (``service/availability.py``), and the coordinator lifts the hold once nothing is missing. Lifting is a
  person's decision, not automatic: the coordinator has usually talked with the new peer worker about when
  to start.

Every change is kept as an ``AvailabilityChange`` (who, when, the new values) that the peer worker and the
coordinators read, and as an audit entry whose subject is the peer worker.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core.actor import Actor
from peerwork.core.roles import Role

from ..availability import missing_for, orientation_complete
from ..models import AvailabilityChange, PeerWorkerProfile
from ._common import UNCHANGED, plan_inputs_changed, provided, today, validate
from .profiles import clean_hours, profile_for_update

MOST = 30  # the database's own limit on engagements per peer worker


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def _profile(actor: Actor, peer_worker_id: int) -> PeerWorkerProfile:
    """The peer worker's profile, locked (created on hold when there is none). Only the peer worker
    themself and the organisation's coordinators change it."""
    if peer_worker_id != actor.user.pk:
        actor.require(Role.COORDINATOR)
    else:
        actor.require(Role.PEER_WORKER)
    return profile_for_update(actor.organisation_id, peer_worker_id, actor.user)


def _log(actor: Actor, profile: PeerWorkerProfile, kind: str, values: dict[str, Any]) -> AvailabilityChange:
    change = AvailabilityChange(
        organisation_id=actor.organisation_id,
        profile=profile,
        kind=kind,
        values=_jsonable(values),
        changed_by=actor.user,
        changed_at=timezone.now(),
    )
    validate(change)
    change.save()
    plan_inputs_changed(profile.organisation_id)  # every change of availability is logged here
    record(
        actor,
        Action.UPDATE,
        profile,
        subject=profile.user,
        detail=Detail("availability", kind=kind, fields=sorted(values)),
    )
    return change


def save_availability(
    actor: Actor,
    *,
    peer_worker_id: int,
    accepting: bool = UNCHANGED,
    resumes_on: date | None = UNCHANGED,
    capacity: int = UNCHANGED,
    evenings: bool = UNCHANGED,
    weekends: bool = UNCHANGED,
    working_hours: dict[str, list[list[str]]] = UNCHANGED,
) -> PeerWorkerProfile:
    """The peer worker's own availability (or a coordinator's change on their behalf). Open to new people
    clears the day to open again; a day to open again must lie ahead. Capacity must lie within the range
    the coordinator agreed. Only what changed is kept in the history; nothing changed, nothing recorded."""
    changes = provided(
        accepting=accepting,
        resumes_on=resumes_on,
        capacity=capacity,
        evenings=evenings,
        weekends=weekends,
        working_hours=working_hours,
    )
    if "working_hours" in changes:
        changes["working_hours"] = clean_hours(changes["working_hours"])
    if changes.get("accepting") is True:
        changes["resumes_on"] = None
    when = changes.get("resumes_on")
    if when is not None and when <= today():
        raise ValidationError({"resumes_on": _("Choose a day after today, or leave it empty.")})
    with transaction.atomic():
        profile = _profile(actor, peer_worker_id)
        if "capacity" in changes and not profile.capacity_min <= int(changes["capacity"]) <= profile.capacity_max:
            raise ValidationError(
                {
                    "capacity": _("Choose a number from %(lo)s to %(hi)s, the range agreed with your coordinator.")
                    % {"lo": profile.capacity_min, "hi": profile.capacity_max}
                }
            )
        if when is not None and changes.get("accepting", profile.accepting):
            raise ValidationError({"resumes_on": _("A day to open again goes with pausing new referrals.")})
        changed = {k: v for k, v in changes.items() if getattr(profile, k) != v}
        for key, value in changed.items():
            setattr(profile, key, value)
        if not changed:
            return profile
        validate(profile)
        profile.save()
        _log(actor, profile, AvailabilityChange.Kind.CHANGED, changed)
    return profile


def agree_range(actor: Actor, *, peer_worker_id: int, capacity_min: int, capacity_max: int) -> PeerWorkerProfile:
    """The coordinator agrees the fewest and most engagements; a capacity outside the new range is moved to
    its nearest end (and that is kept in the history too)."""
    actor.require(Role.COORDINATOR)
    if not 0 <= capacity_min <= MOST:
        raise ValidationError({"capacity_min": _("Enter a number from 0 to %(n)s.") % {"n": MOST}})
    if not 0 <= capacity_max <= MOST:
        raise ValidationError({"capacity_max": _("Enter a number from 0 to %(n)s.") % {"n": MOST}})
    if capacity_max < capacity_min:
        raise ValidationError({"capacity_max": _("The most cannot be fewer than the fewest.")})
    with transaction.atomic():
        profile = _profile(actor, peer_worker_id)
        values: dict[str, Any] = {"capacity_min": capacity_min, "capacity_max": capacity_max}
        capacity = min(max(profile.capacity, capacity_min), capacity_max)
        if capacity != profile.capacity:
            values["capacity"] = capacity
        if all(getattr(profile, k) == v for k, v in values.items()):
            return profile
        for key, value in values.items():
            setattr(profile, key, value)
        validate(profile)
        profile.save()
        _log(actor, profile, AvailabilityChange.Kind.RANGE, values)
    return profile


def lift_hold(actor: Actor, *, peer_worker_id: int) -> PeerWorkerProfile:
    """The coordinator opens a new peer worker to new people, once profile and orientation are complete."""
    actor.require(Role.COORDINATOR)
    with transaction.atomic():
        profile = _profile(actor, peer_worker_id)
        if not profile.on_hold:
            raise ValidationError({"__all__": _("This peer worker is not on hold.")})
        done = peer_worker_id in orientation_complete(actor.organisation_id, [peer_worker_id])
        missing = missing_for(profile, done)
        if missing:
            raise ValidationError(
                {"__all__": _("Still missing: %(items)s. Complete these first.") % {"items": "; ".join(missing)}}
            )
        profile.on_hold = False
        profile.hold_lifted_at = timezone.now()
        profile.hold_lifted_by = actor.user
        profile.save()
        _log(actor, profile, AvailabilityChange.Kind.LIFTED, {"on_hold": False})
    return profile
