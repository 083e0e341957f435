"""A peer worker leaves, in a real browser: the administrator switches them off at once (their live session
ends), and the coordinator hands one of their engagements over and puts the other person back on the waiting
list. Also the recovery codes page and the organisation sign-in buttons."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, Page, expect

from peerwork.core.roles import Role
from peerwork.service import services
from peerwork.service.models import Engagement, MatchProposal, Referral
from tests.conftest import actor_for, build_world
from tests.service.conftest import accept, add_peer_worker, engage, new_referral, profile_of

from .conftest import assert_accessible, sign_in


@pytest.mark.django_db(transaction=True)
def test_a_leaver_is_out_at_once_and_the_coordinator_hands_their_caseload_over(
    page: Page, browser: Browser, live_server, settings
):
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
    leaver = world.users[Role.PEER_WORKER]
    profile_of(world, leaver, capacity=5)
    kari = engage(world, new_referral(world, "Kari"), leaver)
    ola = engage(world, new_referral(world, "Ola"), leaver)
    other = add_peer_worker(world, "pw-next", capacity=5)
    page.set_default_timeout(60_000)  # a shared, busy test machine; the pages themselves assert no timing

    # The peer worker is at work in their own browser.
    theirs = browser.new_context(locale="en-GB").new_page()
    theirs.set_default_timeout(60_000)
    sign_in(theirs, live_server, leaver)
    theirs.goto(f"{live_server.url}/service/caseload/")
    expect(theirs.get_by_role("link", name="Kari")).to_have_count(1)

    page.goto(f"{live_server.url}/account/sign-in/")
    expect(page.get_by_role("link", name="Sign in with Alpha service")).to_be_visible()
    assert_accessible(page)
    sign_in(page, live_server, world.users[Role.ADMINISTRATOR])
    page.goto(f"{live_server.url}/account/people/")
    page.get_by_role("link", name=str(leaver)).click()
    assert_accessible(page)
    page.get_by_role("button", name="Switch off").click()
    expect(page.get_by_text("signed out everywhere")).to_be_visible()
    expect(page.get_by_text("2 open engagements are waiting for a programme coordinator")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Their session is dead: the next click goes to the sign-in page.
    theirs.goto(f"{live_server.url}/service/caseload/")
    expect(theirs.get_by_role("heading", name="Sign in to Peerwork")).to_be_visible()
    assert "/account/sign-in/" in theirs.url
    theirs.context.close()

    page.goto(f"{live_server.url}/account/recovery-codes/")
    page.get_by_role("button", name="Make new recovery codes").click()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    page.context.clear_cookies()

    # The coordinator finds both under "Handovers to do".
    sign_in(page, live_server, world.users[Role.COORDINATOR])
    page.goto(f"{live_server.url}/service/dashboard/")
    handovers = page.locator("#handovers + p + table")
    expect(handovers.get_by_role("row")).to_have_count(3)
    assert_accessible(page)
    page.get_by_role("link", name="Propose a new peer worker for Kari").click()
    page.get_by_label("Propose to take over").select_option(label=str(other))
    page.get_by_role("button", name="Propose the handover").click()
    expect(page.get_by_text("Proposed.")).to_be_visible()
    # The new peer worker accepts and Kari chooses them (their own steps), and the engagement passes on.
    proposal = MatchProposal.objects.get(handover_from=kari)
    accept(world, proposal, other)
    services.proposals.record_choice(
        actor_for(world.users[Role.COORDINATOR], world.org), proposal_id=proposal.pk, peer_worker_id=other.pk
    )

    page.goto(f"{live_server.url}/service/dashboard/")
    expect(handovers.get_by_role("row")).to_have_count(2)
    page.get_by_role("link", name="Put Ola back on the waiting list").click()
    assert_accessible(page)
    page.get_by_role("button", name="End the engagement and put the person back on the waiting list").click()
    expect(page.get_by_text("Write why the person goes back to the waiting list")).to_have_count(2)
    page.get_by_label("Why the person goes back to the waiting list").fill("His peer worker left; nobody free now")
    page.get_by_role("button", name="End the engagement and put the person back on the waiting list").click()
    expect(page.get_by_text("The person is back on the waiting list.")).to_be_visible()
    page.goto(f"{live_server.url}/service/dashboard/")
    expect(page.locator("#handovers")).to_have_count(0)

    kari.refresh_from_db()
    ola.refresh_from_db()
    assert kari.closure_reason == Engagement.ClosureReason.HANDOVER
    assert ola.closure_reason == Engagement.ClosureReason.BACK_TO_QUEUE
    assert Referral.objects.get(pk=ola.referral_id).status == Referral.Status.WAITING
