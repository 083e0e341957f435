"""Reads for peer-led surveys, scoped to the actor's organisation and audited.

Results follow the pulse survey's anonymity rules, with the threshold of ``core.anonymity``: a survey with
fewer responses than the threshold shows no figures; a question answered by fewer is withheld; free text is
shown only when at least the threshold answered the question; a group's number of responses is shown only
from the threshold up. Owners (peer workers) read results always; managers and coordinators once shared.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core.actor import Actor
from peerwork.core.anonymity import ANONYMITY_THRESHOLD
from peerwork.core.roles import MANAGING_ROLES

from .survey_models import PeerSurvey, SurveyAnswer, SurveyLink, SurveyParticipation, SurveyQuestion, SurveyResponse
from .survey_services import groups_for, is_open, is_owner

Status = PeerSurvey.Status


def may_read_results(actor: Actor, survey: PeerSurvey) -> bool:
    if survey.organisation_id != actor.organisation_id:
        return False
    return is_owner(actor) or (survey.results_shared and actor.has(*MANAGING_ROLES))


def surveys(actor: Actor) -> QuerySet[PeerSurvey]:
    """Owners: every survey of the organisation. Managers and coordinators: those whose results are shared."""
    rows = PeerSurvey.objects.filter(organisation_id=actor.organisation_id).annotate(
        question_count=Count("questions", distinct=True), response_count=Count("responses", distinct=True)
    )
    if is_owner(actor):
        return rows
    if actor.has(*MANAGING_ROLES):
        return rows.filter(results_shared=True)
    return rows.none()


def to_answer(actor: Actor) -> list[PeerSurvey]:
    """Open surveys the person may answer and has not answered yet."""
    answered = SurveyParticipation.objects.filter(user=actor.user).values("survey_id")
    rows = (
        PeerSurvey.objects.filter(organisation_id=actor.organisation_id, status=Status.PUBLISHED)
        .exclude(pk__in=answered)
        .filter(Q(for_peer_workers=True) | Q(for_staff=True))
    )
    return [s for s in rows if is_open(s) and groups_for(actor, s)]


def owned_survey(actor: Actor, pk: int) -> PeerSurvey:
    """A survey to look after: owners only; anyone else, or another organisation's, is "not found"."""
    found = PeerSurvey.objects.filter(organisation_id=actor.organisation_id, pk=pk).first()
    if found is None or not is_owner(actor):
        raise Http404
    record(actor, Action.READ, found)
    return found


def answerable_survey(actor: Actor, pk: int) -> PeerSurvey:
    found = PeerSurvey.objects.filter(organisation_id=actor.organisation_id, pk=pk).exclude(status=Status.DRAFT).first()
    if found is None or not groups_for(actor, found):
        raise Http404
    return found


def has_answered(actor: Actor, survey: PeerSurvey) -> bool:
    return SurveyParticipation.objects.filter(survey=survey, user=actor.user).exists()


def survey_by_link(token: str) -> tuple[PeerSurvey, bool]:
    """The survey a one-time link opens, and whether the link was used already."""
    link = SurveyLink.objects.select_related("survey").filter(token_hash=SurveyLink.hash_token(token)).first()
    if link is None:
        raise Http404
    return link.survey, link.used


def link_counts(survey: PeerSurvey) -> tuple[int, int]:
    """How many one-time links are waiting and how many were used."""
    row = SurveyLink.objects.filter(survey=survey).aggregate(
        waiting=Count("pk", filter=Q(used=False)), used=Count("pk", filter=Q(used=True))
    )
    return row["waiting"], row["used"]


# --- results ----------------------------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    count: int
    percent: int


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int
    withheld: bool
    bars: list[Bar] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    mean: float | None = None


@dataclass
class GroupCount:
    group: str
    label: str
    count: int | None  # None: fewer than the threshold, withheld


@dataclass
class Results:
    survey: PeerSurvey
    responses: int
    withheld: bool
    groups: list[GroupCount]
    questions: list[QuestionResult]
    threshold: int = ANONYMITY_THRESHOLD


def _build(survey: PeerSurvey, threshold: int) -> Results:
    total = SurveyResponse.objects.filter(survey=survey).count()
    by_group = dict(
        SurveyResponse.objects.filter(survey=survey).values_list("group").annotate(n=Count("pk")).order_by()
    )
    groups = [
        GroupCount(g, str(label), n if (n := by_group.get(g, 0)) >= threshold or n == 0 else None)
        for g, label in SurveyResponse.Group.choices
        if getattr(
            survey, {"service_user": "for_service_users", "peer_worker": "for_peer_workers", "staff": "for_staff"}[g]
        )
    ]
    withheld_all = total < threshold
    questions = list(survey.questions.order_by("position", "pk"))
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    answered: dict[int, int] = defaultdict(int)
    for row in (
        SurveyAnswer.objects.filter(response__survey=survey)
        .values("question_id", "value")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        answered[row["question_id"]] += row["n"]
        if row["value"] is not None:
            counts[row["question_id"]][row["value"]] = row["n"]
    out = []
    for q in questions:
        n = answered[q.pk]
        withheld = withheld_all or n < threshold
        result = QuestionResult(q, n, withheld)
        if not withheld:
            if q.kind == SurveyQuestion.Kind.TEXT:
                # Ordered by the answers' random keys: no order of arrival.
                result.texts = list(
                    SurveyAnswer.objects.filter(question=q)
                    .exclude(text="")
                    .order_by("pk")
                    .values_list("text", flat=True)
                )
            else:
                labels = [str(v) for v in range(1, 6)] if q.kind == SurveyQuestion.Kind.SCALE else q.option_list()
                if q.kind == SurveyQuestion.Kind.SCALE:
                    labels[0] = f"1 ({q.low_label})"
                    labels[4] = f"5 ({q.high_label})"
                result.bars = [
                    Bar(label, c := counts[q.pk].get(i, 0), round(100 * c / n)) for i, label in enumerate(labels, 1)
                ]
                if q.kind == SurveyQuestion.Kind.SCALE:
                    result.mean = sum(i * c for i, c in counts[q.pk].items()) / n
        out.append(result)
    return Results(survey, total, withheld_all, groups, out, threshold)


def results(actor: Actor, pk: int, *, export: bool = False, threshold: int = ANONYMITY_THRESHOLD) -> Results:
    """A survey's results for its owners, and for managers and coordinators once shared; audited."""
    found = PeerSurvey.objects.filter(organisation_id=actor.organisation_id, pk=pk).first()
    if found is None or not may_read_results(actor, found):
        raise Http404
    record(
        actor,
        Action.EXPORT if export else Action.READ,
        found,
        detail=Detail("downloaded", page="survey_answers", format="csv")
        if export
        else Detail("shown", page="survey_answers"),
    )
    return _build(found, threshold)


def questions(survey: PeerSurvey) -> QuerySet[SurveyQuestion]:
    return survey.questions.order_by("position", "pk")


def question_of(survey: PeerSurvey, pk: str) -> SurveyQuestion:
    found = SurveyQuestion.objects.filter(survey=survey, pk=int(pk) if pk.isdigit() else 0).first()
    if found is None:
        raise Http404
    return found


def response_count(survey: PeerSurvey) -> int:
    return SurveyResponse.objects.filter(survey=survey).count()
