"""A demo peer worker's own availability and who looked at their work, in a real browser.

A coordinator who does not guide Ola opens his workload and, by keyboard, picks a reason first. Ola signs in,
pauses new referrals by keyboard until a day ahead, and reads who looked at his workload and why, in plain
words. Every page passes axe-core and reflows at 320 px without horizontal scrolling."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Browser, Page

from peerwork.accounts.models import User
from peerwork.demo.seed import DEMO_PASSWORD, seed_demo
from peerwork.service.access import needs_reason
from peerwork.service.models import PeerWorkerProfile
from tests.conftest import actor_for

from .conftest import assert_accessible, sign_in

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
PAGE_WIDER_THAN_SCREEN = "document.documentElement.scrollWidth > document.documentElement.clientWidth"
WIDE = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 321 && !e.closest('.table-scroll'))
  .slice(-5).map(e => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 40))"""


def _reflows_at_320(page: Page) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    wide = page.evaluate(PAGE_WIDER_THAN_SCREEN)
    assert not wide, f"{page.url}: scrolls sideways at 320 px: {page.evaluate(WIDE)}"
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_demo_peer_worker_pauses_new_referrals_and_sees_who_looked_and_why(browser: Browser, live_server):
    seed_demo()
    ola = User.objects.get(username="peerworker")
    org = ola.memberships.first().organisation
    reader = next(
        u
        for u in User.objects.filter(username__in=["coordinator", "coordinator2"]).order_by("username")
        if needs_reason(actor_for(u, org), ola.pk)
    )
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        # The coordinator who does not guide Ola is asked why before seeing his workload.
        sign_in(page, live_server, reader, password=DEMO_PASSWORD)
        page.goto(f"{live_server.url}/service/peer-workers/{ola.pk}/workload/")
        assert page.get_by_role("heading", name=f"Before you open the workload of {ola}").is_visible()
        assert page.locator(".chart").count() == 0
        assert_accessible(page)
        _reflows_at_320(page)
        page.get_by_role("radio", name="Covering for their guide while the guide is away").focus()
        page.keyboard.press("Space")
        page.get_by_role("button", name="Open the page").focus()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r".*/workload/\?reason=cover$"))
        assert page.get_by_role("heading", name=f"Workload of {ola}").is_visible()

        # The same coordinator sees the new peer worker on hold, what is missing, and cannot lift it yet.
        newcomer = User.objects.get(username="peerworker9")
        page.goto(f"{live_server.url}/service/peer-workers/{newcomer.pk}/availability/")
        assert page.get_by_text("New: not open to new people until profile and orientation are complete.").is_visible()
        assert page.get_by_text("agreed working hours, on this page").is_visible()
        assert_accessible(page)
        _reflows_at_320(page)
        page.get_by_role("button", name="Profile and orientation are complete: open to new people").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "Still missing:" in page.locator("main").inner_text()
        assert PeerWorkerProfile.objects.get(user=newcomer).on_hold
        assert_accessible(page)

        # Ola signs in and pauses new referrals, keyboard only, until a day three weeks ahead.
        page.context.clear_cookies()
        sign_in(page, live_server, ola, password=DEMO_PASSWORD)
        page.get_by_role("link", name="My availability").first.click()
        page.wait_for_url(f"{live_server.url}/service/availability/")
        assert page.get_by_text("Open to new people.", exact=True).is_visible()
        assert_accessible(page)
        _reflows_at_320(page)
        page.get_by_role("radio", name="Pause new referrals").focus()
        page.keyboard.press("Space")
        day = timezone.localdate() + timedelta(days=21)
        page.get_by_label("Open to new people again on (optional)").fill(day.isoformat())
        page.get_by_role("button", name="Save availability").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        shown = page.locator("main").inner_text()
        assert "Availability saved." in shown, shown[:600]
        status = page.locator("#status strong").inner_text()
        assert status.startswith("New referrals paused: open to new people again on") and not ISO.search(status)
        assert page.locator("#history tbody tr, .table-scroll tbody tr").first.inner_text().count(str(ola)) == 1
        assert_accessible(page)
        profile = PeerWorkerProfile.objects.get(organisation=org, user=ola)
        assert not profile.accepting and profile.resumes_on == day

        # Who looked at his work, and why: the coordinator's name, the day in words, the reason in words.
        page.goto(f"{live_server.url}/")
        page.get_by_role("link", name="Who looked at my work, and why").click()
        page.wait_for_url(f"{live_server.url}/privacy/who-looked-at-my-work/")
        row = page.locator("tbody tr").filter(has_text="Covering for their guide while the guide is away").first
        assert row.is_visible()
        text = row.inner_text()
        assert str(reader) in text and "looked at your workload" in text
        main = page.locator("main").inner_text()
        assert not ISO.search(main) and "reason=" not in main and "allocation" not in main
        assert "Planning who can take new people from the waiting list" in main  # the demo's earlier look
        assert_accessible(page)
        _reflows_at_320(page)
    finally:
        context.close()
    assert not errors, f"The browser reported errors: {errors}"
