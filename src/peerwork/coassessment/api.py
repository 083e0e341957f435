"""Co-assessment API under /api/coassessment: the same selectors and services as the pages, so the same scoping,
validation and audit. A role that may not act answers 403; an object outside the actor's scope 404, as one
that does not exist; input the services refuse answers 422 with each field's message."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core.actor import Actor
from peerwork.core.apitypes import LONG_TEXT, Id, Text
from peerwork.core.http import ActorRequest

from . import exchange, report, selectors, services
from .models import CoAssessment, Coding, ExportReminder
from .views import RUNNERS, USERS

router = Router(tags=["co-assessment"])


# --- schemas ----------------------------------------------------------------------------------------------


class TeamMemberOut(Schema):
    id: int
    person_id: int
    name: str
    role: str
    is_peer_co_researcher: bool
    hours_per_month: int


class CoAssessmentGroupOut(Schema):
    id: int
    name: str
    kind: str
    size: int = Field(description="Participants taking part, without those who withdrew.")


class CoAssessmentSummaryOut(Schema):
    id: int
    title: str
    question: str
    method: str
    status: str
    step: int
    retention_until: date


class ExportReminderDownloaderOut(Schema):
    person_id: int
    name: str


class ExportReminderOut(Schema):
    id: int
    exported_before: datetime = Field(
        description="When a participant withdrew: copies of the project file or the report downloaded before then "
        "still hold their words and are to be deleted"
    )
    downloaded_by: list[ExportReminderDownloaderOut]
    done_at: datetime | None = Field(None, description="When a team member marked the copies as deleted")


class CoAssessmentOut(CoAssessmentSummaryOut):
    phase_id: int | None
    gap_id: int | None
    pulse_survey_id: int | None
    ethics_approved_on: date | None
    blind_coding: bool
    team: list[TeamMemberOut]
    groups: list[CoAssessmentGroupOut]
    export_reminders: list[ExportReminderOut] = Field(
        default_factory=list,
        description="Copies to delete after a participant withdrew, not yet marked done; never says who withdrew",
    )


class CodeOut(Schema):
    id: int
    name: str
    description: str


class CodingOut(Schema):
    id: int
    segment_id: int
    code_id: int
    coder_id: int
    blind: bool


class StepOut(Schema):
    number: int
    name: str
    done: bool


class ReportTeamOut(Schema):
    name: str
    role: str
    peer_co_researcher: bool
    hours_per_month: int


class ReportGroupOut(Schema):
    name: str
    kind: str
    size: int


class CoAssessmentFindingOut(Schema):
    name: str
    definition: str
    condensate: str
    synthesis: str
    quote: str = Field(description="Empty when the analysis's rules leave the quote out.")
    quote_by: str
    outcomes: list[str]


class NoteOut(Schema):
    name: str
    text: str


class ItemOut(Schema):
    key: str
    question: str
    answer: str = Field(description="Empty: not yet answered.")
    from_data: bool = Field(description="Filled in by Peerwork from its data; otherwise the team's answer.")


class CoAssessmentAgreementOut(Schema):
    code: str
    alpha: str


class ReportOut(Schema):
    title: str
    question: str
    draft: bool
    method: str
    status: str
    steps: list[StepOut]
    team: list[ReportTeamOut]
    groups: list[ReportGroupOut]
    findings: list[CoAssessmentFindingOut]
    notes: list[NoteOut]
    checklist: list[ItemOut]
    agreement: list[CoAssessmentAgreementOut]
    coders: int
    withheld_quotes: int


class PlanIn(Schema):
    title: Annotated[str, Text(200)]
    question: Annotated[str, Text(LONG_TEXT)]
    method: Annotated[str, Text(20)] = Field(description="thematic or condensation")
    retention_until: date
    phase_id: Id | None = None
    gap_id: Id | None = None
    pulse_survey_id: Id | None = None


class TeamMemberIn(Schema):
    person_id: Id
    role: Annotated[str, Text(20)] = Field(description="lead, moderator, observer, coder or co_researcher")
    is_peer_co_researcher: bool = False
    hours_per_month: int = Field(0, ge=0, le=32767)


class CodeIn(Schema):
    name: Annotated[str, Text(120)]
    description: Annotated[str, Text(LONG_TEXT)] = ""


class CodingIn(Schema):
    code_id: Id


# --- converters -------------------------------------------------------------------------------------------


def _summary(ca: CoAssessment) -> dict[str, Any]:
    return {
        "id": ca.pk,
        "title": ca.title,
        "question": ca.question,
        "method": ca.method,
        "status": ca.status,
        "step": ca.step,
        "retention_until": ca.retention_until,
    }


def _detail(actor: Actor, ca: CoAssessment) -> dict[str, Any]:
    return {
        **_summary(ca),
        "phase_id": ca.phase_id,
        "gap_id": ca.gap_id,
        "pulse_survey_id": ca.pulse_survey_id,
        "ethics_approved_on": ca.ethics_approved_on,
        "blind_coding": ca.blind_coding,
        "team": [
            {
                "id": m.pk,
                "person_id": m.person_id,
                "name": str(m.person),
                "role": m.role,
                "is_peer_co_researcher": m.is_peer_co_researcher,
                "hours_per_month": m.hours_per_month,
            }
            for m in ca.team.all()
        ],
        "groups": [
            {"id": row.group.pk, "name": row.group.name, "kind": row.group.kind, "size": row.size}
            for row in selectors.groups(actor, ca)
        ],
        "export_reminders": [_reminder(r) for r in selectors.export_reminders(actor, ca)],
    }


def _reminder(r: ExportReminder) -> dict[str, Any]:
    return {
        "id": r.pk,
        "exported_before": r.exported_before,
        "downloaded_by": [{"person_id": u.pk, "name": str(u)} for u in r.downloaded_by.all()],
        "done_at": r.done_at,
    }


def _coding(c: Coding) -> dict[str, Any]:
    return {"id": c.pk, "segment_id": c.segment_id, "code_id": c.code_id, "coder_id": c.coder_id, "blind": c.blind}


# --- reads ------------------------------------------------------------------------------------------------


@router.get("/coassessments", response=list[CoAssessmentSummaryOut], summary="Co-assessments the token's person sees")
@paginate
def coassessment_list(request: ActorRequest) -> list[dict[str, Any]]:
    actor = request.actor
    actor.require(*USERS)
    return [_summary(ca) for ca in selectors.coassessments(actor)]


@router.get(
    "/coassessments/{coassessment_id}", response=CoAssessmentOut, summary="One co-assessment: plan, team, groups"
)
def coassessment_get(request: ActorRequest, coassessment_id: Id) -> dict[str, Any]:
    actor = request.actor
    actor.require(*USERS)
    ca = selectors.coassessment(actor, coassessment_id)
    out = _detail(actor, ca)
    record(actor, Action.READ, ca, detail=Detail("shown", page="overview"))
    return out


@router.get("/coassessments/{coassessment_id}/codes", response=list[CodeOut], summary="The codebook")
def coassessment_codebook(request: ActorRequest, coassessment_id: Id) -> list[dict[str, Any]]:
    actor = request.actor
    actor.require(*USERS)
    ca = selectors.coassessment(actor, coassessment_id)
    return [{"id": c.pk, "name": c.name, "description": c.description} for c in selectors.codes(actor, ca)]


@router.get(
    "/coassessments/{coassessment_id}/report",
    response=ReportOut,
    summary="The report (the team at any time; managers, coordinators and the DPO once finished)",
)
def coassessment_report(request: ActorRequest, coassessment_id: Id) -> dict[str, Any]:
    actor = request.actor
    actor.require(*USERS)
    built = report.gather(actor, report.coassessment(actor, coassessment_id))
    out: dict[str, Any] = {"title": built.title, "question": built.ca.question}
    for f in fields(built):
        if f.name in ("ca", "organisation", "made_on"):
            continue
        value = getattr(built, f.name)
        out[f.name] = [asdict(v) for v in value] if isinstance(value, list) else value
    return out


# --- writes -----------------------------------------------------------------------------------------------


@router.post("/coassessments", response={201: CoAssessmentOut}, summary="Plan a co-assessment (you join as lead)")
def coassessment_create(request: ActorRequest, data: PlanIn) -> Status[dict[str, Any]]:
    actor = request.actor
    actor.require(*RUNNERS)  # before the phase, gap and survey it names are looked up
    phase = gap = None
    if data.phase_id is not None:
        phase = selectors.assessment_phases(actor).filter(pk=data.phase_id).first()
        if phase is None:
            raise ValidationError(
                {"phase_id": _("Choose the co-assessment phase of one of your organisation's initiatives.")}
            )
    if data.gap_id is not None:
        gap = selectors.readiness_gaps(actor).filter(pk=data.gap_id).first()
        if gap is None:
            raise ValidationError({"gap_id": _("Choose a readiness gap of your own organisation.")})
    survey = None
    if data.pulse_survey_id is not None:
        survey = selectors.pulse_surveys(actor).filter(pk=data.pulse_survey_id).first()
        if survey is None:
            raise ValidationError({"pulse_survey_id": _("Choose a pulse survey of your own organisation.")})
    ca = services.create_coassessment(
        actor,
        title=data.title,
        question=data.question,
        method=data.method,
        retention_until=data.retention_until,
        phase=phase,
        gap=gap,
        pulse_survey=survey,
    )
    return Status(201, _detail(actor, selectors.coassessment(actor, ca.pk)))


@router.post(
    "/export-reminders/{reminder_id}/done",
    response=ExportReminderOut,
    summary="Mark the copies exported before a participant withdrew as deleted (team members; audited)",
)
def coassessment_export_reminder_done(request: ActorRequest, reminder_id: Id) -> dict[str, Any]:
    actor = request.actor
    actor.require(*RUNNERS)
    reminder = selectors.export_reminder(actor, reminder_id)
    return _reminder(services.mark_exported_copies_deleted(actor, reminder))


@router.post(
    "/coassessments/{coassessment_id}/team",
    response={201: TeamMemberOut},
    summary="Add a team member (managers, coordinators and the team's lead and moderators)",
)
def coassessment_add_team_member(
    request: ActorRequest, coassessment_id: Id, data: TeamMemberIn
) -> Status[dict[str, Any]]:
    actor = request.actor
    actor.require(*RUNNERS)
    ca = selectors.coassessment(actor, coassessment_id)
    if not services.can_manage(actor, ca):  # before the person it names is looked up
        raise PermissionDenied
    person = selectors.team_choices(actor).filter(pk=data.person_id).first()
    m = services.add_team_member(
        actor,
        ca,
        person=person,
        role=data.role,
        is_peer_co_researcher=data.is_peer_co_researcher,
        hours_per_month=data.hours_per_month,
    )
    return Status(
        201,
        {
            "id": m.pk,
            "person_id": m.person_id,
            "name": str(m.person),
            "role": m.role,
            "is_peer_co_researcher": m.is_peer_co_researcher,
            "hours_per_month": m.hours_per_month,
        },
    )


@router.post("/coassessments/{coassessment_id}/codes", response={201: CodeOut}, summary="Add a code (team members)")
def coassessment_add_code(request: ActorRequest, coassessment_id: Id, data: CodeIn) -> Status[dict[str, Any]]:
    actor = request.actor
    actor.require(*RUNNERS)
    ca = selectors.coassessment(actor, coassessment_id)
    c = services.add_code(actor, ca, name=data.name, description=data.description)
    return Status(201, {"id": c.pk, "name": c.name, "description": c.description})


@router.post(
    "/segments/{segment_id}/codings",
    response={201: CodingOut},
    summary="Code a segment (team members, while analysing; blind in a blind round)",
)
def coassessment_code_segment(request: ActorRequest, segment_id: Id, data: CodingIn) -> Status[dict[str, Any]]:
    actor = request.actor
    actor.require(*RUNNERS)
    segment = selectors.segment(actor, segment_id)
    ca = segment.material.coassessment
    code = next((c for c in selectors.codes(actor, ca) if c.pk == data.code_id), None)
    coding = services.code_segment(actor, segment, code=code, blind=exchange.must_code_blind(actor, ca))
    return Status(201, _coding(coding))


@router.delete("/codings/{coding_id}", response={204: None}, summary="Undo one of your own codings")
def coassessment_undo_coding(request: ActorRequest, coding_id: Id) -> Status[None]:
    actor = request.actor
    actor.require(*RUNNERS)
    services.uncode(actor, selectors.coding(actor, coding_id))
    return Status(204, None)
