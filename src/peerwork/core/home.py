"""Home pages made for each role.

A person sees one section per role they hold, in the order of ``HOME_ORDER``. Each section is a template
``core/home/<role>.html`` and a function that gathers what it shows; later parts of Peerwork add their
own gatherers with ``@section(role)``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db.models import Count
from django.utils import timezone

from peerwork.accounts.models import HOME_ORDER, Membership, Role
from peerwork.organisations import selectors as org_selectors
from peerwork.privacy.models import AuditEntry

from .actor import Actor

Gatherer = Callable[[Actor], dict[str, Any]]
SECTIONS: dict[str, list[Gatherer]] = defaultdict(list)


def section(role: str) -> Callable[[Gatherer], Gatherer]:
    def register(fn: Gatherer) -> Gatherer:
        SECTIONS[role].append(fn)
        return fn

    return register


def sections_for(actor: Actor) -> list[dict[str, Any]]:
    out = []
    for role in HOME_ORDER:
        if role in actor.roles:
            context: dict[str, Any] = {}
            for gather in SECTIONS[role]:
                context.update(gather(actor))
            extras = [v for k, v in sorted(context.items()) if k.endswith("_home_template")]
            out.append(
                {
                    "role": str(role),
                    "label": Role(role).label,
                    "template": f"core/home/{role}.html",
                    "extra_templates": extras,
                    **context,
                }
            )
    return out


@section(Role.COORDINATOR)
@section(Role.SENIOR_PEER_WORKER)
def _followed(actor: Actor) -> dict[str, Any]:
    return {"followed": org_selectors.peer_workers_i_follow(actor)}


@section(Role.PEER_WORKER)
def _own_position(actor: Actor) -> dict[str, Any]:
    return {"my_positions": org_selectors.my_positions(actor)}


@section(Role.MANAGER)
def _units(actor: Actor) -> dict[str, Any]:
    units = list(org_selectors.units_with_positions(actor))
    return {
        "units": units,
        "single_peer_worker_units": [u for u in units if u.peer_workers == 1],
        "vacant": [p for u in units for p in u.positions.all() if p.holder_id is None],
    }


@section(Role.PROFESSIONAL)
def _team_peer_workers(actor: Actor) -> dict[str, Any]:
    return {"team_peer_workers": org_selectors.peer_workers_in_my_teams(actor)}


@section(Role.DPO)
def _audit_summary(actor: Actor) -> dict[str, Any]:
    since = timezone.now() - timedelta(days=7)
    rows = (
        AuditEntry.objects.filter(organisation_id=actor.organisation_id, at__gte=since)
        .values("action")
        .annotate(n=Count("id"))
        .order_by("action")
    )
    labels = dict(AuditEntry.Action.choices)
    return {"audit_week": [{"action": labels.get(r["action"], r["action"]), "n": r["n"]} for r in rows]}


@section(Role.ADMINISTRATOR)
def _roles(actor: Actor) -> dict[str, Any]:
    rows = (
        Membership.objects.filter(organisation_id=actor.organisation_id)
        .values("role")
        .annotate(n=Count("id"))
        .order_by("role")
    )
    labels = dict(Role.choices)
    return {"role_counts": [{"role": labels[r["role"]], "n": r["n"]} for r in rows]}
