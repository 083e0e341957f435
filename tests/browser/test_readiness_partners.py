"""A demo peer worker in each demo organisation signs in, reads a closed round's results and their team's
register, and adds a comment by keyboard. axe-clean, and every page reflows at 320 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from peerwork.accounts.models import User
from peerwork.demo.seed import DEMO_PASSWORD, seed_demo
from peerwork.readiness.models import ActionItem, Comment

from .conftest import assert_accessible, sign_in

# Anything reaching past the right edge of a 320 px screen, outside a box that scrolls on its own.
WIDE = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 321 && !e.closest('.table-scroll'))
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40))"""


def reflows_at_320(page: Page) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    wide = page.evaluate(WIDE)
    assert not wide, f"{page.url}: wider than the screen: {wide}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 321
    page.set_viewport_size({"width": 1280, "height": 900})


def submit_by_keyboard(page: Page, button: str) -> None:
    """Tab from the focused field to the button and press Enter, as someone without a mouse does."""
    for _i in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == button:
            page.keyboard.press("Enter")
            return
    raise AssertionError(f"the button “{button}” cannot be reached by Tab")


# The demo peer worker of each organisation, a colleague's comment on the results, a point in their register.
PEOPLE = [
    (
        "peerworker",
        "Klar for likepersonarbeid (høst)",
        "Likepersonene gir veiledningen lavere skår",
        "fast sted å ta opp lojalitetskonflikter",
    ),
    (
        "dk-peerworker1",
        "Parathed før opstart (efterår)",
        "Peer-medarbejderne vurderer supervisionen lavere",
        "tre nye arbejdsgrupper",
    ),
]


@pytest.mark.django_db(transaction=True)
def test_a_demo_peer_worker_in_each_organisation_reads_the_results_and_register_and_comments(page: Page, live_server):
    seed_demo()
    for username, round_title, colleague_says, register_says in PEOPLE:
        page.context.clear_cookies()
        reads_and_comments(page, live_server, username, round_title, colleague_says, register_says)


def reads_and_comments(
    page: Page, live_server, username: str, round_title: str, colleague_says: str, register_says: str
) -> None:
    user = User.objects.get(username=username)
    sign_in(page, live_server, user, password=DEMO_PASSWORD)

    # The home page points to the results of a closed round.
    results = page.get_by_role("link", name=round_title)
    expect(results).to_be_visible()
    results.click()
    expect(page.get_by_role("table", name="Scores per domain")).to_be_attached()
    expect(page.get_by_text(colleague_says)).to_be_visible()
    assert_accessible(page)
    reflows_at_320(page)

    # A comment on the results, by keyboard.
    page.locator("#id_comment-text").fill("Vi må snakke om veiledningen i teamet.")
    page.locator("#id_comment-text").focus()
    submit_by_keyboard(page, "Add it")
    expect(page.get_by_text("Vi må snakke om veiledningen i teamet.")).to_be_visible()
    assert Comment.objects.filter(author=user, round__isnull=False, text__startswith="Vi må snakke").exists()

    # Their team's register of points of attention, through the readiness menu.
    page.goto(f"{live_server.url}/readiness/risks/")
    assert_accessible(page)
    reflows_at_320(page)
    page.locator("table a[href^='/readiness/risks/']").first.click()
    expect(page.get_by_text(register_says)).to_be_visible()
    assert_accessible(page)
    reflows_at_320(page)
    page.get_by_label("Point of attention").check()
    page.locator("#id_comment-code").select_option("B1")
    page.locator("#id_comment-text").fill("Arbeidsgruppene tar tid fra brukerne.")
    page.locator("#id_comment-text").focus()
    submit_by_keyboard(page, "Add it")
    expect(page.get_by_text("Arbeidsgruppene tar tid fra brukerne.")).to_be_visible()
    saved = Comment.objects.get(author=user, text="Arbeidsgruppene tar tid fra brukerne.")
    assert saved.kind == Comment.Kind.ATTENTION and saved.code == "B1" and saved.unit_id is not None
    assert_accessible(page)

    # The checks as a partner and the action plan with an action they own.
    page.goto(f"{live_server.url}/readiness/checks/")
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    assert_accessible(page)
    reflows_at_320(page)
    page.goto(f"{live_server.url}/readiness/actions/")
    owned = ActionItem.objects.filter(owner=user).first()
    assert owned is not None
    expect(page.get_by_role("link", name=owned.title)).to_be_visible()
    assert_accessible(page)
    reflows_at_320(page)
