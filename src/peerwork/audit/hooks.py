"""What the audit trail adds to the data protection officer's home page."""

from __future__ import annotations

from typing import Any

from peerwork.core import hooks
from peerwork.core.actor import Actor
from peerwork.core.roles import Role

from . import selectors


@hooks.register(hooks.home_section(Role.DPO))
def audit_week(actor: Actor) -> dict[str, Any]:
    return {"audit_week": selectors.week_summary(actor)}
