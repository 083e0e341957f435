"""The organisation's peer workers as matching sees them, loaded in a fixed number of queries, and the
three hard limits (capacity, declared conflicts, the person's firm requirements) checked on them.

The hard limits are checked here, at write time, as well as inside the pure matching module: a proposal
or an engagement is refused even if a page or API client bypassed the ranking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from peerwork.accounts.models import Membership, Role, User

from .models import DeclaredConflict, Engagement, PeerWorkerProfile, ServiceUser


@dataclass
class Candidate:
    user: User
    profile: PeerWorkerProfile
    active: int
    conflicts: set[int] = field(default_factory=set)

    @property
    def room(self) -> int:
        return max(0, self.profile.capacity - self.active) if self.profile.accepting else 0


def load(organisation_id: int, user_ids: list[int] | None = None) -> list[Candidate]:
    """Every peer worker of the organisation (or the ones asked for): four queries whatever the number."""
    members = Membership.objects.filter(
        organisation_id=organisation_id, role=Role.PEER_WORKER
    ).select_related("user")
    if user_ids is not None:
        members = members.filter(user_id__in=user_ids)
    users = {m.user_id: m.user for m in members.order_by("user__first_name", "user__last_name", "user_id")}
    if not users:
        return []
    profiles = {
        p.user_id: p
        for p in PeerWorkerProfile.objects.filter(organisation_id=organisation_id, user_id__in=list(users))
    }
    active = dict(
        Engagement.objects.filter(
            organisation_id=organisation_id, closed_on__isnull=True, peer_worker_id__in=list(users)
        )
        .values("peer_worker_id")
        .annotate(n=Count("id"))
        .values_list("peer_worker_id", "n")
        .order_by()
    )
    conflicts: dict[int, set[int]] = {}
    for user_id, su_id in DeclaredConflict.objects.filter(
        organisation_id=organisation_id, profile__user_id__in=list(users)
    ).values_list("profile__user_id", "service_user_id"):
        conflicts.setdefault(user_id, set()).add(su_id)
    out = []
    for uid, user in users.items():
        profile = profiles.get(uid) or PeerWorkerProfile(organisation_id=organisation_id, user=user)
        out.append(Candidate(user, profile, active.get(uid, 0), conflicts.get(uid, set())))
    return out


def firm_wish_met(wish: dict[str, Any], profile: PeerWorkerProfile, person: ServiceUser) -> bool:
    kind, value = wish.get("kind"), wish.get("value")
    if kind == "gender":
        return bool(profile.gender) and profile.gender == value
    if kind == "language":
        return value in (profile.languages or [])
    if kind == "experience":
        return value in (profile.experience_kinds or [])
    if kind == "district":
        return value in (profile.districts or [])
    if kind == "interest":
        return value in (profile.interests or [])
    if kind == "background":
        return value in (profile.background or [])
    if kind == "age_max_gap":
        if profile.birth_year is None or person.birth_year is None:
            return False
        try:
            return abs(profile.birth_year - person.birth_year) <= int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False
    if kind == "evenings":
        return profile.evenings
    if kind == "weekends":
        return profile.weekends
    return True  # an unknown kind cannot be checked, so it never excludes anyone


def unmet_limits(candidate: Candidate, person: ServiceUser) -> list[str]:
    """Hard limits this peer worker fails for this person: "capacity", "conflict", "firm:<kind>"."""
    out = []
    if candidate.room <= 0:
        out.append("capacity")
    if person.pk in candidate.conflicts:
        out.append("conflict")
    for wish in person.wishes or []:
        if wish.get("firm") and not firm_wish_met(wish, candidate.profile, person):
            out.append(f"firm:{wish.get('kind')}")
    return out
