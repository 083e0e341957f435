"""The peer recovery service over the API (/api/service/…): referrals, engagements, contacts and goals, with
the same selectors and services as the pages, so scope and audit are the same. Notes the token's person
may not read come back empty with ``note_readable: false``."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from peerwork.audit.details import Detail
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


class ServiceUserIn(Schema):
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
    person: ServiceUserIn
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
    band: str = Field(description="The fit in words: good, some, little or not_known (too little recorded).")
    reasons: list[str]
    mismatches: list[str] = Field(description="What speaks against, in words; excludes no one.")
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
    comment: str = ""


class RevisionOut(Schema):
    words: str = Field(..., description="The wording the goal had before a correction")
    revised_at: datetime


class GoalOut(Schema):
    id: int
    engagement_id: int | None
    life_area: str
    words: str
    visibility: str
    achieved_on: date | None
    closed_on: date | None
    ratings: list[RatingOut]
    revisions: list[RevisionOut] = Field(default_factory=list, description="Earlier wordings, oldest first")

    @staticmethod
    def resolve_ratings(obj: Goal) -> list[dict[str, Any]]:
        return [{"rated_on": r.rated_on, "rating": r.rating, "comment": r.comment} for r in obj.ratings.all()]

    @staticmethod
    def resolve_revisions(obj: Goal) -> list[dict[str, Any]]:
        return [{"words": r.words, "revised_at": r.revised_at} for r in obj.revisions.all()]


class RatingIn(Schema):
    rating: int = Field(..., ge=0, le=10)
    rated_on: date | None = None
    comment: Annotated[str, Text(LONG_TEXT)] = Field("", description="What the person said, in their own words")


class GoalWordsIn(Schema):
    words: Annotated[str, Text(LONG_TEXT, min_length=1)] = Field(..., description="The corrected wording")


class ProposalIn(Schema):
    peer_worker_ids: list[Id] = Field(..., min_length=1, max_length=3)


class ChoiceIn(Schema):
    peer_worker_id: Id | None = Field(None, description="The chosen peer worker; empty when the person refused")
    refusal_reason: Annotated[str, Text(LONG_TEXT)] = ""
    started_on: date | None = None
    frequency: Engagement.Frequency = Engagement.Frequency.WEEKLY


class ProposedOut(Schema):
    peer_worker_id: int
    rank: int
    answer: str = Field(..., description="pending, accepted, declined (not available for this one) or talk")
    answer_note: str = Field(..., description="Only what the peer worker chose to write; empty otherwise")
    knows_privately: bool = False


class ProposalOut(Schema):
    id: int
    referral_id: int
    outcome: str
    origin: str
    planned_end_on: date | None
    planned_end_reason: str
    candidate_ids: list[int]
    candidates: list[ProposedOut]

    @staticmethod
    def resolve_candidate_ids(obj: Any) -> list[int]:
        return [c.peer_worker_id for c in obj.candidates.all()]

    @staticmethod
    def resolve_candidates(obj: Any) -> list[dict[str, Any]]:
        known = selectors.acquainted_peer_workers(obj)
        return [
            {
                "peer_worker_id": c.peer_worker_id,
                "rank": c.rank,
                "answer": c.answer,
                "answer_note": c.answer_note,
                "knows_privately": c.peer_worker_id in known,
            }
            for c in obj.candidates.all()
        ]


class AnswerIn(Schema):
    answer: Literal["accepted", "declined", "talk"]
    note: Annotated[str, Text(LONG_TEXT)] = Field(
        "", description="Optional; required when accepting someone you know privately (your waiver)"
    )


class AnswerOut(Schema):
    proposal_id: int
    answer: str
    answer_note: str


class HandoverIn(Schema):
    peer_worker_ids: list[Id] = Field(..., min_length=1, max_length=3)
    planned_end_on: date | None = Field(
        None,
        description="Optional new planned end of the new engagement, after today (empty keeps the current one); "
        "more than two years from the handover needs planned_end_reason",
    )
    planned_end_reason: Annotated[str, Text(LONG_TEXT)] = Field(
        "", description="Why the engagement goes on past the typical two years, in plain words"
    )


class WaiverIn(Schema):
    side: Literal["peer_worker", "person"]
    note: Annotated[str, Text(LONG_TEXT)]


class AcquaintanceOut(Schema):
    id: int
    peer_worker_id: int
    service_user_id: int
    peer_worker_waived: bool
    person_waived: bool

    @staticmethod
    def resolve_peer_worker_id(obj: Any) -> int:
        return int(obj.profile.user_id)

    @staticmethod
    def resolve_peer_worker_waived(obj: Any) -> bool:
        return obj.peer_worker_waived_at is not None

    @staticmethod
    def resolve_person_waived(obj: Any) -> bool:
        return obj.person_waived_at is not None


# --- referrals ----------------------------------------------------------------------------------------------


@router.get("/referrals", response=list[ReferralOut], summary="Referrals of the organisation (coordinators)")
@paginate
def list_referrals(request: ActorRequest, status: str = query("", max_length=20)) -> Any:
    actor = request.actor
    qs = selectors.referrals(actor, status or None)
    return selectors.AuditedPage(actor, qs, lambda r: (r, r.service_user), Detail("shown", page="api_referrals"))


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
        {"peer_worker_id": r.user.pk, "name": str(r.user), "score": r.score, "band": r.band, "reasons": r.texts,
         "mismatches": r.mismatches, "reason_codes": r.reasons, "active": r.active, "capacity": r.capacity}
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


@router.post(
    "/proposals/{proposal_id}/answer",
    response=AnswerOut,
    summary="The proposed peer worker's own answer: accept, decline (no reason needed) or talk first",
)
def answer_proposal(request: ActorRequest, proposal_id: Id, payload: AnswerIn) -> Any:
    found = services.proposals.answer(request.actor, proposal_id=proposal_id, answer=payload.answer, note=payload.note)
    return {"proposal_id": found.proposal_id, "answer": found.answer, "answer_note": found.answer_note}


@router.post("/proposals/{proposal_id}/withdraw", response=ProposalOut, summary="Take a pending proposal back")
def withdraw_proposal(request: ActorRequest, proposal_id: Id) -> Any:
    return services.proposals.withdraw(request.actor, proposal_id=proposal_id)


@router.post(
    "/engagements/{engagement_id}/handover",
    response={201: ProposalOut},
    summary="Propose 1–3 peer workers to take over; the engagement moves when the person has chosen",
)
def propose_handover(request: ActorRequest, engagement_id: Id, payload: HandoverIn) -> Any:
    return Status(
        201,
        services.proposals.propose_handover(
            request.actor,
            engagement_id=engagement_id,
            peer_worker_ids=payload.peer_worker_ids,
            planned_end_on=payload.planned_end_on,
            planned_end_reason=payload.planned_end_reason,
        ),
    )


@router.post(
    "/acquaintances/{acquaintance_id}/waivers",
    response=AcquaintanceOut,
    summary="Record that the peer worker or the person is fine with working together although they know each other",
)
def waive_acquaintance(request: ActorRequest, acquaintance_id: Id, payload: WaiverIn) -> Any:
    return services.proposals.waive_acquaintance(
        request.actor, conflict_id=acquaintance_id, side=payload.side, note=payload.note
    )


# --- engagements, contacts, goals ------------------------------------------------------------------------


@router.get("/engagements", response=list[EngagementOut], summary="Engagements the token's person may see")
@paginate
def list_engagements(request: ActorRequest, active: bool | None = True, peer_worker_id: int | None = query_id()) -> Any:
    actor = request.actor
    qs = selectors.engagements(actor, peer_worker_id=peer_worker_id, active=active)
    return selectors.AuditedPage(actor, qs, lambda e: (e, e.service_user), Detail("shown", page="api_engagements"))


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


@router.patch("/goals/{goal_id}", response=GoalOut, summary="Correct a goal's wording (the earlier wording is kept)")
def revise_goal(request: ActorRequest, goal_id: Id, payload: GoalWordsIn) -> Any:
    services.goals.revise_goal(request.actor, goal_id=goal_id, words=payload.words)
    return selectors.goal_page(request.actor, goal_id).goal


@router.post("/goals/{goal_id}/ratings", response={201: RatingOut}, summary="Record the person's own rating (0–10)")
def rate_goal(request: ActorRequest, goal_id: Id, payload: RatingIn) -> Any:
    found = services.goals.rate_goal(request.actor, goal_id=goal_id, **payload.dict())
    return Status(201, found)


# --- availability ----------------------------------------------------------------------------------------


HourSpan = Annotated[list[Annotated[str, Text(5, min_length=4)]], Field(min_length=2, max_length=2)]


class AvailabilityIn(Schema):
    """Only the fields sent change. Open to new people (``accepting: true``) clears ``resumes_on``."""

    accepting: bool | None = Field(None, description="Open to new people (false: new referrals paused)")
    resumes_on: date | None = Field(
        None, description="When pausing: the day to open again (after today); null: paused until further notice"
    )
    capacity: int | None = Field(None, ge=0, le=30, description="Within the agreed range")
    evenings: bool | None = None
    weekends: bool | None = None
    working_hours: dict[Literal["0", "1", "2", "3", "4", "5", "6"], list[HourSpan]] | None = Field(
        None, description='Weekday ("0" = Monday) to spans like ["09:00", "15:00"]'
    )


class RangeIn(Schema):
    capacity_min: int = Field(..., ge=0, le=30)
    capacity_max: int = Field(..., ge=0, le=30)


class ChangeOut(Schema):
    at: datetime
    by: str
    what: list[str]


class AvailabilityOut(Schema):
    peer_worker_id: int
    open_to_new: bool
    status: str
    on_hold: bool
    missing: list[str]
    accepting: bool
    resumes_on: date | None
    capacity: int
    capacity_min: int
    capacity_max: int
    evenings: bool
    weekends: bool
    working_hours: dict[str, list[list[str]]]
    changes: list[ChangeOut]


def _availability_out(request: ActorRequest, peer_worker_id: int) -> dict[str, Any]:
    view = selectors.availability(request.actor, peer_worker_id)
    p = view.profile
    return {
        "peer_worker_id": peer_worker_id,
        "open_to_new": view.open_now,
        "status": view.status,
        "on_hold": p.on_hold,
        "missing": view.missing,
        "accepting": p.accepting,
        "resumes_on": p.resumes_on,
        "capacity": p.capacity,
        "capacity_min": p.capacity_min,
        "capacity_max": p.capacity_max,
        "evenings": p.evenings,
        "weekends": p.weekends,
        "working_hours": p.working_hours or {},
        "changes": [{"at": c.at, "by": str(c.by or ""), "what": c.texts} for c in view.changes],
    }


@router.get(
    "/peer-workers/{peer_worker_id}/availability",
    response=AvailabilityOut,
    summary="A peer worker's availability, what keeps them on hold, and every change (themself, coordinators)",
)
def service_availability(request: ActorRequest, peer_worker_id: Id) -> dict[str, Any]:
    return _availability_out(request, peer_worker_id)


@router.patch(
    "/peer-workers/{peer_worker_id}/availability",
    response=AvailabilityOut,
    summary="Change availability: pause or open new referrals, capacity within the agreed range, evenings, "
    "weekends, hours (the peer worker themself, or a coordinator)",
)
def service_availability_update(request: ActorRequest, peer_worker_id: Id, payload: AvailabilityIn) -> dict[str, Any]:
    actor = request.actor
    selectors.peer_worker(actor, peer_worker_id)
    # A field left out stays as it is; ``resumes_on: null`` clears the day (a pause until further notice).
    sent = payload.dict(exclude_unset=True)
    values = {k: v for k, v in sent.items() if v is not None or k == "resumes_on"}
    services.availability.save_availability(actor, peer_worker_id=peer_worker_id, **values)
    return _availability_out(request, peer_worker_id)


@router.put(
    "/peer-workers/{peer_worker_id}/availability/range",
    response=AvailabilityOut,
    summary="Agree the range of engagements the peer worker chooses within (coordinators)",
)
def service_availability_range(request: ActorRequest, peer_worker_id: Id, payload: RangeIn) -> dict[str, Any]:
    actor = request.actor
    selectors.peer_worker(actor, peer_worker_id)
    services.availability.agree_range(actor, peer_worker_id=peer_worker_id, **payload.dict())
    return _availability_out(request, peer_worker_id)


@router.post(
    "/peer-workers/{peer_worker_id}/availability/lift-hold",
    response=AvailabilityOut,
    summary="Open a new peer worker to new people once profile and orientation are complete (coordinators)",
)
def service_availability_lift_hold(request: ActorRequest, peer_worker_id: Id) -> dict[str, Any]:
    actor = request.actor
    selectors.peer_worker(actor, peer_worker_id)
    services.availability.lift_hold(actor, peer_worker_id=peer_worker_id)
    return _availability_out(request, peer_worker_id)
