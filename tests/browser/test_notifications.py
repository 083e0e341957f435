"""The header's notification count, the notifications and choices pages, and the jobs page: axe-core finds
nothing, the keyboard reaches them, and they reflow at 320 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from peerwork.cocreation import services as cocreation
from peerwork.cocreation.models import Signal
from peerwork.core.roles import Role
from tests.conftest import build_world

from .conftest import assert_accessible, sign_in

WIDER_THAN_SCREEN = "document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.mark.django_db(transaction=True)
def test_a_peer_worker_sees_the_count_reads_and_chooses(page: Page, live_server):
    world = build_world("Alpha")
    pw, mgr = world.actor(Role.PEER_WORKER), world.actor(Role.MANAGER)
    signal = cocreation.raise_signal(pw, kind=Signal.Kind.IDEA, title="An idea", responsible_manager=mgr.user)
    cocreation.acknowledge_signal(mgr, signal)

    sign_in(page, live_server, pw.user)
    link = page.locator(".notifications-link")
    expect(link).to_contain_text("1 new")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/notifications/")
    expect(page.locator("main")).to_contain_text("has read it and acknowledged it")
    assert_accessible(page)
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator(".notifications-link")).not_to_contain_text("new")

    page.get_by_role("link", name="Choose how you are told").click()
    assert_accessible(page)
    page.get_by_role("group", name="A signal you sent was acknowledged").get_by_label("By e-mail").uncheck()
    page.get_by_role("button", name="Save choices").click()
    expect(page.locator(".messages")).to_contain_text("Your choices are saved.")
    assert_accessible(page)

    page.set_viewport_size({"width": 320, "height": 800})
    for path in ("/notifications/", "/notifications/choices/"):
        page.goto(f"{live_server.url}{path}")
        assert not page.evaluate(WIDER_THAN_SCREEN), path


@pytest.mark.django_db(transaction=True)
def test_the_administrators_jobs_page(page: Page, live_server):
    world = build_world("Alpha")
    sign_in(page, live_server, world.users[Role.ADMINISTRATOR])
    page.goto(f"{live_server.url}/notifications/jobs/")
    expect(page.locator("main")).to_contain_text("No job has failed.")
    assert_accessible(page)
