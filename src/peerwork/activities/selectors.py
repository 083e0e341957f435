"""Every read about groups and courses, scoped in SQL to the actor and audited.

A coordinator sees all of the organisation's groups and courses; a peer worker (or senior peer worker) those
they lead. Who has a place, and who came, is the participants' personal data: a page showing it records one
READ entry per person shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from peerwork.accounts.models import User
from peerwork.audit.trail import Action, record, record_many
from peerwork.core.actor import Actor
from peerwork.core.roles import Role
from peerwork.service.models import Referral

from .models import Activity, ActivityPlace, ActivitySession, Attendance
from .services import LEADER_ROLES, ROLES


def _visible(actor: Actor) -> QuerySet[Activity]:
    actor.require(*ROLES)
    rows = Activity.objects.filter(organisation_id=actor.organisation_id)
    if not actor.has(Role.COORDINATOR):
        rows = rows.filter(leaders=actor.user)
    return rows


def activities(actor: Actor) -> list[Activity]:
    """The groups and courses the actor runs or coordinates, newest first, with their leaders, how many
    places are held and the next planned session."""
    today = timezone.localdate()
    return list(
        _visible(actor)
        .annotate(
            held=Count("participants", filter=Q(participants__status__in=ActivityPlace.HOLDING), distinct=True),
        )
        .prefetch_related(
            Prefetch("leaders", queryset=User.objects.order_by("first_name", "last_name")),
            Prefetch(
                "sessions",
                queryset=ActivitySession.objects.filter(meets_on__gte=today, status="planned").order_by("meets_on"),
                to_attr="coming",
            ),
        )
        .order_by("-starts_on", "title")
    )


@dataclass
class ActivityPage:
    activity: Activity
    sessions: Sequence[ActivitySession]
    places: Sequence[ActivityPlace]
    waiting_ids: set[int] = field(default_factory=set)  # people with an open referral now

    @property
    def free(self) -> int:
        return max(0, self.activity.places - sum(1 for p in self.places if p.holds_place))


def activity(actor: Actor, pk: int) -> ActivityPage:
    found = (
        _visible(actor)
        .filter(pk=pk)
        .prefetch_related(Prefetch("leaders", queryset=User.objects.order_by("first_name", "last_name")))
        .first()
    )
    if found is None:
        raise Http404
    sessions = list(found.sessions.annotate(present=Count("attendance")).order_by("meets_on", "starts_at"))
    places = list(
        found.participants.select_related("service_user")
        .annotate(came=Count("attendance"))
        .order_by("status", "offered_on", "pk")
    )
    people = [p.service_user_id for p in places]
    waiting = set(
        Referral.objects.filter(service_user_id__in=people, status__in=Referral.OPEN).values_list(
            "service_user_id", flat=True
        )
    )
    record(actor, Action.READ, found)
    record_many(actor, Action.READ, ((p, p.service_user) for p in places))
    return ActivityPage(found, sessions, places, waiting)


@dataclass
class SessionPage:
    session: ActivitySession
    places: list[ActivityPlace]
    present: set[int]
    waiting_ids: set[int]


def session(actor: Actor, pk: int) -> SessionPage:
    """A session with the people holding a place and who has been marked present."""
    found = (
        ActivitySession.objects.filter(organisation_id=actor.organisation_id, pk=pk, activity__in=_visible(actor))
        .select_related("activity")
        .first()
    )
    if found is None:
        raise Http404
    places = list(
        ActivityPlace.objects.filter(activity_id=found.activity_id)
        .filter(Q(status__in=ActivityPlace.HOLDING) | Q(attendance__session=found))
        .select_related("service_user")
        .distinct()
        .order_by("service_user__chosen_name", "pk")
    )
    present = set(Attendance.objects.filter(session=found).values_list("place_id", flat=True))
    waiting = set(
        Referral.objects.filter(
            service_user_id__in=[p.service_user_id for p in places], status__in=Referral.OPEN
        ).values_list("service_user_id", flat=True)
    )
    record(actor, Action.READ, found)
    record_many(actor, Action.READ, ((p, p.service_user) for p in places))
    return SessionPage(found, places, present, waiting)


def open_for_offer(actor: Actor) -> list[Activity]:
    """Groups and courses a coordinator can offer a place in: not ended, with a free place."""
    actor.require(Role.COORDINATOR)
    today = timezone.localdate()
    rows = (
        Activity.objects.filter(organisation_id=actor.organisation_id)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .annotate(held=Count("participants", filter=Q(participants__status__in=ActivityPlace.HOLDING)))
        .order_by("starts_on", "title")
    )
    return [a for a in rows if a.held < a.places]


def referral_person(actor: Actor, referral_id: int) -> tuple[Referral, list[ActivityPlace]]:
    """The referral a coordinator offers a place from, and the places the person already has."""
    actor.require(Role.COORDINATOR)
    found = (
        Referral.objects.filter(organisation_id=actor.organisation_id, pk=referral_id)
        .select_related("service_user")
        .first()
    )
    if found is None:
        raise Http404
    places = list(
        ActivityPlace.objects.filter(service_user=found.service_user).select_related("activity").order_by("-offered_on")
    )
    record(actor, Action.READ, found, subject=found.service_user)
    return found, places


def leader_choices(actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of the peer workers and senior peer workers of the organisation, who may lead a group."""
    actor.require(Role.COORDINATOR)
    users = (
        User.objects.filter(memberships__organisation_id=actor.organisation_id, memberships__role__in=LEADER_ROLES)
        .distinct()
        .order_by("first_name", "last_name", "id")
    )
    return [(u.pk, str(u)) for u in users]


def reach(organisation_id: int, start: date, end: date) -> dict[str, int]:
    """For the evaluation: how many different people came to at least one session in the period, how many
    of them were on the waiting list when offered their place, and how many sessions were held. Counts only,
    no one named."""
    came = Attendance.objects.filter(
        organisation_id=organisation_id, session__meets_on__gte=start, session__meets_on__lte=end
    )
    people = came.values("place__service_user_id").distinct().count()
    bridged = came.filter(place__from_waiting_list=True).values("place__service_user_id").distinct().count()
    sessions = ActivitySession.objects.filter(
        organisation_id=organisation_id, meets_on__gte=start, meets_on__lte=end, status="held"
    ).count()
    return {"people": people, "from_waiting_list": bridged, "sessions": sessions}


def waiting_people(actor: Actor) -> list[tuple[int, str]]:
    """(person id, name) of the people on the waiting list, longest waiting first, for offering a place."""
    actor.require(Role.COORDINATOR)
    rows = (
        Referral.objects.filter(organisation_id=actor.organisation_id, status__in=Referral.OPEN)
        .select_related("service_user")
        .order_by("received_on", "pk")
    )
    return [(r.service_user_id, r.service_user.chosen_name) for r in rows]
