"""Sign in as each role, reach the home page, switch language; axe-core finds nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from peerwork.core.roles import Role
from tests.conftest import build_world
from tests.factories import PASSWORD

from .conftest import assert_accessible, current_code, sign_in


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", Role.values)
def test_each_role_signs_in_reaches_home_and_switches_language(page: Page, live_server, role):
    world = build_world("Alpha")
    user = world.users[role]
    page.goto(f"{live_server.url}/account/sign-in/")
    assert_accessible(page)
    sign_in(page, live_server, user)
    expect(page.locator(f"#section-{role}")).to_have_count(1)
    assert_accessible(page)

    page.get_by_label("Language").select_option("nb")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    assert_accessible(page)
    page.locator("#language").select_option("da")
    expect(page.locator("html")).to_have_attribute("lang", "da")


@pytest.mark.django_db(transaction=True)
def test_wrong_password_shows_error_summary_then_keyboard_alone_signs_in(page: Page, live_server):
    world = build_world("Alpha")
    user = world.users[Role.MANAGER]
    page.goto(f"{live_server.url}/account/sign-in/")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type("not the password")
    page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert_accessible(page)

    # Keyboard only from here: the form keeps the user name; Tab to the password, type, Enter.
    page.get_by_label("Password").focus()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Six-digit code from your authenticator app")).to_be_focused()
    page.keyboard.type(current_code(user))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
