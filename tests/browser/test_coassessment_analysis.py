"""The guided analysis in a real browser: a peer co-researcher writes a code group's condensate (step 3 of
systematic text condensation) by keyboard, sees it in the decision trail and undoes it. Every page passes
axe-core and reflows at 320 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from peerwork.coassessment import analysis, services
from peerwork.coassessment.models import CoAssessment, Theme
from peerwork.core.roles import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.coassessment.conftest import plan, ready_for_material, start_analysis
from tests.conftest import build_world

TEXT = "P1: I felt heard in guidance.\nP2: Guidance came too late for me.\n"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _no_sideways_scroll(page: Page, what: str) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    wide = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    assert not wide, f"{what} scrolls sideways at 320 px"
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.django_db(transaction=True)
def test_write_a_condensate_then_undo_it(page: Page, live_server):
    world = build_world("Alpha")
    manager = world.actor(Role.MANAGER)
    ca = plan(manager, method=CoAssessment.Method.CONDENSATION)
    group, (p1, p2, *_) = ready_for_material(world, ca)
    material = services.add_material(manager, ca, kind="transcript", title="Focus group 1", text=TEXT, group=group)
    s1 = services.add_segment(manager, material, participant=p1, start=4, end=29)
    services.add_segment(manager, material, participant=p2, start=34, end=64)
    start_analysis(world, ca)
    cg = analysis.add_theme(manager, ca, kind=Theme.Kind.CODE_GROUP, name="Being heard")
    analysis.sort_segments(manager, cg, segments=[s1])
    analysis.move_to_step(manager, ca, step=3)

    sign_in(page, live_server, world.users[Role.PEER_WORKER])
    page.goto(f"{live_server.url}/coassessment/{ca.pk}/")
    page.get_by_role("link", name="Analysis", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Condensates in the first person")
    expect(page.get_by_text("the team is here")).to_be_visible()
    expect(page.get_by_text("What comes next: step 4, Synthesis with a quote.")).to_be_visible()
    assert_accessible(page)
    _no_sideways_scroll(page, "the condensate step")

    box = page.get_by_label("Condensate, in the first person")
    box.focus()
    page.keyboard.type("I was heard when guidance made room for me.")
    page.locator("section.card").get_by_label("Why (for the decision trail)").fill("Read together at the team meeting")
    page.get_by_role("button", name="Keep the condensate").press("Enter")
    expect(page.get_by_text("Saved, and entered in the decision trail.")).to_be_visible()
    cg.refresh_from_db()
    assert cg.condensate == "I was heard when guidance made room for me."
    assert_accessible(page)

    page.get_by_role("link", name="Decision trail").click()
    expect(page.locator("table")).to_contain_text("Condensate of “Being heard”")
    expect(page.locator("table")).to_contain_text("Read together at the team meeting")
    assert_accessible(page)
    _no_sideways_scroll(page, "the decision trail")

    page.go_back()
    page.get_by_role("button", name="Undo: Condensate of “Being heard”").click()
    expect(page.get_by_text("Undone: Condensate of “Being heard”")).to_be_visible()
    cg.refresh_from_db()
    assert cg.condensate == ""

    page.get_by_role("link", name="Findings").click()
    expect(page.get_by_role("heading", name="Reflexivity notes, written before the analysis")).to_be_visible()
    assert_accessible(page)
    _no_sideways_scroll(page, "the findings page")
