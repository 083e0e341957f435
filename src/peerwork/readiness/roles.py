"""Who may do what in readiness, and which roles make up each respondent group."""

from __future__ import annotations

from peerwork.core.roles import Role

from .models import Group

# Read every round's results, the checks with names, every register and the whole action plan.
READ_ROLES = (Role.MANAGER, Role.ADMINISTRATOR, Role.COORDINATOR)
# Read as partners: the derived checks as figures of at least three (and what is about themselves), the
# registers and action plan of their own team (a senior peer worker: the organisation's), and comment.
PARTNER_ROLES = (Role.PEER_WORKER, Role.SENIOR_PEER_WORKER)
# Any invited person reads the results of a round they were invited to, once it is closed.
RESPONDENT_ROLES = tuple(Role)
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
