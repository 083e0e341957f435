"""/api/readiness: rounds and their results (anonymity threshold applied), derived checks, the action plan,
comments. Each route reads through the same selectors as the pages, so an invited person or a peer worker sees
here exactly what their pages show; writes go through the same services, which validate as the forms do."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from ninja import Router, Schema

from peerwork.core.apitypes import Id, Text, query
from peerwork.core.http import ActorRequest

from . import checks, scoring, selectors, services
from .models import ActionItem, Comment
from .roles import READ_ROLES

router = Router(tags=["readiness"])


class RoundOut(Schema):
    id: int
    title: str
    unit_id: int | None
    status: str
    opens_on: date
    closes_on: date | None
    submitted: int
    invited: int


class CellOut(Schema):
    score: float | None
    answers: int
    dont_know: int


class GroupOut(Schema):
    group: str
    responses: int
    withheld: bool
    domains: dict[str, CellOut]


class NamedOut(Schema):
    group: str
    name: str
    domains: dict[str, CellOut]


class ResultsOut(Schema):
    round_id: int
    threshold: int
    total_responses: int
    too_few: bool
    groups: list[GroupOut]
    overall: dict[str, CellOut]
    spread: dict[str, float | None]
    previous_round_id: int | None
    change: dict[str, float | None]
    named: list[NamedOut]


class FindingOut(Schema):
    unit_id: int
    unit_name: str
    position_id: int | None
    person: str
    detail: str


class CheckOut(Schema):
    code: str
    title: str
    source: str
    available: bool
    findings: list[FindingOut]


class ChecksOut(Schema):
    supervision_source: str
    results: list[CheckOut]


class ActionOut(Schema):
    id: int
    title: str
    owner_id: int
    due_on: date
    status: str
    source: str
    source_ref: str
    unit_id: int | None
    round_id: int | None
    risk_id: int | None


class ActionIn(Schema):
    title: Annotated[str, Text(250)] = ""
    owner_id: Id | None = None
    due_on: date | None = None
    source: ActionItem.Source = ActionItem.Source.OTHER
    source_ref: Annotated[str, Text(40)] = ""
    unit_id: Id | None = None
    round_id: Id | None = None
    risk_id: Id | None = None


@router.get("/rounds", response=list[RoundOut], summary="Readiness rounds of the organisation")
def rounds(request: ActorRequest) -> Any:
    return list(selectors.rounds(request.actor))


@router.get(
    "/rounds/{round_id}/results",
    response=ResultsOut,
    summary="Scores per domain and group; groups with fewer than three answers are withheld",
)
def results(request: ActorRequest, round_id: Id) -> Any:
    view = selectors.round_view(request.actor, round_id, with_named=True)
    assert view is not None
    r = view.results
    return {
        "round_id": view.round.pk,
        "threshold": r.threshold,
        "total_responses": r.total_responses,
        "too_few": r.too_few,
        "groups": [
            {
                "group": g.group,
                "responses": g.responses,
                "withheld": g.withheld,
                "domains": {d: c.__dict__ for d, c in g.domains.items()},
            }
            for g in r.groups
        ],
        "overall": {d: c.__dict__ for d, c in r.overall.items()},
        "spread": r.spread,
        "previous_round_id": view.previous.pk if view.previous else None,
        "change": {d: scoring.change(r, view.previous_results, d) for d in r.overall},
        "named": [
            {"group": n.group, "name": n.name, "domains": {d: c.__dict__ for d, c in n.domains.items()}}
            for n in view.named
        ],
    }


@router.get("/checks", response=ChecksOut, summary="Checks derived from the organisation's data, with their sources")
def derived_checks(request: ActorRequest) -> Any:
    request.actor.require(*READ_ROLES)  # with names: peer workers read the counts on the checks page
    return checks.as_dict(checks.run(request.actor))


@router.get("/actions", response=list[ActionOut], summary="The action plan (status: active, all, or one status)")
def actions(request: ActorRequest, status: str = query("active", max_length=20)) -> Any:
    return list(selectors.actions(request.actor, status))


@router.post("/actions", response={201: ActionOut}, summary="Add an action; an owner and a due date are required")
def create_action(request: ActorRequest, payload: ActionIn) -> Any:
    action = services.create_action(
        request.actor,
        title=payload.title,
        owner_id=payload.owner_id,
        due_on=payload.due_on,
        source=payload.source,
        source_ref=payload.source_ref,
        unit_id=payload.unit_id,
        round_id=payload.round_id,
        risk_id=payload.risk_id,
    )
    return 201, action


class CommentIn(Schema):
    text: Annotated[str, Text(2000)] = ""
    kind: Comment.Kind = Comment.Kind.COMMENT
    private_to_id: Id | None = None


class CommentOut(Schema):
    id: int
    kind: str
    text: str
    round_id: int | None
    action_id: int | None
    private_to_id: int | None


class ProgressIn(Schema):
    status: ActionItem.Status
    note: Annotated[str, Text(2000)] = ""


@router.post(
    "/rounds/{round_id}/comments",
    response={201: CommentOut},
    summary="Comment on a round's results; private_to_id sends it to one manager alone",
)
def comment_on_round(request: ActorRequest, round_id: Id, payload: CommentIn) -> Any:
    comment = services.add_comment(
        request.actor,
        text=payload.text,
        kind=payload.kind,
        round_id=round_id,
        private_to_id=payload.private_to_id,
    )
    return 201, comment


@router.post(
    "/actions/{action_id}/progress",
    response=ActionOut,
    summary="The owner of an action marks how it is going, with an optional note",
)
def action_progress(request: ActorRequest, action_id: Id, payload: ProgressIn) -> Any:
    return services.update_action_progress(request.actor, action_id, status=payload.status, note=payload.note)
