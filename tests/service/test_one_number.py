"""One number for one thing: the coordinator's home page and dashboard count reviews due the same way, and a
senior peer worker's home lists the peer workers they guide by guidance relationship."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

from peerwork.core.roles import Role
from peerwork.service import selectors
from peerwork.service.models import Engagement, GuidanceRelationship

from .conftest import add_peer_worker, engage, new_referral


def _due_engagements(world, n, *, guided_by=None):
    today = timezone.localdate()
    found = []
    for i in range(n):
        pw = add_peer_worker(world, f"due-pw-{guided_by.pk if guided_by else 0}-{i}", guided_by=guided_by)
        e = engage(world, new_referral(world, f"Due {i}"), pw)
        found.append(e)
    Engagement.objects.filter(pk__in=[e.pk for e in found]).update(next_review_on=today + timedelta(days=3))
    return found


def _home_figure(body: str) -> int:
    match = re.search(r"(\d+) reviews? or endings? (?:is|are) due soon", body)
    assert match, "the home page states the reviews due"
    return int(match.group(1))


def _dashboard_figure(body: str) -> int:
    match = re.search(r'id="due-figure"><p class="figure">(\d+)</p>', body)
    assert match
    return int(match.group(1))


def test_home_page_and_dashboard_show_the_same_reviews_due(world):
    coordinator = world.users[Role.COORDINATOR]
    _due_engagements(world, 3, guided_by=coordinator)  # in the coordinator's own team
    _due_engagements(world, 4)  # elsewhere in the organisation
    client = world.client(Role.COORDINATOR)
    home = _home_figure(client.get("/").content.decode())
    dashboard = _dashboard_figure(client.get("/service/dashboard/").content.decode())
    expected = selectors.due_engagements(world.actor(Role.COORDINATOR)).count()
    assert home == dashboard == expected == 3
    everyone = _dashboard_figure(client.get("/service/dashboard/?all=1").content.decode())
    assert everyone == 7


def test_the_figure_counts_beyond_the_rows_listed(world):
    _due_engagements(world, 2)
    GuidanceRelationship.objects.filter(guide=world.users[Role.COORDINATOR]).delete()
    client = world.client(Role.COORDINATOR)
    body = client.get("/service/dashboard/").content.decode()
    assert _dashboard_figure(body) == _home_figure(client.get("/").content.decode()) == 2


def test_one_is_singular_on_the_dashboard_and_home(world):
    GuidanceRelationship.objects.filter(guide=world.users[Role.COORDINATOR]).delete()
    _due_engagements(world, 1)
    client = world.client(Role.COORDINATOR)
    assert "1 review or ending is due soon." in client.get("/").content.decode()
    body = client.get("/service/dashboard/").content.decode()
    assert "review or ending due</p>" in body
    assert "1 peer workers" not in body


def test_senior_home_lists_whom_they_guide_not_who_reports_to_them(world):
    senior = world.users[Role.SENIOR_PEER_WORKER]
    guided = [add_peer_worker(world, f"guided-{i}", guided_by=senior) for i in range(4)]
    # Someone who reports to the senior peer worker but is not guided by them is not on the list.
    reporting = add_peer_worker(world, "reporting", reports_to=senior)
    body = world.client(Role.SENIOR_PEER_WORKER).get("/").content.decode()
    assert "You guide 4 peer workers." in body
    assert "No peer worker reports to you" not in body
    for user in guided:
        assert str(user) in body
    assert str(reporting) not in body


def test_senior_home_with_one_guided_is_singular(world):
    senior = world.users[Role.SENIOR_PEER_WORKER]
    add_peer_worker(world, "only-one", guided_by=senior)
    body = world.client(Role.SENIOR_PEER_WORKER).get("/").content.decode()
    assert "You guide 1 peer worker." in body


def test_senior_home_without_guidance_relationships_says_how_one_is_made(world):
    body = world.client(Role.SENIOR_PEER_WORKER).get("/").content.decode()
    assert "a coordinator names who guides each peer worker" in body
