"""Privacy API under /api/privacy: the same selectors as the pages, so the same consent checks and audit.

What a professional may read is decided at the moment of the call: a withdrawn consent answers with nothing
on the very next request.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from ninja import Router, Schema
from ninja.pagination import paginate

from peerwork.audit.models import AuditEntry
from peerwork.core.apitypes import Id, path_id, query
from peerwork.core.http import ActorRequest

from . import selectors

router = Router(tags=["privacy"])


class SharedRatingOut(Schema):
    rated_on: date
    rating: int


class SharedGoalOut(Schema):
    id: int
    life_area: str
    words: str
    achieved_on: date | None
    ratings: list[SharedRatingOut]


class ContactSummaryOut(Schema):
    date: date
    channel: str
    duration_minutes: int


class SharedNoteOut(Schema):
    contact_id: int
    date: date
    note: str


class SharedPersonOut(Schema):
    service_user_id: int
    name: str
    shared_until: list[date | None]
    goals: list[SharedGoalOut]
    contact_count: int | None
    contacts: list[ContactSummaryOut] | None
    notes: list[SharedNoteOut]


class SharedOut(Schema):
    total: int
    page: int
    people: list[SharedPersonOut]


class ConsentOut(Schema):
    id: int
    purpose: str
    goals: str
    goal_ids: list[int]
    note_ids: list[int]
    contact_summaries: bool
    recipient_unit_id: int | None
    recipient_user_id: int | None
    given_on: date
    valid_until: date | None
    how_given: str
    withdrawn_at: datetime | None
    status: str


class AccessOut(Schema):
    at: datetime
    actor_id: int | None
    actor_label: str
    role: str
    action: str
    object_type: str
    object_id: str
    via: str


@router.get(
    "/shared",
    response=SharedOut,
    summary="What people have agreed to share with me or my team (professionals)",
)
def privacy_shared(request: ActorRequest, page: int = query(1, ge=1, le=100_000)) -> dict[str, Any]:
    people, total = selectors.shared_with_me(request.actor, max(page, 1))
    return {
        "total": total,
        "page": max(page, 1),
        "people": [
            {
                "service_user_id": s.person.pk,
                "name": s.person.chosen_name,
                "shared_until": [c.valid_until for c in s.consents],
                "goals": [
                    {
                        "id": g.pk,
                        "life_area": g.life_area,
                        "words": g.words,
                        "achieved_on": g.achieved_on,
                        "ratings": [{"rated_on": r.rated_on, "rating": r.rating} for r in g.ratings.all()],
                    }
                    for g in s.goals
                ],
                "contact_count": s.contact_count if s.summaries else None,
                "contacts": s.contacts if s.summaries else None,
                "notes": [{"contact_id": n.pk, "date": n.date, "note": n.note} for n in s.notes],
            }
            for s in people
        ],
    }


@router.get(
    "/people/{service_user_id}/consents",
    response=list[ConsentOut],
    summary="A person's consents (their peer worker, coordinators, the data protection officer)",
)
def privacy_consents(request: ActorRequest, service_user_id: Id) -> list[dict[str, Any]]:
    page = selectors.consent_page(request.actor, service_user_id)
    out = []
    for c in page.consents:
        items = list(c.items.all())
        out.append(
            {
                "id": c.pk,
                "purpose": c.purpose,
                "goals": c.goals,
                "contact_summaries": c.contact_summaries,
                "goal_ids": [i.goal_id for i in items if i.goal_id],
                "note_ids": [i.contact_id for i in items if i.contact_id],
                "recipient_unit_id": c.recipient_unit_id,
                "recipient_user_id": c.recipient_user_id,
                "given_on": c.given_on,
                "valid_until": c.valid_until,
                "how_given": c.how_given,
                "withdrawn_at": c.withdrawn_at,
                "status": c.state,
            }
        )
    return out


@router.get(
    "/people/{service_user_id}/access-report",
    response=list[AccessOut],
    summary="Who read or changed a person's data, when, in which role, through which page or call (DPO)",
)
@paginate
def privacy_access_report(request: ActorRequest, service_user_id: int = path_id()) -> QuerySet[AuditEntry]:
    _person, entries = selectors.access_entries(request.actor, service_user_id)
    return entries


@router.get(
    "/people/{service_user_id}/export",
    response=dict[str, Any],
    summary="Everything held about a person, machine-readable (data protection officer)",
)
def privacy_export(request: ActorRequest, service_user_id: Id) -> dict[str, Any]:
    _person, data = selectors.export_person(request.actor, service_user_id, "api")
    return data


class LookOut(Schema):
    at: datetime
    who: str
    role: str
    what: str
    reason: str


@router.get(
    "/who-looked-at-my-work",
    response=list[LookOut],
    summary="Who else read or changed the token's peer worker's work, when and why, in words (peer workers)",
)
def privacy_who_looked(request: ActorRequest) -> list[selectors.Look]:
    return selectors.who_looked_at_my_work(request.actor)
