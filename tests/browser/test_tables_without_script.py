"""Tables stack on a phone with the stylesheet alone: a page whose script does not run (blocked, or still
loading on a slow connection) still reflows at 320 px, each cell led by its column's heading."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from peerwork.core.roles import Role
from peerwork.service import services
from tests.browser.conftest import sign_in
from tests.conftest import build_world

WIDEST = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
FIRST_CELL_HEADING = """() => {
  const cell = document.querySelector('main table tbody td[data-label]');
  return cell ? getComputedStyle(cell, '::before').content : null;
}"""


@pytest.fixture
def page_without_script(browser: Browser, live_server: object) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", viewport={"width": 320, "height": 800}, java_script_enabled=False)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.mark.django_db(transaction=True)
def test_a_table_stacks_at_320_px_without_script(page_without_script: Page, live_server):
    world = build_world("Stacked")
    coordinator = world.actor(Role.COORDINATOR)
    for name in ("Astrid Margrethe Kristoffersen-Haugland", "Bjørn", "Cecilie"):
        services.referrals.create_referral(coordinator, chosen_name=name, source="professional")
    page = page_without_script
    sign_in(page, live_server, world.users[Role.COORDINATOR])
    page.goto(f"{live_server.url}/service/queue/")
    assert page.locator("main table tbody tr").count() >= 3
    assert page.evaluate(WIDEST) <= 0, "the queue scrolls sideways at 320 px without its script"
    # Each row is a block, its cells led by their column's heading; the head row is there for screen readers only.
    assert page.locator("main table tbody tr").first.evaluate("r => getComputedStyle(r).display") == "block"
    heading = page.evaluate(FIRST_CELL_HEADING)
    assert heading and heading.strip('"').endswith(": "), heading
    assert page.locator("main table").first.get_attribute("role") == "table"
    # axe-core needs the script it injects to run, so the accessibility check of the same markup is in
    # test_lists.py (the queue, with its script).
    # A wide screen keeps the table a table.
    page.set_viewport_size({"width": 1280, "height": 800})
    assert page.locator("main table tbody tr").first.evaluate("r => getComputedStyle(r).display") == "table-row"
