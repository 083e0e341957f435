"""What co-creation adds to the menu, the API, home pages, readiness checks, demo and scale data."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _
from ninja import Router

from peerwork.core import hooks
from peerwork.core.navigation import NavItem
from peerwork.core.roles import EVERYONE, Role
from peerwork.core.sources import Entry

from . import demo, generate, home  # noqa: F401  (home registers its sections)
from .api import router
from .selectors import committee_counts
from .warnings import CATALOGUE as WARNINGS


@hooks.register(hooks.NAVIGATION)
def navigation() -> Iterable[NavItem]:
    leading = frozenset({Role.MANAGER, Role.ADMINISTRATOR})
    taking_part = EVERYONE - leading - {Role.DPO}
    return [
        # Boards are one step away, in co-creation's own menu.
        NavItem("cocreation:initiatives", _("Co-creation"), leading, order=40),
        NavItem("cocreation:initiatives", _("Co-creation"), taking_part, order=40, group="improve"),
        NavItem("cocreation:signals", _("Signals"), frozenset({Role.MANAGER}), order=42),
        NavItem(
            "cocreation:signals",
            _("Signals"),
            frozenset({Role.PEER_WORKER, Role.SENIOR_PEER_WORKER}),
            order=42,
            group="improve",
        ),
    ]


@hooks.register(hooks.API_ROUTERS, order=40)
def api_router() -> tuple[str, Router]:
    return "/cocreation", router


@hooks.register(hooks.SOURCE_CATALOGUE, order=40)
def source_catalogue() -> Iterable[Entry]:
    out = [Entry(_("Co-creation warning"), code, title, cites) for code, title, cites in WARNINGS]
    out.append(
        Entry(
            _("Setting"),
            "contribution_pending_limit_days",
            _("Days a contribution may wait for a decision"),
            ("default-pending",),
        )
    )
    return out


# Each peer worker's boards and working groups count toward readiness's committee check (S1 B1).
hooks.register(hooks.COMMITTEE_COUNTERS)(committee_counts)
hooks.register(hooks.DEMO_DATA, order=40)(demo.seed_cocreation)
hooks.register(hooks.SCALE_DATA, order=40)(generate.from_generated)
