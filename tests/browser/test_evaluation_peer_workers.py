"""A demo peer worker, on a 320 px screen and by keyboard: opens the evaluation figures from the menu (service
and organisation levels only, what is withheld said in words) and records their decision on appearing in
evaluation extracts. axe-core finds nothing on any page."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from peerwork.accounts.models import Membership, User
from peerwork.demo.seed import DEMO_PASSWORD, seed_demo

from .conftest import assert_accessible, sign_in

NARROW = "document.documentElement.scrollWidth <= 320"


# What reaches past the right edge, to say which part does when the page does not reflow.
WIDE = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 321 && !e.closest('.table-scroll'))
  .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 40))"""


def _reflows(page: Page) -> None:
    assert page.evaluate(NARROW), f"{page.url}: wider than 320 px: {page.evaluate(WIDE)}"


def _press(page: Page, role: str, name: str) -> None:
    """Reach a control by keyboard: focus it as Tab would, then press Enter."""
    control = page.get_by_role(role, name=name)  # type: ignore[arg-type]
    control.focus()
    expect(control).to_be_focused()
    page.keyboard.press("Enter")


def test_a_demo_peer_worker_reads_the_figures_and_decides_on_extracts(browser: Browser, live_server):
    seed_demo()
    context = browser.new_context(locale="en-GB", viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        sign_in(page, live_server, User.objects.get(username="dk-mentor1"), password=DEMO_PASSWORD)

        # the home page leads to the figures
        _press(
            page, "link", "See what peer work changes here: the evaluation figures for the service and the organisation"
        )
        expect(page.get_by_role("heading", level=1)).to_have_text("Evaluation: what peer work changes")
        expect(page.get_by_role("heading", name="Service level", exact=True)).to_be_visible()
        expect(page.get_by_role("heading", name="Organisation level", exact=True)).to_be_visible()
        expect(page.get_by_role("heading", name="Individual level")).to_have_count(0)
        expect(page.get_by_role("heading", name="What came of proposals")).to_be_visible()
        explained = page.locator("#what-you-see")
        expect(explained).to_contain_text("No one's individual data")
        expect(explained).to_contain_text("is withheld, so that no one can be recognised from it")
        expect(page.get_by_text("Download these figures")).to_have_count(0)
        withheld = page.locator(".card .figure.withheld")
        if withheld.count():
            expect(page.locator("#withheld-note")).to_contain_text("withheld: ")
            card = page.locator(".card").filter(has=page.locator(".figure.withheld")).first
            expect(card).to_contain_text("not shown, so no one can be")
        expect(page.get_by_role("heading", name="Statements that were reworded")).to_be_visible()
        _reflows(page)
        assert_accessible(page)

        # a team with one peer worker and their mentor is not offered as a scope (the recovery team, with four
        # peer workers, is)
        mentor_team = Membership.objects.get(user__username="dk-mentor1").unit
        options = page.locator("#id_unit option").all_inner_texts()
        assert options[0] == "The whole organisation", options
        assert mentor_team is not None and mentor_team.name not in options, options
        assert "Recoveryteamet Østjylland" in options, options
        page.locator("#id_period").select_option("last_12_months")
        _press(page, "button", "Show figures")
        expect(page.get_by_role("heading", name="Service level", exact=True)).to_be_visible()
        assert_accessible(page)

        # their decision on evaluation extracts: they withdrew earlier and now agree, until a day they choose
        page.goto(f"{live_server.url}/")
        _press(page, "link", "Decide whether evaluation extracts may include you under a pseudonym")
        expect(page.get_by_text("You have not agreed. Extracts leave you out.")).to_be_visible()
        expect(page.get_by_text("withdrawn on")).to_be_visible()
        _reflows(page)
        assert_accessible(page)
        field = page.get_by_label("Until when do you agree?")
        field.focus()
        field.fill("2001-01-01")
        _press(page, "button", "I agree to be included under a pseudonym")
        expect(page.locator(".error-summary")).to_contain_text("The end date has passed")
        _reflows(page)
        assert_accessible(page)
        until = timezone.localdate() + timedelta(days=200)
        page.get_by_label("Until when do you agree?").fill(until.isoformat())
        _press(page, "button", "I agree to be included under a pseudonym")
        expect(page.locator(".notice-success")).to_contain_text("Thank you")
        expect(page.get_by_text("You agreed on")).to_contain_text(", until ")
        expect(page.get_by_role("button", name="Withdraw my consent")).to_be_visible()
        _reflows(page)
        assert_accessible(page)
    finally:
        context.close()
    assert not errors, errors
