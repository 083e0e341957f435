"""Peer-led survey API under /api/coassessment: the same selectors as the pages, so the same scoping, anonymity
rules and audit. A survey the caller may not read answers 404, as an id that does not exist."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from ninja import Router, Schema
from ninja.pagination import paginate

from peerwork.core.apitypes import Id
from peerwork.core.http import ActorRequest

from . import survey_selectors as selectors
from .survey_models import PeerSurvey

router = Router(tags=["co-assessment"])


class SurveyOut(Schema):
    id: int
    title: str
    purpose: str
    status: str
    for_service_users: bool
    for_peer_workers: bool
    for_staff: bool
    opens_on: date
    closes_on: date
    results_shared: bool
    coassessment_id: int | None


class BarOut(Schema):
    answer: str
    count: int
    percent: int


class QuestionResultOut(Schema):
    question_id: int
    text: str
    kind: str
    answered: int
    withheld: bool
    mean: float | None
    distribution: list[BarOut]
    texts: list[str]


class GroupCountOut(Schema):
    group: str
    responses: int | None


class SurveyResultsOut(Schema):
    survey: SurveyOut
    responses: int
    withheld: bool
    threshold: int
    groups: list[GroupCountOut]
    questions: list[QuestionResultOut]


@router.get("/surveys", response=list[SurveyOut], url_name="coassessment_surveys", summary="Peer-led surveys")
@paginate
def surveys(request: ActorRequest) -> QuerySet[PeerSurvey]:
    """Peer workers: every peer-led survey of the organisation; managers and coordinators: those whose results
    the peer workers shared; anyone else: none."""
    return selectors.surveys(request.actor).order_by("-opens_on", "-pk")


@router.get(
    "/surveys/{survey_id}/results",
    response=SurveyResultsOut,
    url_name="coassessment_survey_results",
    summary="A peer-led survey's results, fewer than three answers withheld",
)
def survey_results(request: ActorRequest, survey_id: Id) -> SurveyResultsOut:
    r = selectors.results(request.actor, survey_id)
    return SurveyResultsOut(
        survey=SurveyOut.from_orm(r.survey),
        responses=r.responses,
        withheld=r.withheld,
        threshold=r.threshold,
        groups=[GroupCountOut(group=g.group, responses=g.count) for g in r.groups],
        questions=[
            QuestionResultOut(
                question_id=q.question.pk,
                text=q.question.text,
                kind=q.question.kind,
                answered=q.answered,
                withheld=q.withheld,
                mean=None if q.mean is None else round(q.mean, 2),
                distribution=[BarOut(answer=b.label, count=b.count, percent=b.percent) for b in q.bars],
                texts=q.texts,
            )
            for q in r.questions
        ],
    )
