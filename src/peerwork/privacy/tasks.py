"""Privacy's background job: the retention run (nightly, or started by the data protection officer)."""

from __future__ import annotations

from django.utils import timezone

from peerwork.accounts.models import Membership, User
from peerwork.core.actor import Actor
from peerwork.core.jobs import job
from peerwork.core.roles import Role

from . import services


@job
def run_retention(*, organisation_id: int, period: str = "", requested_by: int | None = None) -> int:
    """Anonymise everyone due under the organisation's policy. Started by a person, it runs as them (their
    name on each audit entry); from the schedule, as the system. Returns how many were anonymised."""
    actor: Actor | None = None
    if requested_by is not None:
        user = User.objects.filter(pk=requested_by, is_active=True).first()
        memberships = list(Membership.objects.filter(user_id=requested_by).select_related("organisation"))
        actor = Actor.from_memberships(user, memberships, organisation_id, via="job") if user else None
        if actor is None or actor.organisation_id != organisation_id or not actor.has(Role.DPO):
            return 0  # their role here has ended since they asked: nothing runs in their name
    return len(services.run_retention(actor, organisation_id, timezone.localdate(), dry_run=False))
