"""Readiness on the home pages: questionnaires waiting for the person, overdue actions for managers, the role
cards of their team's peer workers for professionals, and a peer worker's placement choice to make."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from peerwork.core.actor import Actor
from peerwork.core.home import section
from peerwork.core.roles import HOME_ORDER, Role

from . import selectors
from .roles import READ_ROLES


def _gatherer(role: str) -> Callable[[Actor], dict[str, Any]]:
    def gather(actor: Actor) -> dict[str, Any]:
        data: dict[str, Any] = {}
        # Invitations belong to the person, not the role: show them once, in the first section. Those who
        # read the results find their own invitation on the readiness overview instead (one query less here).
        if role == actor.primary_role and not actor.has(*READ_ROLES):
            data["invitations"] = selectors.my_open_invitations(actor)
            # Results of closed rounds they were asked in (peer workers: also their team's and the organisation's).
            data["results"] = selectors.my_closed_rounds(actor)[:3]
        if role == Role.MANAGER:
            data["overdue"] = selectors.overdue_actions(actor)
        if role in (Role.PEER_WORKER, Role.SENIOR_PEER_WORKER) and role == actor.primary_role:
            data["placement_link"] = True
            data["placements_to_decide"] = selectors.placements_to_decide(actor)
        if role == Role.PROFESSIONAL:
            # The actual role of the team's peer worker(s), never generic text (S0; S1 §3.1).
            data["role_cards"] = selectors.my_teams_role_cards(actor)
            data["role_cards_shown"] = True
        if not any(data.values()):
            return {}
        return {"readiness_home_template": "readiness/home_section.html", "readiness": data}

    gather.__name__ = f"readiness_{role}"
    return gather


for _role in HOME_ORDER:
    section(_role)(_gatherer(_role))
