"""Guidance for peer workers: who guides whom, sessions planned and held, and the peer worker's preparation.

* A coordinator sets guidance relationships (who guides whom, from when, until when); nothing else makes
  anyone a guide.
* A guide plans a session with a peer worker they guide, or a group session (intervision, team coaching)
  with several peer workers, and records it once held.
* Before a session each participant adds agenda items and may write a "what is hard now" note, which only
  they read unless they share it with the session's guide.
* The peer worker of a one-to-one session may share its record with one more coordinator or senior peer
  worker of the organisation (for example a new guide, or the coordinator when a senior peer worker
  supervises them), and take that back. A group session's record cannot be shared: it is the others' too.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from peerwork.accounts.models import Membership, User
from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record, record_many
from peerwork.core.actor import Actor
from peerwork.core.roles import Role

from .. import access
from ..models import (
    GuidanceAgendaItem,
    GuidanceKind,
    GuidanceParticipant,
    GuidanceRelationship,
    GuidanceSession,
    GuidanceShare,
)
from ._common import today, validate

GROUP_KINDS = (GuidanceKind.INTERVISION, GuidanceKind.TEAM_COACHING)


def _members(organisation_id: int, ids: list[int], *roles: str) -> dict[int, User]:
    return {
        m.user_id: m.user
        for m in Membership.objects.filter(organisation_id=organisation_id, user_id__in=ids, role__in=roles)
        .select_related("user")
        .order_by("user_id")
    }


def _kind_errors(kind: str, guide_roles: set[str], participants: int) -> dict[str, str]:
    if kind not in GuidanceKind.values:
        return {"kind": _("Choose the kind of session.")}
    if kind == GuidanceKind.SUPERVISION and Role.SENIOR_PEER_WORKER not in guide_roles:
        return {"kind": _("Supervision is held by a senior peer worker; choose another kind of session.")}
    if kind == GuidanceKind.FOLLOW_UP and Role.COORDINATOR not in guide_roles:
        return {"kind": _("A follow-up is held by a coordinator; choose another kind of session.")}
    if kind == GuidanceKind.INTERVISION and participants < 2:
        return {"kind": _("An intervision group needs at least two peer workers.")}
    return {}


# --- relationships --------------------------------------------------------------------------------------


def set_relationship(
    actor: Actor, *, peer_worker_id: int, guide_id: int, starts_on: date, ends_on: date | None = None
) -> GuidanceRelationship:
    """A coordinator names who guides a peer worker, from when (and until when, if known)."""
    actor.require(Role.COORDINATOR)
    org = actor.organisation_id
    errors = {}
    if not _members(org, [peer_worker_id], Role.PEER_WORKER):
        errors["peer_worker"] = _("Choose a peer worker in your organisation.")
    if not _members(org, [guide_id], *access.GUIDE_ROLES):
        errors["guide"] = _("Choose a coordinator or senior peer worker in your organisation.")
    elif guide_id == peer_worker_id:
        errors["guide"] = _("A peer worker cannot be their own guide; choose someone else.")
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("The end cannot come before the start.")
    if errors:
        raise ValidationError(errors)
    overlapping = GuidanceRelationship.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on),
        organisation_id=org,
        peer_worker_id=peer_worker_id,
        guide_id=guide_id,
    )
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    if overlapping.exists():
        raise ValidationError({"guide": _("This person already guides this peer worker in that period.")})
    found = GuidanceRelationship(
        organisation_id=org,
        peer_worker_id=peer_worker_id,
        guide_id=guide_id,
        starts_on=starts_on,
        ends_on=ends_on,
        set_by=actor.user,
    )
    validate(found)
    with transaction.atomic():
        found.save()
        record(actor, Action.CREATE, found, subject=found.peer_worker)
    return found


def end_relationship(actor: Actor, *, relationship_id: int, ends_on: date | None = None) -> GuidanceRelationship:
    """A coordinator ends a guidance relationship (today, unless another day is given)."""
    actor.require(Role.COORDINATOR)
    found = GuidanceRelationship.objects.filter(organisation_id=actor.organisation_id, pk=relationship_id).first()
    if found is None:
        raise Http404
    ends_on = ends_on or today()
    if ends_on < found.starts_on:
        raise ValidationError({"ends_on": _("The end cannot come before the start.")})
    found.ends_on = ends_on
    with transaction.atomic():
        found.save(update_fields=["ends_on"])
        record(actor, Action.UPDATE, found, subject=found.peer_worker, detail=Detail("ended"))
    return found


# --- sessions -------------------------------------------------------------------------------------------


def _new_session(
    actor: Actor, *, kind: str, meets_on: date, peer_worker_ids: list[int], planned: bool, **fields: Any
) -> GuidanceSession:
    """Check who takes part and create the session with its participants (one transaction, audited)."""
    actor.require(*access.GUIDE_ROLES)
    org = actor.organisation_id
    ids = sorted(set(peer_worker_ids))
    if len(ids) == 1 and ids[0] != actor.user.pk and ids[0] not in access.guided_ids(actor):
        # A one-to-one session only with a peer worker the actor guides (a coordinator sets who that is).
        raise PermissionDenied
    errors = _kind_errors(kind, set(actor.roles), len(ids))
    if not ids:
        errors["peer_workers"] = _("Choose at least one peer worker.")
    if actor.user.pk in ids:
        errors["peer_workers"] = _("You cannot guide yourself; leave yourself out.")
    if planned and meets_on < today():
        errors["meets_on"] = _("Plan a session for today or a later day; record a past session instead.")
    if not planned and meets_on > today():
        errors["meets_on"] = _("Record a session after it is held; the date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    people = _members(org, ids, Role.PEER_WORKER)
    if len(people) != len(ids):
        raise ValidationError({"peer_workers": _("Choose peer workers in your organisation.")})
    session = GuidanceSession(
        organisation_id=org,
        kind=kind,
        status=GuidanceSession.Status.PLANNED if planned else GuidanceSession.Status.HELD,
        is_group_session=len(ids) > 1,
        guide=actor.user,
        meets_on=meets_on,
        **fields,
    )
    validate(session)
    with transaction.atomic():
        session.save()
        GuidanceParticipant.objects.bulk_create(
            [GuidanceParticipant(organisation_id=org, session=session, peer_worker_id=i) for i in ids]
        )
        record_many(actor, Action.CREATE, [(session, people[i]) for i in ids])
    return session


def plan_session(actor: Actor, *, kind: str, meets_on: date, peer_worker_ids: list[int]) -> GuidanceSession:
    """A guide plans a session: one-to-one with a peer worker they guide, or a group session."""
    return _new_session(actor, kind=kind, meets_on=meets_on, peer_worker_ids=peer_worker_ids, planned=True)


def add_guidance(
    actor: Actor,
    *,
    peer_worker_id: int,
    meets_on: date,
    topics: str,
    kind: str = "",
    follow_ups: str = "",
    next_on: date | None = None,
    signals: list[dict[str, Any]] | None = None,
) -> GuidanceSession:
    """A guide records a one-to-one session they held with a peer worker they guide."""
    actor.require(*access.GUIDE_ROLES)
    if peer_worker_id not in access.guided_ids(actor):
        raise PermissionDenied
    _check_record(meets_on, topics, next_on)
    if not kind:
        kind = GuidanceKind.SUPERVISION if actor.has(Role.SENIOR_PEER_WORKER) else GuidanceKind.FOLLOW_UP
    return _new_session(
        actor,
        kind=kind,
        meets_on=meets_on,
        peer_worker_ids=[peer_worker_id],
        planned=False,
        topics=topics.strip(),
        follow_ups=(follow_ups or "").strip(),
        next_on=next_on,
        signals=signals or [],
    )


def _check_record(meets_on: date, topics: str, next_on: date | None) -> None:
    errors = {}
    if meets_on > today():
        errors["meets_on"] = _("Record a session after it is held; the date cannot be in the future.")
    if next_on is not None and next_on <= meets_on:
        errors["next_on"] = _("The next session must come after this one.")
    if not (topics or "").strip():
        errors["topics"] = _("Write at least one topic you talked about.")
    if errors:
        raise ValidationError(errors)


def _readable_session(actor: Actor, session_id: int) -> GuidanceSession:
    found = (
        GuidanceSession.objects.filter(
            access.session_scope(actor), organisation_id=actor.organisation_id, pk=session_id
        )
        .select_related("guide")
        .first()
    )
    if found is None:
        raise Http404
    return found


def _subjects(session: GuidanceSession) -> list[tuple[GuidanceSession, User]]:
    return [(session, p.peer_worker) for p in session.participants.select_related("peer_worker")]


def record_session(
    actor: Actor,
    *,
    session_id: int,
    topics: str,
    follow_ups: str = "",
    next_on: date | None = None,
    signals: list[dict[str, Any]] | None = None,
) -> GuidanceSession:
    """The session's guide writes its record once it is held."""
    session = _readable_session(actor, session_id)
    if session.guide_id != actor.user.pk:
        raise PermissionDenied
    _check_record(session.meets_on, topics, next_on)
    session.status = GuidanceSession.Status.HELD
    session.topics, session.follow_ups, session.next_on = topics.strip(), (follow_ups or "").strip(), next_on
    if signals is not None:
        session.signals = signals
    validate(session)
    with transaction.atomic():
        session.save(update_fields=["status", "topics", "follow_ups", "next_on", "signals"])
        record_many(actor, Action.UPDATE, _subjects(session), detail=Detail("guidance_record"))
    return session


def add_agenda_item(actor: Actor, *, session_id: int, text: str) -> GuidanceAgendaItem:
    """A participant or the guide adds something to talk about, before the session is held."""
    session = _readable_session(actor, session_id)
    is_participant = session.participants.filter(peer_worker=actor.user).exists()
    if not is_participant and session.guide_id != actor.user.pk:
        raise PermissionDenied
    if not session.planned:
        raise ValidationError({"text": _("This session has been held; add the point to your next session.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what you would like to talk about.")})
    item = GuidanceAgendaItem(organisation_id=actor.organisation_id, session=session, author=actor.user, text=text)
    validate(item)
    with transaction.atomic():
        item.save()
        record(actor, Action.CREATE, item, subject=actor.user if is_participant else None)
    return item


def set_hard_now(actor: Actor, *, session_id: int, hard_now: str, share_with_guide: bool) -> GuidanceParticipant:
    """A participant writes (or clears) their own "what is hard now" note and chooses whether the session's
    guide may read it. Nobody else ever reads it."""
    actor.require(Role.PEER_WORKER)
    found = GuidanceParticipant.objects.filter(
        organisation_id=actor.organisation_id, session_id=session_id, peer_worker=actor.user
    ).first()
    if found is None:
        raise Http404
    found.hard_now = (hard_now or "").strip()
    found.hard_now_shared = bool(share_with_guide and found.hard_now)
    validate(found)
    with transaction.atomic():
        found.save(update_fields=["hard_now", "hard_now_shared", "updated_at"])
        record(actor, Action.UPDATE, found, subject=actor.user, detail=Detail("what_is_hard_now"))
    return found


def _own_one_to_one(actor: Actor, session_id: int) -> GuidanceSession:
    """A one-to-one session of which the actor is the peer worker (only they share its record)."""
    actor.require(Role.PEER_WORKER)
    found = GuidanceSession.objects.filter(
        organisation_id=actor.organisation_id,
        pk=session_id,
        is_group_session=False,
        participants__peer_worker=actor.user,
    ).first()
    if found is None:
        raise Http404
    return found


def share_session(actor: Actor, *, session_id: int, reader_id: int) -> GuidanceShare:
    """The peer worker lets one coordinator or senior peer worker read a one-to-one record."""
    session = _own_one_to_one(actor, session_id)
    people = _members(actor.organisation_id, [reader_id], *access.GUIDE_ROLES)
    if not people or reader_id == actor.user.pk:
        raise ValidationError({"reader": _("Choose a coordinator or senior peer worker in your organisation.")})
    share = GuidanceShare(organisation_id=actor.organisation_id, session=session, reader_id=reader_id)
    try:
        with transaction.atomic():
            share.save()
            record(actor, Action.CREATE, share, subject=actor.user)
    except IntegrityError:
        raise ValidationError({"reader": _("You already share this record with this person.")}) from None
    return share


def stop_sharing(actor: Actor, *, session_id: int, reader_id: int) -> None:
    """The peer worker takes a share back."""
    session = _own_one_to_one(actor, session_id)
    found = GuidanceShare.objects.filter(session=session, reader_id=reader_id).first()
    if found is None:
        raise Http404
    with transaction.atomic():
        record(actor, Action.DELETE, found, subject=actor.user)
        found.delete()
