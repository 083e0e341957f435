"""Who may do what in readiness, and which roles make up each respondent group."""

from __future__ import annotations

from peerwork.core.roles import Role

from .models import Group

# Read the results, checks, registers and the action plan.
READ_ROLES = (Role.MANAGER, Role.ADMINISTRATOR, Role.COORDINATOR)
# Start rounds, write job descriptions, change the organisation's limits.
LEAD_ROLES = (Role.MANAGER, Role.ADMINISTRATOR)
# Keep the action plan, risk register, orientation and team briefings up to date.
WRITE_ROLES = (Role.MANAGER, Role.ADMINISTRATOR, Role.COORDINATOR)
# May declare where they were treated (placement conflict, S1 A7).

GROUP_ROLES: dict[str, tuple[str, ...]] = {
    Group.MANAGER: (Role.MANAGER,),
    Group.PROFESSIONAL: (Role.PROFESSIONAL,),
    Group.PEER_WORKER: (Role.PEER_WORKER, Role.SENIOR_PEER_WORKER),
    Group.SERVICE_USER_REP: (),  # no role in Peerwork: invited by link
}
