"""A peer co-researcher's hours a month reach readiness's committee check: shown with the working groups, and
more than the Peerwork default of 16 a month counts as load even within the committee limit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from peerwork.coassessment import selectors, services
from peerwork.coassessment.models import CoAssessment
from peerwork.core import hooks
from peerwork.core.roles import Role
from peerwork.readiness import checks

from .conftest import plan

pytestmark = pytest.mark.django_db


def _co_researcher(world, hours, title):
    manager = world.actor(Role.MANAGER)
    ca = plan(manager, title=title)
    services.add_team_member(
        manager,
        ca,
        person=world.users[Role.PEER_WORKER],
        role="co_researcher",
        is_peer_co_researcher=True,
        hours_per_month=hours,
    )
    return ca


def _load(world):
    report = checks.run(world.actor(Role.MANAGER))
    return [(f.person, f.detail) for f in report.result("committee_overload").findings]


def test_hours_in_co_assessment_count_as_committee_load(world):
    peer = world.users[Role.PEER_WORKER]
    first = _co_researcher(world, 12, "Guidance")
    assert _load(world) == [], "one working group and 12 hours a month are within the limits"
    _co_researcher(world, 8, "Orientation")
    # Two working groups are within the committee limit of three; 20 hours a month are over 16.
    assert _load(world) == [(str(peer), "2 committees or working groups, 20 hours a month in co-assessment")]

    page = world.client(Role.MANAGER).get(reverse("readiness:checks")).content.decode()
    assert "20 hours a month in co-assessment" in page

    # A finished co-assessment no longer takes time: one group, 8 hours.
    first.status = CoAssessment.Status.FINISHED
    first.save()
    assert _load(world) == []


def test_many_groups_show_their_hours_too(world):
    peer = world.users[Role.PEER_WORKER]
    for title in ("One", "Two", "Three", "Four"):
        _co_researcher(world, 1, title)
    assert _load(world) == [(str(peer), "4 committees or working groups, 4 hours a month in co-assessment")]


def test_co_assessment_offers_its_hours_to_readiness(world):
    assert selectors.committee_hours in hooks.get(hooks.COMMITTEE_HOURS)
    _co_researcher(world, 12, "Guidance")
    offered = selectors.committee_hours(world.org.pk)
    assert offered.hours == {world.users[Role.PEER_WORKER].pk: 12, world.users[Role.MANAGER].pk: 0}
    assert str(offered.where) == "in co-assessment"
