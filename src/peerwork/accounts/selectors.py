from __future__ import annotations

from typing import Any

from django.core.paginator import Page
from django.db.models import Count, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from peerwork.audit.trail import Action, record
from peerwork.core import listing
from peerwork.core.actor import Actor
from peerwork.core.listing import ListForm
from peerwork.core.roles import Role

from .models import ApiToken, Membership, User

PEOPLE_PAGE = 50


def people(actor: Actor) -> QuerySet[Membership]:
    """Everyone with a role in the actor's organisation (administrators and managers)."""
    actor.require(Role.ADMINISTRATOR, Role.MANAGER)
    record(actor, Action.READ, object_type="accounts.membership", detail="list")
    return _people(actor)


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
    record(actor, Action.READ, object_type="accounts.membership", detail="list")
    return page


def people_export(actor: Actor, form: ListForm) -> list[Membership]:
    """The whole people list as searched, filtered and ordered, for a spreadsheet; recorded as the list is."""
    actor.require(Role.ADMINISTRATOR, Role.MANAGER)
    found = list(form.apply(_people(actor))[: listing.EXPORT_LIMIT])
    record(actor, Action.READ, object_type="accounts.membership", detail="list csv")
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
