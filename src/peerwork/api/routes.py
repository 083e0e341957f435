from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db.models import QuerySet
from ninja import Router, Schema
from ninja.pagination import paginate

from peerwork.audit import details
from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry
from peerwork.audit.trail import Action, record
from peerwork.core.apitypes import Id, query
from peerwork.core.http import ActorRequest
from peerwork.core.roles import Role
from peerwork.organisations import selectors as org_selectors
from peerwork.organisations.models import Position, Unit
from peerwork.privacy import selectors as privacy_selectors

from .main import api


class MeOut(Schema):
    username: str
    name: str
    organisation: str
    organisation_id: int
    roles: list[str]


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    district: str


class PositionOut(Schema):
    id: int
    title: str
    unit_id: int
    holder_id: int | None
    holder_name: str | None
    role_form: str
    hours_per_week: Decimal
    reports_to_id: int | None
    start_date: date | None
    end_date: date | None

    @staticmethod
    def resolve_holder_name(obj: Position) -> str | None:
        return str(obj.holder) if obj.holder_id else None


class AuditOut(Schema):
    id: int
    at: datetime
    actor_label: str
    role: str
    action: str
    object_type: str
    object_id: str
    subject_type: str
    subject_id: str
    via: str
    detail: str
    detail_words: str
    hash: str

    @staticmethod
    def resolve_detail_words(obj: AuditEntry) -> str:
        """The stored detail (structured data) as a sentence in the caller's language."""
        return details.in_words(obj.detail)


organisation = Router(tags=["organisation"])


@organisation.get("/me", response=MeOut, summary="Who this token acts as")
def me(request: ActorRequest) -> MeOut:
    a = request.actor
    return MeOut(
        username=a.user.username,
        name=str(a.user),
        organisation=a.organisation.name,
        organisation_id=a.organisation_id,
        roles=sorted(a.roles),
    )


@organisation.get("/units", response=list[UnitOut], summary="Teams and units of the organisation")
def units(request: ActorRequest) -> list[Unit]:
    return list(org_selectors.units(request.actor))


@organisation.get("/positions", response=list[PositionOut], summary="Peer-worker positions the token's person may see")
@paginate
def positions(request: ActorRequest) -> QuerySet[Position]:
    actor = request.actor
    record(actor, Action.READ, object_type="organisations.position", detail=Detail("shown", page="list"))
    return org_selectors.positions(actor).order_by("id")


@organisation.get("/positions/{position_id}", response=PositionOut, summary="One position")
def position(request: ActorRequest, position_id: Id) -> Position:
    return org_selectors.position(request.actor, position_id)


privacy = Router(tags=["privacy"])


@privacy.get("/audit", response=list[AuditOut], summary="The organisation's audit trail (data protection officer)")
@paginate
def audit(
    request: ActorRequest, action: str = query("", max_length=20), subject_id: str = query("", max_length=64)
) -> QuerySet[AuditEntry]:
    actor = request.actor
    actor.require(Role.DPO)
    record(actor, Action.READ, object_type="privacy.auditentry", detail=Detail("shown", page="list"))
    return privacy_selectors.audit_entries(actor, action=action, subject_id=subject_id)


api.add_router("/", organisation)
api.add_router("/privacy", privacy)
