"""Role-based navigation. Each app adds its menu entries through the ``navigation`` hook."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import hooks
from .actor import Actor
from .roles import EVERYONE


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    roles: frozenset[str]
    order: int = 50


@hooks.register(hooks.NAVIGATION)
def _core_items() -> Iterable[NavItem]:
    return [NavItem("core:home", _("Home"), EVERYONE, order=0)]


@cache
def all_items() -> tuple[NavItem, ...]:
    """Every registered entry once, by ``order`` (the first registration of a URL name wins)."""
    seen: dict[str, NavItem] = {}
    for provide in hooks.get(hooks.NAVIGATION):
        for item in provide():
            seen.setdefault(item.url_name, item)
    return tuple(sorted(seen.values(), key=lambda i: i.order))


def navigation_for(actor: Actor, path: str) -> list[dict[str, Any]]:
    items = []
    for item in all_items():
        if actor.roles & item.roles:
            url = reverse(item.url_name)
            current = path == url if url == "/" else path.startswith(url)
            items.append({"url": url, "label": item.label, "current": current})
    return items
