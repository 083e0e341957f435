"""The Danish demo region shows the story of the issue: professionals rate team preparation far lower than
managers, a round three months earlier to compare with, and the derived checks fire."""

from __future__ import annotations

import pytest

from peerwork.accounts.models import User
from peerwork.core.roles import Role
from peerwork.demo.seed import DK_SLUG, seed_demo
from peerwork.organisations.models import Organisation
from peerwork.readiness import checks, selectors
from peerwork.readiness.models import ActionItem, Group, Round
from tests.conftest import actor_for

pytestmark = pytest.mark.django_db


def test_danish_demo_region_has_two_rounds_and_the_checks_fire():
    seed_demo()
    dk = Organisation.objects.get(slug=DK_SLUG)
    manager = actor_for(User.objects.get(username="dk-manager"), dk)
    rounds = list(Round.objects.filter(organisation=dk, unit__isnull=True).order_by("opens_on"))
    assert len(rounds) == 2 and (rounds[1].opens_on - rounds[0].opens_on).days >= 80

    view = selectors.round_view(manager)
    assert view.round == rounds[1] and view.previous == rounds[0]
    groups = {g.group: g for g in view.results.groups}
    assert all(not g.withheld for g in groups.values())
    prep_managers = groups[Group.MANAGER].domains["A6"].score
    prep_professionals = groups[Group.PROFESSIONAL].domains["A6"].score
    assert prep_managers - prep_professionals >= 40
    assert view.results.spread_is_wide("A6")

    report = checks.run(manager)
    assert len(report.result("single_peer_worker").findings) == 8
    assert len(report.result("inexperienced_alone").findings) == 5
    assert len(report.result("new_without_buddy").findings) == 2
    assert len(report.result("no_briefing").findings) == 8
    assert ActionItem.objects.filter(organisation=dk).count() >= 3
    assert selectors.overdue_actions(manager)
    # The demo people can still answer the open round.
    assert selectors.my_open_invitations(actor_for(User.objects.get(username="dk-professional"), dk))
    assert Role.MANAGER in manager.roles


def test_both_demo_organisations_show_the_trend_since_the_last_round_on_the_board_report():
    from peerwork.demo.seed import NO_SLUG
    from peerwork.readiness import report

    seed_demo()
    for slug, username in ((NO_SLUG, "manager"), (DK_SLUG, "dk-manager")):
        org = Organisation.objects.get(slug=slug)
        data = report.gather(actor_for(User.objects.get(username=username), org))
        view = data["view"]
        assert view is not None and view.previous is not None, slug
        assert view.previous.opens_on < view.round.opens_on, slug
        assert data["trend"] is not None, f"{slug}: the board report shows no trend"
        assert len(data["trend"].series) == 2, slug  # this round beside the previous one
