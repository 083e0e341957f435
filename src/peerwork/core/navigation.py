"""Role-based navigation. Each app adds its menu entries through the ``navigation`` hook.

The menu is grouped by what each role does, so no role sees more than about six entries at the top: an entry
names a ``group`` (one of ``GROUPS``) to sit in that group's list instead. A group shown to a role with only one
entry becomes a plain link. Entries in the ``account`` group (API tokens, a person's own settings) are shown
under the person's name, not in the main menu. An app whose entry sits at the top for one role and in a group
for another registers it twice, once per set of roles.
"""

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

ACCOUNT = "account"
# key: (label, place among the top-level entries' ``order``)
GROUPS: dict[str, tuple[str | Promise, int]] = {
    "peer_workers": (_("Peer workers"), 15),
    "my_work": (_("My work"), 20),
    "evaluation": (_("Evaluation"), 50),
    "organisation": (_("Organisation"), 70),
    "improve": (_("Improve the service"), 80),
}


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    roles: frozenset[str]
    order: int = 50
    group: str = ""  # "" (the top of the menu), a key of GROUPS, or ACCOUNT


@hooks.register(hooks.NAVIGATION)
def _core_items() -> Iterable[NavItem]:
    return [NavItem("core:home", _("Home"), EVERYONE, order=0)]


@cache
def all_items() -> tuple[NavItem, ...]:
    """Every registered entry once, by ``order`` (the first registration of a URL name for a set of roles
    wins)."""
    seen: dict[tuple[str, frozenset[str]], NavItem] = {}
    for provide in hooks.get(hooks.NAVIGATION):
        for item in provide():
            assert not item.group or item.group == ACCOUNT or item.group in GROUPS, item.group
            seen.setdefault((item.url_name, item.roles), item)
    return tuple(sorted(seen.values(), key=lambda i: i.order))


def _is_current(url: str, path: str) -> bool:
    return path == url if url == "/" else path.startswith(url)


def navigation_for(actor: Actor, path: str) -> list[dict[str, Any]]:
    """The main menu for ``actor``: links (``url``, ``label``, ``current``) and groups (``label``, ``links``,
    ``current``, ``key``), in order; each URL once."""
    top: list[tuple[int, dict[str, Any]]] = []
    grouped: dict[str, list[dict[str, Any]]] = {}
    shown: set[str] = set()
    for item in all_items():
        if not actor.roles & item.roles or item.group == ACCOUNT or item.url_name in shown:
            continue
        shown.add(item.url_name)
        url = reverse(item.url_name)
        link = {"url": url, "label": item.label, "current": _is_current(url, path)}
        if item.group:
            grouped.setdefault(item.group, []).append(link)
        else:
            top.append((item.order, link))
    for key, links in grouped.items():
        label, order = GROUPS[key]
        if len(links) == 1:
            top.append((order, links[0]))
        else:
            current = any(link["current"] for link in links)
            top.append((order, {"key": key, "label": label, "links": links, "current": current}))
    return [entry for _order, entry in sorted(top, key=lambda pair: pair[0])]


def account_links(actor: Actor, path: str) -> list[dict[str, Any]]:
    """The entries shown under the person's name: their own settings and API tokens."""
    links = []
    shown: set[str] = set()
    for item in all_items():
        if item.group == ACCOUNT and actor.roles & item.roles and item.url_name not in shown:
            shown.add(item.url_name)
            url = reverse(item.url_name)
            links.append({"url": url, "label": item.label, "current": _is_current(url, path)})
    return links
