"""Generated test data: nothing real."""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from peerwork.accounts.models import Membership, User
from peerwork.audit import trail
from peerwork.core.roles import Role
from peerwork.organisations.models import Organisation, Position, Unit

PASSWORD = "a-long-test-password-1"


def password_hash() -> str:
    """Argon2 is slow by design; hash the test password once per hasher setting and share it."""
    return _hash_with(tuple(settings.PASSWORD_HASHERS))


@functools.cache
def _hash_with(hashers: tuple[str, ...]) -> str:
    return make_password(PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = Organisation.Kind.MUNICIPAL
    country = "NO"

    @factory.post_generation
    def audit_chain(obj: Organisation, create: bool, extracted: object, **kwargs: object) -> None:
        """An organisation set up in Peerwork opens its audit lanes, so page budgets measure pages alone."""
        if create:
            trail.open_lanes(obj.pk)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    kind = Unit.Kind.PEER_TEAM


# Names the tests give the people supported ("Kari Nordmann", "Anna", ...); no generated staff member's name contains
# one ("Karin" and "Annabel" neither), so a page searched for a person's name finds that person, never the acting
# user's own name in the header.
NAMES_OF_PEOPLE_SUPPORTED = frozenset({"Kari", "Nordmann", "Anna", "Solveig", "Stormoen", "Per", "Liv", "Astrid"})
_staff_names = Faker("no_NO")


def _staff_name(draw: Callable[[], str]) -> str:
    name = draw()
    while any(taken.casefold() in name.casefold() for taken in NAMES_OF_PEOPLE_SUPPORTED):
        name = draw()
    return name


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyFunction(lambda: _staff_name(_staff_names.first_name))
    last_name = factory.LazyFunction(lambda: _staff_name(_staff_names.last_name))
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.LazyFunction(password_hash)

    @factory.post_generation
    def totp(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted is not False:
            TOTPDevice.objects.create(user=self, name="test", confirmed=True)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.PEER_WORKER
    unit = None


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    organisation = factory.SubFactory(OrganisationFactory)
    unit = factory.SubFactory(UnitFactory, organisation=factory.SelfAttribute("..organisation"))
    title = "Peer worker"
    holder = factory.SubFactory(UserFactory)
    role_form = Position.RoleForm.PEER_TEAM
    hours_per_week = Decimal(20)
