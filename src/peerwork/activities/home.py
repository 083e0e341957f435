"""What groups and courses add to the home pages: the peer worker's groups with today's or the next session,
and the coordinator's groups with their free places (two queries, no one named)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from peerwork.core.actor import Actor
from peerwork.core.home import section
from peerwork.core.roles import Role

from . import selectors

TEMPLATE = "activities/home.html"


def _rows(actor: Actor) -> dict[str, Any]:
    return {
        "groups_home_template": TEMPLATE,
        "activity_rows": selectors.activities(actor),
        "activity_today": timezone.localdate(),
    }


section(Role.COORDINATOR)(_rows)
section(Role.PEER_WORKER)(_rows)
section(Role.SENIOR_PEER_WORKER)(_rows)
