"""The organisation's peer workers as matching sees them, loaded in a fixed number of queries.

The hard limits (room, the person's firm requirements) are those of the pure matching
module, applied by ``matching_adapter.unmet_limits``: at ranking time and again at write time, so a
proposal is refused even if a page or API client bypassed the ranking.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from peerwork.accounts.models import Membership, User
from peerwork.core.roles import Role

from .models import DeclaredConflict, Engagement, PeerWorkerProfile


@dataclass
class Candidate:
    user: User
    profile: PeerWorkerProfile
    active: int
    conflicts: set[int] = field(default_factory=set)  # hard exclusions for matching: none today
    # People the peer worker has declared knowing privately: a flag shown when proposing, not an exclusion
    # (both are asked and can waive it, see ``services.proposals.waive_acquaintance``).
    acquaintances: set[int] = field(default_factory=set)

    @property
    def room(self) -> int:
        return max(0, self.profile.capacity - self.active) if self.profile.accepting else 0


def load(organisation_id: int, user_ids: list[int] | None = None) -> list[Candidate]:
    """Every peer worker of the organisation (or the ones asked for): four queries whatever the number."""
    members = (
        Membership.objects.filter(organisation_id=organisation_id, role=Role.PEER_WORKER)
        .select_related("user")
        .only("user_id", "user__username", "user__first_name", "user__last_name", "user__display_name")
    )
    if user_ids is not None:
        members = members.filter(user_id__in=user_ids)
    users = {m.user_id: m.user for m in members.order_by("user__first_name", "user__last_name", "user_id")}
    if not users:
        return []
    profiles = {
        p.user_id: p for p in PeerWorkerProfile.objects.filter(organisation_id=organisation_id, user_id__in=list(users))
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
    acquaintances: dict[int, set[int]] = {}
    for user_id, su_id in DeclaredConflict.objects.filter(
        organisation_id=organisation_id, profile__user_id__in=list(users)
    ).values_list("profile__user_id", "service_user_id"):
        acquaintances.setdefault(user_id, set()).add(su_id)
    out = []
    for uid, user in users.items():
        profile = profiles.get(uid) or PeerWorkerProfile(organisation_id=organisation_id, user=user)
        out.append(Candidate(user, profile, active.get(uid, 0), acquaintances=acquaintances.get(uid, set())))
    return out
