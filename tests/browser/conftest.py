"""Browser tests: Playwright (from PyPI) driving Debian's Chromium against a live Peerwork server.

``./run test`` installs Chromium when missing and exports PEERWORK_CHROMIUM. Every test here is marked
``browser``. Helpers: ``sign_in(page, live_server, user)`` goes through the real password and two-step
pages; ``assert_accessible(page)`` runs axe-core and fails on any violation; console errors (including a
content-security-policy violation) fail the test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import TOTP
from playwright.sync_api import Browser, Page, sync_playwright

from peerwork.accounts.models import User
from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; the test body's ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PEERWORK_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM:
        pytest.fail("Chromium is not installed: run the suite with ./run test, which installs Debian's chromium.")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, live_server: object) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    errors: list[str] = []
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.console_errors = errors  # type: ignore[attr-defined]
    yield pg
    context.close()
    assert not errors, f"The browser reported errors: {errors}"


@pytest.fixture
def phone_page(browser: Browser, live_server: object) -> Iterator[Page]:
    """A small touch screen, as a peer worker's phone at 22:00."""
    context = browser.new_context(
        locale="nb-NO", viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def current_code(user: User) -> str:
    device = user.totpdevice_set.get(confirmed=True)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def sign_in(page: Page, live_server: object, user: User, password: str = PASSWORD) -> None:
    """The real sign-in: password page, then the two-step code page."""
    page.goto(f"{live_server.url}/account/sign-in/")  # type: ignore[attr-defined]
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Six-digit code from your authenticator app").fill(current_code(user))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")  # type: ignore[attr-defined]


_axe = Axe()


def assert_accessible(page: Page) -> None:
    results = _axe.run(
        page,
        options={
            "resultTypes": ["violations"],
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
            },
        },
    )
    violations = results.response["violations"]
    assert not violations, results.generate_report()
