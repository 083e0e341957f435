"""What the peer recovery service adds to the menu, the API, home pages, demo and scale data."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _
from ninja import Router

from peerwork.core import hooks
from peerwork.core.navigation import ACCOUNT, NavItem
from peerwork.core.roles import Role

from . import demo, generate, home  # noqa: F401  (home registers its sections)
from .api import router


@hooks.register(hooks.NAVIGATION)
def navigation() -> Iterable[NavItem]:
    coordinator = frozenset({Role.COORDINATOR})
    peer_worker = frozenset({Role.PEER_WORKER})
    return [
        NavItem("service:queue", _("Referral queue"), coordinator, order=10),
        NavItem("service:dashboard", _("Dashboard"), coordinator, order=11, group="peer_workers"),
        NavItem("service:caseload", _("My caseload"), peer_worker, order=12),
        NavItem("service:quick_add", _("Log a contact"), peer_worker, order=13),
        NavItem("service:guidance_due", _("Guidance"), frozenset({Role.SENIOR_PEER_WORKER}), order=14),
        NavItem("service:my_guidance", _("My guidance"), peer_worker, order=15, group="my_work"),
        NavItem("service:guidance_relationships", _("Who guides whom"), coordinator, order=16, group="peer_workers"),
        # Under the peer worker's name: their own availability and profile.
        NavItem("service:my_availability", _("My availability"), peer_worker, order=90, group=ACCOUNT),
        NavItem("service:my_profile", _("My matching profile"), peer_worker, order=91, group=ACCOUNT),
    ]


@hooks.register(hooks.API_ROUTERS, order=20)
def api_router() -> tuple[str, Router]:
    return "/service", router


# Service demo data follows privacy's demo people (it counts their engagements against capacity).
hooks.register(hooks.DEMO_DATA, order=20)(demo.seed)
# Availability comes last: a new peer worker joins, and readiness's orientations already exist.
hooks.register(hooks.DEMO_DATA, order=60)(demo.seed_availability)
hooks.register(hooks.SCALE_DATA, order=20)(generate.from_generated)
