"""What the accounts part adds to home pages and the menu."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _
from ninja import Router

from peerwork.core import hooks
from peerwork.core.actor import Actor
from peerwork.core.navigation import ACCOUNT, NavItem
from peerwork.core.roles import EVERYONE, Role

from . import selectors
from .api import router


@hooks.register(hooks.NAVIGATION)
def navigation() -> Iterable[NavItem]:
    return [
        NavItem("accounts:people", _("People"), frozenset({Role.ADMINISTRATOR}), order=20),
        NavItem("accounts:people", _("People"), frozenset({Role.MANAGER}), order=70, group="organisation"),
        NavItem("accounts:recovery_codes", _("Recovery codes"), EVERYONE, order=98, group=ACCOUNT),
        NavItem("accounts:tokens", _("API tokens"), EVERYONE, order=99, group=ACCOUNT),
    ]


@hooks.register(hooks.home_section(Role.ADMINISTRATOR))
def role_counts(actor: Actor) -> dict[str, Any]:
    return {"role_counts": selectors.role_counts(actor)}


@hooks.register(hooks.API_ROUTERS, order=5)
def api_router() -> tuple[str, Router]:
    return "/accounts", router
