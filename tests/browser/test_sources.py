"""A manager follows a check in the demo to where its rule comes from, in one click; the Sources page passes
axe-core in English, Norwegian Bokmål and Danish and reflows at 320 px."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from peerwork.accounts.models import User
from peerwork.core import sources
from peerwork.demo.seed import DEMO_PASSWORD, seed_demo

from .conftest import assert_accessible, sign_in

WIDER_THAN_SCREEN = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(e => !e.closest('.table-scroll'))
  .slice(0, 5).map(e => e.tagName + ' ' + (e.textContent || '').slice(0, 40))"""


def _language(page: Page, live_server, code: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": code, "url": live_server.url}])


def test_a_manager_goes_from_a_demo_check_to_its_source(page: Page, live_server):
    seed_demo()
    _language(page, live_server, "en")
    sign_in(page, live_server, User.objects.get(username="dk-manager"), password=DEMO_PASSWORD)
    page.goto(f"{live_server.url}/readiness/checks/")
    check = page.locator("#check-inexperienced_alone")
    expect(check.get_by_role("link", name="Peerwork default: under twelve months is inexperienced")).to_be_visible()
    check.get_by_role("link", name="Erasmus+ recommendations, A7").click()
    page.wait_for_url(f"{live_server.url}/sources/#s1-a7")
    entry = page.locator("#s1-a7")
    expect(entry).to_be_in_viewport()
    expect(entry.get_by_role("heading", level=3)).to_have_text("Erasmus+ recommendations, A7")
    expect(entry).to_contain_text("Readiness check: Inexperienced peer worker alone in a team")
    assert_accessible(page)

    for code, heading in [("nb", "Kilder"), ("da", "Kilder")]:
        _language(page, live_server, code)
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert page.locator(".source-entry").count() == len(sources.CITATIONS)
        assert_accessible(page)

    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate(WIDER_THAN_SCREEN) == []
