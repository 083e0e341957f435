# ruff: noqa: E501  (translatable sentences read better unbroken)
"""The report of a co-assessment: one set of facts for the page, the tagged PDF and the API.

What it holds: the question, the method and its steps as done, the team with its roles, the groups by kind of
respondent (sizes without withdrawn participants), the findings with their illustrative quotes and what came
of them, the team's reflexivity notes, and a checklist in the manner of COREQ (the consolidated criteria for
reporting qualitative research), in Peerwork's own words. Items Peerwork knows are filled in from its data;
the others are the team's answers (``ReportChecklist``), shown as not yet answered until given.

Who reads it: the team at any time (a draft until the co-assessment is finished); the organisation's managers,
coordinators and data protection officer once it is finished. Every reading and every PDF is audited.

Quotes follow the analysis's own rules (``analysis.quote_problem``): only from a group that still has at least
three participants taking part, never from a participant who has withdrawn, and only once the person who chose
the quote confirmed that identifying details are removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from peerwork import qda
from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core import pdf, plain
from peerwork.core.actor import Actor
from peerwork.core.roles import MANAGING_ROLES, Role

from . import analysis, exchange, selectors, services
from .models import CoAssessment, Code, Coding, Feedback, Material, MemberComment, Segment, Theme
from .report_models import ReportChecklist

# Who reads a finished co-assessment's report without being in its team.
READERS = (*MANAGING_ROLES, Role.DPO)


@dataclass
class StepRow:
    number: int
    name: str
    done: bool


@dataclass
class TeamRow:
    name: str
    role: str
    peer_co_researcher: bool
    hours_per_month: int


@dataclass
class GroupRow:
    name: str
    kind: str
    size: int


@dataclass
class FindingRow:
    name: str
    definition: str
    condensate: str
    synthesis: str
    quote: str = ""
    quote_by: str = ""
    outcomes: list[str] = field(default_factory=list)


@dataclass
class NoteRow:
    name: str
    text: str


@dataclass
class AgreementRow:
    code: str
    alpha: str


@dataclass
class Item:
    """One checklist item: its question and the answer (empty: not yet answered). ``from_data``: Peerwork
    fills it in; otherwise the team answers it."""

    key: str
    question: str
    answer: str
    from_data: bool


@dataclass
class Report:
    ca: CoAssessment
    organisation: str
    made_on: str
    draft: bool
    method: str
    status: str
    steps: list[StepRow]
    team: list[TeamRow]
    groups: list[GroupRow]
    findings: list[FindingRow]
    notes: list[NoteRow]
    checklist: list[Item]
    agreement: list[AgreementRow]
    coders: int
    withheld_quotes: int = 0
    pulse_survey: str = ""  # the linked pulse survey in words (title and period), "" for none

    @property
    def title(self) -> str:
        return _("Report of the co-assessment “%(title)s”") % {"title": self.ca.title}

    @property
    def unanswered(self) -> int:
        return sum(1 for i in self.checklist if not i.answer)


# --- who may read it --------------------------------------------------------------------------------------


def coassessment(actor: Actor, pk: int) -> CoAssessment:
    """The co-assessment whose report the actor may read: its team always; the organisation's managers,
    coordinators and data protection officer once it is finished (404 outside scope, 403 otherwise)."""
    ca = selectors.coassessment(actor, pk)
    if not can_read(actor, ca):
        raise PermissionDenied
    return ca


def can_read(actor: Actor, ca: CoAssessment) -> bool:
    if services.is_member(actor, ca):
        return True
    return ca.status == CoAssessment.Status.FINISHED and actor.has(*READERS)


# --- the facts --------------------------------------------------------------------------------------------


def _steps(ca: CoAssessment) -> list[StepRow]:
    finished = ca.status == CoAssessment.Status.FINISHED
    started = ca.analysis_started
    return [
        StepRow(n, name, started and (finished or n < ca.step))
        for n, name in enumerate(analysis.step_names(ca), start=1)
    ]


def _groups(ca: CoAssessment) -> list[GroupRow]:
    rows = ca.groups.annotate(
        size=Count("participants", filter=Q(participants__withdrawn_at__isnull=True), distinct=True)
    ).order_by("id")
    return [GroupRow(g.name, g.get_kind_display(), g.size) for g in rows]


def outcome(f: Feedback) -> str:
    if f.kind == Feedback.Kind.ACTION and f.action is not None:
        return _("Action in the readiness plan: %(title)s") % {"title": f.action.title}
    if f.kind == Feedback.Kind.CONTRIBUTION and f.contribution is not None:
        return _("Contribution to the initiative: %(summary)s") % {"summary": f.contribution.summary}
    if f.kind == Feedback.Kind.YOU_SAID:
        return _("You said: %(said)s. We did: %(did)s") % {"said": f.you_said.rstrip("."), "did": f.we_did}
    return str(f.get_kind_display())


def _findings(ca: CoAssessment) -> tuple[list[FindingRow], int]:
    """The findings with their quotes (only those the analysis's rules allow today), and how many quotes were
    left out."""
    ids = [t.pk for t in analysis.findings(ca)]
    themes = (
        Theme.objects.filter(pk__in=ids)
        .select_related("quote__participant", "quote__material")
        .prefetch_related(Prefetch("feedback", queryset=Feedback.objects.select_related("action", "contribution")))
        .order_by("name", "id")
    )
    rows, withheld = [], 0
    for t in themes:
        row = FindingRow(
            t.name, t.definition, t.condensate, t.synthesis, outcomes=[outcome(f) for f in t.feedback.all()]
        )
        segment: Segment | None = t.quote
        if segment is not None:
            if t.quote_checked_by_id is not None and analysis.quote_problem(segment) is None:
                row.quote = analysis.quote_text(segment)
                row.quote_by = segment.participant.pseudonym
            else:
                withheld += 1
        rows.append(row)
    return rows, withheld


def _agreement(ca: CoAssessment) -> tuple[list[AgreementRow], int]:
    """Krippendorff's alpha per code (``peerwork.qda``), on the segments of participants whose consent holds,
    as on the Compare coders page; and how many coders coded."""
    codings = list(
        Coding.objects.filter(organisation_id=ca.organisation_id, segment__material__coassessment=ca)
        .filter(segment__in=Segment.objects.filter(material__coassessment=ca).filter(exchange.consenting()))
        .select_related("segment")
        .order_by("segment_id", "id")
    )
    coder_ids = sorted({c.coder_id for c in codings})
    as_qda = [
        qda.Coding(
            guid=str(c.pk),
            source_guid=str(c.segment.material_id),
            start=c.segment.start,
            end=c.segment.end,
            code_guid=str(c.code_id),
            coder_guid=str(c.coder_id),
        )
        for c in codings
    ]
    units = sorted({qda.Unit(str(c.segment.material_id), c.segment.start, c.segment.end) for c in codings})
    coded_sources: dict[str, set[str]] = {}
    for c in codings:
        coded_sources.setdefault(str(c.coder_id), set()).add(str(c.segment.material_id))
    names = dict(Code.objects.filter(coassessment=ca).values_list("id", "name"))
    used = sorted({c.code_id for c in codings}, key=lambda pk: names.get(pk, "").lower())
    figures = qda.agreement(
        as_qda,
        coders=[str(u) for u in coder_ids],
        code_guids=[str(pk) for pk in used],
        units=units,
        coded_sources=coded_sources,
    )
    rows = [AgreementRow(names[int(f.code_guid)], floatformat(f.alpha, 2)) for f in figures if f.alpha is not None]
    return rows, len(coder_ids)


def _checklist(ca: CoAssessment, team: list[TeamRow], agreement: list[AgreementRow], coders: int) -> list[Item]:
    answers = ReportChecklist.objects.filter(coassessment=ca).first()
    members = list(ca.team.all())
    leading = [m for m in members if m.role in ("lead", "moderator")]
    peers = [m for m in members if m.is_peer_co_researcher]
    kinds = dict(Material.objects.filter(coassessment=ca).values_list("kind").annotate(n=Count("id")).order_by())
    collected = []
    if kinds.get(Material.Kind.TRANSCRIPT):
        collected.append(
            _("%(n)s pseudonymised transcripts") % {"n": kinds[Material.Kind.TRANSCRIPT]}
            if kinds[Material.Kind.TRANSCRIPT] != 1
            else _("one pseudonymised transcript")
        )
    if kinds.get(Material.Kind.NOTES):
        collected.append(
            _("%(n)s sets of notes") % {"n": kinds[Material.Kind.NOTES]}
            if kinds[Material.Kind.NOTES] != 1
            else _("one set of notes")
        )
    sent = Theme.objects.filter(coassessment=ca, member_check_sent_at__isnull=False).count()
    comments = MemberComment.objects.filter(theme__coassessment=ca, participant__withdrawn_at__isnull=True).count()

    def answer(name: str) -> str:
        return getattr(answers, name, "") if answers is not None else ""

    def named(ms: list[Any]) -> str:
        return "; ".join(
            f"{m.person} ({m.get_role_display().lower()}"
            + (f", {_('peer worker as co-researcher')}" if m.is_peer_co_researcher else "")
            + ")"
            for m in ms
        )

    return [
        Item("facilitators", _("Who led and moderated the groups"), named(leading), True),
        Item(
            "relation",
            _("How those who led the groups relate to the participants"),
            answer("facilitator_relation"),
            False,
        ),
        Item(
            "co_researchers",
            _("The peer co-researchers and their part in the work"),
            named(peers)
            + (
                " — "
                + _(
                    "peer workers took part as co-researchers: in writing the guides, in the groups and in the analysis"
                )
                if peers
                else ""
            ),
            True,
        ),
        Item("training", _("What the co-researchers were trained in"), answer("training"), False),
        Item("recruitment", _("How participants were chosen and asked to take part"), answer("recruitment"), False),
        Item("setting", _("Where and how the groups met"), answer("setting"), False),
        Item(
            "data",
            _("What was collected"),
            (capfirst(", ".join(collected)) + ". " if collected else "")
            + _("Text only: no sound or video recordings are stored in Peerwork."),
            True,
        ),
        Item(
            "coders",
            _("How many coded the material"),
            (_("%(n)s coders") % {"n": coders} if coders != 1 else _("one coder")) if coders else "",
            True,
        ),
        Item(
            "agreement",
            _("Agreement between coders (Krippendorff's alpha per code)"),
            "; ".join(f"{r.code}: {r.alpha}" for r in agreement)
            or (
                _(
                    "Not computed: no code was given or left out by two coders on the same segments often enough to compare."
                )
                if coders
                else ""
            ),
            True,
        ),
        Item(
            "member_check",
            _("Member check"),
            (
                _("Done: %(themes)s drafts went back to participants; %(comments)s comments were recorded.")
                % {"themes": sent, "comments": comments}
            )
            if sent
            else _("Not done: no draft went back to the participants."),
            True,
        ),
        Item("limits", _("Limits of this co-assessment"), answer("limits"), False),
    ]


def gather(actor: Actor, ca: CoAssessment) -> Report:
    """The report's facts, for a reader ``coassessment`` let through; audited as a reading."""
    if not can_read(actor, ca):
        raise PermissionDenied
    members = list(ca.team.all())
    team = [
        TeamRow(str(m.person), str(m.get_role_display()), m.is_peer_co_researcher, m.hours_per_month) for m in members
    ]
    findings, withheld = _findings(ca)
    agreement, coders = _agreement(ca)
    notes = [
        NoteRow(str(m.person), m.reflexivity.text)
        for m in members
        if getattr(m, "reflexivity", None) is not None and m.reflexivity.text
    ]
    record(actor, Action.READ, ca, detail=Detail("shown", page="report"))
    return Report(
        ca=ca,
        organisation=actor.organisation.name,
        made_on=plain.day(timezone.localdate()),
        draft=ca.status != CoAssessment.Status.FINISHED,
        method=str(ca.get_method_display()),
        status=str(ca.get_status_display()),
        steps=_steps(ca),
        team=team,
        groups=_groups(ca),
        findings=findings,
        notes=notes,
        checklist=_checklist(ca, team, agreement, coders),
        agreement=agreement,
        coders=coders,
        withheld_quotes=withheld,
        pulse_survey=selectors.pulse_survey_words(ca.pulse_survey),
    )


def render_pdf(report: Report) -> bytes:
    """The same report as the page, as a tagged PDF (``peerwork.core.pdf``)."""
    return pdf.render("coassessment/report_pdf.html", {"report": report, "ca": report.ca}, title=report.title)


def audit_export(actor: Actor, ca: CoAssessment) -> None:
    record(actor, Action.EXPORT, ca, detail=Detail("downloaded", page="report", format="pdf"))


# --- the team's answers to the checklist ------------------------------------------------------------------


def checklist(actor: Actor, ca: CoAssessment) -> ReportChecklist:
    """The team's answers (unsaved and empty when none are given yet)."""
    found = ReportChecklist.objects.filter(organisation_id=actor.organisation_id, coassessment=ca).first()
    return found or ReportChecklist(organisation_id=actor.organisation_id, coassessment=ca)


def save_checklist(actor: Actor, ca: CoAssessment, **answers: str) -> ReportChecklist:
    """A team member writes the checklist's answers; they can be changed until the report is read as final
    (they stay open after the co-assessment is finished, since they describe how it was done)."""
    if ca.organisation_id != actor.organisation_id or not services.is_member(actor, ca):
        raise PermissionDenied
    unknown = set(answers) - set(ReportChecklist.ANSWERS)
    if unknown:
        raise ValidationError({"__all__": _("Unknown checklist item.")})
    clean = {k: (answers.get(k) or "").strip() for k in ReportChecklist.ANSWERS if k in answers}
    too_long = [k for k, v in clean.items() if len(v) > 5000]
    if too_long:
        raise ValidationError({k: _("Write at most 5,000 characters.") for k in too_long})
    if any("\x00" in v for v in clean.values()):
        raise ValidationError({"__all__": _("Remove the null character from the text; it cannot be stored.")})
    with transaction.atomic():
        row = checklist(actor, ca)
        for k, v in clean.items():
            setattr(row, k, v)
        row.updated_by = actor.user
        row.save()
        record(actor, Action.UPDATE, row, detail=Detail("checklist"))
    return row
