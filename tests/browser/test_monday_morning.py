"""Monday morning, as the real roles in one flow: the coordinator runs the whole-list suggestion and sends a
waiting person offers of three peer workers; one declines privately (the coordinator sees no reason), the
others accept; the coordinator records the person choosing among those who accepted, extends the engagement
past two years with both agreements and a reason, and a contact agreement widened to the weekend makes a
strain topic go. Every page visited passes axe-core."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page

from peerwork.accounts.models import User
from peerwork.core.roles import Role
from peerwork.service import services
from peerwork.service.models import (
    ContactAgreement,
    Engagement,
    EngagementExtension,
    GuidanceRelationship,
    PeerWorkerProfile,
    ProposedCandidate,
    Referral,
)
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import World, actor_for, build_world
from tests.factories import MembershipFactory, PositionFactory, UserFactory

OFFICE = {str(d): [["09:00", "15:00"]] for d in range(5)}


def _world() -> tuple[World, Referral, dict[str, User]]:
    world = build_world("Monday")
    coordinator = world.users[Role.COORDINATOR]
    peers = {}
    for first, weekends in (("Amina", True), ("Jon", False), ("Eva", False)):
        user = UserFactory(username=f"mm-{first.lower()}", first_name=first, last_name="Lund")
        MembershipFactory(organisation=world.org, user=user, role=Role.PEER_WORKER, unit=world.team)
        PositionFactory(organisation=world.org, unit=world.team, holder=user, reports_to=coordinator)
        PeerWorkerProfile.objects.create(
            organisation=world.org,
            user=user,
            capacity=2,
            languages=["nb"],
            interests=["fishing"],
            working_hours=OFFICE,
            weekends=weekends,
        )
        GuidanceRelationship.objects.create(
            organisation=world.org,
            peer_worker=user,
            guide=coordinator,
            starts_on=timezone.localdate() - timedelta(days=90),
        )
        peers[first] = user
    kari = services.referrals.create_referral(
        world.actor(Role.COORDINATOR),
        chosen_name="Kari",
        languages=["nb"],
        interests=["fishing"],
        help_with="Finding a flat of my own",
        source="self",
        received_on=timezone.localdate() - timedelta(days=40),
    )
    return world, kari, peers


def _recent_weekend_day():
    day = timezone.localdate() - timedelta(days=1)
    while day.weekday() < 5:
        day -= timedelta(days=1)
    return day


def _answer(browser: Browser, live_server, user: User, choice: str, said: str) -> None:
    """The proposed peer worker answers on their own page, in their own browser."""
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, live_server, user)
        page.goto(f"{live_server.url}/service/proposed-to-me/")
        assert page.get_by_role("heading", name="Kari", level=2).is_visible()
        assert page.get_by_text("Finding a flat of my own").is_visible()
        assert_accessible(page)
        page.get_by_label(choice).check()
        with page.expect_navigation():
            page.get_by_role("button", name="Send your answer").click()
        assert said in page.get_by_role("status").inner_text()
        assert_accessible(page)
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_monday_morning_from_the_waiting_list_to_an_agreed_weekend(browser: Browser, page: Page, live_server):
    world, kari, peers = _world()
    amina, jon, eva = peers["Amina"], peers["Jon"], peers["Eva"]

    # The coordinator runs the whole-list suggestion and sends Kari offers of all three.
    sign_in(page, live_server, world.users[Role.COORDINATOR])
    page.goto(f"{live_server.url}/service/waiting-list/")
    assert page.get_by_role("heading", name="Offers for the whole waiting list", level=1).is_visible()
    offers = page.get_by_role("group", name="Peer workers to offer Kari")
    for peer in (amina, jon, eva):
        assert offers.get_by_role("checkbox", name=str(peer)).is_checked()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Send these offers to Kari").click()
    assert page.get_by_text("Offered to the person.").is_visible()
    kari.refresh_from_db()
    assert kari.status == Referral.Status.PROPOSED
    proposal = kari.proposals.get()
    assert sorted(proposal.candidates.values_list("peer_worker__first_name", flat=True)) == ["Amina", "Eva", "Jon"]

    # Each proposed peer worker answers first: Jon declines privately, Amina and Eva accept.
    _answer(
        browser, live_server, jon, "Not for me this time (no reason needed)", "sees only that you are not available"
    )
    _answer(browser, live_server, amina, "Yes, I can take this on", "The coordinator will ask the person")
    _answer(browser, live_server, eva, "Yes, I can take this on", "The coordinator will ask the person")
    assert ProposedCandidate.objects.get(proposal=proposal, peer_worker=jon).answer_note == ""

    # The coordinator sees Jon as "not available for this one", with no reason, and records Kari's choice.
    page.goto(f"{live_server.url}/service/referrals/{kari.pk}/")
    jon_card = page.locator("div.candidate", has_text=str(jon))
    assert jon_card.get_by_text("Not available for this one").is_visible()
    assert "“" not in jon_card.inner_text()  # no note quoted: he gave no reason
    assert page.get_by_text("Accepted", exact=True).count() == 2
    assert page.get_by_role("radio", name=str(jon)).count() == 0
    assert_accessible(page)
    started = timezone.localdate() - timedelta(days=14)
    page.get_by_role("radio", name=str(amina)).check()
    page.get_by_label("Start of the engagement").fill(started.isoformat())
    page.get_by_role("button", name="Record the person's decision").click()
    engagement = Engagement.objects.get(service_user=kari.service_user, closed_on__isnull=True)
    page.wait_for_url(f"{live_server.url}/service/engagements/{engagement.pk}/")
    assert engagement.peer_worker == amina and engagement.started_on == started
    assert page.get_by_text(str(amina)).first.is_visible()
    assert_accessible(page)

    # Past two years, with the person's and Amina's agreement and a reason.
    new_end = engagement.planned_end_on + timedelta(days=200)
    form = page.locator("form[action$='/extend/']")
    form.get_by_label("New planned end").fill(new_end.isoformat())
    form.get_by_label("Why the engagement goes on").fill("Wants support through moving into the new flat")
    form.get_by_label("The person agrees to go on").check()
    form.get_by_label("The peer worker agrees to go on").check()
    with page.expect_navigation():
        form.get_by_role("button", name="Save the new planned end").click()
    assert page.get_by_text("The new planned end is saved").is_visible()
    assert page.get_by_text("Wants support through moving into the new flat").is_visible()
    assert EngagementExtension.objects.get(engagement=engagement).new_end_on == new_end
    assert_accessible(page)

    # A weekday contact agreement is made with Kari; Amina, who works weekends, meets her on a Saturday or
    # Sunday (logged through the service, as her phone form does): outside what was agreed, a strain topic.
    agreement = page.locator("form[action$='/contact-agreement/']")
    agreement.get_by_label("Meeting").check()
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        agreement.get_by_label(day).check()
    agreement.get_by_label("From").fill("09:00")
    agreement.get_by_label("Until").fill("15:00")
    agreement.get_by_label("What happens out of hours").fill("Kari sends a message; Amina answers the next weekday.")
    agreement.get_by_label("In a crisis, whom the person calls instead").fill("The emergency ward")
    with page.expect_navigation():
        agreement.get_by_role("button", name="Save the contact agreement").click()
    assert page.get_by_text("The contact agreement is saved.").is_visible()
    assert_accessible(page)
    weekend = _recent_weekend_day()
    for at in (time(11, 0), time(13, 0)):
        services.contacts.add_contact(
            actor_for(amina, world.org),
            engagement_id=engagement.pk,
            date=weekend,
            start_time=at,
            duration_minutes=45,
            channel="outdoors",
            initiated_by="person",
        )
    topic = "fell outside what was agreed"  # the topic names Kari by her initials, never by a number
    page.goto(f"{live_server.url}/service/peer-workers/{amina.pk}/workload/")
    assert page.get_by_text(topic).is_visible()
    assert_accessible(page)

    # Kari and Amina agree on weekend contact: the topic goes.
    page.goto(f"{live_server.url}/service/engagements/{engagement.pk}/")
    page.get_by_text("Look at the agreement again with the person").click()
    agreement = page.locator("form[action$='/contact-agreement/']")
    agreement.get_by_label("Saturday").check()
    agreement.get_by_label("Sunday").check()
    with page.expect_navigation():
        agreement.get_by_role("button", name="Save the contact agreement").click()
    assert page.get_by_text("The contact agreement is saved.").is_visible()
    assert sorted(ContactAgreement.objects.get(engagement=engagement).days) == [0, 1, 2, 3, 4, 5, 6]
    page.goto(f"{live_server.url}/service/peer-workers/{amina.pk}/workload/")
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.get_by_text(topic).count() == 0
    assert_accessible(page)
