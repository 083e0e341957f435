"""After a participant withdraws, the peer co-researcher who downloaded the project file sees the reminder to delete
it on the co-assessment's page, never naming who withdrew, and marks it done by keyboard. The page passes axe-core
and reflows at 320 px with the reminder on it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from peerwork.coassessment import exchange, services
from peerwork.coassessment.models import ExportReminder
from peerwork.core.roles import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.coassessment.conftest import plan, ready_for_material, start_analysis
from tests.conftest import actor_for, build_world

TEXT = "P1: I felt heard in guidance.\nP2: Guidance came too late for me.\n"
REMINDER = "they still hold words of a participant who withdrew"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db(transaction=True)
def test_the_downloader_sees_the_reminder_and_marks_it_done(page: Page, live_server):
    world = build_world("Alpha")
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    group, (p1, p2, *_) = ready_for_material(world, ca)
    material = services.add_material(manager, ca, kind="transcript", title="Focus group 1", text=TEXT, group=group)
    services.add_segment(manager, material, participant=p1, start=4, end=28)
    services.add_segment(manager, material, participant=p2, start=34, end=64)
    start_analysis(world, ca)
    exchange.export_project(actor_for(world.users[Role.PEER_WORKER], world.org), ca.pk)
    services.withdraw_participant(manager, p1)

    page.set_default_timeout(60_000)  # a shared test machine can be slow; nothing here waits on purpose
    sign_in(page, live_server, world.users[Role.PEER_WORKER])
    page.goto(f"{live_server.url}/coassessment/{ca.pk}/")
    reminder = page.get_by_role("heading", name="Delete the copies exported before")
    expect(reminder).to_be_visible()
    expect(reminder).to_contain_text(REMINDER)
    expect(page.locator("main")).not_to_contain_text("P1")
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    wide = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    assert not wide, "the co-assessment's page scrolls sideways at 320 px with a reminder on it"
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Mark done: the copies are deleted").press("Enter")
    expect(page.get_by_text("Marked done: the copies exported before then are deleted.")).to_be_visible()
    expect(page.get_by_text(REMINDER)).to_have_count(0)
    assert ExportReminder.objects.get().done_by == world.users[Role.PEER_WORKER]
    assert_accessible(page)
