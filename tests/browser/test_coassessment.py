"""Co-assessment in a real browser: a peer co-researcher searches the codebook and codes a segment by
keyboard; the manager withdraws a participant and their segments disappear from the coding page. Every page
passes axe-core, and the coding page reflows at 320 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from peerwork.coassessment import services
from peerwork.coassessment.models import Coding, Segment
from peerwork.core.roles import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.coassessment.conftest import plan, ready_for_material, start_analysis
from tests.conftest import build_world

TEXT = "P1: I felt heard in guidance.\nP2: Guidance came too late for me.\n"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db(transaction=True)
def test_code_a_segment_then_withdraw_a_participant(page: Page, live_server):
    world = build_world("Alpha")
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    group, (p1, p2, *_) = ready_for_material(world, ca)
    material = services.add_material(manager, ca, kind="transcript", title="Focus group 1", text=TEXT, group=group)
    services.add_segment(manager, material, participant=p1, start=4, end=28)
    services.add_segment(manager, material, participant=p2, start=34, end=64)
    start_analysis(world, ca)
    services.add_code(manager, ca, name="Being heard")
    services.add_code(manager, ca, name="Timing")

    page.set_default_timeout(60_000)  # a shared test machine can be slow; nothing here waits on purpose
    # The peer co-researcher codes by keyboard, searching the codebook first.
    sign_in(page, live_server, world.users[Role.PEER_WORKER])
    page.goto(f"{live_server.url}/coassessment/")
    assert_accessible(page)
    page.get_by_role("link", name=ca.title).click()
    assert_accessible(page)
    page.get_by_role("link", name="Focus group 1").click()
    assert_accessible(page)
    page.get_by_label("Search the codebook").fill("tim")
    expect(page.locator("#code-list")).to_contain_text("Timing")
    expect(page.locator("#code-list")).not_to_contain_text("Being heard")
    page.goto(f"{live_server.url}/coassessment/material/{material.pk}/")
    page.get_by_label("Segment", exact=True).focus()
    page.get_by_label("Segment", exact=True).select_option(label="P1: I felt heard in guidance")
    page.get_by_label("Code", exact=True).select_option(label="Being heard")
    page.get_by_role("button", name="Code the segment").press("Enter")
    expect(page.get_by_text("The segment is coded.")).to_be_visible()
    assert Coding.objects.get().coder == world.users[Role.PEER_WORKER]
    expect(page.locator("#segments")).to_contain_text("Being heard")
    assert_accessible(page)

    # At 320 px the coding page reflows without sideways scrolling.
    page.set_viewport_size({"width": 320, "height": 800})
    wide = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    assert not wide, "the coding page scrolls sideways at 320 px"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.clear_cookies()

    # The manager withdraws P1: their segment and its coding disappear.
    sign_in(page, live_server, world.users[Role.MANAGER])
    page.goto(f"{live_server.url}/coassessment/{ca.pk}/participants/")
    assert_accessible(page)
    page.get_by_role("link", name="Withdraw P1").click()
    assert_accessible(page)
    page.get_by_label("Yes, remove everything this participant said").check()
    page.get_by_role("button", name="Withdraw and remove").click()
    expect(page.get_by_text("P1 has withdrawn. 1 segment is removed. 1 coding is removed.")).to_be_visible()
    page.goto(f"{live_server.url}/coassessment/material/{material.pk}/")
    expect(page.locator("#segments")).not_to_contain_text("I felt heard")
    expect(page.locator("#segments")).to_contain_text("Guidance came too late")
    assert list(Segment.objects.values_list("participant__pseudonym", flat=True)) == ["P2"]
    assert_accessible(page)
