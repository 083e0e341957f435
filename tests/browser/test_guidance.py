"""A peer worker prepares their own guidance session, on a 320 px screen and by keyboard alone: from the home
page to their next session, an agenda item, and a private "what is hard now" note that their guide does not
see. Every page passes axe-core."""

from __future__ import annotations

from playwright.sync_api import Browser, Page

from peerwork.accounts.models import User
from peerwork.demo.seed import DEMO_PASSWORD, seed_demo
from peerwork.service.models import GuidanceAgendaItem, GuidanceParticipant, GuidanceSession

from .conftest import assert_accessible, sign_in

NARROW = "document.documentElement.scrollWidth <= window.innerWidth"
WIDE = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 50))"""


def tab_to(page: Page, name: str, *, limit: int = 80) -> None:
    """Press Tab until the focused element's accessible text contains ``name``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const e = document.activeElement; return (e.innerText || e.value || '') + ' ' + "
            "(e.labels && e.labels[0] ? e.labels[0].innerText : ''); })()"
        )
        if name in focused:
            return
    raise AssertionError(f"{name!r} cannot be reached with the Tab key")


def test_a_peer_worker_prepares_their_next_guidance_session(browser: Browser, live_server):
    seed_demo()
    ola = User.objects.get(username="peerworker")
    session = (
        GuidanceSession.objects.filter(participants__peer_worker=ola, status=GuidanceSession.Status.PLANNED)
        .order_by("meets_on")
        .first()
    )
    assert session is not None and session.kind == "supervision"
    context = browser.new_context(locale="en-GB", viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        sign_in(page, live_server, ola, password=DEMO_PASSWORD)
        assert page.get_by_role("heading", name="Your next guidance session", exact=True).is_visible()
        assert page.evaluate(NARROW), f"the home page scrolls sideways at 320 px: {page.evaluate(WIDE)}"

        # From the home page to the session, by keyboard.
        tab_to(page, "Supervision by a senior peer worker")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server.url}/service/guidance/sessions/{session.pk}/")
        assert page.get_by_role("heading", name="Supervision by a senior peer worker", level=1).is_visible()
        assert page.get_by_text("Grenser når en person tar kontakt sent på kvelden").is_visible()
        assert page.get_by_text("Only you can read this note.").is_visible()
        assert page.evaluate(NARROW), f"the session page scrolls sideways at 320 px: {page.evaluate(WIDE)}"
        assert_accessible(page)

        # An agenda item: type it and press Enter.
        tab_to(page, "Something I would like to talk about")
        page.keyboard.type("Saying no when a person calls after ten")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.get_by_text("Added to the agenda.").is_visible()
        assert page.get_by_text("Saying no when a person calls after ten").is_visible()
        assert_accessible(page)

        # The private note, kept private (the box to share it stays unticked).
        tab_to(page, "What is hard now")
        page.keyboard.type("Sleeping badly since my mother fell ill")
        tab_to(page, "Save my note")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.get_by_text("Your note is saved.").is_visible()
        assert page.evaluate(NARROW), page.evaluate(WIDE)
        assert_accessible(page)

        # An empty agenda item comes back with the error summary, still accessible.
        tab_to(page, "Add to the agenda")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.get_by_text("There is a problem").is_visible()
        assert_accessible(page)

        mine = GuidanceParticipant.objects.get(session=session, peer_worker=ola)
        assert mine.hard_now == "Sleeping badly since my mother fell ill" and not mine.hard_now_shared
        assert GuidanceAgendaItem.objects.filter(session=session, author=ola, text__startswith="Saying no").exists()

        # The guide sees the agenda, never the private note.
        page.context.clear_cookies()
        sign_in(page, live_server, session.guide, password=DEMO_PASSWORD)
        page.goto(f"{live_server.url}/service/guidance/sessions/{session.pk}/")
        assert page.get_by_text("Saying no when a person calls after ten").is_visible()
        assert "Sleeping badly" not in page.content()
        assert_accessible(page)
    finally:
        context.close()
    assert not errors, f"The browser reported errors: {errors}"
