"""The acting user: who is asking, in which organisation, with which roles.

Every selector and service takes an ``Actor``. Pages get one from ``ActorMiddleware``; API calls from their
token. Nothing reads tenant data without one, which is what keeps organisation A out of organisation B.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from .roles import HOME_ORDER, Role

if TYPE_CHECKING:  # names for the type checker only: core sits below the apps that define them
    from peerwork.accounts.models import Membership, User
    from peerwork.organisations.models import Organisation


@dataclass(frozen=True)
class Actor:
    user: User
    organisation: Organisation
    roles: frozenset[str]
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    via: str = ""

    @property
    def organisation_id(self) -> int:
        return self.organisation.pk

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def require(self, *roles: str) -> None:
        """Refuse the action unless the actor holds one of ``roles``."""
        if not self.has(*roles):
            raise PermissionDenied

    @property
    def primary_role(self) -> str:
        for role in HOME_ORDER:
            if role in self.roles:
                return str(role)
        return ""

    @property
    def role_label(self) -> str:
        return str(Role(self.primary_role).label) if self.primary_role else ""

    @classmethod
    def from_memberships(
        cls, user: User, memberships: Iterable[Membership], organisation_id: int | None = None, via: str = ""
    ) -> Actor | None:
        """Build the actor for one organisation (the first one when none is asked for)."""
        chosen = [m for m in memberships if organisation_id is None or m.organisation_id == organisation_id]
        if not chosen:
            return None
        org_id = chosen[0].organisation_id
        mine = [m for m in chosen if m.organisation_id == org_id]
        return cls(
            user=user,
            organisation=mine[0].organisation,
            roles=frozenset(m.role for m in mine),
            unit_ids=frozenset(m.unit_id for m in mine if m.unit_id),
            via=via,
        )


def organisations_of(memberships: Iterable[Membership]) -> list[Organisation]:
    seen: dict[int, Organisation] = {}
    for m in memberships:
        seen.setdefault(m.organisation_id, m.organisation)
    return list(seen.values())
