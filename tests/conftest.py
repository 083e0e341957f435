from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm
from django.test import Client
from django.utils import timezone, translation
from django_otp import DEVICE_ID_SESSION_KEY

from peerwork.accounts.models import Membership, User
from peerwork.audit import guards
from peerwork.core.actor import Actor
from peerwork.core.roles import Role
from peerwork.organisations.models import Organisation, Position, Unit
from peerwork.service.models import GuidanceRelationship

from .factories import MembershipFactory, OrganisationFactory, PositionFactory, UnitFactory, UserFactory

_deselected_postgresql: list[str] = []

PRODUCTION_ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"


def pytest_configure(config: pytest.Config) -> None:
    """Sign-ins and demo accounts hash with Argon2 at a test cost (``tests/hashers.py``), in place of the
    production setting, so no two hashers share the algorithm's name."""
    settings.PASSWORD_HASHERS = [
        "tests.hashers.LightArgon2PasswordHasher" if name == PRODUCTION_ARGON2 else name
        for name in settings.PASSWORD_HASHERS
    ]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgresql`` check what only PostgreSQL has (its query plans); on the embedded SQLite
    database they are deselected, and the summary says so. CI runs them: it sets ``PEERWORK_DATABASE_URL``."""
    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    marked = [item for item in items if item.get_closest_marker("postgresql")]
    if marked:
        _deselected_postgresql.extend(item.nodeid for item in marked)
        config.hook.pytest_deselected(items=marked)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql")]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _deselected_postgresql:
        terminalreporter.write_line(
            f"{len(_deselected_postgresql)} PostgreSQL test(s) deselected: the database is SQLite "
            "(set PEERWORK_DATABASE_URL to run them)"
        )


def verified_client(user: User) -> Client:
    """A client signed in with password and two-factor, as after the real sign-in flow."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get(confirmed=True).persistent_id
    session.save()
    return client


def actor_for(user: User, organisation: Organisation, via: str = "test") -> Actor:
    memberships = list(Membership.objects.filter(user=user).select_related("organisation"))
    actor = Actor.from_memberships(user, memberships, organisation.pk, via=via)
    assert actor is not None
    return actor


@dataclass
class World:
    """One organisation with a person in every role, a team, and positions; used across tests."""

    org: Organisation
    team: Unit
    other_team: Unit
    users: dict[str, User]
    positions: list[Position]

    def actor(self, role: str) -> Actor:
        return actor_for(self.users[role], self.org)

    def client(self, role: str) -> Client:
        return verified_client(self.users[role])


def build_world(name: str = "Alpha") -> World:
    org = OrganisationFactory(name=f"{name} service", slug=f"{name.lower()}-service")
    team = UnitFactory(organisation=org, name=f"{name} peer team")
    other_team = UnitFactory(organisation=org, name=f"{name} FACT team", kind=Unit.Kind.FACT)
    users: dict[str, User] = {}
    for role in Role.values:
        user = UserFactory(username=f"{name.lower()}-{role}")
        unit = (
            team if role in (Role.PEER_WORKER, Role.PROFESSIONAL, Role.COORDINATOR, Role.SENIOR_PEER_WORKER) else None
        )
        MembershipFactory(organisation=org, user=user, role=role, unit=unit)
        users[role] = user
    positions = [
        PositionFactory(
            organisation=org, unit=team, holder=users[Role.PEER_WORKER], reports_to=users[Role.COORDINATOR]
        ),
        PositionFactory(organisation=org, unit=other_team, holder=None),
    ]
    # The coordinator guides the peer worker: named explicitly, as a coordinator does (the reporting line
    # above does not make anyone a guide).
    GuidanceRelationship.objects.create(
        organisation=org,
        peer_worker=users[Role.PEER_WORKER],
        guide=users[Role.COORDINATOR],
        starts_on=timezone.localdate() - timedelta(days=365),
    )
    return World(org, team, other_team, users, positions)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in Peerwork's default language: a request as a person whose account keeps Norwegian or
    Danish activates that language in the thread, which must not carry over into the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _audit_guards_lifted_for_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test on a real transaction ends by emptying every table, which the audit trail's triggers refuse by
    design. For such tests the triggers are lifted just before that flush; the flush's post_migrate signal
    puts them back (``peerwork.audit.apps``). Asking for the database here makes it outlive this fixture, so
    this teardown runs before the flush."""
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or _marked_transactional(request)
    if transactional:
        request.getfixturevalue("transactional_db")
    yield
    if transactional:
        from django.db import connection

        guards.remove(connection)


def _marked_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


@pytest.fixture(autouse=True)
def _fresh_cache(request: pytest.FixtureRequest) -> None:
    """Rate-limit counters live in the cache (a database table); each test with a database starts without
    anyone else's. Tests without database access cannot reach the cache and need no clearing."""
    names = set(request.fixturenames)
    if "transactional_db" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _audit_entries_hold_no_personal_values(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every audit entry any test writes holds only who acted, ids, codes and counts (``audit/shapes.py``),
    never a personal value: checked at the end of every test that uses the database, with one query. Tests
    that write entries behind the application's back, to show that ``verify`` catches it, are marked
    ``audit_tampering``."""
    names = set(request.fixturenames)
    uses_db = bool({"db", "transactional_db", "live_server"} & names) or request.node.get_closest_marker("django_db")
    if not uses_db or request.node.get_closest_marker("audit_tampering"):
        yield
        return
    # Asking for the database here makes it outlive this fixture, so the check runs before the rollback.
    transactional = {"transactional_db", "live_server"} & names or _marked_transactional(request)
    request.getfixturevalue("transactional_db" if transactional else "db")
    yield
    from peerwork.audit import shapes
    from peerwork.audit.models import AuditEntry

    rows = AuditEntry.objects.values(
        "id",
        "actor_label",
        "actor__username",
        "role",
        "action",
        "object_type",
        "object_id",
        "subject_type",
        "subject_id",
        "via",
        "detail",
    )
    wrong = [(row, shapes.problems(row)) for row in rows]
    wrong = [(row, fields) for row, fields in wrong if fields]
    assert not wrong, "audit entries holding something other than ids, codes and counts:\n" + "\n".join(
        f"{', '.join(fields)}: {row}" for row, fields in wrong
    )


@pytest.fixture
def world(db: None) -> World:
    return build_world("Alpha")


@pytest.fixture
def other_world(db: None) -> World:
    return build_world("Beta")


@pytest.fixture
def make_world(db: None) -> Callable[[str], World]:
    return build_world


@pytest.fixture
def worker_alive(db: None, settings: Any) -> None:
    """A background worker has just said it is alive, so /health/ready/ answers 200 for the whole test: a walk of
    every route takes minutes on a busy machine, and the one heartbeat must not go stale before it ends."""
    from peerwork.core import jobs

    jobs.heartbeat("test-worker")
    settings.PEERWORK_WORKER_STALE_SECONDS = 3600
