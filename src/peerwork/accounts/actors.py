"""Building the acting user from a person's memberships, for a page or for an API token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from peerwork.core.actor import Actor

from .models import ApiToken, Membership, User

LAST_USED_EVERY = timedelta(minutes=5)


def memberships_of(user: User) -> list[Membership]:
    """Every role the person holds, with its organisation, in a stable order (one query)."""
    return list(
        Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name", "id")
    )


@dataclass(frozen=True)
class TokenHolder:
    """Who a valid API token acts for: the actor, and the token's id (for its own rate limit)."""

    actor: Actor
    token_id: int


def actor_for_token(secret: str, *, via: str) -> TokenHolder | None:
    """The actor a personal API token acts for, or None when the token is unknown, revoked, expired, its
    holder deactivated or no longer holding a role in the token's organisation (three queries at most)."""
    if not secret.startswith(ApiToken.PREFIX):
        return None
    now = timezone.now()
    found = (
        ApiToken.objects.filter(
            key_hash=ApiToken.hash_secret(secret), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True
        )
        .select_related("user", "organisation")
        .first()
    )
    if found is None:
        return None
    memberships = list(
        Membership.objects.filter(user_id=found.user_id, organisation_id=found.organisation_id).select_related(
            "organisation"
        )
    )
    actor = Actor.from_memberships(found.user, memberships, found.organisation_id, via=via)
    if actor is None:
        return None
    if found.last_used_at is None or now - found.last_used_at > LAST_USED_EVERY:
        # Noted at most every few minutes, so a busy integration does not write on every call.
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return TokenHolder(actor, found.pk)
