from __future__ import annotations

import pytest

from peerwork.cocreation import services
from peerwork.core.roles import Role
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def manager(world):
    return world.actor(Role.MANAGER)


@pytest.fixture
def peer(world):
    return world.actor(Role.PEER_WORKER)


@pytest.fixture
def drop_in(world, manager):
    return services.create_initiative(
        manager,
        title="Evening drop-in for young adults",
        problem_statement="Young adults have nowhere to go after the day centre closes.",
        unit=world.team,
    )


def phase_of(initiative, kind):
    return initiative.phases.get(kind=kind)


def add_user(world, role, username):
    user = UserFactory(username=username)
    MembershipFactory(organisation=world.org, user=user, role=role, unit=world.team)
    return user


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Argon2 is right for production and slow for tests that create many people."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english():
    """Pages switch language for the thread; start every test in English so messages can be compared."""
    from django.utils import translation

    with translation.override("en"):
        yield
