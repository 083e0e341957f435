"""The demo world: generated people only, nothing real.

* A Norwegian municipal peer recovery service run together with a user organisation: two programme
  coordinators, a senior peer worker, eight peer workers in a peer team, a manager, a professional,
  a data protection officer and an administrator.
* A Danish region with FACT teams, each with one new peer worker and a peer mentor, and a recovery team (a
  coordinator and four experienced peer workers) that runs the region's peer recovery service.

``seed_demo()`` is idempotent: running it again changes nothing. Other parts of Peerwork add their own
demo data through the ``demo_data`` hook (called with the organisations after the people exist).
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from peerwork.accounts.models import Membership, User
from peerwork.audit import trail
from peerwork.core import hooks
from peerwork.core.roles import Role
from peerwork.organisations.models import Organisation, Position, Unit

DEMO_PASSWORD = "peerwork-demo-2026"  # noqa: S105  (demo only; printed in the terminal)
NO_SLUG = "demo-no-peer-recovery"
DK_SLUG = "demo-dk-region"


@dataclass
class DemoLogin:
    username: str
    role: str
    organisation: str


def _demo_password_hash() -> str:
    """The demo password, hashed once and shared by every demo account: Argon2 is slow by design, and the demo
    world has dozens of people who all sign in with the same printed password."""
    return _hash_with(tuple(settings.PASSWORD_HASHERS))


@functools.cache
def _hash_with(hashers: tuple[str, ...]) -> str:
    return make_password(DEMO_PASSWORD)


def _user(username: str, fake: Faker, *, first: str | None = None, last: str | None = None) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            first_name=first or fake.first_name(),
            last_name=last or fake.last_name(),
            email=f"{username}@demo.invalid",
            is_demo=True,
        )
        user.password = _demo_password_hash()
        user.save()
        TOTPDevice.objects.create(user=user, name="demo authenticator", confirmed=True)
    return user


def _member(org: Organisation, user: User, role: str, unit: Unit | None = None) -> None:
    Membership.objects.get_or_create(organisation=org, user=user, role=role, defaults={"unit": unit})


@transaction.atomic
def seed_demo(today: date | None = None) -> list[DemoLogin]:
    today = today or date.today()
    if Organisation.objects.filter(slug=NO_SLUG).exists():
        return demo_logins()
    rng = random.Random(2026)
    fake_no = Faker("no_NO")
    fake_no.seed_instance(2026)
    fake_dk = Faker("da_DK")
    fake_dk.seed_instance(2026)

    # --- Norway ------------------------------------------------------------------------------------------
    no = Organisation.objects.create(
        name="Fjordby kommune – Recoveryteamet",
        slug=NO_SLUG,
        kind=Organisation.Kind.MUNICIPAL,
        country="NO",
        language="nb",
    )
    trail.open_lanes(no.pk)
    peer_team = Unit.objects.create(
        organisation=no, name="Recoveryteamet (likepersoner)", kind=Unit.Kind.PEER_TEAM, district="Sentrum"
    )
    user_org = Unit.objects.create(
        organisation=no,
        name="Brukerorganisasjonen – likepersonprogram",
        kind=Unit.Kind.USER_ORG_PROGRAMME,
        district="Fjordby",
    )
    outreach = Unit.objects.create(
        organisation=no, name="Oppsøkende team Nord", kind=Unit.Kind.OUTREACH, district="Nord"
    )

    coordinator = _user("coordinator", fake_no)
    coordinator2 = _user("coordinator2", fake_no)
    senior = _user("senior", fake_no)
    manager = _user("manager", fake_no)
    professional = _user("professional", fake_no)
    dpo = _user("dpo", fake_no)
    admin = _user("admin", fake_no)
    _member(no, coordinator, Role.COORDINATOR, peer_team)
    _member(no, coordinator2, Role.COORDINATOR, peer_team)
    _member(no, senior, Role.SENIOR_PEER_WORKER, peer_team)
    _member(no, manager, Role.MANAGER)
    _member(no, professional, Role.PROFESSIONAL, outreach)
    _member(no, dpo, Role.DPO)
    _member(no, admin, Role.ADMINISTRATOR)

    for i in range(8):
        username = "peerworker" if i == 0 else f"peerworker{i + 1}"
        pw = _user(username, fake_no, first="Ola" if i == 0 else None)
        unit = peer_team if i < 6 else (user_org if i == 6 else outreach)
        _member(no, pw, Role.PEER_WORKER, unit)
        started = today - timedelta(days=rng.randint(120, 1400))
        Position.objects.create(
            organisation=no,
            title="Erfaringskonsulent" if unit is not user_org else "Likeperson",
            unit=unit,
            holder=pw,
            role_form=Position.RoleForm.PEER_TEAM if unit is not outreach else Position.RoleForm.CARE_PROVIDER,
            hours_per_week=Decimal(rng.choice([20, 30, 37.5])),
            reports_to=coordinator if i % 2 == 0 else coordinator2,
            start_date=started,
            peer_work_experience_since=started - timedelta(days=rng.randint(0, 900)),
        )

    # --- Denmark -----------------------------------------------------------------------------------------
    dk = Organisation.objects.create(
        name="Region Østjylland – Psykiatrien",
        slug=DK_SLUG,
        kind=Organisation.Kind.HOSPITAL,
        country="DK",
        language="da",
    )
    trail.open_lanes(dk.pk)
    dk_manager = _user("dk-manager", fake_dk)
    dk_dpo = _user("dk-dpo", fake_dk)
    dk_admin = _user("dk-admin", fake_dk)
    _member(dk, dk_manager, Role.MANAGER)
    _member(dk, dk_dpo, Role.DPO)
    _member(dk, dk_admin, Role.ADMINISTRATOR)
    towns = ["Aarhus Nord", "Aarhus Syd", "Randers", "Horsens", "Silkeborg", "Viborg", "Skive", "Skanderborg"]
    for i, town in enumerate(towns):
        team = Unit.objects.create(organisation=dk, name=f"FACT-team {town}", kind=Unit.Kind.FACT, district=town)
        mentor = _user(f"dk-mentor{i + 1}", fake_dk)
        _member(dk, mentor, Role.SENIOR_PEER_WORKER, team)
        newcomer = _user(f"dk-peerworker{i + 1}", fake_dk)
        _member(dk, newcomer, Role.PEER_WORKER, team)
        prof = _user(f"dk-professional{i + 1}" if i else "dk-professional", fake_dk)
        _member(dk, prof, Role.PROFESSIONAL, team)
        start = today + timedelta(days=rng.randint(-60, 45))
        Position.objects.create(
            organisation=dk,
            title="Peer-medarbejder",
            unit=team,
            holder=newcomer,
            role_form=Position.RoleForm.CARE_PROVIDER,
            hours_per_week=Decimal(20),
            reports_to=mentor,
            start_date=start,
            peer_work_experience_since=start,
        )

    # The region's peer recovery team: a coordinator and four peer workers who have done this work for years
    # (the service part gives them people, proposals and engagements). They hold no FACT-team position, so
    # the readiness checks of the new FACT-team peer workers are the same with or without them.
    recovery = Unit.objects.create(
        organisation=dk, name="Recoveryteamet Østjylland", kind=Unit.Kind.PEER_TEAM, district="Aarhus"
    )
    dk_coordinator = _user("dk-coordinator", fake_dk, first="Mette", last="Kjær")
    _member(dk, dk_coordinator, Role.COORDINATOR, recovery)
    for i in range(4):
        _member(dk, _user(f"dk-recovery{i + 1}", fake_dk), Role.PEER_WORKER, recovery)

    for extend in hooks.get(hooks.DEMO_DATA):
        extend(no, dk, rng)
    return demo_logins()


def demo_logins() -> list[DemoLogin]:
    wanted = [
        ("coordinator", Role.COORDINATOR),
        ("peerworker", Role.PEER_WORKER),
        ("senior", Role.SENIOR_PEER_WORKER),
        ("manager", Role.MANAGER),
        ("professional", Role.PROFESSIONAL),
        ("dpo", Role.DPO),
        ("admin", Role.ADMINISTRATOR),
        ("dk-coordinator", Role.COORDINATOR),
        ("dk-manager", Role.MANAGER),
        ("dk-peerworker1", Role.PEER_WORKER),
        ("dk-recovery1", Role.PEER_WORKER),
        ("dk-mentor1", Role.SENIOR_PEER_WORKER),
        ("dk-professional", Role.PROFESSIONAL),
    ]
    out = []
    for username, role in wanted:
        m = Membership.objects.filter(user__username=username, role=role).select_related("organisation").first()
        if m:
            out.append(DemoLogin(username, str(Role(role).label), m.organisation.name))
    return out
