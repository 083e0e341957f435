"""Reads for peer-led surveys, scoped to the actor's organisation and audited.

Results follow the pulse survey's anonymity rules, with the threshold of ``core.anonymity``: a survey with
fewer responses than the threshold shows no figures; a question answered by fewer is withheld; free text is
shown only when at least the threshold answered the question; a group's number of responses is shown only
from the threshold up. Owners (peer workers) read results always; managers and coordinators once shared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

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

Group = SurveyResponse.Group
# The staff who answered signed in, peer workers and other staff together: the breakdown's counterpart to the
# service users who answered through links.
ALL_STAFF = "all_staff"
TOTAL = "total"


def group_label(key: str) -> str:
    return str(
        {
            Group.SERVICE_USER.value: _("Service users"),
            ALL_STAFF: _("All staff"),
            Group.PEER_WORKER.value: _("Peer workers"),
            Group.STAFF.value: _("Other staff"),
        }[key]
    )


def group_levels(survey: PeerSurvey) -> list[tuple[str, list[str]]]:
    """The breakdown as (whole, its parts), the whole before its parts: staff and service users, then staff by
    the role group they answered as. A part is listed only where the survey asked more than one group."""
    staff = [
        g
        for g, asked in ((Group.PEER_WORKER.value, survey.for_peer_workers), (Group.STAFF.value, survey.for_staff))
        if asked
    ]
    levels: list[tuple[str, list[str]]] = []
    if survey.for_service_users and staff:
        levels.append((TOTAL, [Group.SERVICE_USER.value, ALL_STAFF]))
        if len(staff) == 2:
            levels.append((ALL_STAFF, staff))
    elif len(staff) == 2:
        levels.append((TOTAL, staff))
    return levels


def _with_wholes(leaves: Mapping[str, int]) -> dict[str, int]:
    counts = {g: leaves.get(g, 0) for g in Group.values}
    counts[ALL_STAFF] = counts[Group.PEER_WORKER.value] + counts[Group.STAFF.value] + counts[Group.ANY_STAFF.value]
    counts[TOTAL] = counts[ALL_STAFF] + counts[Group.SERVICE_USER.value]
    return counts


def complementary(counts: Mapping[str, int], threshold: int, always: Collection[str] = ()) -> set[str]:
    """The parts of one whole to withhold: each under the threshold, and then the next smallest shown, one by
    one, until the withheld parts together hold no answer or at least the threshold, so that nobody can take the
    shown parts from the whole to find a withheld one (complementary suppression; Peerwork default). With one
    part withheld this always withholds the next smallest too. ``always`` are parts never shown."""
    withheld = {g for g, n in counts.items() if n < threshold} | set(always)
    while len(withheld) < len(counts) and 0 < sum(counts[g] for g in withheld) < threshold:
        withheld.add(min((g for g in counts if g not in withheld), key=lambda g: (counts[g], g)))
    return withheld


def withheld_groups(counts: Mapping[str, int], levels: list[tuple[str, list[str]]], threshold: int) -> set[str]:
    """Every group (and the whole) whose figures are withheld: the whole under the threshold; the parts of a
    withheld whole (they would add up to it); complementary suppression among the parts of a shown whole."""
    hidden = set() if counts[TOTAL] >= threshold else {TOTAL}
    for whole, parts in levels:
        if whole in hidden:
            hidden.update(parts)
            continue
        # Staff answers whose role group was not kept are a part never shown, so it is always withheld: the
        # shown parts must not give it away either.
        unkept = Group.ANY_STAFF.value if Group.STAFF.value in parts and Group.PEER_WORKER.value in parts else None
        shares = {g: counts[g] for g in parts}
        always = set()
        if unkept is not None and counts[unkept]:
            shares[unkept] = counts[unkept]
            always.add(unkept)
        hidden |= complementary(shares, threshold, always)
    hidden.discard(Group.ANY_STAFF.value)
    return hidden


@dataclass
class Bar:
    label: str
    count: int
    percent: int
    previous: int | None = None  # the previous round's share in percent, when shown there


@dataclass
class PreviousGroupFigures:
    """One group's figures for the same question in the previous round, as that round's own breakdown shows
    them: withheld there (nothing then) or shown."""

    withheld: bool
    answered: int | None = None
    mean: float | None = None


@dataclass
class GroupFigures:
    """One group's figures for one question: withheld (``answered`` then holds nothing) or shown."""

    group: str
    label: str
    level: int
    withheld: bool
    answered: int | None = None
    bars: list[Bar] = field(default_factory=list)
    mean: float | None = None
    texts: list[str] = field(default_factory=list)
    # Set only where this group is shown here and the question was copied from the previous round.
    previous: PreviousGroupFigures | None = None


@dataclass
class PreviousFigures:
    """The previous round's overall figures for the same question."""

    survey: PeerSurvey
    withheld: bool
    answered: int | None = None
    mean: float | None = None


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int
    withheld: bool
    bars: list[Bar] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    mean: float | None = None
    groups: list[GroupFigures] = field(default_factory=list)
    previous: PreviousFigures | None = None


@dataclass
class GroupCount:
    group: str
    label: str
    count: int | None  # None: withheld
    level: int = 0
    previous: int | None = None  # the previous round's count, when shown in both rounds


@dataclass
class Round:
    pk: int
    title: str
    year: int
    opens_on: date
    closes_on: date
    status: str
    shared: bool
    current: bool


@dataclass
class Results:
    survey: PeerSurvey
    responses: int
    withheld: bool
    groups: list[GroupCount]
    questions: list[QuestionResult]
    threshold: int = ANONYMITY_THRESHOLD
    previous: PeerSurvey | None = None
    previous_responses: int | None = None  # None: withheld or no previous round
    rounds: list[Round] = field(default_factory=list)


def _labels(q: SurveyQuestion) -> list[str]:
    if q.kind == SurveyQuestion.Kind.SCALE:
        labels = [str(v) for v in range(1, 6)]
        labels[0] = f"1 ({q.low_label})"
        labels[4] = f"5 ({q.high_label})"
        return labels
    return q.option_list()


def _figures(q: SurveyQuestion, counts: Mapping[int, int], n: int) -> tuple[list[Bar], float | None]:
    bars = [Bar(label, c := counts.get(i, 0), round(100 * c / n)) for i, label in enumerate(_labels(q), 1)]
    mean = sum(i * c for i, c in counts.items()) / n if q.kind == SurveyQuestion.Kind.SCALE else None
    return bars, mean


def _build(survey: PeerSurvey, threshold: int, *, breakdown: bool = True) -> Results:
    """A round's results in a fixed number of queries, however many answered: responses by group, the
    questions, answers counted by question, group and value, and (with free-text questions) their words."""
    by_group = _with_wholes(
        dict(SurveyResponse.objects.filter(survey=survey).values_list("group").annotate(n=Count("pk")).order_by())
    )
    total = by_group[TOTAL]
    levels = group_levels(survey) if breakdown else []
    hidden = withheld_groups(by_group, levels, threshold)
    groups = [
        GroupCount(g, group_label(g), None if g in hidden else by_group[g], level)
        for level, (_whole, parts) in enumerate(levels)
        for g in parts
    ]
    withheld_all = total < threshold
    questions = list(survey.questions.order_by("position", "pk"))
    # counts[question][group][value]; value None for a free-text answer
    counts: dict[int, dict[str, dict[int | None, int]]] = defaultdict(lambda: defaultdict(dict))
    for question_id, group, value, n in (
        SurveyAnswer.objects.filter(response__survey=survey)
        .values_list("question_id", "response__group", "value")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[question_id][group][value] = n
    texts: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if not withheld_all and any(q.kind == SurveyQuestion.Kind.TEXT for q in questions):
        # Ordered by the answers' random keys: no order of arrival.
        for question_id, group, text in (
            SurveyAnswer.objects.filter(response__survey=survey, question__kind=SurveyQuestion.Kind.TEXT)
            .exclude(text="")
            .order_by("pk")
            .values_list("question_id", "response__group", "text")
        ):
            texts[question_id].append((group, text))
    out = []
    for q in questions:
        per_group = _with_wholes({g: sum(v.values()) for g, v in counts[q.pk].items()})
        n = per_group[TOTAL]
        withheld = withheld_all or n < threshold
        result = QuestionResult(q, n, withheld)
        out.append(result)
        if withheld:
            continue
        if q.kind == SurveyQuestion.Kind.TEXT:
            result.texts = [t for _g, t in texts[q.pk]]
        else:
            values: dict[int, int] = defaultdict(int)
            for by_value in counts[q.pk].values():
                for value, c in by_value.items():
                    if value is not None:
                        values[value] += c
            result.bars, result.mean = _figures(q, values, n)
        q_hidden = withheld_groups(per_group, levels, threshold)
        for level, (_whole, parts) in enumerate(levels):
            for g in parts:
                figures = GroupFigures(g, group_label(g), level, g in q_hidden)
                result.groups.append(figures)
                if figures.withheld:
                    continue
                figures.answered = per_group[g]
                members = [Group.PEER_WORKER.value, Group.STAFF.value, Group.ANY_STAFF.value] if g == ALL_STAFF else [g]
                if q.kind == SurveyQuestion.Kind.TEXT:
                    figures.texts = [t for grp, t in texts[q.pk] if grp in members]
                else:
                    values = defaultdict(int)
                    for member in members:
                        for value, c in counts[q.pk].get(member, {}).items():
                            if value is not None:
                                values[value] += c
                    figures.bars, figures.mean = _figures(q, values, per_group[g])
    return Results(survey, total, withheld_all, groups, out, threshold)


def _compare(current: Results, previous: Results) -> None:
    """Set the previous round's figures beside this round's, overall and group by group, for each scale or choice
    question copied from it. Each round's own withholding holds: a group withheld in either round (under the
    threshold, or withheld with another by complementary suppression) shows no comparison, so every figure set
    beside this round's is one the previous round's own results show."""
    earlier = {r.question.pk: r for r in previous.questions}
    current.previous = previous.survey
    current.previous_responses = None if previous.withheld else previous.responses
    counts_before = {g.group: g.count for g in previous.groups}
    for count in current.groups:
        if count.count is not None:
            count.previous = counts_before.get(count.group)
    for result in current.questions:
        before = earlier.get(result.question.copied_from_id or 0)
        if before is None or result.question.kind == SurveyQuestion.Kind.TEXT:
            continue
        result.previous = PreviousFigures(
            previous.survey, before.withheld, None if before.withheld else before.answered, before.mean
        )
        if not before.withheld:
            shares = {b.label: b.percent for b in before.bars}
            for bar in result.bars:
                bar.previous = shares.get(bar.label)
        groups_before = {g.group: g for g in before.groups}
        for figures in result.groups:
            if figures.withheld:
                continue
            then = groups_before.get(figures.group)
            if then is None or then.withheld:
                # Not asked as a group last round, or withheld there: nothing of it is set beside this round's.
                figures.previous = PreviousGroupFigures(withheld=True)
                continue
            figures.previous = PreviousGroupFigures(False, then.answered, then.mean)
            shares = {b.label: b.percent for b in then.bars}
            for bar in figures.bars:
                bar.previous = shares.get(bar.label)


def rounds(survey: PeerSurvey) -> list[Round]:
    """Every round of the survey, earliest first, from one read of the organisation's surveys."""
    rows = {
        row["pk"]: row
        for row in PeerSurvey.objects.filter(organisation_id=survey.organisation_id).values(
            "pk", "title", "previous_round_id", "opens_on", "closes_on", "status", "results_shared"
        )
    }
    following = {row["previous_round_id"]: pk for pk, row in rows.items() if row["previous_round_id"]}
    first = survey.pk
    seen = {first}
    while True:
        before = rows[first]["previous_round_id"] if first in rows else None
        if before is None or before not in rows or before in seen:
            break
        first = before
        seen.add(first)
    chain = [first]
    while (after := following.get(chain[-1])) and after not in chain:
        chain.append(after)
    return [
        Round(
            pk,
            rows[pk]["title"],
            rows[pk]["opens_on"].year,
            rows[pk]["opens_on"],
            rows[pk]["closes_on"],
            rows[pk]["status"],
            rows[pk]["results_shared"],
            pk == survey.pk,
        )
        for pk in chain
    ]


def _read(actor: Actor, survey: PeerSurvey, export: bool) -> None:
    record(
        actor,
        Action.EXPORT if export else Action.READ,
        survey,
        detail=Detail("downloaded", page="survey_answers", format="csv")
        if export
        else Detail("shown", page="survey_answers"),
    )


def results(actor: Actor, pk: int, *, export: bool = False, threshold: int = ANONYMITY_THRESHOLD) -> Results:
    """A survey's results for its owners, and for managers and coordinators once shared; audited. With a previous
    round the reader may also read, that round's figures are set beside these (its read audited too)."""
    found = (
        PeerSurvey.objects.filter(organisation_id=actor.organisation_id, pk=pk).select_related("previous_round").first()
    )
    if found is None or not may_read_results(actor, found):
        raise Http404
    _read(actor, found, export)
    out = _build(found, threshold)
    previous = found.previous_round
    if previous is not None and previous.status != Status.DRAFT and may_read_results(actor, previous):
        _read(actor, previous, export)
        _compare(out, _build(previous, threshold))
    out.rounds = rounds(found)
    return out


def questions(survey: PeerSurvey) -> QuerySet[SurveyQuestion]:
    return survey.questions.order_by("position", "pk")


def question_of(survey: PeerSurvey, pk: str) -> SurveyQuestion:
    found = SurveyQuestion.objects.filter(survey=survey, pk=int(pk) if pk.isdigit() else 0).first()
    if found is None:
        raise Http404
    return found


def response_count(survey: PeerSurvey) -> int:
    return SurveyResponse.objects.filter(survey=survey).count()
