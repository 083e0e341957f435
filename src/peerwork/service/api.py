"""The peer recovery service over the API (/api/service/…): referrals, engagements, contacts and goals, with
the same selectors and services as the pages, so scope and audit are the same. Notes the token's person
may not read come back empty with ``note_readable: false``."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from peerwork.core.apitypes import LONG_TEXT, Email, Id, LocalTime, Text, path_id, query, query_id
from peerwork.core.http import ActorRequest

from . import matching_adapter, selectors, services
from .models import Contact, Engagement, Gender, Goal, LifeArea, Referral, StrainAction, Visibility

router = Router(tags=["peer recovery service"])

WishKind = Literal[
    "gender", "language", "experience", "district", "interest", "background", "age_max_gap", "evenings", "weekends"
]
Code = Annotated[str, Text(40, min_length=1)]  # a language code, a life area, an experience


class Wish(Schema):
    kind: WishKind
    value: Annotated[str, Text(120, min_length=1)] | int | bool | list[Code] = Field(
        ..., description="A word, a number, yes/no, or a short list of words"
    )
    firm: bool = False


class PersonIn(Schema):
    chosen_name: Annotated[str, Text(120, min_length=1)]
    phone: Annotated[str, Text(40)] = ""
    email: Email = ""
    birth_year: int | None = Field(None, ge=1900, le=2100)
    languages: list[Code] = Field([], max_length=20)
    municipality: Annotated[str, Text(120)] = ""
    district: Annotated[str, Text(120)] = ""
    gender: Gender | Literal[""] = ""
    help_with: Annotated[str, Text(LONG_TEXT)] = ""
    help_areas: list[LifeArea] = Field([], max_length=20)
    wishes: list[Wish] = Field([], max_length=20)


class ReferralIn(Schema):
    person: PersonIn
    source: Referral.Source
    referrer: Annotated[str, Text(200)] = ""
    received_on: date | None = None
    wanted_experience: list[Code] = Field([], max_length=20)
    needs_evenings: bool = False
    needs_weekends: bool = False


class ReferralOut(Schema):
    id: int
    service_user_id: int
    chosen_name: str
    help_with: str
    source: str
    referrer: str
    received_on: date
    status: str
    status_reason: str
    wanted_experience: list[str]
    needs_evenings: bool
    needs_weekends: bool

    @staticmethod
    def resolve_chosen_name(obj: Referral) -> str:
        return obj.service_user.chosen_name

    @staticmethod
    def resolve_help_with(obj: Referral) -> str:
        return obj.service_user.help_with


class CandidateOut(Schema):
    peer_worker_id: int
    name: str
    score: float
    reasons: list[str]
    reason_codes: list[dict[str, Any]]
    active: int
    capacity: int


class EngagementOut(Schema):
    id: int
    service_user_id: int
    chosen_name: str
    peer_worker_id: int
    referral_id: int | None
    previous_id: int | None
    started_on: date
    frequency: str
    next_review_on: date | None
    planned_end_on: date
    closed_on: date | None
    closure_reason: str

    @staticmethod
    def resolve_chosen_name(obj: Engagement) -> str:
        return obj.service_user.chosen_name


class ExtensionIn(Schema):
    new_end_on: date
    reason: Annotated[str, Text(LONG_TEXT, min_length=1)]
    person_agreed: bool
    peer_worker_agreed: bool
    agreed_on: date


class ExtensionOut(Schema):
    id: int
    engagement_id: int
    previous_end_on: date
    new_end_on: date
    reason: str
    person_agreed: bool
    peer_worker_agreed: bool
    agreed_on: date
    recorded_by_id: int | None


class AgreementIn(Schema):
    channels: list[Contact.Channel] = Field(..., min_length=1)
    days: list[int] = Field(..., min_length=1, description="Weekdays, 0 = Monday … 6 = Sunday")
    hours_from: LocalTime
    hours_until: LocalTime
    out_of_hours: Annotated[str, Text(LONG_TEXT, min_length=1)]
    crisis: Annotated[str, Text(LONG_TEXT, min_length=1)]
    agreed_on: date


class AgreementOut(Schema):
    engagement_id: int
    channels: list[str]
    days: list[int]
    hours_from: time
    hours_until: time
    out_of_hours: str
    crisis: str
    agreed_on: date
    reviewed_on: date | None


class StrainActionIn(Schema):
    topic: Annotated[str, Text(40, min_length=1)]
    action: StrainAction.Action
    engagement_id: int | None = None
    taken_on: date | None = None


class StrainActionOut(Schema):
    id: int
    peer_worker_id: int
    engagement_id: int | None
    topic: str
    action: str
    taken_on: date


class ContactIn(Schema):
    date: date
    start_time: LocalTime = Field(..., description="Local time of day, without a time zone (e.g. 14:30)")
    duration_minutes: int = Field(..., ge=1, le=24 * 60)
    channel: Contact.Channel
    initiated_by: Contact.Initiator
    note: Annotated[str, Text(LONG_TEXT)] = ""
    note_visibility: Visibility = Visibility.PRIVATE
    kind: Contact.Kind = Field(
        Contact.Kind.CONTACT,
        description="contact; no_answer (tried to reach the person); not_taken (call received out of hours)",
    )


class ContactOut(Schema):
    id: int
    engagement_id: int
    peer_worker_id: int
    date: date
    start_time: str = Field(..., pattern=r"^\d{2}:\d{2}(:\d{2})?$", description="Local time of day")
    duration_minutes: int
    channel: str
    initiated_by: str
    kind: str
    outside_agreed_hours: bool
    note: str
    note_visibility: str
    note_readable: bool = True
    created_at: datetime

    @staticmethod
    def resolve_start_time(obj: Contact) -> str:
        return obj.start_time.isoformat() if isinstance(obj.start_time, time) else str(obj.start_time)


class GoalIn(Schema):
    life_area: LifeArea
    words: Annotated[str, Text(LONG_TEXT, min_length=1)]
    visibility: Visibility = Visibility.COORDINATOR


class RatingOut(Schema):
    rated_on: date
    rating: int


class GoalOut(Schema):
    id: int
    engagement_id: int | None
    life_area: str
    words: str
    visibility: str
    achieved_on: date | None
    closed_on: date | None
    ratings: list[RatingOut]

    @staticmethod
    def resolve_ratings(obj: Goal) -> list[dict[str, Any]]:
        return [{"rated_on": r.rated_on, "rating": r.rating} for r in obj.ratings.all()]


class RatingIn(Schema):
    rating: int = Field(..., ge=0, le=10)
    rated_on: date | None = None


class ProposalIn(Schema):
    peer_worker_ids: list[Id] = Field(..., min_length=1, max_length=3)


class ChoiceIn(Schema):
    peer_worker_id: Id | None = Field(None, description="The chosen peer worker; empty when the person refused")
    refusal_reason: Annotated[str, Text(LONG_TEXT)] = ""
    started_on: date | None = None
    frequency: Engagement.Frequency = Engagement.Frequency.WEEKLY


class ProposalOut(Schema):
    id: int
    referral_id: int
    outcome: str
    candidate_ids: list[int]

    @staticmethod
    def resolve_candidate_ids(obj: Any) -> list[int]:
        return [c.peer_worker_id for c in obj.candidates.all()]


# --- referrals ----------------------------------------------------------------------------------------------


@router.get("/referrals", response=list[ReferralOut], summary="Referrals of the organisation (coordinators)")
@paginate
def list_referrals(request: ActorRequest, status: str = query("", max_length=20)) -> Any:
    actor = request.actor
    qs = selectors.referrals(actor, status or None)
    return selectors.AuditedPage(actor, qs, lambda r: (r, r.service_user), "api referrals")


@router.post("/referrals", response={201: ReferralOut}, summary="Register a person and their referral")
def create_referral(request: ActorRequest, payload: ReferralIn) -> Any:
    data = payload.dict()
    person = data.pop("person")
    return Status(201, services.referrals.create_referral(request.actor, **person, **data))


@router.get("/referrals/{referral_id}", response=ReferralOut, summary="One referral")
def get_referral(request: ActorRequest, referral_id: Id) -> Referral:
    return selectors.referral(request.actor, referral_id)


@router.get(
    "/referrals/{referral_id}/candidates",
    response=list[CandidateOut],
    summary="Peer workers with room for a waiting referral, best fit first, with reasons in words",
)
def referral_candidates(
    request: ActorRequest, referral_id: Id, limit: int = query(10, ge=1, le=100)
) -> list[dict[str, Any]]:
    actor = request.actor
    found = selectors.referral(actor, referral_id)
    ranked, _excluded = matching_adapter.rank(actor, found, limit=max(1, min(limit, 100)))
    return [
        {"peer_worker_id": r.user.pk, "name": str(r.user), "score": r.score, "reasons": r.texts,
         "reason_codes": r.reasons, "active": r.active, "capacity": r.capacity}
        for r in ranked
    ]  # fmt: skip


@router.post("/referrals/{referral_id}/proposals", response={201: ProposalOut}, summary="Propose 1–3 peer workers")
def create_proposal(request: ActorRequest, referral_id: Id, payload: ProposalIn) -> Any:
    actor = request.actor
    found = selectors.referral(actor, referral_id)
    ranked, _excluded = matching_adapter.rank(actor, found, limit=None)
    ranking = {r.user.pk: (r.score, r.reasons) for r in ranked}
    return Status(
        201,
        services.proposals.propose(
            actor, referral_id=referral_id, peer_worker_ids=payload.peer_worker_ids, ranking=ranking
        ),
    )


@router.post(
    "/proposals/{proposal_id}/decision",
    response={201: EngagementOut, 200: ProposalOut},
    summary="Record the person's choice (starts the engagement) or refusal",
)
def decide(request: ActorRequest, proposal_id: Id, payload: ChoiceIn) -> Any:
    actor = request.actor
    if payload.peer_worker_id is None:
        return Status(
            200, services.proposals.record_refusal(actor, proposal_id=proposal_id, reason=payload.refusal_reason)
        )
    engagement = services.proposals.record_choice(
        actor,
        proposal_id=proposal_id,
        peer_worker_id=payload.peer_worker_id,
        started_on=payload.started_on,
        frequency=payload.frequency,
    )
    return Status(201, engagement)


# --- engagements, contacts, goals ------------------------------------------------------------------------


@router.get("/engagements", response=list[EngagementOut], summary="Engagements the token's person may see")
@paginate
def list_engagements(request: ActorRequest, active: bool | None = True, peer_worker_id: int | None = query_id()) -> Any:
    actor = request.actor
    qs = selectors.engagements(actor, peer_worker_id=peer_worker_id, active=active)
    return selectors.AuditedPage(actor, qs, lambda e: (e, e.service_user), "api engagements")


@router.get("/engagements/{engagement_id}", response=EngagementOut, summary="One engagement")
def get_engagement(request: ActorRequest, engagement_id: Id) -> Engagement:
    return selectors.engagement(request.actor, engagement_id, contact_limit=0).engagement


@router.get("/engagements/{engagement_id}/contacts", response=list[ContactOut], summary="Contacts of an engagement")
@paginate
def list_contacts(request: ActorRequest, engagement_id: int = path_id()) -> list[selectors.ReadableContact]:
    return selectors.contacts(request.actor, engagement_id)


@router.post("/engagements/{engagement_id}/contacts", response={201: ContactOut}, summary="Log a contact")
def create_contact(request: ActorRequest, engagement_id: Id, payload: ContactIn) -> Any:
    return Status(201, services.contacts.add_contact(request.actor, engagement_id=engagement_id, **payload.dict()))


@router.post(
    "/engagements/{engagement_id}/extensions",
    response={201: ExtensionOut},
    summary="Move the planned end later, with the person's and the peer worker's agreement and a reason",
)
def extend_engagement(request: ActorRequest, engagement_id: Id, payload: ExtensionIn) -> Any:
    act = services.engagements.extend_engagement
    return Status(201, act(request.actor, engagement_id=engagement_id, **payload.dict()))


@router.put(
    "/engagements/{engagement_id}/contact-agreement",
    response=AgreementOut,
    summary="Make or look again at the contact agreement made with the person",
)
def put_contact_agreement(request: ActorRequest, engagement_id: Id, payload: AgreementIn) -> Any:
    return services.contacts.save_agreement(request.actor, engagement_id=engagement_id, **payload.dict())


@router.post(
    "/peer-workers/{peer_worker_id}/strain-actions",
    response={201: StrainActionOut},
    summary="Record what a coordinator did about a strain topic (a fixed list)",
)
def create_strain_action(request: ActorRequest, peer_worker_id: Id, payload: StrainActionIn) -> Any:
    act = services.contacts.record_strain_action
    return Status(201, act(request.actor, peer_worker_id=peer_worker_id, **payload.dict()))


@router.get("/engagements/{engagement_id}/goals", response=list[GoalOut], summary="The person's goals")
def list_goals(request: ActorRequest, engagement_id: Id) -> list[Goal]:
    return selectors.goals(request.actor, engagement_id)


@router.post("/engagements/{engagement_id}/goals", response={201: GoalOut}, summary="Add a goal in the person's words")
def create_goal(request: ActorRequest, engagement_id: Id, payload: GoalIn) -> Any:
    return Status(201, services.goals.add_goal(request.actor, engagement_id=engagement_id, **payload.dict()))


@router.post("/goals/{goal_id}/ratings", response={201: RatingOut}, summary="Record the person's own rating (0–10)")
def rate_goal(request: ActorRequest, goal_id: Id, payload: RatingIn) -> Any:
    found = services.goals.rate_goal(request.actor, goal_id=goal_id, **payload.dict())
    return Status(201, found)
