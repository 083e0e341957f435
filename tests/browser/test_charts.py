"""The pages with charts, on a 320 px screen: every chart fits the width (its table may scroll inside its own
box), and axe-core finds nothing."""

from __future__ import annotations

import os

from playwright.sync_api import Browser

from peerwork.accounts.models import User
from peerwork.demo.seed import DEMO_PASSWORD, NO_SLUG, seed_demo
from peerwork.service.models import Engagement

from .conftest import assert_accessible, sign_in

# Parts of a chart that reach past the right edge (a table may scroll inside its own box).
WIDE = """[...document.querySelectorAll('.chart, .chart *')]
  .filter(e => e.getBoundingClientRect().right > 321 && !e.closest('.table-scroll'))
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 40))"""
SHOTS = os.environ.get("PEERWORK_SCREENSHOTS")  # a directory: save a picture of each chart


def test_chart_pages_reflow_at_320px_and_pass_axe(browser: Browser, live_server):
    seed_demo()
    engagement = Engagement.objects.filter(organisation__slug=NO_SLUG, goals__ratings__isnull=False).distinct().first()
    assert engagement is not None
    context = browser.new_context(locale="en-GB", viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        for username, paths in (
            ("dk-manager", ["/readiness/"]),
            ("manager", ["/evaluation/dashboard/"]),
            (
                "coordinator",
                [
                    f"/service/engagements/{engagement.pk}/",
                    f"/service/peer-workers/{engagement.peer_worker_id}/workload/?reason=allocation",
                ],
            ),
        ):
            page.context.clear_cookies()
            sign_in(page, live_server, User.objects.get(username=username), password=DEMO_PASSWORD)
            for path in paths:
                page.goto(f"{live_server.url}{path}")
                assert page.locator(".chart").count() > 0, path
                if SHOTS:
                    name = path.strip("/").replace("/", "_")
                    for i in range(page.locator(".chart").count()):
                        page.locator(".chart").nth(i).screenshot(path=f"{SHOTS}/{name}-{i}.png")
                wide = page.evaluate(WIDE)
                assert not wide, f"{path}: wider than the screen: {wide}"
                assert_accessible(page)
    finally:
        context.close()
