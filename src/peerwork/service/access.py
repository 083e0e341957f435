"""Who may see what in the peer recovery service.

* Programme coordinators see their organisation's referrals, service users, engagements and workload.
* A peer worker sees only their own engagements and what belongs to them (contacts, the goals of the people
  they support).
* A senior peer worker sees the engagements of the peer workers they guide (for supervision), and their own
  if they also work as a peer worker.
* A note or goal marked *private* is readable by its author only. One marked *coordinator* is readable by
  its author and by the coordinator or senior peer worker who guides the author: a guide named in a current
  guidance relationship (``GuidanceRelationship``, set by a coordinator). Neither a reporting line nor a
  session held once makes anyone a guide. ``care_team`` is treated as
  *coordinator* here; sharing with the care team needs the person's consent, which the privacy part checks
  in its own consented view (fail closed: nothing here ever shows a note to a professional).
* A guidance record (``GuidanceSession``) is read, for a one-to-one session, by its peer worker, the guide
  who held it and the peer worker's current guides, and by anyone the peer worker shared that one record
  with; for a group session, by its participants and its guide. Nobody else, coordinators included. A
  participant's "what is hard now" note is theirs alone, unless they share it with the session's guide.
* Professionals, managers and others have no access to these pages.
* A coordinator who opens the workload or caseload of a peer worker they do not guide first picks a reason
  from a fixed list (``AccessReason``); the reason's code goes into the audit entry, never free text, and
  the peer worker reads it in words on their "who looked at my work" page. Their own guide needs no reason.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerwork.accounts.models import Membership
from peerwork.audit.details import Detail, params_of
from peerwork.core.actor import Actor
from peerwork.core.roles import Role

from .models import GuidanceParticipant, GuidanceRelationship, GuidanceShare, Visibility

SERVICE_ROLES = (Role.COORDINATOR, Role.PEER_WORKER, Role.SENIOR_PEER_WORKER)
GUIDE_ROLES = (Role.COORDINATOR, Role.SENIOR_PEER_WORKER)
SETTINGS_ROLES = (Role.COORDINATOR, Role.MANAGER, Role.ADMINISTRATOR)


def require_service(actor: Actor) -> None:
    actor.require(*SERVICE_ROLES)


def is_coordinator(actor: Actor) -> bool:
    return actor.has(Role.COORDINATOR)


def current(day: date | None = None) -> Q:
    """Guidance relationships in force on ``day`` (today by default)."""
    day = day or timezone.localdate()
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def guided_ids(actor: Actor) -> frozenset[int]:
    """Ids of the peer workers the actor guides today, by a guidance relationship a coordinator set."""
    if not actor.has(*GUIDE_ROLES):
        return frozenset()
    cached: frozenset[int] | None = getattr(actor, "_service_guided", None)
    if cached is not None:
        return cached
    result = frozenset(
        GuidanceRelationship.objects.filter(current(), organisation_id=actor.organisation_id, guide=actor.user)
        .values_list("peer_worker_id", flat=True)
        .distinct()
    )
    object.__setattr__(actor, "_service_guided", result)  # one query per request, not per row
    return result


def guides_of(organisation_id: int, peer_worker_id: int, day: date | None = None) -> set[int]:
    """Ids of a peer worker's guides on ``day``."""
    return set(
        GuidanceRelationship.objects.filter(
            current(day), organisation_id=organisation_id, peer_worker_id=peer_worker_id
        ).values_list("guide_id", flat=True)
    )


def may_read_guidance_of(actor: Actor, peer_worker_id: int) -> bool:
    """The guidance page of one peer worker: themself and their current guides (not every coordinator)."""
    if actor.user.pk == peer_worker_id:
        return actor.has(Role.PEER_WORKER)
    return peer_worker_id in guided_ids(actor)


def session_scope(actor: Actor) -> Q:
    """The guidance sessions whose record the actor may read, as a filter on ``GuidanceSession``."""
    mine = GuidanceParticipant.objects.filter(session=OuterRef("pk"), peer_worker=actor.user)
    scope = Q(Exists(mine)) | Q(guide=actor.user)
    guided = guided_ids(actor)
    if guided:
        theirs = GuidanceParticipant.objects.filter(session=OuterRef("pk"), peer_worker_id__in=sorted(guided))
        scope |= Q(Exists(theirs), is_group_session=False)
    shared = GuidanceShare.objects.filter(session=OuterRef("pk"), reader=actor.user)
    return scope | Q(Exists(shared), is_group_session=False)


class AccessReason(models.TextChoices):
    """Why a coordinator who does not guide a peer worker opens their workload or caseload (Peerwork
    default list; no free text, so the audit trail holds no words about anyone)."""

    ALLOCATION = "allocation", _("Planning who can take new people from the waiting list")
    COVER = "cover", _("Covering for their guide while the guide is away")
    WORKLOAD = "workload", _("Following up a concern about their workload or well-being")
    PERSON = "person", _("A question about a person they support")
    HANDOVER = "handover", _("Preparing a handover of a person they support")
    ASKED = "asked", _("The peer worker asked me to look")


REASON_PREFIX = "reason="  # how a reason read in entries written before details were structured


def needs_reason(actor: Actor, peer_worker_id: int) -> bool:
    """Must the actor give a reason before opening this peer worker's workload or caseload?"""
    return actor.user.pk != peer_worker_id and is_coordinator(actor) and peer_worker_id not in guided_ids(actor)


def reason_detail(actor: Actor, peer_worker_id: int, reason: str, what: str) -> Detail:
    """The audit entry's detail for one read of a peer worker's workload or caseload (``what``, a page of
    ``audit.details.PAGES``) with the reason's code when one is needed. Refuses (403) a needed reason that is
    missing or not on the list."""
    if not needs_reason(actor, peer_worker_id):
        return Detail("shown", page=what)
    if reason not in AccessReason.values:
        raise PermissionDenied
    return Detail("shown_for_reason", page=what, reason=reason)


def reason_of(detail: str) -> str:
    """The reason code recorded in an audit entry's detail, or "" (the inverse of ``reason_detail``)."""
    code = str(params_of(detail).get("reason", ""))
    if code in AccessReason.values:
        return code
    for word in detail.split():
        if word.startswith(REASON_PREFIX) and word[len(REASON_PREFIX) :] in AccessReason.values:
            return word[len(REASON_PREFIX) :]
    return ""


def engagement_scope(actor: Actor) -> Q:
    """The engagements the actor may open, as a filter (always combined with the organisation)."""
    require_service(actor)
    if is_coordinator(actor):
        return Q()
    scope = Q(peer_worker=actor.user)
    if actor.has(Role.SENIOR_PEER_WORKER):
        scope |= Q(peer_worker_id__in=guided_ids(actor))
    return scope


def may_see_peer_worker(actor: Actor, peer_worker_id: int) -> bool:
    """Workload, caseload and guidance of one peer worker: themself, any coordinator, their guide."""
    if actor.user.pk == peer_worker_id:
        return actor.has(*SERVICE_ROLES)
    if is_coordinator(actor):
        return True
    return actor.has(Role.SENIOR_PEER_WORKER) and peer_worker_id in guided_ids(actor)


def can_read(actor: Actor, author_id: int | None, visibility: str) -> bool:
    """May the actor read a note or goal written by ``author_id`` with this visibility?"""
    if author_id is not None and author_id == actor.user.pk:
        return True
    if visibility == Visibility.PRIVATE:
        return False
    # COORDINATOR and CARE_TEAM (the latter only widens further with consent, in the privacy part).
    return author_id is not None and author_id in guided_ids(actor)


def readable(actor: Actor, author: str, visibility: str) -> Case:
    """``can_read`` as a query expression over a row's author and visibility columns: true or false, never
    null (a row without an author is not the actor's own)."""
    cases = [
        When(Q((author, actor.user.pk)), then=Value(True)),
        When(Q((visibility, Visibility.PRIVATE)), then=Value(False)),
    ]
    guided = guided_ids(actor)
    if guided:
        cases.append(When(Q((f"{author}__in", sorted(guided))), then=Value(True)))
    return Case(*cases, default=Value(False), output_field=BooleanField())


def can_read_goal(actor: Actor, author_id: int | None, visibility: str, supports_person: bool) -> bool:
    """Goals are the person's own: the peer worker supporting them reads every non-private goal."""
    if can_read(actor, author_id, visibility):
        return True
    return visibility != Visibility.PRIVATE and (supports_person or is_coordinator(actor) and author_id is None)


def peer_worker_ids(organisation_id: int) -> list[int]:
    """Everyone who holds the peer-worker role in the organisation."""
    return list(
        Membership.objects.filter(organisation_id=organisation_id, role=Role.PEER_WORKER)
        .values_list("user_id", flat=True)
        .distinct()
    )
