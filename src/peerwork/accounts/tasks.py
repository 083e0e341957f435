"""The accounts' background jobs, run by the worker (``peerwork worker``)."""

from __future__ import annotations

from peerwork.core.jobs import job

from . import services


@job
def welcome(*, organisation_id: int, user_id: int, role: str, contact_id: int | None = None) -> str:
    """The welcome e-mail to a person just added, in their own language."""
    return services.send_welcome(organisation_id=organisation_id, user_id=user_id, role=role, contact_id=contact_id)
