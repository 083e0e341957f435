"""Every main page has a fixed query budget, and its cost stays flat as data grows (1× against 10×)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peerwork.core.roles import Role
from peerwork.service import services
from peerwork.service.models import (
    Contact,
    Engagement,
    Goal,
    GoalRating,
    GuidanceParticipant,
    GuidanceSession,
    Referral,
    ServiceUser,
)

from .conftest import OFFICE, add_peer_worker, profile_of

BUDGETS = {
    "queue": 16,
    "dashboard": 28,  # the figure of reviews and endings due counts them all (one count query)
    "referral": 28,
    "engagement": 21,  # the goals' earlier wordings (one prefetch)
    "engagement_coordinator": 21,
    "engagement_earlier": 21,  # an earlier page of contacts costs what the first does
    "handover": 16,
    "caseload": 16,
    "workload": 24,
    "quick_add": 16,
    "home_coordinator": 23,
    "home_peer_worker": 30,
    "waiting_list": 21,
    "availability": 17,
    "who_looked": 15,
    "queue_filtered": 16,
    "queue_export": 14,
    "caseload_filtered": 16,
    "caseload_export": 14,
}


def populate(world, factor: int, pws):
    """Per peer worker, ``factor`` × (5 waiting referrals, 4 engagements with 6 contacts and a goal)."""
    today = timezone.localdate()
    people = ServiceUser.objects.bulk_create(
        [
            ServiceUser(organisation=world.org, chosen_name=f"S{factor}-{i}", languages=["nb"])
            for i in range(9 * factor * len(pws))
        ]
    )
    waiting = people[: 5 * factor * len(pws)]
    engaged = people[5 * factor * len(pws) :]
    Referral.objects.bulk_create(
        [
            Referral(
                organisation=world.org,
                service_user=p,
                source="self",
                received_on=today - timedelta(days=i % 90),
            )
            for i, p in enumerate(waiting)
        ]
    )
    engagements = Engagement.objects.bulk_create(
        [
            Engagement(
                organisation=world.org,
                service_user=p,
                peer_worker=pws[i % len(pws)],
                started_on=today - timedelta(days=100),
                planned_end_on=today + timedelta(days=600),
                next_review_on=today + timedelta(days=i % 20),
            )
            for i, p in enumerate(engaged)
        ]
    )
    contacts, goals = [], []
    for e in engagements:
        for k in range(6):
            contacts.append(
                Contact(
                    organisation=world.org,
                    engagement=e,
                    peer_worker_id=e.peer_worker_id,
                    date=today - timedelta(days=k),
                    start_time=time(8 + (e.pk % 12), 0),
                    duration_minutes=20,
                    channel="phone",
                    initiated_by="person",
                    outside_agreed_hours=k % 2 == 0,
                    note="n",
                    note_visibility="coordinator",
                )
            )
        goals.append(
            Goal(
                organisation=world.org,
                service_user_id=e.service_user_id,
                engagement=e,
                life_area="social",
                words="w",
                visibility="coordinator",
                created_by_id=e.peer_worker_id,
            )
        )
    # The measured engagement's history grows too: its page shows one page of contacts however long it is.
    busiest = Engagement.objects.filter(peer_worker=world.users[Role.PEER_WORKER]).order_by("id").first()
    contacts += [
        Contact(
            organisation=world.org,
            engagement=busiest,
            peer_worker_id=busiest.peer_worker_id,
            date=today - timedelta(days=7 + k),
            start_time=time(10, 0),
            duration_minutes=30,
            channel="meeting",
            initiated_by="peer_worker",
            note="earlier",
            note_visibility="coordinator",
        )
        for k in range(20 * factor)
    ]
    Contact.objects.bulk_create(contacts)
    Goal.objects.bulk_create(goals)
    GoalRating.objects.bulk_create(
        [
            GoalRating(organisation=world.org, goal=g, rated_on=today - timedelta(days=30 * k), rating=k)
            for g in goals
            for k in range(3)
        ]
    )
    held = [
        (
            pw,
            GuidanceSession(
                organisation=world.org,
                guide=world.users[Role.COORDINATOR],
                meets_on=today - timedelta(days=10 * k + 1),
                topics="t",
            ),
        )
        for pw in pws
        for k in range(factor)
    ]
    GuidanceSession.objects.bulk_create([s for _pw, s in held])
    GuidanceParticipant.objects.bulk_create(
        [GuidanceParticipant(organisation=world.org, session=s, peer_worker=pw) for pw, s in held]
    )
    services.plan_inputs_changed(world.org.pk)  # written past the services, as the demo and scale data are


def measure(world, pws):
    coordinator = world.client(Role.COORDINATOR)
    peer = world.client(Role.PEER_WORKER)
    referral = Referral.objects.filter(organisation=world.org, status="waiting").order_by("id").first()
    engagement = Engagement.objects.filter(peer_worker=world.users[Role.PEER_WORKER]).order_by("id").first()
    pages = {
        "queue": (coordinator, "/service/queue/"),
        "dashboard": (coordinator, "/service/dashboard/"),
        "referral": (coordinator, f"/service/referrals/{referral.pk}/"),
        "engagement": (peer, f"/service/engagements/{engagement.pk}/"),
        "engagement_coordinator": (coordinator, f"/service/engagements/{engagement.pk}/"),
        "engagement_earlier": (coordinator, f"/service/engagements/{engagement.pk}/?contacts=2"),
        "handover": (coordinator, f"/service/engagements/{engagement.pk}/handover/"),
        "caseload": (peer, "/service/caseload/"),
        "workload": (peer, "/service/workload/"),
        "quick_add": (peer, "/service/contact/"),
        "home_coordinator": (coordinator, "/"),
        "home_peer_worker": (peer, "/"),
        "waiting_list": (coordinator, "/service/waiting-list/"),
        "availability": (peer, "/service/availability/"),
        "who_looked": (peer, "/privacy/who-looked-at-my-work/"),
        "queue_filtered": (coordinator, "/service/queue/?q=S&status=waiting&source=self&sort=name&page=2"),
        "queue_export": (coordinator, "/service/queue/?status=waiting&sort=newest&format=csv"),
        "caseload_filtered": (peer, "/service/caseload/?q=S&closed=on&sort=contact"),
        "caseload_export": (peer, "/service/caseload/?sort=review&format=csv"),
    }
    counts = {}
    for name, (client, url) in pages.items():
        client.get(url)  # warm caches (sessions, content types)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(ctx)
    return counts


@pytest.fixture
def team(svc):
    profile_of(svc, svc.users[Role.PEER_WORKER], capacity=30, working_hours=OFFICE)
    add_peer_worker(svc, "qb-spare", capacity=30)  # no engagements: the waiting list offers someone at both sizes
    return [svc.users[Role.PEER_WORKER]] + [add_peer_worker(svc, f"qb-{i}", capacity=30) for i in range(3)]


def test_pages_cost_the_same_with_ten_times_the_data(svc, team):
    populate(svc, 1, team)
    small = measure(svc, team)
    populate(svc, 9, team)  # now 10× in all
    large = measure(svc, team)
    for name, budget in BUDGETS.items():
        assert small[name] <= budget, (name, small[name], small)
        assert large[name] == small[name], (name, small[name], large[name])
