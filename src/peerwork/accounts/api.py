"""People's lifecycle over the API (/api/accounts/…), for administrators: the same services as the person's
page, so the API refuses exactly what the page refuses, with the same messages."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Router, Schema

from peerwork.core.apitypes import Email, Id, Text
from peerwork.core.http import ActorRequest
from peerwork.core.roles import Role

from . import selectors, services

router = Router(tags=["people"])


class PersonIn(Schema):
    first_name: Annotated[str, Text(150, min_length=1)]
    last_name: Annotated[str, Text(150, min_length=1)]
    email: Email


class RoleIn(Schema):
    role: Role
    unit_id: Id | None = None


class PersonOut(Schema):
    id: int
    first_name: str
    last_name: str
    email: str
    is_active: bool
    roles: list[str]
    two_step_set_up: bool
    recovery_codes_left: int | None
    organisation_sign_in: list[str]


def _out(request: ActorRequest, user_id: int) -> dict[str, Any]:
    view = selectors.person(request.actor, user_id)
    return {
        "id": view.user.pk,
        "first_name": view.user.first_name,
        "last_name": view.user.last_name,
        "email": view.user.email,
        "is_active": view.user.is_active,
        "roles": [m.role for m in view.memberships],
        "two_step_set_up": view.has_authenticator,
        "recovery_codes_left": view.recovery_codes_left,
        "organisation_sign_in": [i.provider for i in view.identities],
    }


@router.get("/people/{user_id}", response=PersonOut, summary="One person of the organisation (administrators)")
def accounts_person(request: ActorRequest, user_id: Id) -> dict[str, Any]:
    return _out(request, user_id)


@router.put("/people/{user_id}", response=PersonOut, summary="Change a person's name and e-mail (administrators)")
def accounts_person_update(request: ActorRequest, user_id: Id, payload: PersonIn) -> dict[str, Any]:
    services.edit_person(request.actor, user_id=user_id, **payload.dict())
    return _out(request, user_id)


@router.post("/people/{user_id}/roles", response=PersonOut, summary="Give a person a role (administrators)")
def accounts_person_add_role(request: ActorRequest, user_id: Id, payload: RoleIn) -> dict[str, Any]:
    unit = selectors.unit(request.actor, payload.unit_id) if payload.unit_id else None
    services.add_role(request.actor, user_id=user_id, role=payload.role, unit=unit)
    return _out(request, user_id)


@router.post(
    "/people/{user_id}/deactivate",
    response=PersonOut,
    summary="Switch a person off: every session ends and every API token is revoked (administrators; refused "
    "while a peer worker has open engagements)",
)
def accounts_person_deactivate(request: ActorRequest, user_id: Id) -> dict[str, Any]:
    services.deactivate_person(request.actor, user_id=user_id)
    return _out(request, user_id)


@router.post(
    "/people/{user_id}/two-step-reset",
    response=PersonOut,
    summary="Reset a person's two-step sign-in; they are told by e-mail (administrators)",
)
def accounts_person_reset_two_step(request: ActorRequest, user_id: Id) -> dict[str, Any]:
    services.reset_two_step(request.actor, user_id=user_id)
    return _out(request, user_id)
