from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core import listing
from peerwork.core.actor import Actor
from peerwork.core.listing import ListForm
from peerwork.core.roles import Role
from peerwork.organisations.models import Organisation, Unit

from . import oidc
from .models import ApiToken, Membership, OidcIdentity, User

PEOPLE_PAGE = 50


def _people(actor: Actor) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation_id=actor.organisation_id)
        .select_related("user", "unit")
        .order_by("user__last_name", "user__first_name", "role")
    )


def people_page(actor: Actor, form: ListForm, number: Any) -> Page[Membership]:
    """One page of the people list as searched, filtered and ordered; recorded as the list is."""
    actor.require(Role.ADMINISTRATOR, Role.MANAGER)
    page = listing.paginate(form.apply(_people(actor)), number, PEOPLE_PAGE)
    page.object_list = list(page.object_list)
    record(actor, Action.READ, object_type="accounts.membership", detail=Detail("shown", page="list"))
    return page


def people_export(actor: Actor, form: ListForm) -> list[Membership]:
    """The whole people list as searched, filtered and ordered, for a spreadsheet; recorded as the list is."""
    actor.require(Role.ADMINISTRATOR, Role.MANAGER)
    found = list(form.apply(_people(actor))[: listing.EXPORT_LIMIT])
    record(
        actor,
        Action.READ,
        object_type="accounts.membership",
        detail=Detail("downloaded", page="list", format=form.export_kind),
    )
    return found


def my_tokens(actor: Actor) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor.user, organisation_id=actor.organisation_id)


def role_counts(actor: Actor) -> list[dict[str, object]]:
    """How many people hold each role in the actor's organisation (the administrator's home page)."""
    actor.require(Role.ADMINISTRATOR)
    rows = (
        Membership.objects.filter(organisation_id=actor.organisation_id)
        .values("role")
        .annotate(n=Count("id"))
        .order_by("role")
    )
    labels = dict(Role.choices)
    return [{"role": labels[r["role"]], "n": r["n"]} for r in rows]


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator device, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@dataclass(frozen=True)
class SignInButton:
    provider_id: str
    label: str


def sign_in_buttons(organisation_id: int | None = None) -> list[SignInButton]:
    """The "Sign in with <organisation>" buttons: every configured provider whose organisation exists (only
    that organisation's when ``organisation_id`` is given), named by its label or the organisation's name."""
    configured = oidc.providers()
    if not configured:
        return []
    names = Organisation.objects.filter(slug__in={p.organisation for p in configured})
    if organisation_id is not None:
        names = names.filter(pk=organisation_id)
    by_slug = dict(names.values_list("slug", "name"))
    return [SignInButton(p.id, p.label or by_slug[p.organisation]) for p in configured if p.organisation in by_slug]


@dataclass(frozen=True)
class PersonView:
    user: User
    memberships: list[Membership]
    identities: list[OidcIdentity]
    has_authenticator: bool
    recovery_codes_left: int | None
    elsewhere: bool


def person(actor: Actor, user_id: int) -> PersonView:
    """One person with a role in the actor's organisation, for the administrator; not found otherwise."""
    actor.require(Role.ADMINISTRATOR)
    memberships = list(
        Membership.objects.filter(user_id=user_id, organisation_id=actor.organisation_id)
        .select_related("user", "unit")
        .order_by("role")
    )
    if not memberships:
        raise Http404
    user = memberships[0].user
    record(actor, Action.READ, user, subject=user, detail=Detail("shown", page="person"))
    recovery = StaticDevice.objects.filter(user=user).annotate(n=Count("token_set")).values_list("n", flat=True)
    return PersonView(
        user=user,
        memberships=memberships,
        identities=list(OidcIdentity.objects.filter(user=user, organisation_id=actor.organisation_id)),
        has_authenticator=TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        recovery_codes_left=next(iter(recovery), None),
        elsewhere=Membership.objects.filter(user=user).exclude(organisation_id=actor.organisation_id).exists(),
    )


def unit(actor: Actor, unit_id: int) -> Unit:
    """A team of the actor's organisation (for the API's role form); another organisation's is refused as the
    form refuses it."""
    found = Unit.objects.filter(pk=unit_id, organisation_id=actor.organisation_id).first()
    if found is None:
        raise ValidationError({"unit": _("Choose a team of your own organisation.")})
    return found
