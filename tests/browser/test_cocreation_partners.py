"""Peer workers as partners, in the demo and in a real browser on a 320 px screen: the demo peer worker signs
in, starts an initiative with a co-owner by keyboard alone (a first try without a title is refused with an
error summary), and reads their peer-led local board; the demo manager sees the proposed board to confirm
and the joint-decision form. Every page passes axe-core and reflows without horizontal scrolling."""

from __future__ import annotations

from playwright.sync_api import Browser, Locator, Page, expect

from peerwork.accounts.models import User
from peerwork.cocreation.models import Board, Contribution, Initiative
from peerwork.demo.seed import DEMO_PASSWORD, NO_SLUG, seed_demo

from .conftest import assert_accessible, sign_in

WIDTH = 320


def assert_reflows(page: Page, scope: str = "") -> None:
    """Nothing makes the page wider than the screen (a table may scroll inside its own box). With ``scope``
    (a CSS selector) only that part of the page is checked: on a home page shared with other apps' sections,
    the co-creation panels."""
    wide = page.evaluate(
        """([w, scope]) => [...document.querySelectorAll(scope ? scope + ', ' + scope + ' *' : 'main *')]
        .filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.table-scroll'))
        .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40))""",
        [WIDTH, scope],
    )
    assert not wide, f"{page.url}: wider than the screen: {wide}"
    if not scope:
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH + 1, page.url


def tab_to(page: Page, target: Locator, limit: int = 120) -> None:
    """Press Tab until ``target`` has the focus, as someone using the keyboard alone would."""
    handle = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("e => document.activeElement === e", handle):
            return
    raise AssertionError(f"Tab never reached {target}")


def check(page: Page, scope: str = "") -> None:
    assert_accessible(page)
    assert_reflows(page, scope)


def test_demo_peer_worker_starts_an_initiative_by_keyboard_at_320px(browser: Browser, live_server):
    seed_demo()
    ola = User.objects.get(username="peerworker")
    coordinator = User.objects.get(username="coordinator")
    context = browser.new_context(locale="en-GB", viewport={"width": WIDTH, "height": 800}, has_touch=True)
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, live_server, ola, password=DEMO_PASSWORD)
        expect(page.get_by_role("heading", name="Initiatives you own")).to_be_visible()
        check(page)

        tab_to(page, page.get_by_role("link", name="Start an initiative").first)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server.url}/cocreation/initiatives/new/")
        check(page)

        # First without a title: refused, with a summary that says how to fix it.
        tab_to(page, page.get_by_label("Problem statement"))
        page.keyboard.type("People wait weeks between referral and a first conversation, and some give up.")
        tab_to(page, page.get_by_role("button", name="Start the initiative"))
        page.keyboard.press("Enter")
        expect(page.locator(".error-summary")).to_be_visible()
        assert not Initiative.objects.filter(organisation__slug=NO_SLUG, owner=ola, title="").exists()
        check(page)

        tab_to(page, page.get_by_label("Title"))
        page.keyboard.type("A peer worker calls within two days of a referral")
        tab_to(page, page.get_by_label(str(coordinator), exact=True))
        page.keyboard.press("Space")
        tab_to(page, page.get_by_role("button", name="Start the initiative"))
        page.keyboard.press("Enter")
        expect(page.get_by_text("The initiative is started")).to_be_visible()
        initiative = Initiative.objects.get(title="A peer worker calls within two days of a referral")
        assert initiative.owner == ola
        assert list(initiative.co_owners.values_list("person", flat=True)) == [coordinator.pk]
        owners = page.locator("#owners + ul")
        expect(owners).to_contain_text(str(ola))
        expect(owners).to_contain_text(str(coordinator))
        # Ola takes part in co-defining, so the warning about no peer worker does not show.
        expect(page.get_by_role("heading", name="No peer worker takes part")).to_have_count(0)
        check(page)

        # The peer-led local board Ola started, and its joint decision on his initiative.
        page.goto(f"{live_server.url}/cocreation/boards/")
        check(page)
        local = Board.objects.get(organisation__slug=NO_SLUG, kind=Board.Kind.PEER_LED_USER_BOARD)
        page.get_by_role("link", name=local.name).click()
        expect(page.get_by_text("Local service user board led by a peer worker").first).to_be_visible()
        expect(page.get_by_role("link", name="Add a seat")).to_be_visible()
        check(page)
        joint = Contribution.objects.get(decided_with=local)
        page.goto(f"{live_server.url}/cocreation/initiatives/{joint.initiative_id}/")
        expect(page.get_by_text(f"Joint decision of {local.name}")).to_be_visible()
        check(page)
        page.goto(f"{live_server.url}/cocreation/boards/new/")
        check(page)

        # The manager: the proposed board on the home page, its confirmation, and the joint-decision form.
        context.clear_cookies()
        context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
        sign_in(page, live_server, User.objects.get(username="manager"), password=DEMO_PASSWORD)
        expect(page.get_by_role("heading", name="Boards proposed by peer workers")).to_be_visible()
        check(page, scope="#proposed-boards")
        page.get_by_role("link", name="Arbeidsgruppe for samarbeid med NAV").click()
        expect(page.get_by_role("button", name="Confirm the board")).to_be_visible()
        check(page)
        pending = Contribution.objects.filter(organisation__slug=NO_SLUG, outcome="pending").first()
        page.goto(f"{live_server.url}/cocreation/contributions/{pending.pk}/decide/")
        expect(page.get_by_label("A joint decision of")).to_be_visible()
        check(page)
        page.goto(f"{live_server.url}/cocreation/initiatives/")
        expect(page.get_by_text("No peer worker takes part").first).to_be_visible()
        check(page)
    finally:
        context.close()
