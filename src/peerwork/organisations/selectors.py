"""Reads of the organisation's structure, scoped to the acting user."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core.actor import Actor
from peerwork.core.roles import Role

from .models import Position, Unit

if TYPE_CHECKING:  # django-stubs' helper for annotated querysets; a development dependency only
    from django_stubs_ext import WithAnnotations

STRUCTURE_ROLES = (Role.ADMINISTRATOR, Role.MANAGER, Role.COORDINATOR, Role.SENIOR_PEER_WORKER)


def positions(actor: Actor) -> QuerySet[Position]:
    """Positions the actor may see: the whole organisation for those who run it, a professional's own
    teams, a peer worker's own position."""
    qs = Position.objects.filter(organisation_id=actor.organisation_id).select_related("unit", "holder", "reports_to")
    if actor.has(*STRUCTURE_ROLES):
        return qs
    if actor.has(Role.PROFESSIONAL):
        return qs.filter(Q(unit_id__in=actor.unit_ids) | Q(holder=actor.user))
    return qs.filter(holder=actor.user)


class PeerWorkerCount(TypedDict):
    peer_workers: int


def units(actor: Actor) -> QuerySet[Unit]:
    """The units and teams of the actor's organisation, by name (their names are not personal data)."""
    return Unit.objects.filter(organisation_id=actor.organisation_id).order_by("name")


def unit(actor: Actor, pk: int) -> Unit:
    """One unit of the actor's organisation; another organisation's answers as an id that does not exist."""
    return get_object_or_404(units(actor), pk=pk)


def units_with_positions(actor: Actor) -> QuerySet[WithAnnotations[Unit, PeerWorkerCount]]:
    actor.require(*STRUCTURE_ROLES)
    record(actor, Action.READ, object_type="organisations.position", detail=Detail("shown", page="list"))
    return (
        Unit.objects.filter(organisation_id=actor.organisation_id)
        .annotate(
            peer_workers=Count("positions", filter=Q(positions__holder__isnull=False, positions__end_date__isnull=True))
        )
        .prefetch_related(
            Prefetch("positions", queryset=Position.objects.select_related("holder", "reports_to").order_by("title"))
        )
        .order_by("name")
    )


def position(actor: Actor, pk: int) -> Position:
    found = get_object_or_404(positions(actor), pk=pk)
    record(actor, Action.READ, found, subject=found.holder)
    return found


def my_positions(actor: Actor) -> list[Position]:
    return list(
        Position.objects.filter(organisation_id=actor.organisation_id, holder=actor.user).select_related(
            "unit", "reports_to"
        )
    )


def peer_workers_i_follow(actor: Actor) -> list[Position]:
    """Positions whose holder reports to the actor (a coordinator's or supervisor's own team)."""
    found = list(
        Position.objects.filter(organisation_id=actor.organisation_id, reports_to=actor.user, holder__isnull=False)
        .select_related("unit", "holder")
        .order_by("holder__first_name")
    )
    if found:
        record(actor, Action.READ, object_type="organisations.position", detail=Detail("shown", page="my_peer_workers"))
    return found
