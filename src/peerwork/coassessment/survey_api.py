"""Peer-led survey API under /api/coassessment: the same selectors as the pages, so the same scoping, anonymity
rules and audit. A survey the caller may not read answers 404, as an id that does not exist."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from ninja import Field, Router, Schema
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
    previous_round_id: int | None


class BarOut(Schema):
    answer: str
    count: int
    percent: int
    previous_round_percent: int | None = Field(
        None, description="The share in the previous round; null when there is none or it is withheld there."
    )


class SurveyGroupBarOut(Schema):
    answer: str
    count: int
    percent: int
    previous_round_percent: int | None = Field(
        None,
        description="The group's share in the previous round; null when there is none, or the group is withheld "
        "in either round.",
    )


class SurveyPreviousRoundGroupOut(Schema):
    withheld: bool = Field(description="Withheld in the previous round (or not asked as a group then): no comparison")
    answered: int | None
    mean: float | None


class SurveyQuestionGroupOut(Schema):
    group: str = Field(description="service_user, all_staff (peer workers and other staff), peer_worker or staff")
    part_of: str = Field(description="total, or all_staff for peer workers and other staff")
    withheld: bool = Field(
        description="Fewer answers than the threshold, or withheld with it so that it cannot be worked out"
    )
    answered: int | None
    mean: float | None
    distribution: list[SurveyGroupBarOut]
    texts: list[str]
    previous_round: SurveyPreviousRoundGroupOut | None = Field(
        None, description="The group's figures in the previous round; null when there is none or it is withheld here"
    )


class SurveyPreviousRoundFigureOut(Schema):
    survey_id: int
    withheld: bool
    answered: int | None
    mean: float | None


class QuestionResultOut(Schema):
    question_id: int
    text: str
    kind: str
    answered: int
    withheld: bool
    mean: float | None
    distribution: list[BarOut]
    texts: list[str]
    groups: list[SurveyQuestionGroupOut]
    previous_round: SurveyPreviousRoundFigureOut | None


class GroupCountOut(Schema):
    group: str
    part_of: str
    responses: int | None
    previous_round_responses: int | None = Field(
        None, description="The group's responses in the previous round; null unless shown in both rounds"
    )


class SurveyRoundOut(Schema):
    id: int
    year: int
    opens_on: date
    closes_on: date
    status: str
    current: bool


class SurveyResultsOut(Schema):
    survey: SurveyOut
    responses: int
    withheld: bool
    threshold: int
    groups: list[GroupCountOut]
    questions: list[QuestionResultOut]
    previous_round_id: int | None
    previous_round_responses: int | None
    rounds: list[SurveyRoundOut]


def part_of(level: int) -> str:
    return selectors.TOTAL if level == 0 else selectors.ALL_STAFF


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
    description=(
        "Overall, by group (service users and staff; staff as peer workers and other staff), and beside the previous "
        "round's figures, overall and group by group. A group under the threshold is withheld, and so is the next "
        "smallest when one group alone would be; a group withheld in either round has no comparison."
    ),
)
def survey_results(request: ActorRequest, survey_id: Id) -> SurveyResultsOut:
    r = selectors.results(request.actor, survey_id)
    return SurveyResultsOut(
        survey=SurveyOut.from_orm(r.survey),
        responses=r.responses,
        withheld=r.withheld,
        threshold=r.threshold,
        groups=[
            GroupCountOut(
                group=g.group, part_of=part_of(g.level), responses=g.count, previous_round_responses=g.previous
            )
            for g in r.groups
        ],
        previous_round_id=None if r.previous is None else r.previous.pk,
        previous_round_responses=r.previous_responses,
        rounds=[
            SurveyRoundOut(
                id=x.pk, year=x.year, opens_on=x.opens_on, closes_on=x.closes_on, status=x.status, current=x.current
            )
            for x in r.rounds
        ],
        questions=[
            QuestionResultOut(
                question_id=q.question.pk,
                text=q.question.text,
                kind=q.question.kind,
                answered=q.answered,
                withheld=q.withheld,
                mean=None if q.mean is None else round(q.mean, 2),
                distribution=[
                    BarOut(answer=b.label, count=b.count, percent=b.percent, previous_round_percent=b.previous)
                    for b in q.bars
                ],
                texts=q.texts,
                groups=[
                    SurveyQuestionGroupOut(
                        group=g.group,
                        part_of=part_of(g.level),
                        withheld=g.withheld,
                        answered=g.answered,
                        mean=None if g.mean is None else round(g.mean, 2),
                        distribution=[
                            SurveyGroupBarOut(
                                answer=b.label, count=b.count, percent=b.percent, previous_round_percent=b.previous
                            )
                            for b in g.bars
                        ],
                        texts=g.texts,
                        previous_round=None
                        if g.previous is None
                        else SurveyPreviousRoundGroupOut(
                            withheld=g.previous.withheld,
                            answered=g.previous.answered,
                            mean=None if g.previous.mean is None else round(g.previous.mean, 2),
                        ),
                    )
                    for g in q.groups
                ],
                previous_round=None
                if q.previous is None
                else SurveyPreviousRoundFigureOut(
                    survey_id=q.previous.survey.pk,
                    withheld=q.previous.withheld,
                    answered=q.previous.answered,
                    mean=None if q.previous.mean is None else round(q.previous.mean, 2),
                ),
            )
            for q in r.questions
        ],
    )
