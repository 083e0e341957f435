"""Every page reflows on a phone (WCAG 2.2 1.4.10): the demo world, one signed-in browser session per role.

Each page of the permission matrix (src/peerwork/audit/matrix.py) is opened at 320 px as its main role (the
first of MAIN_ROLES the matrix lets in), with an object from the demo data that role may open; the peer
worker's pages also at 390 px. A page fails when the document is wider than the screen, and the message names
the page and the widest element that sticks out. The header and its menu take at most 15 % of a 390 x 844
screen for every role, the menu is a disclosure button that works by keyboard, and no role has more than six
entries at the top of the menu.
"""

from __future__ import annotations

import re
from typing import Any

from django.apps import apps
from django.db.models import Model, QuerySet
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from peerwork.accounts.models import User
from peerwork.audit import matrix
from peerwork.core.roles import Role
from peerwork.demo.seed import DEMO_PASSWORD, NO_SLUG, seed_demo
from peerwork.organisations.models import Organisation
from tests.conftest import verified_client

from .conftest import assert_accessible, sign_in

MAIN_ROLES = (
    Role.PEER_WORKER,
    Role.COORDINATOR,
    Role.SENIOR_PEER_WORKER,
    Role.MANAGER,
    Role.PROFESSIONAL,
    Role.DPO,
    Role.ADMINISTRATOR,
)
DEMO_USERS = {
    Role.PEER_WORKER: "peerworker",
    Role.COORDINATOR: "coordinator",
    Role.SENIOR_PEER_WORKER: "senior",
    Role.MANAGER: "manager",
    Role.PROFESSIONAL: "professional",
    Role.DPO: "dpo",
    Role.ADMINISTRATOR: "admin",
}
PARAM = re.compile(r"<(?:\w+:)?\w+>")
CANDIDATES = 40  # objects tried per page until one answers the role with a page

# The document's overflow, and the widest element sticking out that no scrolling box of its own holds.
OVERFLOW = """() => {
  const doc = document.documentElement;
  if (doc.scrollWidth <= doc.clientWidth) return null;
  const limit = doc.clientWidth + 1;
  const held = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
    if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; };
  let worst = null, width = 0;
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.right > limit && r.width > width && !held(e)) { worst = e; width = r.width; }
  }
  const classes = worst && typeof worst.className === 'string' && worst.className.trim()
    ? '.' + worst.className.trim().split(/\\s+/).join('.') : '';
  const name = worst ? worst.tagName.toLowerCase() + (worst.id ? '#' + worst.id : '') + classes +
    ' "' + (worst.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 50) + '" ' + Math.round(width) + ' px' : '?';
  return doc.scrollWidth + ' px wide; widest: ' + name;
}"""


def _candidates(model_label: str, org: Organisation, user: User) -> list[Model]:
    model = apps.get_model(*model_label.split("."))
    if model is User:
        others = User.objects.filter(memberships__organisation=org).exclude(pk=user.pk).distinct().order_by("pk")
        return [user, *others[:CANDIDATES]]
    found: QuerySet[Any] = model.objects.all()
    if hasattr(model, "organisation_id"):
        found = found.filter(organisation=org)
    return list(found.order_by("pk")[:CANDIDATES])


def _answer(client: Client, path: str) -> str:
    """ "page", "download" (a file, not a page) or "no"."""
    response = client.get(path)
    if response.status_code in (301, 302):
        return "page"  # a page that sends each role on to its own page
    if response.status_code not in (200, 410):  # 410: a page that says an invitation has been answered
        return "no"
    return "page" if response["Content-Type"].startswith("text/html") else "download"


def pages_by_role() -> tuple[dict[Role, list[str]], list[str], list[str]]:
    """(role → paths to open signed in, public paths, pages the demo data cannot show). A page with an object
    is opened by the first role, in MAIN_ROLES order, for whom the demo holds one it may open."""
    org = Organisation.objects.get(slug=NO_SLUG)
    users = {role: User.objects.get(username=name) for role, name in DEMO_USERS.items()}
    clients = {role: verified_client(user) for role, user in users.items()}
    anonymous = Client()
    routes = matrix.url_patterns()
    by_role: dict[Role, list[str]] = {role: ["/"] for role in MAIN_ROLES}  # every role's home and menu
    public: list[str] = []
    missing: list[str] = []
    for row in matrix.ROUTES:
        route = routes[row.name]
        if route.startswith("api/") or row.method != "GET" or row.check or row.name == "core:home":
            continue
        if row.public:
            if _answer(anonymous, "/" + route) == "page":
                public.append("/" + route)
            continue
        found = ""
        for role in (r for r in MAIN_ROLES if row.level(r) != matrix.NONE):
            objects = _candidates(row.obj, org, users[role]) if PARAM.search(route) else [None]
            for obj in objects:
                path = "/" + (PARAM.sub(str(obj.pk), route) if obj is not None else route)
                found = _answer(clients[role], path)
                if found == "page":
                    by_role[role].append(path)
                if found != "no":
                    break
            if found != "no":
                break
        if found == "no":
            missing.append(row.name)
    return by_role, public, missing


def _check(page: Page, url: str, width: int, failures: list[str]) -> None:
    page.goto(url)
    wide = page.evaluate(OVERFLOW)
    if wide:
        failures.append(f"{url} at {width} px: {wide}")


def test_every_page_reflows_at_320_px_and_the_header_stays_small(browser: Browser, live_server):
    seed_demo()
    by_role, public, missing = pages_by_role()
    # Only downloads and pages that need an object the demo lacks may be left out; name them if any.
    assert not missing, f"No object in the demo data to open these pages with: {missing}"
    failures: list[str] = []
    errors: list[str] = []
    visited = 0

    context = browser.new_context(locale="en-GB", viewport={"width": 320, "height": 800}, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    for path in ["/account/sign-in/", *public]:
        _check(page, f"{live_server.url}{path}", 320, failures)
        visited += 1
    context.close()

    for role in MAIN_ROLES:
        user = User.objects.get(username=DEMO_USERS[role])
        context = browser.new_context(locale="en-GB", viewport={"width": 320, "height": 800}, has_touch=True)
        context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        try:
            sign_in(page, live_server, user, password=DEMO_PASSWORD)
            for path in by_role[role]:
                _check(page, f"{live_server.url}{path}", 320, failures)
                visited += 1
            if role == Role.PEER_WORKER:
                page.set_viewport_size({"width": 390, "height": 844})
                for path in by_role[role]:
                    _check(page, f"{live_server.url}{path}", 390, failures)
                    visited += 1
            _header_and_menu(page, live_server.url, role, failures)
        finally:
            context.close()
    print(f"reflow: {visited} pages opened")
    assert not failures, f"{len(failures)} pages scroll sideways or have a large header:\n" + "\n".join(failures)
    errors = [e for e in errors if "status of 410" not in e]  # an answered invitation's page says so with 410
    assert not errors, f"The browser reported errors: {errors}"


def _header_and_menu(page: Page, base: str, role: Role, failures: list[str]) -> None:
    """On a 390 x 844 phone: the header is at most 15 % of the screen; the Menu button opens and closes the
    menu by keyboard; at most six entries at the top of the menu, and API tokens only under the person's name."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/")
    box = page.locator(".site-header").bounding_box()
    assert box is not None
    height = box["height"]
    if height > 0.15 * 844:
        failures.append(f"{role}: the header takes {height:.0f} px of 844 on a phone")
    assert page.locator(".nav-list > li").count() <= 6, role
    assert page.locator(".site-nav").get_by_text("API tokens").count() == 0, role
    menu = page.locator(".menu-button")
    first = page.locator(".nav-list > li").first
    expect(first).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    expect(first).to_be_visible()
    expect(page.locator(".site-account").get_by_role("link", name="API tokens")).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(first).to_be_hidden()
    expect(menu).to_be_focused()
    # A wide screen: the menu in the header, one row; a group drops down by keyboard.
    page.set_viewport_size({"width": 1366, "height": 800})
    expect(first).to_be_visible()
    tops = {
        round(box["y"])
        for box in page.locator(".nav-list > li").evaluate_all(
            "items => items.map(i => { const r = i.getBoundingClientRect(); return {y: r.top}; })"
        )
    }
    if len(tops) > 1:
        failures.append(f"{role}: the menu wraps to {len(tops)} rows at 1366 px")
    group = page.locator(".nav-list .nav-group > summary").first
    if group.count():
        group.focus()
        page.keyboard.press("Enter")
        expect(page.locator(".nav-list .nav-group[open] a").first).to_be_visible()
        assert_accessible(page)
        page.keyboard.press("Escape")
        expect(page.locator(".nav-list .nav-group[open]")).to_have_count(0)
