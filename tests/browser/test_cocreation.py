"""The co-creation story in a real browser: a manager starts an initiative and records who takes part, a
peer worker adds a proposal, the manager decides (a rejection without a reason is refused first), and the
peer worker reads "you said, we did" on their phone — then raises a signal from the street, which the
manager acknowledges (two browsers: the manager's desk and the peer worker's phone). Every page passes
axe-core. Also: boards, the evaluation dashboard and the pulse survey."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from peerwork.cocreation.models import Contribution, Initiative, Signal
from peerwork.core.roles import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import build_world


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db(transaction=True)
def test_initiative_to_you_said_we_did(page: Page, phone_page: Page, live_server):
    world = build_world("Alpha")
    manager, kari = world.users[Role.MANAGER], world.users[Role.PEER_WORKER]

    # The manager starts the initiative.
    sign_in(page, live_server, manager)
    page.get_by_role("link", name="Co-creation").click()
    assert_accessible(page)
    page.get_by_role("link", name="Start an initiative").click()
    page.get_by_label("Title").fill("Evening drop-in for young adults")
    page.get_by_label("Problem statement").fill("Young adults have nowhere to go after the day centre closes.")
    page.get_by_role("button", name="Start the initiative").click()
    initiative = Initiative.objects.get()
    page.wait_for_url(f"{live_server.url}/cocreation/initiatives/{initiative.pk}/")
    assert_accessible(page)

    # Kari takes part in delivery only: the warning appears.
    page.get_by_role("link", name="Add who takes part (Co-delivery)").click()
    page.get_by_label("Takes part as").select_option("peer_worker")
    page.get_by_label("Colleague in Peerwork").select_option(str(kari.pk))
    page.get_by_role("button", name="Add participant").click()
    expect(page.get_by_role("heading", name="Peer workers take part only in delivery")).to_be_visible()
    assert_accessible(page)

    # Kari adds a proposal in the design phase, on her phone.
    phone_page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    sign_in(phone_page, live_server, kari)
    phone_page.goto(f"{live_server.url}/cocreation/initiatives/{initiative.pk}/")
    phone_page.get_by_role("link", name="Add a proposal").click()
    phone_page.get_by_label("In which phase").select_option(label="Co-design")
    phone_page.get_by_label("Your proposal in short").fill("Open until 23:00 on Fridays and Saturdays")
    assert_accessible(phone_page)
    phone_page.get_by_role("button", name="Add the proposal").click()
    expect(phone_page.get_by_text("The proposal is recorded")).to_be_visible()
    contribution = Contribution.objects.get()

    # The manager decides; first without a reason for a rejection.
    page.goto(f"{live_server.url}/")
    expect(page.get_by_text("Open until 23:00 on Fridays and Saturdays")).to_have_count(0)  # not overdue yet
    page.goto(f"{live_server.url}/cocreation/contributions/{contribution.pk}/decide/")
    page.get_by_label("Not taken forward").check()
    page.get_by_role("button", name="Save the decision").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Say why the proposal is not taken forward")
    assert_accessible(page)
    page.get_by_label("Adopted with changes").check()
    page.get_by_label("Reason, or what changed").fill("Changed opening hours: 18–23 on Fridays and Saturdays")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("The decision is recorded")).to_be_visible()
    assert_accessible(page)

    # Kari sees it on her home page and on "you said, we did".
    phone_page.goto(f"{live_server.url}/")
    expect(phone_page.get_by_text("Changed opening hours: 18–23 on Fridays and Saturdays").first).to_be_visible()
    assert_accessible(phone_page)
    phone_page.goto(f"{live_server.url}/cocreation/you-said-we-did/")
    expect(phone_page.get_by_text("Adopted with changes").first).to_be_visible()
    assert_accessible(phone_page)

    # From the street: a signal, straight to the manager.
    phone_page.goto(f"{live_server.url}/cocreation/signals/new/")
    assert_accessible(phone_page)
    phone_page.get_by_label("A gap in the services").check()
    phone_page.get_by_label("In one sentence").fill("People are turned away at the emergency shelter after 22:00")
    phone_page.get_by_label("Send to").select_option(str(manager.pk))
    phone_page.get_by_label("My text names or describes a service user").check()
    phone_page.get_by_role("button", name="Send the signal").click()
    expect(phone_page.locator(".error-summary")).to_contain_text("never about a person")
    assert_accessible(phone_page)
    phone_page.get_by_label("My text names or describes a service user").uncheck()
    phone_page.get_by_role("button", name="Send the signal").click()
    expect(phone_page.get_by_text("Your signal is sent")).to_be_visible()
    signal = Signal.objects.get()

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="People are turned away at the emergency shelter after 22:00").click()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Acknowledged. The sender can now see")).to_be_visible()
    assert_accessible(page)

    phone_page.goto(f"{live_server.url}/cocreation/signals/{signal.pk}/")
    expect(phone_page.get_by_text("Acknowledged", exact=False).first).to_be_visible()
    assert_accessible(phone_page)


@pytest.mark.django_db(transaction=True)
def test_boards_evaluation_and_pulse_pages_are_accessible(page: Page, live_server):
    from peerwork.cocreation import services

    world = build_world("Alpha")
    manager = world.actor(Role.MANAGER)
    board = services.create_board(manager, name="Service user board", kind="service_user_board")
    services.add_seat(manager, board, kind="peer_worker", holder=world.users[Role.PEER_WORKER], leads=True)
    services.add_meeting(manager, board, held_on=date(2026, 1, 10), agenda="Opening hours")

    sign_in(page, live_server, world.users[Role.MANAGER])
    page.goto(f"{live_server.url}/cocreation/boards/{board.pk}/")
    expect(page.get_by_role("heading", name="No seat for user organisations")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/cocreation/boards/")
    assert_accessible(page)

    page.goto(f"{live_server.url}/evaluation/dashboard/")
    expect(page.get_by_role("heading", name="Organisation level")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_period").select_option("custom")
    page.locator("#id_start").fill("2026-06-01")
    page.locator("#id_end").fill("2026-05-01")
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator(".error-summary")).to_contain_text("The end date must be on or after the start date")
    assert_accessible(page)

    page.goto(f"{live_server.url}/evaluation/pulse/")
    page.get_by_role("group", name="I make room for peer workers").get_by_label("Agree", exact=True).check()
    assert_accessible(page)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
