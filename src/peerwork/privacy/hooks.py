"""What the privacy part adds to the menu, the API and the demo."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _
from ninja import Router

from peerwork.core import hooks
from peerwork.core.navigation import NavItem
from peerwork.core.roles import Role

from . import demo
from .api import router


@hooks.register(hooks.NAVIGATION)
def navigation() -> Iterable[NavItem]:
    return [
        NavItem("privacy:shared", _("Shared with me"), frozenset({Role.PROFESSIONAL}), order=20),
        NavItem("privacy:consents", _("Consent"), frozenset({Role.PEER_WORKER, Role.COORDINATOR}), order=35),
        NavItem("privacy:people", _("People's rights"), frozenset({Role.DPO}), order=75),
        NavItem("privacy:evaluation", _("Evaluation extracts"), frozenset({Role.DPO, Role.MANAGER}), order=77),
        NavItem("privacy:audit", _("Audit trail"), frozenset({Role.DPO}), order=80),
    ]


@hooks.register(hooks.API_ROUTERS, order=70)
def api_router() -> tuple[str, Router]:
    return "/privacy", router


# The privacy story's demo people come first: the service's demo data counts their engagements.
hooks.register(hooks.DEMO_DATA, order=10)(demo.seed_privacy)
