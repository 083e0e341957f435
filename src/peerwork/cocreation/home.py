"""Co-creation on the home pages.

* Managers: signals waiting for their acknowledgement, contributions waiting too long for a decision, and
  boards peer workers proposed that wait for confirmation.
* Peer workers: "you said, we did" (the latest outcomes of their proposals), the initiatives they own (and a
  way to start one, or to start or propose a board), and their own signals' status.
"""

from __future__ import annotations

from typing import Any

from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core.actor import Actor
from peerwork.core.home import section
from peerwork.core.roles import Role

from . import selectors

SHOWN = 5


@section(Role.MANAGER)
def manager_section(actor: Actor) -> dict[str, Any]:
    waiting = selectors.inbox(actor, waiting_only=True, limit=SHOWN, audit=False)
    pending, days = selectors.pending_too_long(actor, limit=SHOWN, audit=False)
    if waiting or pending:  # one audit entry for the section, not one per list
        record(
            actor,
            Action.READ,
            object_type="cocreation.signal",
            detail=Detail("shown", page="cocreation_home"),
        )
    return {
        "cocreation_home_template": "cocreation/home_manager.html",
        "cocreation": {
            "waiting": waiting,
            "pending": pending,
            "pending_limit": days,
            "proposed_boards": selectors.proposed_boards(actor, limit=SHOWN),
        },
    }


@section(Role.PEER_WORKER)
@section(Role.SENIOR_PEER_WORKER)
def peer_worker_section(actor: Actor) -> dict[str, Any]:
    return {
        "cocreation_home_template": "cocreation/home_peer_worker.html",
        "cocreation": {
            "outcomes": selectors.you_said_we_did(actor, limit=SHOWN),
            "owned": selectors.owned_initiatives(actor, limit=SHOWN),
            "signals": selectors.my_signals(actor, limit=SHOWN),
        },
    }
