"""Building the acting user from a person's memberships."""

from __future__ import annotations

from .models import Membership, User


def memberships_of(user: User) -> list[Membership]:
    """Every role the person holds, with its organisation, in a stable order (one query)."""
    return list(
        Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name", "id")
    )
