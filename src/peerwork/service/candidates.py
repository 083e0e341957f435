"""The organisation's peer workers as matching sees them, loaded in a fixed number of queries.

Room counts pending offers: a peer worker offered to people who have not chosen yet keeps a place for each
(unless they declined that one), so whatever they choose can be honoured. The hard limits (room, the person's
firm requirements) are those of the pure matching module, applied by ``matching_adapter.unmet_limits``: at
ranking time and again at write time, so a proposal is refused even if a page or API client bypassed the
ranking. A declared private acquaintance is not one of them: it is a flag both sides can waive.

Before those, one gate of the service's own: a peer worker who is not open to new people (paused by
themself, or new and on hold until profile and orientation are complete, or with no profile at all) has no
room, so neither the ranking nor the whole waiting list ever proposes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from peerwork.accounts.models import Membership, User
from peerwork.core.roles import Role

from .models import DeclaredConflict, Engagement, MatchProposal, PeerWorkerProfile, ProposedCandidate


@dataclass
class Candidate:
    user: User
    profile: PeerWorkerProfile
    active: int
    conflicts: set[int] = field(default_factory=set)  # hard exclusions for matching: none today
    open_to_new: bool = True
    pending: int = 0  # people this peer worker is offered to who have not chosen yet
    # People the peer worker has declared knowing privately: a flag shown when proposing, not an exclusion
    # (both are asked and can waive it, see ``services.proposals.waive_acquaintance``).
    acquaintances: set[int] = field(default_factory=set)

    @property
    def closed_code(self) -> str:
        """Why nobody new may be proposed to them: "on_hold" (new), "not_accepting" (paused), or ""."""
        if self.open_to_new:
            return ""
        return "on_hold" if self.profile.on_hold else "not_accepting"

    @property
    def room(self) -> int:
        """Places left: capacity minus active engagements minus pending offers (each could be chosen)."""
        return max(0, self.profile.capacity - self.active - self.pending) if self.open_to_new else 0


def members(organisation_id: int, user_ids: list[int] | None = None) -> dict[int, User]:
    """The organisation's peer workers who have not left (or the ones asked for), by name: one query, names
    only (what a drop-down needs; ``load`` adds what matching needs)."""
    found = (
        Membership.objects.filter(organisation_id=organisation_id, role=Role.PEER_WORKER, user__is_active=True)
        .select_related("user")
        .only("user_id", "user__username", "user__first_name", "user__last_name", "user__display_name")
    )
    if user_ids is not None:
        found = found.filter(user_id__in=user_ids)
    return {m.user_id: m.user for m in found.order_by("user__first_name", "user__last_name", "user_id")}


def load(organisation_id: int, user_ids: list[int] | None = None) -> list[Candidate]:
    """Every peer worker of the organisation (or the ones asked for): five queries whatever the number. A
    switched-off peer worker is no candidate: they have left."""
    users = members(organisation_id, user_ids)
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
    pending = dict(
        ProposedCandidate.objects.filter(
            organisation_id=organisation_id,
            proposal__outcome=MatchProposal.Outcome.PENDING,
            peer_worker_id__in=list(users),
        )
        .exclude(answer=ProposedCandidate.Answer.DECLINED)
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
    today = timezone.localdate()
    for uid, user in users.items():
        # No profile yet: a new peer worker, on hold like one whose profile the service has just created.
        profile = profiles.get(uid) or PeerWorkerProfile(organisation_id=organisation_id, user=user, on_hold=True)
        cand = Candidate(
            user,
            profile,
            active.get(uid, 0),
            open_to_new=profile.open_to_new(today),
            pending=pending.get(uid, 0),
            acquaintances=acquaintances.get(uid, set()),
        )
        out.append(cand)
    return out
