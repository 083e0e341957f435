"""Helpers for the peer recovery service tests: peer workers with profiles, referrals, engagements."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from peerwork.accounts.models import User
from peerwork.core.roles import Role
from peerwork.service import services
from peerwork.service.models import Engagement, GuidanceRelationship, PeerWorkerProfile, Referral
from tests.conftest import World, actor_for
from tests.factories import MembershipFactory, PositionFactory, UserFactory

OFFICE = {str(d): [["08:00", "16:00"]] for d in range(5)}


def add_peer_worker(
    world: World,
    username: str,
    *,
    reports_to: User | None = None,
    guided_by: User | None = None,
    **profile: Any,
) -> User:
    user = UserFactory(username=username)
    MembershipFactory(organisation=world.org, user=user, role=Role.PEER_WORKER, unit=world.team)
    PositionFactory(organisation=world.org, unit=world.team, holder=user, reports_to=reports_to)
    if guided_by is not None:
        GuidanceRelationship.objects.create(
            organisation=world.org,
            peer_worker=user,
            guide=guided_by,
            starts_on=timezone.localdate() - timedelta(days=365),
        )
    values = {"capacity": 5, "working_hours": OFFICE, "languages": ["nb"]}
    values.update(profile)
    PeerWorkerProfile.objects.update_or_create(organisation=world.org, user=user, defaults=values)
    return user


def profile_of(world: World, user: User, **values: Any) -> PeerWorkerProfile:
    found, _ = PeerWorkerProfile.objects.update_or_create(organisation=world.org, user=user, defaults=values)
    return found


def new_referral(world: World, name: str = "Kari", **person: Any) -> Referral:
    data = {"chosen_name": name, "birth_year": 1988, "languages": ["nb"], "help_with": "Finding a flat"}
    data.update(person)
    return services.referrals.create_referral(
        world.actor(Role.COORDINATOR),
        **data,
        source=Referral.Source.PROFESSIONAL,
        received_on=timezone.localdate() - timedelta(days=10),
    )


def accept(world: World, proposal: Any, *peer_workers: User) -> None:
    """Each of the peer workers accepts the proposal (their own step before the person chooses)."""
    for user in peer_workers:
        services.proposals.answer(actor_for(user, world.org), proposal_id=proposal.pk, answer="accepted")


def engage(world: World, referral: Referral, peer_worker: User, started_on: date | None = None) -> Engagement:
    coordinator = world.actor(Role.COORDINATOR)
    proposal = services.proposals.propose(coordinator, referral_id=referral.pk, peer_worker_ids=[peer_worker.pk])
    accept(world, proposal, peer_worker)
    return services.proposals.record_choice(
        coordinator,
        proposal_id=proposal.pk,
        peer_worker_id=peer_worker.pk,
        started_on=started_on or timezone.localdate() - timedelta(days=60),
    )


def contact_values(day: date | None = None, start: time | None = None, minutes: int = 30, **kw: Any) -> dict[str, Any]:
    now = timezone.localtime() - timedelta(hours=2)
    values = {
        "date": day or now.date(),
        "start_time": start or time(now.hour, 0),
        "duration_minutes": minutes,
        "channel": "phone",
        "initiated_by": "person",
        "note": "",
        "note_visibility": "private",
    }
    values.update(kw)
    return values


@pytest.fixture
def svc(world: World) -> World:
    """The world with its peer worker given a profile with office hours."""
    profile_of(world, world.users[Role.PEER_WORKER], capacity=5, working_hours=OFFICE, languages=["nb"])
    return world


def aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


__all__ = ["actor_for", "add_peer_worker", "contact_values", "engage", "new_referral", "profile_of"]
