"""Browser test: two coders code blind, one chooses to compare and reads the agreement and where they differ;
every page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from peerwork.coassessment import exchange_services, services
from peerwork.core.roles import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.coassessment.conftest import plan, ready_for_material, start_analysis
from tests.conftest import actor_for, build_world

TEXT = "P1: I felt heard in guidance.\nP2: Guidance came too late for me.\n"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db(transaction=True)
def test_compare_coders_after_a_blind_round(page: Page, live_server):
    world = build_world("Alpha")
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    group, (p1, p2, *_) = ready_for_material(world, ca)
    material = services.add_material(manager, ca, kind="transcript", title="Focus group 1", text=TEXT, group=group)
    first = services.add_segment(manager, material, participant=p1, start=4, end=29)
    second = services.add_segment(manager, material, participant=p2, start=34, end=64)
    start_analysis(world, ca)
    ca.refresh_from_db()
    exchange_services.set_blind(manager, ca, blind=True)
    heard = services.add_code(manager, ca, name="Being heard")
    peer = actor_for(world.users[Role.PEER_WORKER], world.org)
    for s in (first, second):
        s.material.coassessment = ca
    services.code_segment(manager, first, code=heard, blind=True)
    services.code_segment(manager, second, code=heard, blind=True)
    services.code_segment(peer, first, code=heard, blind=True)

    sign_in(page, live_server, world.users[Role.PEER_WORKER])
    page.goto(f"{live_server.url}/coassessment/material/{material.pk}/")
    expect(page.locator("#segments")).not_to_contain_text(str(world.users[Role.MANAGER]))
    page.get_by_role("link", name="Compare with the other coders").click()
    assert_accessible(page)
    page.get_by_role("button", name="Compare with the other coders now").click()
    expect(page.get_by_text("You now see the other coders' codes.")).to_be_visible()
    expect(page.locator("#agreement")).to_contain_text("Being heard")
    page.get_by_text("What the figure means").click()
    assert_accessible(page)
    page.get_by_role("link", name="See the 1 place where coders differ").click()
    expect(page.locator("#disagreements")).to_contain_text("Guidance came too late for me.")
    assert_accessible(page)
    page.goto(f"{live_server.url}/coassessment/{ca.pk}/exchange/")
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    for path in (f"/coassessment/{ca.pk}/compare/", f"/coassessment/{ca.pk}/compare/differences/"):
        page.goto(f"{live_server.url}{path}")
        wide = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
        assert not wide, f"{path} scrolls sideways at 320 px"
