"""Co-creation API under /api/cocreation: the same selectors and services as the pages, so the same scoping
and audit. Validation errors answer 422 with the field messages; a role that may not act answers 403."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from peerwork.core.apitypes import LONG_TEXT, Id, Text, query_id
from peerwork.core.http import ActorRequest
from peerwork.core.roles import MANAGING_ROLES, PEER_ROLES
from peerwork.core.sources import label_text
from peerwork.organisations import selectors as org_selectors

from . import selectors, services
from .models import Contribution

# At most this many people named in one call (co-owners, participants in a joint decision).
MAX_PEOPLE = 100

router = Router(tags=["co-creation"])


# --- schemas ----------------------------------------------------------------------------------------------


class WarningOut(Schema):
    code: str
    title: str
    message: str
    source: str


class ParticipantOut(Schema):
    id: int
    kind: str
    person_id: int | None
    name: str


class PhaseOut(Schema):
    id: int
    kind: str
    status: str
    start_date: date | None
    end_date: date | None
    participants: list[ParticipantOut]


class InitiativeOut(Schema):
    id: int
    title: str
    problem_statement: str
    owner_id: int
    co_owner_ids: list[int]
    unit_id: int | None
    created_at: datetime
    phases: list[PhaseOut]
    warnings: list[WarningOut]


class InitiativeIn(Schema):
    title: Annotated[str, Text(200)]
    problem_statement: Annotated[str, Text(LONG_TEXT)]
    owner_id: Id | None = None
    co_owner_ids: Annotated[list[Id], Field(max_length=MAX_PEOPLE)] = []
    unit_id: Id | None = None


class CoOwnerIn(Schema):
    person_id: Id


class CoOwnerOut(Schema):
    id: int
    initiative_id: int
    person_id: int
    added_on: date


class PhaseIn(Schema):
    start_date: date | None = None
    end_date: date | None = None
    status: Annotated[str, Text(20)]


class ParticipantIn(Schema):
    kind: Annotated[str, Text(20)]
    person_id: Id | None = None
    external_name: Annotated[str, Text(120)] = ""


class DecisionParticipantOut(Schema):
    person_id: int | None
    name: str
    kind: str


class ContributionOut(Schema):
    id: int
    initiative_id: int
    phase_id: int
    phase: str
    contributor_id: int | None
    contributor_name: str
    contributor_kind: str
    summary: str
    details: str
    submitted_on: date
    outcome: str
    outcome_note: str
    decided_by_id: int | None
    decided_on: date | None
    decided_with_id: int | None
    participants: list[DecisionParticipantOut]

    @staticmethod
    def resolve_participants(obj: Contribution) -> list[dict[str, Any]]:
        return [{"person_id": x.person_id, "name": x.display, "kind": x.kind} for x in obj.participants.all()]

    @staticmethod
    def resolve_phase(obj: Contribution) -> str:
        return str(obj.phase.kind)

    @staticmethod
    def resolve_contributor_name(obj: Contribution) -> str:
        return obj.contributor_display


class ContributionIn(Schema):
    phase_id: Id
    summary: Annotated[str, Text(200)]
    details: Annotated[str, Text(LONG_TEXT)] = ""
    contributor_id: Id | None = None
    contributor_name: Annotated[str, Text(120)] = ""
    submitted_on: date | None = None


class DecisionIn(Schema):
    outcome: Annotated[str, Text(20)]
    note: Annotated[str, Text(LONG_TEXT)] = ""
    decided_on: date | None = None
    decided_with_id: Id | None = Field(
        None, description="The board or working group whose joint decision this is (leave out for one's own)."
    )
    participant_seat_ids: Annotated[list[Id], Field(max_length=MAX_PEOPLE)] = Field(
        [], description="Seats on that board whose holders took part in the joint decision."
    )
    guests: Annotated[list[Annotated[str, Text(120)]], Field(max_length=MAX_PEOPLE)] = Field(
        [], description="Names of others who took part in the joint decision."
    )


class SeatOut(Schema):
    id: int
    kind: str
    holder_id: int | None
    holder_name: str
    leads: bool
    also_acts_as: str
    converted_from: str
    dual_role: bool


class BoardDecisionOut(Schema):
    id: int
    text: str
    follow_up_by: str


class MeetingOut(Schema):
    id: int
    held_on: date
    agenda: str
    decisions: list[BoardDecisionOut]


class BoardOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    proposed_by_id: int | None
    purpose: str
    unit_id: int | None
    ended_on: date | None
    seats: list[SeatOut]
    warnings: list[WarningOut]


class BoardDetailOut(BoardOut):
    meetings: list[MeetingOut]


class BoardIn(Schema):
    name: Annotated[str, Text(200)]
    kind: Annotated[str, Text(30)]
    purpose: Annotated[str, Text(LONG_TEXT)] = ""
    unit_id: Id | None = None
    leader_id: Id | None = None


class SeatIn(Schema):
    kind: Annotated[str, Text(20)]
    holder_id: Id | None = None
    holder_name: Annotated[str, Text(120)] = ""
    leads: bool = False
    also_acts_as: Annotated[str, Text(20)] = ""


class MeetingIn(Schema):
    held_on: date
    agenda: Annotated[str, Text(LONG_TEXT)]


class BoardDecisionIn(Schema):
    text: Annotated[str, Text(LONG_TEXT)]
    follow_up_by: Annotated[str, Text(120)] = ""


class SignalOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    unit_id: int | None
    visibility: str
    sender_id: int | None
    sender_name: str | None
    responsible_manager_id: int
    status: str
    raised_at: datetime
    acknowledged_at: datetime | None
    seconds_to_acknowledge: int | None
    decision: str
    decided_at: datetime | None
    outcome: str
    closed_at: datetime | None


class SignalIn(Schema):
    kind: Annotated[str, Text(20)]
    title: Annotated[str, Text(200)]
    description: Annotated[str, Text(LONG_TEXT)] = ""
    unit_id: Id | None = None
    visibility: Annotated[str, Text(20)] = "named"
    responsible_manager_id: Id
    names_service_user: bool = False


class TextIn(Schema):
    text: Annotated[str, Text(LONG_TEXT)]


# --- converters -------------------------------------------------------------------------------------------


def _warnings(ws: list[Any]) -> list[dict[str, str]]:
    return [
        {"code": w.code, "title": str(w.title), "message": str(w.message), "source": label_text(w.source)} for w in ws
    ]


def _initiative(v: selectors.InitiativeView) -> dict[str, Any]:
    i = v.initiative
    return {
        "id": i.pk,
        "title": i.title,
        "problem_statement": i.problem_statement,
        "owner_id": i.owner_id,
        "co_owner_ids": [c.person_id for c in v.co_owners],
        "unit_id": i.unit_id,
        "created_at": i.created_at,
        "warnings": _warnings(v.warnings),
        "phases": [
            {
                "id": p.pk,
                "kind": p.kind,
                "status": p.status,
                "start_date": p.start_date,
                "end_date": p.end_date,
                "participants": [
                    {"id": x.pk, "kind": x.kind, "person_id": x.person_id, "name": x.name}
                    for x in v.participations.get(p.pk, [])
                ],
            }
            for p in v.phases
        ],
    }


def _board(v: selectors.BoardView, detail: bool = False) -> dict[str, Any]:
    b = v.board
    out: dict[str, Any] = {
        "id": b.pk,
        "name": b.name,
        "kind": b.kind,
        "status": b.status,
        "proposed_by_id": b.proposed_by_id,
        "purpose": b.purpose,
        "unit_id": b.unit_id,
        "ended_on": b.ended_on,
        "warnings": _warnings(v.warnings),
        "seats": [
            {
                "id": r.seat.pk,
                "kind": r.seat.kind,
                "holder_id": r.seat.holder_id,
                "holder_name": r.seat.holder_display,
                "leads": r.seat.leads,
                "also_acts_as": r.seat.also_acts_as,
                "converted_from": r.seat.converted_from,
                "dual_role": r.dual_role,
            }
            for r in v.seats
        ],
    }
    if detail:
        out["meetings"] = [
            {
                "id": m.pk,
                "held_on": m.held_on,
                "agenda": m.agenda,
                "decisions": [{"id": d.pk, "text": d.text, "follow_up_by": d.follow_up_by} for d in m.decisions.all()],
            }
            for m in v.meetings
        ]
    return out


def _signal(v: selectors.SignalView) -> dict[str, Any]:
    s = v.signal
    tta = s.time_to_acknowledge
    return {
        "id": s.pk,
        "kind": s.kind,
        "title": s.title,
        "description": s.description,
        "unit_id": s.unit_id,
        "visibility": s.visibility,
        "sender_id": s.raised_by_id if v.sender else None,
        "sender_name": v.sender,
        "responsible_manager_id": s.responsible_manager_id,
        "status": s.status,
        "raised_at": s.raised_at,
        "acknowledged_at": s.acknowledged_at,
        "seconds_to_acknowledge": int(tta.total_seconds()) if tta else None,
        "decision": s.decision,
        "decided_at": s.decided_at,
        "outcome": s.outcome,
        "closed_at": s.closed_at,
    }


# --- initiatives ------------------------------------------------------------------------------------------


@router.get("/initiatives", response=list[InitiativeOut], summary="Initiatives with phases, participants and warnings")
@paginate
def list_initiatives(request: ActorRequest, unit_id: int | None = query_id()) -> list[dict[str, Any]]:
    return [_initiative(v) for v in selectors.initiatives(request.actor, unit_id=unit_id)]


@router.get("/initiatives/{initiative_id}", response=InitiativeOut, summary="One initiative")
def get_initiative(request: ActorRequest, initiative_id: Id) -> dict[str, Any]:
    return _initiative(selectors.initiative(request.actor, initiative_id))


def _colleagues(actor: Any, ids: list[int], *, field: str) -> list[Any]:
    return [selectors.colleague(actor, i, field=field) for i in dict.fromkeys(ids)]


@router.post(
    "/initiatives",
    response={201: InitiativeOut},
    summary="Start an initiative (managers, coordinators, peer workers, senior peer workers)",
)
def create_initiative(request: ActorRequest, data: InitiativeIn) -> Status[dict[str, Any]]:
    actor = request.actor
    actor.require(*services.OWNER_ROLES)  # before the people it names are looked up
    created = services.create_initiative(
        actor,
        title=data.title,
        problem_statement=data.problem_statement,
        owner=selectors.colleague(actor, data.owner_id, field="owner"),
        co_owners=_colleagues(actor, data.co_owner_ids, field="co_owner_ids"),
        unit=org_selectors.unit(actor, data.unit_id) if data.unit_id is not None else None,
    )
    return Status(201, _initiative(selectors.initiative(actor, created.pk)))


@router.post(
    "/initiatives/{initiative_id}/co-owners",
    response={201: CoOwnerOut},
    summary="Add a co-owner (managers, coordinators and the initiative's owners)",
)
def add_co_owner(request: ActorRequest, initiative_id: Id, data: CoOwnerIn) -> Status[dict[str, Any]]:
    actor = request.actor
    initiative = selectors.initiative(actor, initiative_id).initiative
    if not services.can_manage_initiative(actor, initiative):  # before the person it names is looked up
        raise PermissionDenied
    c = services.add_co_owner(actor, initiative, person=selectors.colleague(actor, data.person_id, field="person_id"))
    return Status(201, {"id": c.pk, "initiative_id": c.initiative_id, "person_id": c.person_id, "added_on": c.added_on})


@router.patch("/phases/{phase_id}", response=PhaseOut, summary="Set a phase's dates and status")
def update_phase(request: ActorRequest, phase_id: Id, data: PhaseIn) -> dict[str, Any]:
    actor = request.actor
    phase = services.update_phase(
        actor,
        selectors.phase(actor, phase_id),
        start_date=data.start_date,
        end_date=data.end_date,
        status=data.status,
    )
    view = selectors.initiative(actor, phase.initiative_id)
    return next(p for p in _initiative(view)["phases"] if p["id"] == phase.pk)


@router.post("/phases/{phase_id}/participants", response={201: ParticipantOut}, summary="Add who takes part in a phase")
def add_participant(request: ActorRequest, phase_id: Id, data: ParticipantIn) -> Status[dict[str, Any]]:
    actor = request.actor
    phase = selectors.phase(actor, phase_id)
    if not services.can_manage_initiative(actor, phase.initiative):  # before the people it names are looked up
        raise PermissionDenied
    x = services.add_participant(
        actor,
        phase,
        kind=data.kind,
        person=selectors.colleague(actor, data.person_id, field="person"),
        external_name=data.external_name,
    )
    return Status(201, {"id": x.pk, "kind": x.kind, "person_id": x.person_id, "name": x.name})


# --- contributions ----------------------------------------------------------------------------------------


@router.get("/contributions", response=list[ContributionOut], summary="Proposals and their outcomes")
@paginate
def list_contributions(
    request: ActorRequest, mine: bool = False, outcome: str = "", initiative_id: int | None = query_id()
) -> QuerySet[Contribution]:
    return selectors.contribution_list(request.actor, mine=mine, outcome=outcome, initiative_id=initiative_id)


@router.post("/initiatives/{initiative_id}/contributions", response={201: ContributionOut}, summary="Add a proposal")
def add_contribution(request: ActorRequest, initiative_id: Id, data: ContributionIn) -> Status[Contribution]:
    actor = request.actor
    actor.require(
        *MANAGING_ROLES, *PEER_ROLES
    )  # before the people it names are looked up: a refused role learns nothing
    view = selectors.initiative(actor, initiative_id)
    phase = next((p for p in view.phases if p.pk == data.phase_id), None)
    if phase is None:
        raise ValidationError({"phase_id": "Choose one of this initiative's phases."})
    c = services.add_contribution(
        actor,
        view.initiative,
        phase=phase,
        summary=data.summary,
        details=data.details,
        contributor=selectors.colleague(actor, data.contributor_id, field="contributor"),
        contributor_name=data.contributor_name,
        submitted_on=data.submitted_on,
    )
    return Status(201, selectors.contribution(actor, c.pk))


@router.post(
    "/contributions/{contribution_id}/decision",
    response=ContributionOut,
    summary="Decide what came of a proposal",
)
def decide_contribution(request: ActorRequest, contribution_id: Id, data: DecisionIn) -> Contribution:
    actor = request.actor
    c = selectors.contribution(actor, contribution_id)
    if not services.can_decide(actor, c.initiative):  # before the board and seats it names are looked up
        raise PermissionDenied
    services.decide_contribution(
        actor,
        c,
        outcome=data.outcome,
        note=data.note,
        decided_on=data.decided_on,
        decided_with=selectors.board_of(actor, data.decided_with_id, field="decided_with_id"),
        participants=selectors.seats_by_id(actor, data.participant_seat_ids),
        guests=data.guests,
    )
    return selectors.contribution(actor, c.pk)


# --- boards -----------------------------------------------------------------------------------------------


@router.get("/boards", response=list[BoardOut], summary="Boards and committees with seats and warnings")
@paginate
def list_boards(request: ActorRequest, include_ended: bool = False) -> list[dict[str, Any]]:
    return [_board(v) for v in selectors.boards(request.actor, include_ended=include_ended)]


@router.get("/boards/{board_id}", response=BoardDetailOut, summary="One board with its meetings and decisions")
def get_board(request: ActorRequest, board_id: Id) -> dict[str, Any]:
    return _board(selectors.board(request.actor, board_id), detail=True)


@router.post(
    "/boards",
    response={201: BoardDetailOut},
    summary="Add a board (managers, coordinators); peer workers start one they lead or propose another kind",
)
def create_board(request: ActorRequest, data: BoardIn) -> Status[dict[str, Any]]:
    actor = request.actor
    actor.require(*services.OWNER_ROLES)  # before the people it names are looked up
    b = services.create_board(
        actor,
        name=data.name,
        kind=data.kind,
        purpose=data.purpose,
        unit=org_selectors.unit(actor, data.unit_id) if data.unit_id is not None else None,
        leader=selectors.colleague(actor, data.leader_id, field="leader_id"),
    )
    return Status(201, _board(selectors.board(actor, b.pk), detail=True))


@router.post("/boards/{board_id}/confirm", response=BoardDetailOut, summary="Confirm a proposed board")
def confirm_board(request: ActorRequest, board_id: Id) -> dict[str, Any]:
    actor = request.actor
    actor.require(*MANAGING_ROLES)
    services.confirm_board(actor, selectors.board(actor, board_id).board)
    return _board(selectors.board(actor, board_id), detail=True)


@router.post("/boards/{board_id}/seats", response={201: SeatOut}, summary="Add a seat to a board")
def add_seat(request: ActorRequest, board_id: Id, data: SeatIn) -> Status[dict[str, Any]]:
    actor = request.actor
    view = selectors.board(actor, board_id)
    leader = view.leader
    if not services.can_manage_seats(actor, view.board, leader.holder_id if leader else None):
        raise PermissionDenied  # before the person it names is looked up
    seat = services.add_seat(
        actor,
        view.board,
        kind=data.kind,
        holder=selectors.colleague(actor, data.holder_id, field="holder_id"),
        holder_name=data.holder_name,
        leads=data.leads,
        also_acts_as=data.also_acts_as,
    )
    row = next(r for r in selectors.board(actor, board_id).seats if r.seat.pk == seat.pk)
    return Status(
        201,
        {
            "id": seat.pk,
            "kind": seat.kind,
            "holder_id": seat.holder_id,
            "holder_name": seat.holder_display,
            "leads": seat.leads,
            "also_acts_as": seat.also_acts_as,
            "converted_from": seat.converted_from,
            "dual_role": row.dual_role,
        },
    )


@router.post("/boards/{board_id}/meetings", response={201: MeetingOut}, summary="Record a board meeting")
def add_meeting(request: ActorRequest, board_id: Id, data: MeetingIn) -> Status[dict[str, Any]]:
    actor = request.actor
    m = services.add_meeting(actor, selectors.board(actor, board_id).board, held_on=data.held_on, agenda=data.agenda)
    return Status(201, {"id": m.pk, "held_on": m.held_on, "agenda": m.agenda, "decisions": []})


@router.post(
    "/meetings/{meeting_id}/decisions", response={201: BoardDecisionOut}, summary="Record a decision of a meeting"
)
def add_board_decision(request: ActorRequest, meeting_id: Id, data: BoardDecisionIn) -> Status[dict[str, Any]]:
    actor = request.actor
    d = services.add_decision(
        actor, selectors.meeting(actor, meeting_id), text=data.text, follow_up_by=data.follow_up_by
    )
    return Status(201, {"id": d.pk, "text": d.text, "follow_up_by": d.follow_up_by})


@router.get("/committee-counts", response=dict[int, int], summary="Each peer worker's number of boards still meeting")
def committee_counts(request: ActorRequest) -> dict[int, int]:
    return selectors.committee_counts_for(request.actor)


# --- signals ----------------------------------------------------------------------------------------------


@router.get("/signals", response=list[SignalOut], summary="Your own signals; for a manager also those sent to them")
@paginate
def list_signals(request: ActorRequest, box: str = "mine") -> list[dict[str, Any]]:
    """``box``: ``mine`` (signals you sent), ``inbox`` (sent to you, managers) or ``all`` (managers)."""
    actor = request.actor
    if box == "inbox":
        rows = selectors.inbox(actor)
    elif box == "all":
        rows = selectors.organisation_signals(actor)
    else:
        rows = selectors.my_signals(actor)
    return [_signal(v) for v in rows]


@router.get("/signals/{signal_id}", response=SignalOut, summary="One signal (its sender or a manager)")
def get_signal(request: ActorRequest, signal_id: Id) -> dict[str, Any]:
    return _signal(selectors.signal(request.actor, signal_id))


@router.post("/signals", response={201: SignalOut}, summary="Raise a signal to a manager (peer workers)")
def raise_signal(request: ActorRequest, data: SignalIn) -> Status[dict[str, Any]]:
    actor = request.actor
    actor.require(*PEER_ROLES)  # before the people it names are looked up
    s = services.raise_signal(
        actor,
        kind=data.kind,
        title=data.title,
        description=data.description,
        unit=org_selectors.unit(actor, data.unit_id) if data.unit_id is not None else None,
        visibility=data.visibility,
        responsible_manager=selectors.colleague(actor, data.responsible_manager_id, field="responsible_manager"),
        names_service_user=data.names_service_user,
    )
    return Status(201, _signal(selectors.signal(actor, s.pk)))


@router.post("/signals/{signal_id}/acknowledge", response=SignalOut, summary="Acknowledge a signal (its manager)")
def acknowledge_signal(request: ActorRequest, signal_id: Id) -> dict[str, Any]:
    actor = request.actor
    view = selectors.signal(actor, signal_id)
    services.acknowledge_signal(actor, view.signal)
    return _signal(view)


@router.post("/signals/{signal_id}/decision", response=SignalOut, summary="Record the decision on a signal")
def decide_signal(request: ActorRequest, signal_id: Id, data: TextIn) -> dict[str, Any]:
    actor = request.actor
    view = selectors.signal(actor, signal_id)
    services.decide_signal(actor, view.signal, decision=data.text)
    return _signal(view)


@router.post("/signals/{signal_id}/outcome", response=SignalOut, summary="Close a signal with its outcome")
def close_signal(request: ActorRequest, signal_id: Id, data: TextIn) -> dict[str, Any]:
    actor = request.actor
    view = selectors.signal(actor, signal_id)
    services.close_signal(actor, view.signal, outcome=data.text)
    return _signal(view)
