"""The story of the issue in a real browser: a peer worker records that a person shares their housing goal
with the team; the team's professional sees that goal and nothing else; the person withdraws; the
professional's open page, reloaded, shows nothing. Every page passes axe-core."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from peerwork.core.roles import Role
from peerwork.privacy.models import Consent
from peerwork.service.models import Visibility
from tests.conftest import build_world
from tests.privacy.helpers import contact, engage, goal, person

from .conftest import assert_accessible, sign_in


@pytest.fixture
def second_page(browser: Browser, live_server: object) -> Iterator[Page]:
    """A second person's browser, open at the same time."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    errors: list[str] = []
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert not errors, f"The browser reported errors: {errors}"


@pytest.mark.django_db(transaction=True)
def test_give_then_withdraw(page: Page, second_page: Page, live_server):
    world = build_world("Alpha")
    kari = person(world, "Kari Nordmann")
    eng = engage(world, kari, world.users[Role.PEER_WORKER])
    goal(world, eng, "A flat of my own before winter", ratings=[3, 5])
    goal(world, eng, "See my daughter every week", area="family", visibility=Visibility.CARE_TEAM)
    contact(world, eng, note="Talked about a hard week")

    # The peer worker records the consent.
    sign_in(page, live_server, world.users[Role.PEER_WORKER])
    page.get_by_role("link", name="Consent", exact=True).click()
    page.get_by_role("link", name="Kari Nordmann").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What Kari Nordmann has agreed to")
    assert_accessible(page)
    page.get_by_label("Sharing with a named team or person").check()
    page.get_by_label("Share with this team").select_option(label=world.team.name)
    page.get_by_label("Only the goals chosen below").check()
    page.get_by_label("Housing: A flat of my own before winter").check()
    page.get_by_label("Said out loud").check()
    page.get_by_role("button", name="Record the consent").click()
    expect(page.locator(".notice-success")).to_contain_text("The consent is recorded")
    expect(page.get_by_text("Valid", exact=True)).to_be_visible()
    assert_accessible(page)

    # The team's professional sees that goal and its ratings, and nothing else.
    nurse = second_page
    sign_in(nurse, live_server, world.users[Role.PROFESSIONAL])
    nurse.get_by_role("link", name="Shared with me").click()
    expect(nurse.get_by_role("heading", name="Kari Nordmann")).to_be_visible()
    expect(nurse.get_by_text("A flat of my own before winter")).to_be_visible()
    expect(nurse.get_by_text("See my daughter every week")).to_have_count(0)
    expect(nurse.get_by_text("Talked about a hard week")).to_have_count(0)
    expect(nurse.get_by_text("Peerwork holds no clinical record")).to_be_visible()
    assert_accessible(nurse)

    # Two weeks later the person changes their mind: the peer worker withdraws.
    page.get_by_role("button", name="Withdraw").click()
    expect(page.locator(".notice-success")).to_contain_text("withdrawn")
    assert Consent.objects.get().withdrawn_at is not None

    # The professional's page is still open; reloaded, it shows nothing.
    nurse.reload()
    expect(nurse.get_by_text("No one shares anything with you or your team")).to_be_visible()
    expect(nurse.get_by_text("A flat of my own before winter")).to_have_count(0)
    expect(nurse.get_by_text("Kari Nordmann")).to_have_count(0)
    assert_accessible(nurse)


@pytest.mark.django_db(transaction=True)
def test_bad_consent_shows_the_error_summary(page: Page, live_server):
    world = build_world("Alpha")
    kari = person(world, "Kari Nordmann")
    engage(world, kari, world.users[Role.PEER_WORKER])
    sign_in(page, live_server, world.users[Role.PEER_WORKER])
    page.goto(f"{live_server.url}/privacy/consent/{kari.pk}/")
    page.get_by_label("Sharing with a named team or person").check()
    page.get_by_label("Given on").fill("2026-05-01")
    page.get_by_label("Valid until").fill("2026-04-01")
    page.get_by_role("button", name="Record the consent").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("end before it starts")
    expect(summary).to_contain_text("Choose the team or the person")
    assert_accessible(page)
    assert Consent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_data_protection_officers_pages_are_accessible(page: Page, live_server):
    from django.utils import timezone

    from peerwork.privacy import services

    world = build_world("Alpha")
    kari = person(world, "Kari Nordmann")
    eng = engage(
        world,
        kari,
        world.users[Role.PEER_WORKER],
        closed_on=timezone.localdate() - timedelta(days=500),
    )
    goal(world, eng, "A flat of my own before winter", ratings=[3, 5])
    services.record_consent(
        world.actor(Role.COORDINATOR),
        kari.pk,
        **{"purpose": "evaluation", "how_given": "written", "given_on": eng.started_on},
    )
    sign_in(page, live_server, world.users[Role.DPO])
    page.get_by_role("link", name="People's rights").click()
    assert_accessible(page)
    page.get_by_label("Name, phone, e-mail or number of the person").fill("Kari")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 person found")).to_be_visible()
    assert "Kari" not in page.url
    assert_accessible(page)
    page.get_by_role("link", name=str(kari.pk), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kari Nordmann")
    assert_accessible(page)
    for link in (
        "Readable copy (print or save as PDF)",
        "Who has read or changed this record",
        "Correct the record",
        "Anonymise (erase)",
    ):
        page.get_by_role("link", name=link).click()
        assert_accessible(page)
        page.go_back()
    # The access report's filter says how to fix a period given the wrong way round.
    page.goto(f"{live_server.url}/privacy/people/{kari.pk}/access/?start=2026-03-05&end=2026-03-01")
    expect(page.locator(".error-summary")).to_contain_text("The last day is before the first day")
    assert_accessible(page)
    page.goto(f"{live_server.url}/privacy/people/{kari.pk}/")
    page.get_by_role("link", name="Anonymise (erase)").click()
    page.get_by_role("button", name="Anonymise now").click()
    expect(page.locator(".error-summary")).to_contain_text("Tick the box")
    page.get_by_label("I have checked that this is the right person").check()
    page.get_by_role("button", name="Anonymise now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Person {kari.pk} (anonymised)")
    page.goto(f"{live_server.url}/privacy/retention/")
    assert_accessible(page)
    page.get_by_role("link", name="Evaluation extracts").click()
    page.get_by_label("Who receives the extract").fill("Evaluation team")
    page.get_by_label("What it will be used for").fill("Yearly report")
    page.get_by_role("button", name="Make an extract").click()
    expect(page.locator(".notice-success")).to_contain_text("The extract is ready")
    assert_accessible(page)
    page.get_by_role("link", name="Kept apart").click()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_a_peer_worker_gives_and_withdraws_their_own_evaluation_consent(page: Page, live_server):
    world = build_world("Alpha")
    sign_in(page, live_server, world.users[Role.PEER_WORKER])
    page.get_by_role("link", name="Decide whether evaluation extracts may include you under a pseudonym").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your consent to use in evaluation")
    expect(page.get_by_text("You have not agreed. Extracts leave you out.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="I agree to be included under a pseudonym").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".notice-success")).to_contain_text("Thank you")
    assert_accessible(page)
    page.get_by_role("button", name="Withdraw my consent").click()
    expect(page.locator(".notice-success")).to_contain_text("Extracts made from now on leave you out")
    expect(page.get_by_text("withdrawn on")).to_be_visible()
    assert_accessible(page)
