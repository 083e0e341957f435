"""A peer worker marks who came to today's session of the recovery course they lead, on a 320 px phone screen
and by keyboard alone: from the home page to the session, two people ticked, saved. Every page passes
axe-core and none scrolls sideways."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import Browser

from peerwork.accounts.models import User
from peerwork.activities.models import ActivitySession, Attendance
from peerwork.demo.seed import DEMO_PASSWORD, seed_demo

from .conftest import assert_accessible, sign_in
from .test_guidance import NARROW, WIDE, tab_to


def test_a_peer_worker_marks_attendance_on_a_phone(browser: Browser, live_server):
    seed_demo()
    ola = User.objects.get(username="peerworker")
    session = (
        ActivitySession.objects.filter(
            activity__leaders=ola, activity__kind="course", meets_on=timezone.localdate(), status="planned"
        )
        .select_related("activity")
        .get()
    )
    context = browser.new_context(locale="en-GB", viewport={"width": 320, "height": 800}, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        sign_in(page, live_server, ola, password=DEMO_PASSWORD)
        assert page.get_by_role("heading", name="Groups and courses").first.is_visible()
        assert page.evaluate(NARROW), f"the home page scrolls sideways at 320 px: {page.evaluate(WIDE)}"
        assert_accessible(page)

        # The course first, then today's session from its page, by keyboard.
        tab_to(page, session.activity.title)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server.url}/groups/{session.activity_id}/")
        assert page.get_by_role("heading", name=session.activity.title, level=1).is_visible()
        assert page.evaluate(NARROW), f"the course page scrolls sideways at 320 px: {page.evaluate(WIDE)}"
        assert_accessible(page)
        tab_to(page, "Mark who came on")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server.url}/groups/sessions/{session.pk}/")
        assert page.get_by_role("heading", name="Who came?").is_visible()
        assert page.evaluate(NARROW), f"the session page scrolls sideways at 320 px: {page.evaluate(WIDE)}"
        assert_accessible(page)

        # Tick the first two people with the space bar, then save.
        boxes = page.locator("input[name=present]")
        names = [boxes.nth(i).evaluate("e => e.labels[0].innerText.trim()") for i in range(2)]
        for name in names:
            tab_to(page, name)
            page.keyboard.press("Space")
        tab_to(page, "Save attendance")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.get_by_text("Attendance saved.").is_visible()
        assert page.get_by_text("held, 2 people came").first.is_visible()
        assert page.evaluate(NARROW), page.evaluate(WIDE)
        assert_accessible(page)
    finally:
        context.close()
    assert not errors, errors
    session.refresh_from_db()
    assert session.status == "held" and session.marked_by == ola
    came = {
        a.place.service_user.chosen_name
        for a in Attendance.objects.filter(session=session).select_related("place__service_user")
    }
    assert came == {n.split(" (")[0] for n in names}
