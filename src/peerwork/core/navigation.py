"""Role-based navigation. Each app adds its entries here as it grows."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peerwork.accounts.models import Role

from .actor import Actor

ALL = frozenset(Role.values)


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    roles: frozenset[str]
    order: int = 50


NAV: list[NavItem] = [
    NavItem("core:home", _("Home"), ALL, order=0),
    NavItem(
        "organisations:units",
        _("Teams and positions"),
        frozenset({Role.ADMINISTRATOR, Role.MANAGER, Role.COORDINATOR, Role.SENIOR_PEER_WORKER}),
        order=60,
    ),
    NavItem("accounts:people", _("People"), frozenset({Role.ADMINISTRATOR, Role.MANAGER}), order=70),
    NavItem("privacy:audit", _("Audit trail"), frozenset({Role.DPO}), order=80),
    NavItem("accounts:tokens", _("API tokens"), ALL, order=99),
]


def register(item: NavItem) -> None:
    """Called from an app's ``AppConfig.ready()`` to add its pages to the navigation."""
    if all(existing.url_name != item.url_name for existing in NAV):
        NAV.append(item)
        NAV.sort(key=lambda i: i.order)


def navigation_for(actor: Actor, path: str) -> list[dict[str, object]]:
    items = []
    for item in NAV:
        if actor.roles & item.roles:
            url = reverse(item.url_name)
            current = path == url if url == "/" else path.startswith(url)
            items.append({"url": url, "label": item.label, "current": current})
    return items
