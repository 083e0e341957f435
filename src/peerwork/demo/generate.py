"""Scale data for benchmarks: organisations, teams, people, positions, and (through the ``scale_data`` hook) everything
the other parts of Peerwork hold (the service's year of work, consents, readiness rounds, co-creation, pulse
surveys), then a year of audit trail (``audit_year``) and ANALYZE, with bulk inserts in batches and bulk loads
(COPY on PostgreSQL) for the largest tables.

Generated people only. One password hash is computed once and shared by every generated account, and no
account gets a two-step device: these accounts are for measuring, not for signing in.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from faker import Faker

from peerwork.accounts.models import Membership, User
from peerwork.audit import trail
from peerwork.core import bulkload, hooks
from peerwork.core.roles import Role
from peerwork.organisations.models import Organisation, Position, Unit

from . import audit_year

BATCH = 5000

SCALES: dict[str, dict[str, int]] = {
    "small": {"organisations": 3, "peer_workers": 60, "service_users": 1000, "contacts": 10_000},
    "medium": {"organisations": 10, "peer_workers": 400, "service_users": 10_000, "contacts": 200_000},
    "national": {"organisations": 50, "peer_workers": 2000, "service_users": 100_000, "contacts": 2_000_000},
}


@dataclass
class Generated:
    organisations: list[Organisation]
    units_by_org: dict[int, list[Unit]]
    peer_workers_by_org: dict[int, list[User]]
    coordinators_by_org: dict[int, list[User]]
    managers_by_org: dict[int, list[User]]
    service_users: int
    contacts: int
    rng: random.Random
    timings: dict[str, float] = field(default_factory=dict)
    audit_entries: int = 0


def _spread(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def generate(
    *,
    organisations: int,
    peer_workers: int,
    service_users: int,
    contacts: int,
    seed: int = 7,
    today: date | None = None,
    audit: bool = True,
) -> Generated:
    """Fill the database with generated organisations and, through the ``scale_data`` hook, everything each
    part of Peerwork holds; then a year of audit trail (``audit=False`` leaves it out) and ANALYZE.
    ``timings`` says how long each step took."""
    rng = random.Random(seed)
    fake = Faker(["no_NO", "da_DK"])
    fake.seed_instance(seed)
    today = today or date.today()
    started = time.perf_counter()
    password = make_password("generated-accounts-cannot-sign-in")  # one hash for all
    run = f"g{seed}-{int(time.time())}"

    with transaction.atomic():
        orgs = Organisation.objects.bulk_create(
            Organisation(
                name=f"{fake.city()} peer service {i + 1}",
                slug=f"{run}-org-{i + 1}",
                kind=rng.choice(Organisation.Kind.values),
                country=rng.choice(["NO", "DK"]),
            )
            for i in range(organisations)
        )
        for o in orgs:
            trail.open_lanes(o.pk)
        units = Unit.objects.bulk_create(
            Unit(organisation=o, name=f"Team {j + 1}", kind=rng.choice(Unit.Kind.values), district=fake.city())
            for o in orgs
            for j in range(rng.randint(4, 10))
        )
        units_by_org: dict[int, list[Unit]] = {}
        for u in units:
            units_by_org.setdefault(u.organisation_id, []).append(u)

        people: list[tuple[Organisation, str, User]] = []
        per_org = _spread(peer_workers, organisations)
        for o, n_pw in zip(orgs, per_org, strict=True):
            roles = (
                [Role.PEER_WORKER] * n_pw
                + [Role.COORDINATOR] * max(1, n_pw // 12)
                + [Role.MANAGER, Role.DPO, Role.PROFESSIONAL]
            )
            for k, role in enumerate(roles):
                user = User(
                    username=f"{o.slug}-{role}-{k}",
                    first_name=fake.first_name(),
                    last_name=fake.last_name(),
                    password=password,
                    email="",
                )
                people.append((o, role, user))
        User.objects.bulk_create([p[2] for p in people], batch_size=BATCH)
        # bulk_create sets pks on PostgreSQL and SQLite ≥ 3.35; fetch them for older SQLite just in case
        if people and people[0][2].pk is None:
            by_name = dict(
                User.objects.filter(username__in=[p[2].username for p in people]).values_list("username", "pk")
            )
            for _o, _r, u in people:
                u.pk = by_name[u.username]

        by_role: dict[tuple[int, str], list[User]] = {}
        memberships = []
        for o, held, user in people:
            unit = (
                rng.choice(units_by_org[o.pk])
                if held in (Role.PEER_WORKER, Role.COORDINATOR, Role.PROFESSIONAL)
                else None
            )
            memberships.append(Membership(organisation=o, user=user, role=held, unit=unit))
            by_role.setdefault((o.pk, held), []).append(user)
        Membership.objects.bulk_create(memberships, batch_size=BATCH)

        positions = []
        for m in memberships:
            if m.role == Role.PEER_WORKER:
                start = today - timedelta(days=rng.randint(0, 2000))
                positions.append(
                    Position(
                        organisation_id=m.organisation_id,
                        unit=m.unit,
                        holder=m.user,
                        title="Peer worker",
                        role_form=rng.choice(Position.RoleForm.values),
                        hours_per_week=Decimal(rng.choice([15, 20, 30, 37.5])),
                        reports_to=rng.choice(by_role[(m.organisation_id, Role.COORDINATOR)]),
                        start_date=start,
                        peer_work_experience_since=start - timedelta(days=rng.randint(0, 1000)),
                    )
                )
        Position.objects.bulk_create(positions, batch_size=BATCH)

    result = Generated(
        organisations=orgs,
        units_by_org=units_by_org,
        peer_workers_by_org={o.pk: by_role.get((o.pk, Role.PEER_WORKER), []) for o in orgs},
        coordinators_by_org={o.pk: by_role.get((o.pk, Role.COORDINATOR), []) for o in orgs},
        managers_by_org={o.pk: by_role.get((o.pk, Role.MANAGER), []) for o in orgs},
        service_users=service_users,
        contacts=contacts,
        rng=rng,
    )
    result.timings["organisations, people, positions"] = time.perf_counter() - started
    for extend in hooks.get(hooks.SCALE_DATA):
        t = time.perf_counter()
        extend(result)
        result.timings[extend.__module__] = time.perf_counter() - t
    if audit:
        # Last: the trail of a year's work reads what every part wrote.
        t = time.perf_counter()
        result.audit_entries = audit_year.write_year([o.pk for o in orgs], rng, today)
        result.timings[f"audit trail ({result.audit_entries:,} entries)"] = time.perf_counter() - t
    t = time.perf_counter()
    bulkload.analyze()
    result.timings["ANALYZE"] = time.perf_counter() - t
    result.timings["total"] = time.perf_counter() - started
    return result
