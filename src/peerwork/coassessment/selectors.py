"""Every read of a co-assessment, scoped to the acting person and audited where it shows personal data.

Managers, coordinators and the data protection officer see every co-assessment of their organisation (the
plan, not the material); everyone else sees those whose team they are in. The material, segments and codings
are read by team members only. The name key (who a pseudonym is) is read by the data protection officer only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from peerwork.accounts.models import Membership, User
from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record, record_many
from peerwork.cocreation.models import Phase
from peerwork.core.actor import Actor
from peerwork.core.hooks import CommitteeHours
from peerwork.core.roles import MANAGING_ROLES, PEER_ROLES, Role
from peerwork.evaluation.models import PulseSurvey
from peerwork.readiness.models import ActionItem
from peerwork.service.models import ServiceUser

from . import services
from .models import (
    CoAssessment,
    Code,
    Coding,
    ExportReminder,
    Group,
    Guide,
    GuideQuestion,
    Material,
    Participant,
    Segment,
    TeamMember,
)

SEE_ALL = (*MANAGING_ROLES, Role.DPO)


def _scoped(actor: Actor) -> QuerySet[CoAssessment]:
    qs = CoAssessment.objects.filter(organisation_id=actor.organisation_id)
    if not actor.has(*SEE_ALL):
        qs = qs.filter(team__person=actor.user)
    return qs


def coassessments(actor: Actor) -> list[CoAssessment]:
    """The list page: each with its team size and participant count, in two queries."""
    return list(
        _scoped(actor)
        .annotate(
            team_size=Count("team", distinct=True),
            participant_count=Count("participants", filter=Q(participants__withdrawn_at__isnull=True), distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def coassessment(actor: Actor, pk: int) -> CoAssessment:
    """One co-assessment with its team (people loaded), or 404 outside the actor's scope."""
    found = (
        _scoped(actor)
        .filter(pk=pk)
        .select_related("phase__initiative", "gap", "pulse_survey", "ethics_approved_by")
        .prefetch_related(Prefetch("team", queryset=TeamMember.objects.select_related("person", "reflexivity")))
        .first()
    )
    if found is None:
        raise Http404
    return found


def for_member(actor: Actor, pk: int) -> CoAssessment:
    """``coassessment`` for a team member only (the material and the coding)."""
    ca = coassessment(actor, pk)
    if not services.is_member(actor, ca):
        raise PermissionDenied
    return ca


def for_manager(actor: Actor, pk: int) -> CoAssessment:
    ca = coassessment(actor, pk)
    if not services.can_manage(actor, ca):
        raise PermissionDenied
    return ca


@dataclass
class GroupRow:
    group: Group
    participants: list[Participant] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(1 for p in self.participants if p.withdrawn_at is None)


def groups(actor: Actor, ca: CoAssessment) -> list[GroupRow]:
    """Each group with its participants (pseudonyms and consent state only; never the name key)."""
    participants = Participant.objects.filter(organisation_id=actor.organisation_id, coassessment=ca).select_related(
        "consent"
    )
    rows = {g.pk: GroupRow(g) for g in Group.objects.filter(organisation_id=actor.organisation_id, coassessment=ca)}
    for p in participants:
        rows[p.group_id].participants.append(p)
    return list(rows.values())


def participant(actor: Actor, pk: int) -> Participant:
    p = (
        Participant.objects.filter(organisation_id=actor.organisation_id, pk=pk)
        .select_related("coassessment", "consent", "group")
        .first()
    )
    if p is None:
        raise Http404
    coassessment(actor, p.coassessment_id)  # scope
    return p


def export_reminders(actor: Actor, ca: CoAssessment) -> list[ExportReminder]:
    """The reminders to delete copies exported before a withdrawal, not yet marked done, for anyone who may open
    the co-assessment (``ca`` is already in the actor's scope). They name who downloaded, never who withdrew."""
    return services.open_export_reminders(ca) if ca.organisation_id == actor.organisation_id else []


def export_reminder(actor: Actor, pk: int) -> ExportReminder:
    """One reminder of a co-assessment the actor may open, or 404."""
    found = (
        ExportReminder.objects.filter(organisation_id=actor.organisation_id, pk=pk)
        .select_related("coassessment")
        .first()
    )
    if found is None:
        raise Http404
    coassessment(actor, found.coassessment_id)  # scope
    return found


def name_key(actor: Actor, ca: CoAssessment) -> list[tuple[Participant, ServiceUser | User | None]]:
    """Who each pseudonym is: for the data protection officer only, audited per person."""
    actor.require(Role.DPO)
    rows = []
    for p in Participant.objects.filter(organisation_id=actor.organisation_id, coassessment=ca).select_related(
        "consent__service_user", "consent__staff_member", "group"
    ):
        person = (p.consent.service_user or p.consent.staff_member) if p.consent else None
        rows.append((p, person))
    record_many(actor, Action.READ, [(p, person) for p, person in rows if person is not None], detail=Detail("named"))
    return rows


def guides(actor: Actor, ca: CoAssessment) -> list[Guide]:
    return list(
        Guide.objects.filter(organisation_id=actor.organisation_id, coassessment=ca).prefetch_related(
            Prefetch("questions", queryset=GuideQuestion.objects.order_by("position", "id"))
        )
    )


def guide(actor: Actor, pk: int) -> Guide:
    g = Guide.objects.filter(organisation_id=actor.organisation_id, pk=pk).select_related("coassessment").first()
    if g is None:
        raise Http404
    coassessment(actor, g.coassessment_id)
    return g


def question(actor: Actor, pk: int) -> GuideQuestion:
    q = (
        GuideQuestion.objects.filter(organisation_id=actor.organisation_id, pk=pk)
        .select_related("guide__coassessment")
        .first()
    )
    if q is None:
        raise Http404
    coassessment(actor, q.guide.coassessment_id)
    return q


def materials(actor: Actor, ca: CoAssessment) -> list[Material]:
    """The material's titles (team members only), with how many segments each has."""
    if not services.is_member(actor, ca):
        raise PermissionDenied
    return list(
        Material.objects.filter(organisation_id=actor.organisation_id, coassessment=ca)
        .select_related("group")
        .annotate(segment_count=Count("segments"))
        .defer("text")
    )


@dataclass
class CodingRow:
    """One coding as the coding page shows it: the code's name and the coder's name, read in the same query."""

    pk: int
    code_name: str
    coder_id: int
    coder: str


@dataclass
class SegmentRow:
    segment: Segment
    text: str
    codings: list[CodingRow]


@dataclass
class Workspace:
    material: Material
    segments: list[SegmentRow]
    codes: list[Code]
    participants: list[Participant]
    blind: bool
    blind_round: bool = False  # the co-assessment codes blind and the actor has not compared yet
    segment_count: int = 0  # every segment of the material, the shown ones a page of them
    first: int = 1  # the place of the first shown segment among them (1 for the first)
    later: str = ""  # the cursor of the next page of segments, "" on the last
    earlier: bool = False  # segments come before the shown ones

    @property
    def last(self) -> int:
        """The place of the last shown segment."""
        return self.first + len(self.segments) - 1


SEGMENTS_PER_PAGE = 25


def _cursor(value: str) -> tuple[int, int] | None:
    """A keyset cursor "start-id" (the last segment shown), or None for the first page."""
    start, _dash, pk = value.partition("-")
    if start.isdigit() and pk.isdigit():
        return int(start), int(pk)
    return None


def _coding_rows(segment_ids: list[int], coder: User | None) -> dict[int, list[CodingRow]]:
    """The codings of these segments by segment, in the order they were made (only ``coder``'s when given):
    plain values in one query, the code's and the coder's names joined in, no model built per coding."""
    codings = Coding.objects.filter(segment_id__in=segment_ids)
    if coder is not None:
        codings = codings.filter(coder=coder)
    by_segment: dict[int, list[CodingRow]] = {pk: [] for pk in segment_ids}
    names: dict[int, str] = {}
    for segment_id, pk, code_name, coder_id, display_name, first_name, last_name, username in codings.order_by(
        "segment_id", "id"
    ).values_list(
        "segment_id",
        "pk",
        "code__name",
        "coder_id",
        "coder__display_name",
        "coder__first_name",
        "coder__last_name",
        "coder__username",
    ):
        name = names.get(coder_id)
        if name is None:  # a handful of coders: each named once, as the person's own str() names them
            name = names[coder_id] = str(
                User(display_name=display_name, first_name=first_name, last_name=last_name, username=username)
            )
        by_segment[segment_id].append(CodingRow(pk, code_name, coder_id, name))
    return by_segment


def workspace(actor: Actor, material_pk: int, *, blind: bool = False, after: str = "") -> Workspace:
    """One material with a page of its segments (``SEGMENTS_PER_PAGE``, from the keyset cursor ``after``) and
    their codings, for coding. ``blind``: only the actor's codings. The participants offered are those of the
    material's group (every participant when it has none). Read by team members only; audited.

    The material comes with its co-assessment (in the actor's scope) and the co-assessment's team in one query
    and its prefetch; the codings as plain values (``_coding_rows``)."""
    cursor = _cursor(after)
    of_material = Segment.objects.filter(material_id=material_pk).order_by().values("material_id")
    before = of_material.filter(Q(start__lt=cursor[0]) | Q(start=cursor[0], pk__lte=cursor[1])) if cursor else None
    material = (
        Material.objects.filter(organisation_id=actor.organisation_id, pk=material_pk, coassessment__in=_scoped(actor))
        .select_related("coassessment")
        .prefetch_related("coassessment__team")
        .annotate(  # the counts of the material's segments, all and before the page, in the same query
            segment_total=Subquery(of_material.annotate(n=Count("pk")).values("n")),
            segment_before=Subquery(before.annotate(n=Count("pk")).values("n")) if before is not None else Value(0),
        )
        .first()
    )
    if material is None:
        raise Http404
    ca = material.coassessment
    member = services.membership(actor, ca)
    if member is None:
        raise PermissionDenied
    blind_round = ca.blind_coding and member.compared_at is None
    blind = blind or blind_round
    shown = Segment.objects.filter(material=material)
    if cursor is not None:
        shown = shown.filter(Q(start__gt=cursor[0]) | Q(start=cursor[0], pk__gt=cursor[1]))
    segments = list(shown.select_related("participant").order_by("start", "id")[: SEGMENTS_PER_PAGE + 1])
    more = len(segments) > SEGMENTS_PER_PAGE
    segments = segments[:SEGMENTS_PER_PAGE]
    codings = _coding_rows([s.pk for s in segments], actor.user if blind else None)
    earlier = material.segment_before or 0
    text = material.text
    rows = [SegmentRow(s, text[s.start : s.end], codings[s.pk]) for s in segments]
    record(actor, Action.READ, material, detail=Detail("segments", count=len(rows)))
    speakers = Participant.objects.filter(coassessment=ca, withdrawn_at__isnull=True)
    if material.group_id is not None:
        speakers = speakers.filter(group_id=material.group_id)
    return Workspace(
        material=material,
        segments=rows,
        codes=list(Code.objects.filter(coassessment=ca).order_by("name")),
        participants=list(speakers.order_by("pseudonym")),
        blind=blind,
        blind_round=blind_round,
        segment_count=material.segment_total or 0,
        first=earlier + 1,
        later=f"{segments[-1].start}-{segments[-1].pk}" if more else "",
        earlier=bool(earlier),
    )


def segment(actor: Actor, pk: int) -> Segment:
    s = (
        Segment.objects.filter(organisation_id=actor.organisation_id, pk=pk)
        .select_related("material__coassessment")
        .first()
    )
    if s is None:
        raise Http404
    s.material.coassessment = for_member(actor, s.material.coassessment_id)
    return s


def coding(actor: Actor, pk: int) -> Coding:
    c = Coding.objects.filter(organisation_id=actor.organisation_id, pk=pk, coder=actor.user).first()
    if c is None:
        raise Http404
    return c


def codes(actor: Actor, ca: CoAssessment, search: str = "") -> list[Code]:
    qs = Code.objects.filter(organisation_id=actor.organisation_id, coassessment=ca)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(description__icontains=search))
    return list(qs.order_by("name"))


def team_choices(actor: Actor) -> QuerySet[User]:
    """People of the actor's organisation, for the team form."""
    ids = Membership.objects.filter(organisation_id=actor.organisation_id).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("first_name", "last_name", "username")


def assessment_phases(actor: Actor) -> QuerySet[Phase]:
    return Phase.objects.filter(organisation_id=actor.organisation_id, kind="assessment").select_related("initiative")


def readiness_gaps(actor: Actor) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(organisation_id=actor.organisation_id, source="gap")


def pulse_surveys(actor: Actor) -> QuerySet[PulseSurvey]:
    """The organisation's pulse surveys, newest first, for the plan's link to a survey's trend."""
    return PulseSurvey.objects.filter(organisation_id=actor.organisation_id).order_by("-period_start")


def pulse_survey_words(survey: PulseSurvey | None) -> str:
    """A pulse survey in plain words: its title and its period ("Pulse survey 2026 Q3, 1 July 2026 to 30
    September 2026"), in the reader's language; "" for none."""
    if survey is None:
        return ""
    return str(_("Pulse survey %(label)s, %(start)s to %(end)s")) % {
        "label": survey.label,
        "start": date_format(survey.period_start),
        "end": date_format(survey.period_end),
    }


def committee_counts(organisation_id: int) -> dict[int, int]:
    """Each peer worker's co-assessments under way, counted as working groups in readiness's committee
    check (S1 B1), in one query."""
    peer_ids = Membership.objects.filter(organisation_id=organisation_id, role__in=PEER_ROLES).values("user_id")
    rows = (
        TeamMember.objects.filter(organisation_id=organisation_id, person_id__in=peer_ids)
        .exclude(coassessment__status=CoAssessment.Status.FINISHED)
        .values("person_id")
        .annotate(n=Count("coassessment_id", distinct=True))
        .order_by()
    )
    return {r["person_id"]: r["n"] for r in rows}


def monthly_hours(organisation_id: int) -> dict[int, int]:
    """Each person's hours a month in co-assessments under way, in one query (readiness's committee check
    shows a peer worker's through ``committee_hours``)."""
    rows = (
        TeamMember.objects.filter(organisation_id=organisation_id)
        .exclude(coassessment__status=CoAssessment.Status.FINISHED)
        .values("person_id")
        .annotate(n=Sum("hours_per_month"))
        .order_by()
    )
    return {r["person_id"]: r["n"] or 0 for r in rows}


def code(actor: Actor, pk: int) -> Code:
    """One code of a co-assessment whose team the actor is in, or 404 / refused."""
    found = Code.objects.filter(organisation_id=actor.organisation_id, pk=pk).first()
    if found is None:
        raise Http404
    found.coassessment = for_member(actor, found.coassessment_id)
    return found


def codebook(actor: Actor, ca: CoAssessment) -> list[Code]:
    """The codebook with how many codings each code has (``uses``), in one query."""
    return list(
        Code.objects.filter(organisation_id=actor.organisation_id, coassessment=ca)
        .annotate(uses=Count("codings"))
        .order_by("name")
    )


def committee_hours(organisation_id: int) -> CommitteeHours:
    """Each person's hours a month in co-assessments under way, for readiness's committee check."""
    return CommitteeHours(_("in co-assessment"), monthly_hours(organisation_id))
