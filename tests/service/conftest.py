"""Helpers for the peer recovery service tests: peer workers with profiles, referrals, engagements."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from peerwork.accounts.models import User
from peerwork.core.roles import Role
from peerwork.service import matching_adapter, services
from peerwork.service.models import Engagement, GuidanceRelationship, MatchingSettings, PeerWorkerProfile, Referral
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
    services.plan_inputs_changed(world.org.pk)  # written past the services, as the demo and scale data are
    return user


def profile_of(world: World, user: User, **values: Any) -> PeerWorkerProfile:
    found, _ = PeerWorkerProfile.objects.update_or_create(organisation=world.org, user=user, defaults=values)
    services.plan_inputs_changed(world.org.pk)  # written past the services, as the demo and scale data are
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


@pytest.fixture(autouse=True)
def _remembered_plans_hold(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each test with a database: a waiting-list plan still remembered under its organisation's current
    plan stamp must be the plan the inputs give now. A service that changed an input without a new stamp
    (``services.plan_inputs_changed``) leaves a stale plan behind, and the test that ran it fails here."""
    names = set(request.fixturenames)
    if not ({"db", "transactional_db"} & names or request.node.get_closest_marker("django_db")):
        yield
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in names else "db")  # outlives this one
    matching_adapter.forget_plans()
    yield
    remembered = list(matching_adapter._PLANS.items())
    matching_adapter.forget_plans()
    if connection.needs_rollback:  # the test ended inside a failed transaction: nothing can be read
        return
    for (organisation_id, version, day), planned in remembered:
        settings = MatchingSettings.objects.filter(organisation_id=organisation_id).first()
        if settings is None or settings.plan_version != version:
            continue  # planned afresh at the next opening
        fresh, _referrals, _users = matching_adapter._plan_whole_list(organisation_id, settings, day)
        assert fresh == planned, "an input of the waiting list's plan changed without services.plan_inputs_changed"


def aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


__all__ = ["actor_for", "add_peer_worker", "contact_values", "engage", "new_referral", "profile_of"]
