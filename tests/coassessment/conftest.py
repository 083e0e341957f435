from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from peerwork.coassessment import services
from peerwork.coassessment.models import CoAssessment
from peerwork.core.roles import Role
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def add_user(world, role, username):
    user = UserFactory(username=username)
    MembershipFactory(organisation=world.org, user=user, role=role, unit=world.team)
    return user


def plan(actor, **kw):
    values = {
        "title": "Peer workers' experience of guidance",
        "question": "How do peer workers experience the guidance they get?",
        "method": CoAssessment.Method.CONDENSATION,
        "retention_until": timezone.localdate() + timedelta(days=365),
        "phase": None,
        "gap": None,
    }
    values.update(kw)
    return services.create_coassessment(actor, **values)


def staff(world, n, role=Role.PEER_WORKER, prefix="pw"):
    return [add_user(world, role, f"{world.org.slug}-{prefix}{i}") for i in range(n)]


def ready_for_material(world, ca, *, group_size=4, prefix="pw"):
    """A co-assessment taken through planning and review to collecting, with one group of ``group_size``."""
    manager = world.actor(Role.MANAGER)
    services.add_team_member(
        manager,
        ca,
        person=world.users[Role.PEER_WORKER],
        role="co_researcher",
        is_peer_co_researcher=True,
        hours_per_month=8,
    )
    group = services.add_group(manager, ca, name="Peer workers", kind="peer_workers")
    people = staff(world, group_size, prefix=prefix)
    participants = [
        services.add_participant(
            manager,
            ca,
            group=group,
            pseudonym=f"P{i + 1}",
            staff_member=u,
            given_on=timezone.localdate(),
            how_given="written",
        )
        for i, u in enumerate(people)
    ]
    services.advance(manager, ca)
    services.approve_ethics(world.actor(Role.DPO), ca, note="Consent forms and name key checked.")
    services.advance(manager, ca)
    ca.refresh_from_db()
    return group, participants


def start_analysis(world, ca):
    for m in ca.team.select_related("person"):
        from tests.conftest import actor_for

        services.write_reflexivity_note(actor_for(m.person, world.org), ca, text="I bring my own years of guidance.")
    services.advance(world.actor(Role.MANAGER), ca)
    ca.refresh_from_db()
