"""The co-assessment report in a real browser: it passes axe-core, reflows at 320 px, and a peer co-researcher
answers the checklist by keyboard; the data protection officer reads the finished report."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from peerwork.core.roles import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.coassessment.test_report import _finished
from tests.conftest import build_world


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db(transaction=True)
def test_read_the_report_and_answer_the_checklist(page: Page, live_server):
    world = build_world("Alpha")
    ca, _participants = _finished(world)
    page.set_default_timeout(60_000)  # a shared test machine can be slow; nothing here waits on purpose

    sign_in(page, live_server, world.users[Role.PEER_WORKER])
    page.goto(f"{live_server.url}/coassessment/{ca.pk}/")
    page.get_by_role("link", name="Report", exact=True).click()
    expect(page.get_by_role("heading", name="Guidance too late")).to_be_visible()
    assert_accessible(page)
    field = page.get_by_label("How participants were chosen and asked to take part")
    field.focus()
    page.keyboard.type("Recruited through the coordinators.")
    page.get_by_role("button", name="Keep the answers").press("Enter")
    expect(page.get_by_text("The checklist's answers are kept.")).to_be_visible()
    expect(page.locator("article.report")).to_contain_text("Recruited through the coordinators.")
    assert_accessible(page)

    page.set_viewport_size({"width": 320, "height": 800})
    wide = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    assert not wide, "the report scrolls sideways at 320 px"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.clear_cookies()

    sign_in(page, live_server, world.users[Role.DPO])
    page.goto(f"{live_server.url}/coassessment/{ca.pk}/report/")
    expect(page.locator("article.report")).to_contain_text("Not yet answered.")
    expect(page.get_by_role("button", name="Keep the answers")).to_have_count(0)
    assert_accessible(page)
