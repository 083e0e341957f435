from __future__ import annotations

from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from peerwork.core.actor import Actor
from peerwork.privacy.audit import Action, record

from .models import ApiToken, Membership, Role, User


def people(actor: Actor) -> QuerySet[Membership]:
    """Everyone with a role in the actor's organisation (administrators and managers)."""
    actor.require(Role.ADMINISTRATOR, Role.MANAGER)
    record(actor, Action.READ, object_type="accounts.membership", detail="list")
    return (
        Membership.objects.filter(organisation_id=actor.organisation_id)
        .select_related("user", "unit")
        .order_by("user__last_name", "user__first_name", "role")
    )


def my_tokens(actor: Actor) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor.user, organisation_id=actor.organisation_id)


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator device, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()
