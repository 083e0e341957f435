"""What the organisations part adds to home pages and the menu."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from peerwork.core import hooks
from peerwork.core.actor import Actor
from peerwork.core.navigation import NavItem
from peerwork.core.roles import Role

from . import selectors


@hooks.register(hooks.NAVIGATION)
def navigation() -> Iterable[NavItem]:
    return [
        NavItem(
            "organisations:units",
            _("Teams and positions"),
            frozenset({Role.ADMINISTRATOR, Role.SENIOR_PEER_WORKER}),
            order=60,
        ),
        NavItem(
            "organisations:units", _("Teams and positions"), frozenset({Role.MANAGER}), order=60, group="organisation"
        ),
        NavItem(
            "organisations:units",
            _("Teams and positions"),
            frozenset({Role.COORDINATOR}),
            order=60,
            group="peer_workers",
        ),
    ]


# A senior peer worker's own list is who they guide (the service's guidance relationships), not a
# reporting line: the service fills that section.
@hooks.register(hooks.home_section(Role.COORDINATOR))
def followed(actor: Actor) -> dict[str, Any]:
    return {"followed": selectors.peer_workers_i_follow(actor)}


@hooks.register(hooks.home_section(Role.PEER_WORKER))
def own_position(actor: Actor) -> dict[str, Any]:
    return {"my_positions": selectors.my_positions(actor)}


@hooks.register(hooks.home_section(Role.MANAGER))
def units(actor: Actor) -> dict[str, Any]:
    found = list(selectors.units_with_positions(actor))
    return {
        "units": found,
        "single_peer_worker_units": [u for u in found if u.peer_workers == 1],
        "vacant": [p for u in found for p in u.positions.all() if p.holder_id is None],
    }
