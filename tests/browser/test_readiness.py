"""A professional answers a readiness round in the browser; the manager reads the results. axe-clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from peerwork.core.roles import Role
from peerwork.readiness import services
from peerwork.readiness.instrument import DOMAINS, ITEMS
from peerwork.readiness.models import Group, Invitation, Response
from tests.conftest import build_world

from .conftest import assert_accessible, sign_in


@pytest.mark.django_db(transaction=True)
def test_a_professional_answers_and_the_manager_reads_the_results(page: Page, live_server):
    world = build_world("Alpha")
    rnd, _tokens = services.start_round(
        world.actor(Role.MANAGER), title="Before the start", groups=[Group.MANAGER, Group.PROFESSIONAL]
    )
    # Two colleagues have answered already; the professional in the browser makes the group big enough.
    for _i in range(2):
        Response.objects.create(
            organisation=world.org,
            round=rnd,
            group=Group.PROFESSIONAL,
            status="submitted",
            anonymous=True,
            answers={i.code: 2 for i in ITEMS},
            submitted_on=rnd.opens_on,
        )
    for _i in range(3):
        Response.objects.create(
            organisation=world.org,
            round=rnd,
            group=Group.MANAGER,
            status="submitted",
            anonymous=True,
            answers={i.code: 4 for i in ITEMS},
            submitted_on=rnd.opens_on,
        )

    professional = world.users[Role.PROFESSIONAL]
    sign_in(page, live_server, professional)
    page.get_by_role("link", name="Before the start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A1 Vision")
    assert_accessible(page)

    # Part one: answer one question and keep it as a draft.
    first = page.get_by_role("group", name=str(ITEMS[0].text))
    first.get_by_label("Partly in place").check()
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("status").first).to_contain_text("saved as a draft")

    # Then every part, one screen each, with the keyboard-friendly radio buttons.
    for d in DOMAINS:
        expect(page.get_by_role("heading", level=1)).to_contain_text(str(d.title))
        for group in page.locator("fieldset.choices").all():
            group.get_by_label("Not in place").check()
        page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    assert_accessible(page)
    expect(page.get_by_label("Submit my answers anonymously")).to_be_checked()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("your answers are submitted")
    assert Invitation.objects.get(round=rnd, user=professional).completed
    assert not Response.objects.filter(round=rnd, respondent=professional).exists()

    page.context.clear_cookies()
    sign_in(page, live_server, world.users[Role.MANAGER])
    page.goto(f"{live_server.url}/readiness/rounds/{rnd.pk}/")
    expect(page.get_by_role("img", name="Score per domain and group")).to_be_visible()
    table = page.get_by_role("table", name="Scores per domain")
    row = table.get_by_role("row", name="A6 Team preparation")
    expect(row).to_contain_text("100")
    expect(row).to_contain_text("groups disagree")
    assert_accessible(page)
    page.goto(f"{live_server.url}/readiness/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/readiness/checks/")
    assert_accessible(page)
    # The board report: the organisation's name, the chart with its table, axe-clean.
    page.goto(f"{live_server.url}/readiness/report/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.org.name)
    expect(page.get_by_role("img", name="Score per domain")).to_be_visible()
    expect(page.get_by_role("table", name="Score per domain and change since the previous round")).to_contain_text(
        "Team preparation"
    )
    assert_accessible(page)
