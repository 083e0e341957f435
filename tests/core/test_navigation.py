"""The menu is grouped by what each role does: at most six entries at the top for any role, each page once,
and API tokens (and a person's own settings) under their name rather than in the main menu."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import pytest
from django.urls import reverse

from peerwork.audit import matrix
from peerwork.core.actor import Actor
from peerwork.core.navigation import GROUPS, account_links, navigation_for
from peerwork.core.roles import Role


@dataclass
class _Roles:
    roles: frozenset[str]


def _actor(role: str) -> Actor:
    return cast(Actor, _Roles(frozenset({role})))  # the menu reads only the roles


def _urls(entries: list[dict[str, Any]]) -> list[str]:
    return [link["url"] for e in entries for link in (e["links"] if "links" in e else [e])]


@pytest.mark.parametrize("role", Role.values)
def test_each_role_has_at_most_six_entries_each_page_once_and_only_pages_it_may_open(role):
    actor = _actor(role)
    nav = navigation_for(actor, "/")
    assert 3 <= len(nav) <= 6, [str(e["label"]) for e in nav]
    urls = _urls(nav)
    assert len(urls) == len(set(urls))
    assert reverse("accounts:tokens") not in urls
    assert reverse("accounts:tokens") in [link["url"] for link in account_links(actor, "/")]
    allowed = {
        "/" + path for name, path in matrix.url_patterns().items() if matrix.by_name()[name].level(role) != "none"
    }
    assert set(urls) <= allowed
    for entry in nav:
        if "links" in entry:
            assert len(entry["links"]) > 1 and entry["key"] in GROUPS  # a group of one is shown as a link


def test_a_group_holding_the_current_page_is_marked_current():
    nav = navigation_for(_actor(Role.MANAGER), reverse("evaluation:pulse"))
    group = next(e for e in nav if e.get("key") == "evaluation")
    assert group["current"] and [link["current"] for link in group["links"]].count(True) == 1
