"""Groups and courses over the API (/api/groups/…): the same selectors and services as the pages, so scope,
validation and audit are the same. A coordinator sees and sets up the organisation's groups and courses and
offers places; a peer worker sees and marks the ones they lead."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Any, Literal

from ninja import Field, Router, Schema
from ninja.responses import Status

from peerwork.core.apitypes import Id, LocalTime, Text
from peerwork.core.http import ActorRequest

from . import selectors, services
from .models import MAX_PLACES, Activity

router = Router(tags=["groups and courses"])


class ActivityIn(Schema):
    kind: Literal["self_help", "course", "outdoor", "other"]
    title: Annotated[str, Text(120, min_length=1)]
    leader_ids: list[Id] = Field(..., min_length=1, max_length=10)
    venue: Annotated[str, Text(200, min_length=1)]
    schedule: Annotated[str, Text(200)] = ""
    places: int = Field(..., ge=1, le=MAX_PLACES)
    starts_on: date
    ends_on: date | None = None
    description: Annotated[str, Text(2000)] = ""


class _Activity(Schema):
    id: int
    kind: str
    title: str
    venue: str
    schedule: str
    places: int
    starts_on: date
    ends_on: date | None


class ActivityOut(_Activity):
    leader_ids: list[int]

    @staticmethod
    def resolve_leader_ids(obj: Activity) -> list[int]:
        return sorted(u.pk for u in obj.leaders.all())


class SessionIn(Schema):
    meets_on: date
    starts_at: LocalTime | None = None


class SessionOut(Schema):
    id: int
    activity_id: int
    meets_on: date
    starts_at: time | None
    status: str = Field(..., description="planned, held or cancelled")


class PlaceIn(Schema):
    service_user_id: Id


class PlaceOut(Schema):
    id: int
    activity_id: int
    service_user_id: int
    status: str = Field(..., description="offered, taken, declined or left")
    from_waiting_list: bool
    offered_on: date


class AttendanceIn(Schema):
    present: list[Id] = Field(..., max_length=MAX_PLACES, description="Ids of the places of the people who came")


class ActivityDetail(_Activity):
    leader_ids: list[int]
    sessions: list[SessionOut]
    participants: list[PlaceOut]


@router.get("", response=list[ActivityOut], summary="Groups and courses the token's person coordinates or leads")
def list_activities(request: ActorRequest) -> Any:
    return selectors.activities(request.actor)


@router.post("", response={201: ActivityOut}, summary="Set up a group or course (coordinators)")
def create_activity(request: ActorRequest, payload: ActivityIn) -> Any:
    return Status(201, services.create_activity(request.actor, **payload.dict()))


@router.get("/{activity_id}", response=ActivityDetail, summary="One group or course, its sessions and places")
def get_activity(request: ActorRequest, activity_id: Id) -> Any:
    page = selectors.activity(request.actor, activity_id)
    a = page.activity
    return {
        **{f: getattr(a, f) for f in ("id", "kind", "title", "venue", "schedule", "places", "starts_on", "ends_on")},
        "leader_ids": sorted(u.pk for u in a.leaders.all()),
        "sessions": page.sessions,
        "participants": page.places,
    }


@router.post("/{activity_id}/sessions", response={201: SessionOut}, summary="Add a session")
def add_session(request: ActorRequest, activity_id: Id, payload: SessionIn) -> Any:
    return Status(201, services.plan_session(request.actor, activity_id=activity_id, **payload.dict()))


@router.post("/{activity_id}/places", response={201: PlaceOut}, summary="Offer a person a place (coordinators)")
def offer_place(request: ActorRequest, activity_id: Id, payload: PlaceIn) -> Any:
    return Status(201, services.offer_place(request.actor, activity_id=activity_id, **payload.dict()))


@router.put("/sessions/{session_id}/attendance", response=SessionOut, summary="Mark who came to a session")
def mark_attendance(request: ActorRequest, session_id: Id, payload: AttendanceIn) -> Any:
    return services.mark_attendance(request.actor, session_id=session_id, present=payload.present)
