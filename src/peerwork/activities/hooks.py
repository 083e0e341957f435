"""What groups and courses add to the menu, the API and the demo."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _
from ninja import Router

from peerwork.core import hooks
from peerwork.core.navigation import NavItem
from peerwork.core.roles import Role

from . import demo, home  # noqa: F401  (home registers its sections)
from .api import router


@hooks.register(hooks.NAVIGATION)
def navigation() -> Iterable[NavItem]:
    label = _("Groups and courses")
    return [
        NavItem("activities:activities", label, frozenset({Role.COORDINATOR, Role.SENIOR_PEER_WORKER}), order=25),
        NavItem("activities:activities", label, frozenset({Role.PEER_WORKER}), order=25, group="my_work"),
    ]


@hooks.register(hooks.API_ROUTERS, order=45)
def api_router() -> tuple[str, Router]:
    return "/groups", router


hooks.register(hooks.DEMO_DATA, order=45)(demo.seed_activities)
