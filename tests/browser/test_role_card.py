"""The demo in the browser: a professional of a Danish FACT team sees the role card of their team's peer worker
on first sign-in; a peer worker is asked first about a placement and chooses by keyboard what others see; the
manager prints a team's briefing pack. axe-clean, keyboard-usable, and every page reflows at 320 px."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from peerwork.accounts.models import User
from peerwork.demo.seed import DEMO_PASSWORD, seed_demo
from peerwork.organisations.models import Position
from peerwork.readiness.models import TreatmentHistoryDeclaration

from .conftest import assert_accessible, sign_in

WIDER_THAN_SCREEN = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(e => !e.closest('.table-scroll'))
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40))"""


def _english(page: Page, live_server) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


def _tab_to(page: Page, name: str, limit: int = 60) -> None:
    """Press Tab until the focused element's accessible text contains ``name``."""
    for _i in range(limit):
        page.keyboard.press("Tab")
        if name in (page.evaluate("document.activeElement.textContent") or ""):
            return
    raise AssertionError(f"{name!r} cannot be reached with Tab")


def test_a_fact_team_professional_sees_their_peer_workers_role_card(browser: Browser, live_server):
    seed_demo()
    professional = User.objects.get(username="dk-professional")
    position = Position.objects.get(unit__memberships__user=professional, holder__isnull=False)
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _english(page, live_server)
        sign_in(page, live_server, professional, password=DEMO_PASSWORD)
        card = page.locator("article.role-card")
        expect(card).to_have_count(1)
        expect(card.get_by_role("heading", level=3)).to_have_text(str(position.holder))
        expect(card).to_contain_text("Care provider with experiential expertise")
        expect(card).to_contain_text("Uses the client file, like the other care providers in the team")
        expect(card).to_contain_text("Supervision hver anden uge")  # the job description's own words
        expect(card).to_contain_text("Whom to ask")
        expect(page.locator("main")).not_to_contain_text("No access to clinical files")
        assert_accessible(page)
        # Keyboard: the skip link leads into the page that holds the card.
        page.keyboard.press("Tab")
        expect(page.locator(".skip-link")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("#main")).to_be_focused()

        # 320 px: the card reflows without sideways scrolling.
        page.set_viewport_size({"width": 320, "height": 800})
        page.reload()
        expect(card).to_be_visible()
        assert not (wide := page.evaluate(WIDER_THAN_SCREEN)), wide
        assert_accessible(page)
    finally:
        context.close()


def test_a_peer_worker_is_asked_first_and_chooses_by_keyboard(browser: Browser, live_server):
    seed_demo()
    peer = User.objects.get(username="dk-peerworker1")
    declaration = TreatmentHistoryDeclaration.objects.get(peer_worker=peer)
    assert declaration.disclosure == TreatmentHistoryDeclaration.Disclosure.PRIVATE
    context = browser.new_context(locale="en-GB", viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _english(page, live_server)
        sign_in(page, live_server, peer, password=DEMO_PASSWORD)
        expect(page.get_by_role("heading", name="A placement only you know about")).to_be_visible()
        assert not (wide := page.evaluate(WIDER_THAN_SCREEN)), wide
        _tab_to(page, "Choose what others may see")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Where you were treated")
        expect(page.locator("#who-sees-what")).to_contain_text("Manager")
        expect(page.locator("#who-sees-what")).to_contain_text("A placement to talk about")
        assert not (wide := page.evaluate(WIDER_THAN_SCREEN)), wide
        assert_accessible(page)
        # Choose "without my name" with the keyboard alone, and save.
        group = page.get_by_role("group", name="What may others see?", exact=True)
        group.get_by_label("Tell no one for now").focus()
        page.keyboard.press("ArrowDown")
        expect(group.get_by_label("without my name", exact=False)).to_be_checked()
        _tab_to(page, "Save the choice")
        page.keyboard.press("Enter")
        expect(page.get_by_role("status").first).to_contain_text("the reason is never shown")
        expect(page.get_by_text("without your name.", exact=False)).to_be_visible()
        declaration.refresh_from_db()
        assert declaration.disclosure == TreatmentHistoryDeclaration.Disclosure.UNNAMED
        assert_accessible(page)

        # The manager now sees the team, not the name.
        page.context.clear_cookies()
        _english(page, live_server)
        sign_in(page, live_server, User.objects.get(username="dk-manager"), password=DEMO_PASSWORD)
        page.goto(f"{live_server.url}/readiness/checks/")
        section = page.locator("#check-placement_conflict")
        expect(section).to_contain_text(declaration.unit.name)
        expect(section).not_to_contain_text(str(peer))

        # And prints the team's briefing pack with the role card in it.
        page.goto(f"{live_server.url}/readiness/briefings/")
        _tab_to(page, f"Briefing pack: {declaration.unit.name}")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_contain_text(declaration.unit.name)
        expect(page.locator("article.role-card").first).to_contain_text("Uses the client file")
        assert not (wide := page.evaluate(WIDER_THAN_SCREEN)), wide
        assert_accessible(page)
    finally:
        context.close()
