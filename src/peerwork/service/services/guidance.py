"""Guidance sessions: a coordinator or senior peer worker records a session they held with a peer worker."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peerwork.accounts.models import Membership
from peerwork.audit.trail import Action, record
from peerwork.core.actor import Actor
from peerwork.core.roles import Role

from .. import access
from ..models import GuidanceSession
from ._common import today, validate


def add_guidance(
    actor: Actor,
    *,
    peer_worker_id: int,
    held_on: date,
    topics: str,
    follow_ups: str = "",
    next_on: date | None = None,
    signals: list[dict[str, Any]] | None = None,
) -> GuidanceSession:
    """A coordinator or senior peer worker records a guidance session they held."""
    actor.require(*access.GUIDE_ROLES)
    if not access.may_see_peer_worker(actor, peer_worker_id) or peer_worker_id == actor.user.pk:
        raise PermissionDenied
    errors = {}
    if held_on > today():
        errors["held_on"] = _("Record a session after it is held; the date cannot be in the future.")
    if next_on is not None and next_on <= held_on:
        errors["next_on"] = _("The next session must come after this one.")
    if not (topics or "").strip():
        errors["topics"] = _("Write at least one topic you talked about.")
    if errors:
        raise ValidationError(errors)
    if not Membership.objects.filter(
        organisation_id=actor.organisation_id, user_id=peer_worker_id, role=Role.PEER_WORKER
    ).exists():
        raise ValidationError({"peer_worker": _("Choose a peer worker in your organisation.")})
    session = GuidanceSession(
        organisation_id=actor.organisation_id,
        peer_worker_id=peer_worker_id,
        guide=actor.user,
        held_on=held_on,
        topics=topics.strip(),
        follow_ups=(follow_ups or "").strip(),
        next_on=next_on,
        signals=signals or [],
    )
    validate(session)
    with transaction.atomic():
        session.save()
        record(actor, Action.CREATE, session, subject=session.peer_worker)
    return session
