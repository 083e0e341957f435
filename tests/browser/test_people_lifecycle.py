"""The administrator's person page, recovery codes and the organisation sign-in buttons in a real browser."""

from __future__ import annotations

import json
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from peerwork.core.roles import Role
from peerwork.service.models import Engagement, ServiceUser
from tests.conftest import build_world

from .conftest import assert_accessible, sign_in


@pytest.mark.django_db(transaction=True)
def test_the_person_page_explains_a_refused_switch_off_and_reflows(page: Page, live_server, settings):
    settings.PEERWORK_OIDC = json.dumps(
        [
            {
                "id": "alpha",
                "organisation": "alpha-service",
                "issuer": "https://idp.example.invalid/o",
                "client_id": "c",
                "client_secret": "s",
            }
        ]
    )
    world = build_world("Alpha")
    worker = world.users[Role.PEER_WORKER]
    someone = ServiceUser.objects.create(organisation=world.org, chosen_name="Kari", birth_year=1990)
    Engagement.objects.create(
        organisation=world.org,
        service_user=someone,
        peer_worker=worker,
        started_on=date(2025, 3, 3),
        planned_end_on=date(2026, 12, 31),
    )
    page.set_default_timeout(60_000)  # a shared, busy test machine; the page itself asserts no timing
    page.goto(f"{live_server.url}/account/sign-in/")
    expect(page.get_by_role("link", name="Sign in with Alpha service")).to_be_visible()
    assert_accessible(page)
    sign_in(page, live_server, world.users[Role.ADMINISTRATOR])
    page.goto(f"{live_server.url}/account/people/")
    page.get_by_role("link", name=str(worker)).click()
    assert_accessible(page)
    page.get_by_role("button", name="Switch off").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="propose a handover")).to_have_count(1)
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/account/recovery-codes/")
    page.get_by_role("button", name="Make new recovery codes").click()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    assert_accessible(page)
