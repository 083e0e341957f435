"""Monday morning in the peer recovery service, in a real browser: the coordinator opens the queue, opens a
referral, sees ranked peer workers with reasons, proposes two and records the person's choice; then the
peer worker, on a phone, logs a contact in a few taps. Every page passes axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from peerwork.core.roles import Role
from peerwork.service import services
from peerwork.service.models import Contact, Engagement, GoalRating, PeerWorkerProfile, Referral
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import actor_for, build_world
from tests.factories import MembershipFactory, PositionFactory, UserFactory

OFFICE = {str(d): [["09:00", "15:00"]] for d in range(5)}


@pytest.mark.django_db(transaction=True)
def test_monday_morning_from_referral_to_a_logged_contact(page, phone_page, live_server):
    world = build_world("Monday")
    ola = world.users[Role.PEER_WORKER]
    PeerWorkerProfile.objects.create(
        organisation=world.org,
        user=ola,
        capacity=5,
        working_hours=OFFICE,
        languages=["nb"],
        interests=["fishing"],
        experience_kinds=["substance_use"],
        districts=["nord"],
    )
    other = UserFactory(username="monday-pw2", first_name="Siri", last_name="Berg")
    MembershipFactory(organisation=world.org, user=other, role=Role.PEER_WORKER, unit=world.team)
    PositionFactory(organisation=world.org, unit=world.team, holder=other, reports_to=world.users[Role.COORDINATOR])
    PeerWorkerProfile.objects.create(organisation=world.org, user=other, capacity=4, languages=["nb", "en"])
    referral = services.referrals.create_referral(
        world.actor(Role.COORDINATOR),
        chosen_name="Kari",
        languages=["nb"],
        interests=["fishing"],
        district="nord",
        help_with="Finding something to do in the evenings",
        source="professional",
        received_on=timezone.localdate() - timedelta(days=12),
        wanted_experience=["substance_use"],
    )

    # The coordinator's queue.
    sign_in(page, live_server, world.users[Role.COORDINATOR])
    page.goto(f"{live_server.url}/service/queue/")
    assert page.get_by_role("heading", name="Referral queue", level=1).is_visible()
    assert page.get_by_text("12 days").is_visible()
    assert_accessible(page)

    # The referral: ranked peer workers with reasons in plain words.
    page.get_by_role("link", name="Kari").click()
    page.wait_for_url(f"{live_server.url}/service/referrals/{referral.pk}/")
    assert page.get_by_text("Shares lived experience of substance use").is_visible()
    assert page.get_by_text("Shared interests: fishing").is_visible()
    assert_accessible(page)
    page.get_by_label(str(ola), exact=False).check()
    page.get_by_label(str(other), exact=False).check()
    page.get_by_role("button", name="Propose to the person").click()
    page.wait_for_url(f"{live_server.url}/service/referrals/{referral.pk}/")
    assert page.get_by_text("Proposal saved").is_visible()
    assert_accessible(page)

    # Both peer workers accept (their own step, on their own page), then the person chose Ola.
    proposal = referral.proposals.get()
    for pw in (ola, other):
        services.proposals.answer(actor_for(pw, world.org), proposal_id=proposal.pk, answer="accepted")
    page.reload()
    assert page.get_by_text("Accepted", exact=True).count() == 2
    page.get_by_role("radio", name=str(ola)).check()
    page.get_by_role("button", name="Record the person's decision").click()
    engagement = Engagement.objects.get(service_user=referral.service_user)
    page.wait_for_url(f"{live_server.url}/service/engagements/{engagement.pk}/")
    assert engagement.peer_worker == ola
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.MATCHED
    assert_accessible(page)

    # Ola, on his phone after a walk: a few taps.
    phone_page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    sign_in(phone_page, live_server, ola)
    phone_page.goto(f"{live_server.url}/service/contact/")
    assert_accessible(phone_page)
    phone_page.get_by_text("Outdoors activity").click()
    phone_page.get_by_text("1 h", exact=True).click()
    phone_page.get_by_role("button", name="Save the contact").click()
    phone_page.get_by_text("Contact saved").first.wait_for()
    contact = Contact.objects.get(engagement=engagement)
    assert contact.channel == "outdoors" and contact.duration_minutes == 60
    assert_accessible(phone_page)


@pytest.mark.django_db(transaction=True)
def test_every_service_page_passes_axe(page, live_server):
    world = build_world("Axe")
    pw = world.users[Role.PEER_WORKER]
    PeerWorkerProfile.objects.create(organisation=world.org, user=pw, capacity=5, working_hours=OFFICE)
    coordinator = world.actor(Role.COORDINATOR)
    referral = services.referrals.create_referral(
        coordinator, chosen_name="Per", wishes=[{"kind": "gender", "value": "man", "firm": False}], source="self"
    )
    waiting = services.referrals.create_referral(coordinator, chosen_name="Liv", source="self")
    proposal = services.proposals.propose(coordinator, referral_id=referral.pk, peer_worker_ids=[pw.pk])
    services.proposals.answer(world.actor(Role.PEER_WORKER), proposal_id=proposal.pk, answer="accepted")
    engagement = services.proposals.record_choice(
        coordinator, proposal_id=proposal.pk, peer_worker_id=pw.pk, started_on=timezone.localdate() - timedelta(days=90)
    )
    actor = world.actor(Role.PEER_WORKER)
    goal = services.goals.add_goal(
        actor, engagement_id=engagement.pk, life_area="housing", words="A flat of my own", visibility="coordinator"
    )
    for weeks in (8, 4, 0):
        GoalRating.objects.create(
            organisation=world.org,
            goal=goal,
            rated_on=timezone.localdate() - timedelta(weeks=weeks),
            rating=3 + weeks // 2,
        )
    sign_in(page, live_server, world.users[Role.COORDINATOR])
    for path in (
        "/",
        "/service/dashboard/",
        "/service/waiting-list/",
        "/service/referrals/new/",
        f"/service/referrals/{waiting.pk}/",
        f"/service/engagements/{engagement.pk}/",
        f"/service/engagements/{engagement.pk}/close/",
        f"/service/engagements/{engagement.pk}/handover/",
        f"/service/peer-workers/{pw.pk}/caseload/",
        f"/service/peer-workers/{pw.pk}/workload/",
        f"/service/peer-workers/{pw.pk}/guidance/",
        f"/service/peer-workers/{pw.pk}/profile/",
        "/service/settings/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    # An error summary is accessible too.
    page.goto(f"{live_server.url}/service/referrals/new/")
    page.get_by_role("button", name="Put on the waiting list").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page)
