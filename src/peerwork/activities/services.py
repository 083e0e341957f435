"""Every write about groups and courses: one transaction each, the model's own validation, an audit entry.

Who may do what:

* a coordinator sets up a group or course (naming the peer workers who lead it), plans its sessions and
  offers places, also to people on the waiting list;
* a peer worker leading it plans and cancels its sessions, marks who came, and records a person's answer;
* a person's place counts against the places while it is offered or taken, so two coordinators offering the
  last place cannot both succeed (the activity's row is locked while the places are counted).
"""

from __future__ import annotations

from datetime import date, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.accounts.models import Membership
from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record, record_many
from peerwork.core import validation
from peerwork.core.actor import Actor
from peerwork.core.roles import Role
from peerwork.service.models import Referral, ServiceUser

from .models import Activity, ActivityPlace, ActivitySession, Attendance

LEADER_ROLES = (Role.PEER_WORKER, Role.SENIOR_PEER_WORKER)
ROLES = (Role.COORDINATOR, *LEADER_ROLES)


def _validate(obj: models.Model) -> None:
    """The model's own field validation; relations were looked up in the actor's organisation already."""
    validation.clean(obj, exclude=[f.name for f in obj._meta.concrete_fields if f.is_relation])


def leads(actor: Actor, activity: Activity) -> bool:
    return activity.leaders.filter(pk=actor.user.pk).exists()


def _activity(actor: Actor, activity_id: int, *, lock: bool = False) -> Activity:
    """The activity, if the actor may run it: a coordinator any of the organisation's, a peer worker one they
    lead. Anything else is "not found", as for an id that does not exist."""
    actor.require(*ROLES)
    rows = Activity.objects.filter(organisation_id=actor.organisation_id, pk=activity_id)
    if not actor.has(Role.COORDINATOR):
        rows = rows.filter(leaders=actor.user)
    if lock:
        rows = rows.select_for_update()
    found = rows.first()
    if found is None:
        raise Http404
    return found


def create_activity(
    actor: Actor,
    *,
    kind: str,
    title: str,
    leader_ids: list[int],
    venue: str,
    places: int,
    starts_on: date,
    schedule: str = "",
    description: str = "",
    ends_on: date | None = None,
) -> Activity:
    """A coordinator sets up a group or course, led by one or more of the organisation's peer workers."""
    actor.require(Role.COORDINATOR)
    leader_ids = sorted(set(leader_ids))
    found = set(
        Membership.objects.filter(
            organisation_id=actor.organisation_id, user_id__in=leader_ids, role__in=LEADER_ROLES
        ).values_list("user_id", flat=True)
    )
    errors: dict[str, str] = {}
    if not leader_ids or found != set(leader_ids):
        errors["leader_ids"] = _("Choose one or more peer workers of your organisation to lead it.")
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("The end cannot come before the start.")
    activity = Activity(
        organisation_id=actor.organisation_id,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        venue=venue.strip(),
        schedule=schedule.strip(),
        places=places,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor.user,
    )
    try:
        _validate(activity)
    except ValidationError as exc:
        errors = {**{k: " ".join(v) for k, v in exc.message_dict.items()}, **errors}
    if not 1 <= places <= 60:
        errors.setdefault("places", _("Give a number of places from 1 to 60."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        activity.save()
        activity.leaders.set(leader_ids)
        record(actor, Action.CREATE, activity)
    return activity


def plan_session(actor: Actor, *, activity_id: int, meets_on: date, starts_at: time | None = None) -> ActivitySession:
    """A coordinator or a leader adds a session on a day."""
    activity = _activity(actor, activity_id)
    if meets_on < activity.starts_on or (activity.ends_on is not None and meets_on > activity.ends_on):
        raise ValidationError({"meets_on": _("Choose a day while the group or course runs.")})
    session = ActivitySession(
        organisation_id=actor.organisation_id, activity=activity, meets_on=meets_on, starts_at=starts_at
    )
    _validate(session)
    with transaction.atomic():
        session.save()
        record(actor, Action.CREATE, session)
    return session


def _session(actor: Actor, session_id: int) -> ActivitySession:
    found = (
        ActivitySession.objects.filter(organisation_id=actor.organisation_id, pk=session_id)
        .select_related("activity")
        .first()
    )
    if found is None:
        raise Http404
    _activity(actor, found.activity_id)
    return found


def cancel_session(actor: Actor, *, session_id: int) -> ActivitySession:
    """A coordinator or a leader cancels a session; any attendance marked for it is removed."""
    session = _session(actor, session_id)
    with transaction.atomic():
        Attendance.objects.filter(session=session).delete()
        session.status = ActivitySession.Status.CANCELLED
        session.marked_by, session.marked_at = actor.user, timezone.now()
        session.save(update_fields=["status", "marked_by", "marked_at"])
        record(actor, Action.UPDATE, session, detail=Detail("cancelled"))
    return session


def mark_attendance(actor: Actor, *, session_id: int, present: list[int]) -> ActivitySession:
    """A leader (or a coordinator) marks who came to a session that has taken place: ``present`` are the ids
    of the places of the people who came; everyone else holding a place was not there. Marking again
    replaces the earlier marks. A person who came on an offered place has taken it."""
    session = _session(actor, session_id)
    if session.meets_on > timezone.localdate():
        raise ValidationError({"present": _("Attendance can be marked on the day of the session or after it.")})
    places = {
        p.pk: p
        for p in ActivityPlace.objects.filter(activity_id=session.activity_id)
        # someone who has left since keeps the marks of the sessions they came to
        .filter(Q(status__in=ActivityPlace.HOLDING) | Q(attendance__session=session))
        .select_related("service_user")
        .distinct()
    }
    present_ids = set(present)
    if not present_ids <= set(places):
        raise ValidationError({"present": _("Mark only people who have a place in this group or course.")})
    with transaction.atomic():
        Attendance.objects.filter(session=session).delete()
        Attendance.objects.bulk_create(
            Attendance(organisation_id=actor.organisation_id, session=session, place_id=pk)
            for pk in sorted(present_ids)
        )
        came_offered = [pk for pk in present_ids if places[pk].status == ActivityPlace.Status.OFFERED]
        ActivityPlace.objects.filter(pk__in=came_offered).update(
            status=ActivityPlace.Status.TAKEN, answered_on=timezone.localdate()
        )
        session.status = ActivitySession.Status.HELD
        session.marked_by, session.marked_at = actor.user, timezone.now()
        session.save(update_fields=["status", "marked_by", "marked_at"])
        record(actor, Action.UPDATE, session, detail=Detail("attendance", count=len(present_ids)))
        record_many(
            actor,
            Action.UPDATE,
            ((session, p.service_user) for p in places.values()),
            detail=Detail("attendance_taken"),
        )
    return session


def offer_place(actor: Actor, *, activity_id: int, service_user_id: int) -> ActivityPlace:
    """A coordinator offers a person a place. It counts against the places until the person declines or
    leaves; when every place is held the offer is refused with a message saying so."""
    actor.require(Role.COORDINATOR)
    person = ServiceUser.objects.filter(
        organisation_id=actor.organisation_id, pk=service_user_id, anonymised_at__isnull=True
    ).first()
    if person is None:
        raise ValidationError({"service_user_id": _("Choose a person the service supports.")})
    with transaction.atomic():
        activity = _activity(actor, activity_id, lock=True)
        if activity.ends_on is not None and activity.ends_on < timezone.localdate():
            raise ValidationError({"activity_id": _("This group or course has ended; choose another.")})
        held = ActivityPlace.objects.filter(activity=activity, status__in=ActivityPlace.HOLDING)
        if held.filter(service_user=person).exists():
            raise ValidationError({"service_user_id": _("This person already has a place in it.")})
        if held.count() >= activity.places:
            raise ValidationError(
                {"activity_id": _("Every place is taken or offered; choose another group or course.")}
            )
        waiting = Referral.objects.filter(service_user=person, status__in=Referral.OPEN).exists()
        place = ActivityPlace.objects.filter(activity=activity, service_user=person).first() or ActivityPlace(
            organisation_id=actor.organisation_id, activity=activity, service_user=person
        )
        place.status = ActivityPlace.Status.OFFERED
        place.from_waiting_list = waiting
        place.offered_on = timezone.localdate()
        place.offered_by = actor.user
        place.answered_on = None
        _validate(place)
        place.save()
        record(actor, Action.CREATE, place, subject=person, detail=Detail("on_waiting_list") if waiting else None)
    return place


ANSWERS = (ActivityPlace.Status.TAKEN, ActivityPlace.Status.DECLINED, ActivityPlace.Status.LEFT)


def answer_place(actor: Actor, *, place_id: int, status: str) -> ActivityPlace:
    """A coordinator or a leader records the person's answer: they take the place, decline it, or left."""
    place = (
        ActivityPlace.objects.filter(organisation_id=actor.organisation_id, pk=place_id)
        .select_related("service_user")
        .first()
    )
    if place is None:
        raise Http404
    _activity(actor, place.activity_id)
    if status not in ANSWERS:
        raise ValidationError({"status": _("Choose whether the person takes the place, declines it or has left.")})
    if status == ActivityPlace.Status.LEFT and place.status != ActivityPlace.Status.TAKEN:
        raise ValidationError({"status": _("Only someone taking part can leave.")})
    if status != ActivityPlace.Status.LEFT and place.status != ActivityPlace.Status.OFFERED:
        raise PermissionDenied
    with transaction.atomic():
        place.status = status
        place.answered_on = timezone.localdate()
        place.save(update_fields=["status", "answered_on"])
        record(actor, Action.UPDATE, place, subject=place.service_user, detail=Detail("place_status", status=status))
    return place
