"""Guided analysis API under /api/coassessment: the state of each step, the step pages' actions, undo, the
decision trail and the findings. The same selectors, forms and services as the analysis pages, so the same
scoping (team members only: 404 outside the organisation or the actor's scope, 403 outside the team), the
same validation (the page's form first, then the service; 422 with their messages, nothing saved) and the
same audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

from django import forms as django_forms
from django.core.exceptions import ValidationError
from ninja import Router, Schema, Status
from pydantic import Field

from peerwork.core.actor import Actor
from peerwork.core.apitypes import LONG_TEXT, Id, Text
from peerwork.core.http import ActorRequest

from . import analysis, analysis_forms, analysis_selectors, report, services
from .models import CoAssessment, Decision, Theme
from .views import RUNNERS

router = Router(tags=["co-assessment"])

WHY = Field("", description="Why (for the decision trail)")


# --- schemas ----------------------------------------------------------------------------------------------


class AnalysisUnitOut(Schema):
    segment_id: int
    pseudonym: str
    text: str
    look_at: list[str] = Field(description="Words to look at before quoting (a name or a place, perhaps).")
    quotable: bool = Field(description="False: the participant's group is too small to quote from.")


class AnalysisQuoteOut(Schema):
    segment_id: int
    text: str = Field(description="Empty when the analysis's rules leave the quote out today.")
    pseudonym: str
    checked_by: str


class AnalysisItemOut(Schema):
    kind: str = Field(
        description="memo, code, preliminary_theme, code_group, condensate, synthesis (a write-up in thematic "
        "analysis), theme, review or definition"
    )
    name: str = Field(description="The material's title (memo), the code's or the theme's name.")
    theme_id: int | None = None
    material_id: int | None = None
    code_id: int | None = None
    text: str = Field("", description="The memo, the code's description, condensate, synthesis or definition.")
    by: str = Field("", description="Who wrote the memo.")
    mine: bool = Field(False, description="The memo is the caller's own.")
    review: str = Field("", description="candidate, kept or set_aside (themes of thematic analysis).")
    codes: list[str] = Field(default_factory=list, description="The codes a theme brings together.")
    units: list[AnalysisUnitOut] = Field(default_factory=list, description="The meaning units of a code group.")
    quote: AnalysisQuoteOut | None = None


class AnalysisStepOut(Schema):
    number: int
    name: str
    done: bool
    team_is_here: bool
    items: list[AnalysisItemOut]


class AnalysisGroupOut(Schema):
    id: int
    name: str


class AnalysisUndoableOut(Schema):
    kind: str = Field(description="What to send to undo it")
    what: str


class AnalysisStateOut(Schema):
    coassessment_id: int
    method: str
    status: str
    step: int = Field(description="The step the team is at.")
    open: bool = Field(description="The analysis can be changed (while analysed or checked with participants).")
    team_problem: str = Field(description="Empty, or why the team cannot analyse (a manager alone).")
    steps: list[AnalysisStepOut]
    units: list[AnalysisUnitOut] = Field(description="Every meaning unit, for sorting and quoting.")
    groups: list[AnalysisGroupOut]
    undoable: list[AnalysisUndoableOut] = Field(description="The last change of each kind that can be undone.")


class AnalysisThemeOut(Schema):
    id: int
    kind: str
    name: str
    review: str
    definition: str
    condensate: str
    synthesis: str
    codes: list[int]
    segments: list[int]
    quote_segment_id: int | None


class AnalysisMemoOut(Schema):
    id: int
    material_id: int
    text: str


class AnalysisDecisionOut(Schema):
    id: int
    kind: str
    kind_label: str
    at: datetime
    who: str
    what: str
    why: str
    undone: bool


class AnalysisStepMovedOut(Schema):
    step: int
    name: str


class AnalysisCommentOut(Schema):
    pseudonym: str
    text: str


class AnalysisDraftOut(Schema):
    theme_id: int
    name: str
    member_check_group: str
    comments: list[AnalysisCommentOut]


class AnalysisFindingOut(Schema):
    theme_id: int
    name: str
    definition: str
    condensate: str
    synthesis: str
    quote: AnalysisQuoteOut | None
    outcomes: list[str]


class AnalysisNoteOut(Schema):
    name: str
    text: str


class AnalysisFindingsOut(Schema):
    findings: list[AnalysisFindingOut]
    drafts: list[AnalysisDraftOut] = Field(description="Drafts and the participants' comments on them.")
    reflexivity_notes: list[AnalysisNoteOut]


class AnalysisThemeIn(Schema):
    kind: Annotated[str, Text(20)] = Field(description="theme (thematic analysis); preliminary or code_group")
    name: Annotated[str, Text(200)]
    codes: list[Id] = Field(default_factory=list, max_length=1000, description="Thematic analysis only")
    why: Annotated[str, Text(LONG_TEXT)] = WHY


class AnalysisMemoIn(Schema):
    text: Annotated[str, Text(LONG_TEXT)]
    why: Annotated[str, Text(LONG_TEXT)] = WHY


class AnalysisTextIn(Schema):
    text: Annotated[str, Text(LONG_TEXT)]
    why: Annotated[str, Text(LONG_TEXT)] = WHY


class AnalysisCodesIn(Schema):
    codes: list[Id] = Field(max_length=1000)
    why: Annotated[str, Text(LONG_TEXT)] = WHY


class AnalysisSegmentsIn(Schema):
    segments: list[Id] = Field(max_length=10_000)
    why: Annotated[str, Text(LONG_TEXT)] = WHY


class AnalysisReviewIn(Schema):
    review: Annotated[str, Text(20)] = Field(description="kept or set_aside")
    why: Annotated[str, Text(LONG_TEXT)] = WHY


class AnalysisDefineIn(Schema):
    name: Annotated[str, Text(200)]
    definition: Annotated[str, Text(LONG_TEXT)]
    why: Annotated[str, Text(LONG_TEXT)] = WHY


class AnalysisQuoteIn(Schema):
    segment_id: Id
    deidentified: bool = Field(
        False, description="The quote was read again: names, places and other identifying details are removed."
    )
    why: Annotated[str, Text(LONG_TEXT)] = WHY


class AnalysisStepIn(Schema):
    step: int = Field(ge=1, le=6)
    why: Annotated[str, Text(LONG_TEXT)] = WHY


class AnalysisUndoIn(Schema):
    kind: Annotated[str, Text(20)] = Field(description="A kind listed under undoable in the analysis state")


# --- helpers ----------------------------------------------------------------------------------------------


def through(form: django_forms.Form, action: Callable[[dict[str, Any]], Any]) -> Any:
    """The page's form validates first (its messages, field by field); then the service decides."""
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    return action(form.cleaned_data)


def _unit(u: analysis_selectors.Unit) -> dict[str, Any]:
    return {
        "segment_id": u.segment.pk,
        "pseudonym": u.segment.participant.pseudonym,
        "text": u.text,
        "look_at": u.flags,
        "quotable": u.quotable is None,
    }


def _quote(theme: Theme, units: dict[int, analysis_selectors.Unit]) -> dict[str, Any] | None:
    """The quote as the pages show it: its words only while the analysis's rules allow them (checked, from a
    group large enough, the participant still taking part)."""
    if theme.quote_id is None or theme.quote is None:
        return None
    unit = units.get(theme.quote_id)
    allowed = unit is not None and unit.quotable is None and theme.quote_checked_by_id is not None
    return {
        "segment_id": theme.quote_id,
        "text": unit.text if allowed and unit is not None else "",
        "pseudonym": theme.quote.participant.pseudonym if allowed else "",
        "checked_by": str(theme.quote_checked_by) if theme.quote_checked_by else "",
    }


def _theme_out(theme: Theme) -> dict[str, Any]:
    return {
        "id": theme.pk,
        "kind": theme.kind,
        "name": theme.name,
        "review": theme.review,
        "definition": theme.definition,
        "condensate": theme.condensate,
        "synthesis": theme.synthesis,
        "codes": sorted(c.pk for c in theme.codes.all()),
        "segments": sorted(s.pk for s in theme.segments.all()),
        "quote_segment_id": theme.quote_id,
    }


def _items(actor: Actor, ca: CoAssessment, state: analysis_selectors.State, step: int) -> list[dict[str, Any]]:
    """What the step page shows, as items."""
    units = state.units_by_pk
    themes = state.themes

    def group_units(t: Theme) -> list[dict[str, Any]]:
        return [_unit(units[s.pk]) for s in t.segments.all() if s.pk in units]

    def theme_item(kind: str, t: Theme, **extra: Any) -> dict[str, Any]:
        return {"kind": kind, "name": t.name, "theme_id": t.pk, **extra}

    if ca.method == CoAssessment.Method.CONDENSATION:
        if step == 1:
            return [theme_item("preliminary_theme", t) for t in themes if t.kind == Theme.Kind.PRELIMINARY]
        groups = [t for t in themes if t.kind == Theme.Kind.CODE_GROUP]
        if step == 2:
            return [theme_item("code_group", t, units=group_units(t)) for t in groups]
        if step == 3:
            return [theme_item("condensate", t, text=t.condensate, units=group_units(t)) for t in groups]
        return [
            theme_item("synthesis", t, text=t.synthesis, units=group_units(t), quote=_quote(t, units)) for t in groups
        ]
    if step == 1:
        return [
            {
                "kind": "memo",
                "name": mm.material.title,
                "material_id": mm.material.pk,
                "text": memo.text,
                "by": str(memo.author),
                "mine": memo.author_id == actor.user.pk,
            }
            for mm in state.memos
            for memo in mm.memos
        ]
    if step == 2:
        return [{"kind": "code", "name": c.name, "code_id": c.pk, "text": c.description} for c in state.codes]
    if step == 3:
        return [theme_item("theme", t, codes=sorted(c.name for c in t.codes.all()), review=t.review) for t in themes]
    if step == 4:
        return [theme_item("review", t, review=t.review) for t in themes]
    kept = [t for t in themes if t.review == Theme.Review.KEPT]
    if step == 5:
        return [theme_item("definition", t, text=t.definition) for t in kept]
    return [theme_item("synthesis", t, text=t.synthesis, quote=_quote(t, units)) for t in kept]


def _member(actor: Actor, coassessment_id: int) -> CoAssessment:
    actor.require(*RUNNERS)
    return analysis_selectors.coassessment(actor, coassessment_id)


def _theme(actor: Actor, theme_id: int) -> tuple[CoAssessment, Theme]:
    actor.require(*RUNNERS)
    theme = analysis_selectors.theme_for_member(actor, theme_id)
    return theme.coassessment, theme


def _units(actor: Actor, ca: CoAssessment) -> list[tuple[int, str]]:
    """The meaning units a form may choose from, as the step pages offer them."""
    return [(s.pk, s.participant.pseudonym) for s in analysis_selectors.unit_choices(actor, ca)]


# --- reads ------------------------------------------------------------------------------------------------


@router.get(
    "/coassessments/{coassessment_id}/analysis",
    response=AnalysisStateOut,
    summary="The guided analysis: each step, done or not yet, with what the team wrote (team members)",
)
def coassessment_analysis(request: ActorRequest, coassessment_id: Id) -> dict[str, Any]:
    actor = request.actor
    ca = _member(actor, coassessment_id)
    thematic = ca.method == CoAssessment.Method.THEMATIC
    state = analysis_selectors.state(actor, ca, with_units=True, with_memos=thematic)
    names = analysis.step_names(ca)
    finished = ca.status == CoAssessment.Status.FINISHED
    kinds = {str(k): str(label) for k, label in Decision.Kind.choices}
    return {
        "coassessment_id": ca.pk,
        "method": ca.method,
        "status": ca.status,
        "step": ca.step,
        "open": ca.status in (CoAssessment.Status.ANALYSING, CoAssessment.Status.MEMBER_CHECK),
        "team_problem": str(services.team_problem(ca) or ""),
        "steps": [
            {
                "number": n,
                "name": name,
                "done": ca.analysis_started and (finished or n < ca.step),
                "team_is_here": n == ca.step,
                "items": _items(actor, ca, state, n),
            }
            for n, name in enumerate(names, start=1)
        ],
        "units": [_unit(u) for u in state.units],
        "groups": [{"id": g.pk, "name": g.name} for g in state.groups],
        "undoable": [
            {"kind": kind, "what": d.what or kinds.get(kind, kind)} for kind, d in state.last_undoable.items()
        ],
    }


@router.get(
    "/coassessments/{coassessment_id}/analysis/trail",
    response=list[AnalysisDecisionOut],
    summary="The decision trail, newest first (team members)",
)
def coassessment_analysis_trail(request: ActorRequest, coassessment_id: Id) -> list[dict[str, Any]]:
    actor = request.actor
    ca = _member(actor, coassessment_id)
    return [
        {
            "id": d.pk,
            "kind": d.kind,
            "kind_label": d.get_kind_display(),
            "at": d.at,
            "who": str(d.who) if d.who else "",
            "what": d.what,
            "why": d.why,
            "undone": d.undone_at is not None,
        }
        for d in analysis_selectors.trail(actor, ca)
    ]


@router.get(
    "/coassessments/{coassessment_id}/analysis/findings",
    response=AnalysisFindingsOut,
    summary="The findings, the member check's comments and the reflexivity notes (team members)",
)
def coassessment_analysis_findings(request: ActorRequest, coassessment_id: Id) -> dict[str, Any]:
    actor = request.actor
    ca = _member(actor, coassessment_id)
    state = analysis_selectors.state(actor, ca, with_units=True)
    units = state.units_by_pk
    finding_ids = analysis_selectors.finding_ids(actor, ca)
    return {
        "findings": [
            {
                "theme_id": t.pk,
                "name": t.name,
                "definition": t.definition,
                "condensate": t.condensate,
                "synthesis": t.synthesis,
                "quote": _quote(t, units),
                "outcomes": [report.outcome(f) for f in t.feedback.all()],
            }
            for t in state.themes
            if t.pk in finding_ids
        ],
        "drafts": [
            {
                "theme_id": t.pk,
                "name": t.name,
                "member_check_group": t.member_check_group.name if t.member_check_group else "",
                "comments": [{"pseudonym": c.participant.pseudonym, "text": c.text} for c in t.comments.all()],
            }
            for t in state.themes
            if t.kind != Theme.Kind.PRELIMINARY and (t.condensate or t.definition or t.synthesis)
        ],
        "reflexivity_notes": [
            {"name": str(m.person), "text": m.reflexivity.text}
            for m in ca.team.all()
            if getattr(m, "reflexivity", None) is not None
        ],
    }


# --- writes: the step pages' actions ----------------------------------------------------------------------


@router.post(
    "/coassessments/{coassessment_id}/analysis/themes",
    response={201: AnalysisThemeOut},
    summary="Add a preliminary theme or a code group (text condensation), or a candidate theme (thematic)",
)
def coassessment_analysis_add_theme(
    request: ActorRequest, coassessment_id: Id, data: AnalysisThemeIn
) -> Status[dict[str, Any]]:
    actor = request.actor
    ca = _member(actor, coassessment_id)
    thematic = ca.method == CoAssessment.Method.THEMATIC
    codes = analysis_selectors.codebook(actor, ca) if thematic else None
    by_code = {c.pk: c for c in codes or []}
    form = analysis_forms.ThemeForm(codes, {"name": data.name, "codes": data.codes, "why": data.why})
    theme = through(
        form,
        lambda d: analysis.add_theme(
            actor,
            ca,
            kind=data.kind,
            name=d["name"],
            codes=[by_code[c] for c in d.get("codes", []) if c in by_code],
            why=d["why"],
        ),
    )
    return Status(201, _theme_out(theme))


@router.put(
    "/analysis/materials/{material_id}/memo",
    response=AnalysisMemoOut,
    summary="Write or change your familiarisation memo on a material (thematic analysis)",
)
def coassessment_analysis_memo(request: ActorRequest, material_id: Id, data: AnalysisMemoIn) -> dict[str, Any]:
    actor = request.actor
    actor.require(*RUNNERS)
    material = analysis_selectors.material_for_member(actor, material_id)
    form = analysis_forms.MemoForm({"text": data.text, "why": data.why})
    memo = through(form, lambda d: analysis.write_memo(actor, material, text=d["text"], why=d["why"]))
    return {"id": memo.pk, "material_id": material.pk, "text": memo.text}


@router.put(
    "/analysis/themes/{theme_id}/codes",
    response=AnalysisThemeOut,
    summary="The codes a candidate theme brings together (thematic analysis)",
)
def coassessment_analysis_group_codes(request: ActorRequest, theme_id: Id, data: AnalysisCodesIn) -> dict[str, Any]:
    actor = request.actor
    ca, theme = _theme(actor, theme_id)
    codes = analysis_selectors.codebook(actor, ca)
    by_code = {c.pk: c for c in codes}
    form = analysis_forms.CodesForm(codes, {"codes": data.codes, "why": data.why})
    through(
        form,
        lambda d: analysis.group_codes(actor, theme, codes=[by_code[c] for c in d["codes"]], why=d["why"]),
    )
    return _theme_out(theme)


@router.put(
    "/analysis/themes/{theme_id}/segments",
    response=AnalysisThemeOut,
    summary="The meaning units sorted into a code group (text condensation)",
)
def coassessment_analysis_sort_units(request: ActorRequest, theme_id: Id, data: AnalysisSegmentsIn) -> dict[str, Any]:
    actor = request.actor
    ca, theme = _theme(actor, theme_id)
    form = analysis_forms.UnitsForm(_units(actor, ca), {"segments": data.segments, "why": data.why})
    through(
        form,
        lambda d: analysis.sort_segments(
            actor, theme, segments=analysis_selectors.segments(actor, ca, d["segments"]), why=d["why"]
        ),
    )
    return _theme_out(theme)


def _text_form(data: AnalysisTextIn) -> analysis_forms.TextForm:
    return analysis_forms.TextForm("", "", {"text": data.text, "why": data.why})


@router.put(
    "/analysis/themes/{theme_id}/condensate",
    response=AnalysisThemeOut,
    summary="A code group's condensate, in the first person (text condensation)",
)
def coassessment_analysis_condensate(request: ActorRequest, theme_id: Id, data: AnalysisTextIn) -> dict[str, Any]:
    actor = request.actor
    _ca, theme = _theme(actor, theme_id)
    through(_text_form(data), lambda d: analysis.write_condensate(actor, theme, text=d["text"], why=d["why"]))
    return _theme_out(theme)


@router.put(
    "/analysis/themes/{theme_id}/synthesis",
    response=AnalysisThemeOut,
    summary="A code group's synthesis (text condensation) or a kept theme's write-up (thematic analysis)",
)
def coassessment_analysis_synthesis(request: ActorRequest, theme_id: Id, data: AnalysisTextIn) -> dict[str, Any]:
    actor = request.actor
    _ca, theme = _theme(actor, theme_id)
    through(_text_form(data), lambda d: analysis.write_synthesis(actor, theme, text=d["text"], why=d["why"]))
    return _theme_out(theme)


@router.put(
    "/analysis/themes/{theme_id}/review",
    response=AnalysisThemeOut,
    summary="Keep a candidate theme or set it aside (thematic analysis)",
)
def coassessment_analysis_review(request: ActorRequest, theme_id: Id, data: AnalysisReviewIn) -> dict[str, Any]:
    actor = request.actor
    _ca, theme = _theme(actor, theme_id)
    form = analysis_forms.ReviewForm({"review": data.review, "why": data.why})
    through(form, lambda d: analysis.review_theme(actor, theme, review=d["review"], why=d["why"]))
    return _theme_out(theme)


@router.put(
    "/analysis/themes/{theme_id}/definition",
    response=AnalysisThemeOut,
    summary="A kept theme's name and definition (thematic analysis)",
)
def coassessment_analysis_define(request: ActorRequest, theme_id: Id, data: AnalysisDefineIn) -> dict[str, Any]:
    actor = request.actor
    _ca, theme = _theme(actor, theme_id)
    form = analysis_forms.DefineForm({"name": data.name, "definition": data.definition, "why": data.why})
    through(
        form,
        lambda d: analysis.define_theme(actor, theme, name=d["name"], definition=d["definition"], why=d["why"]),
    )
    return _theme_out(theme)


@router.put(
    "/analysis/themes/{theme_id}/quote",
    response=AnalysisThemeOut,
    summary="Choose the illustrative quote, after the de-identification check",
)
def coassessment_analysis_quote(request: ActorRequest, theme_id: Id, data: AnalysisQuoteIn) -> dict[str, Any]:
    actor = request.actor
    ca, theme = _theme(actor, theme_id)
    form = analysis_forms.QuoteForm(
        _units(actor, ca), {"segment": data.segment_id, "deidentified": data.deidentified, "why": data.why}
    )
    through(
        form,
        lambda d: analysis.set_quote(
            actor,
            theme,
            segment=analysis_selectors.segments(actor, ca, [d["segment"]])[0],
            deidentified=d["deidentified"],
            why=d["why"],
        ),
    )
    return _theme_out(theme)


@router.post(
    "/coassessments/{coassessment_id}/analysis/step",
    response=AnalysisStepMovedOut,
    summary="Move the team to a step of the method, forward or back",
)
def coassessment_analysis_move(request: ActorRequest, coassessment_id: Id, data: AnalysisStepIn) -> dict[str, Any]:
    actor = request.actor
    ca = _member(actor, coassessment_id)
    form = analysis_forms.StepForm(analysis.step_names(ca), {"step": data.step, "why": data.why})
    through(form, lambda d: analysis.move_to_step(actor, ca, step=d["step"], why=d["why"]))
    return {"step": ca.step, "name": analysis.step_name(ca, ca.step)}


@router.post(
    "/coassessments/{coassessment_id}/analysis/undo",
    response=AnalysisDecisionOut,
    summary="Undo the latest change of a kind; answers the trail's new entry",
)
def coassessment_analysis_undo(request: ActorRequest, coassessment_id: Id, data: AnalysisUndoIn) -> dict[str, Any]:
    actor = request.actor
    ca = _member(actor, coassessment_id)
    form = analysis_forms.UndoForm({"kind": data.kind})
    done = through(form, lambda d: analysis.undo_last(actor, ca, kind=d["kind"]))
    return {
        "id": done.pk,
        "kind": done.kind,
        "kind_label": done.get_kind_display(),
        "at": done.at,
        "who": str(actor.user),
        "what": done.what,
        "why": done.why,
        "undone": False,
    }


# --- writes: the findings page's actions ------------------------------------------------------------------


class FindingMemberCheckIn(Schema):
    group_id: Id = Field(description="The group whose participants comment on the draft")


class FindingCommentIn(Schema):
    participant_id: Id = Field(description="A participant of the group the draft was sent to (pseudonym only)")
    text: Annotated[str, Text(LONG_TEXT)]


class FindingActionIn(Schema):
    owner_id: Id = Field(description="A team member who owns the action")
    due_on: date


class FindingYouSaidIn(Schema):
    you_said: Annotated[str, Text(LONG_TEXT)]
    we_did: Annotated[str, Text(LONG_TEXT)]


class FindingOutcomeOut(Schema):
    theme_id: int
    outcome: str = Field(description="What came of the finding, in the caller's language, as the report says it.")


class FindingDraftSentOut(Schema):
    theme_id: int
    member_check_group: str


class FindingCommentOut(Schema):
    id: int
    theme_id: int
    pseudonym: str
    text: str


@router.post(
    "/analysis/themes/{theme_id}/member-check",
    response=FindingDraftSentOut,
    summary="Send a draft (definition, condensate or synthesis) to a group of participants for comment",
)
def coassessment_finding_member_check(request: ActorRequest, theme_id: Id, data: FindingMemberCheckIn) -> Any:
    actor = request.actor
    ca, theme = _theme(actor, theme_id)
    groups = {g.pk: g for g in analysis_selectors.groups(actor, ca)}  # only the groups, not the whole analysis
    form = analysis_forms.MemberCheckForm([(g.pk, g.name) for g in groups.values()], {"group": data.group_id})
    through(form, lambda d: analysis.send_for_member_check(actor, theme, group=groups.get(d["group"])))
    group = groups.get(theme.member_check_group_id) if theme.member_check_group_id else None
    return {"theme_id": theme.pk, "member_check_group": group.name if group else ""}


@router.post(
    "/analysis/themes/{theme_id}/comments",
    response={201: FindingCommentOut},
    summary="Record a participant's comment on a draft sent for the member check (under their pseudonym)",
)
def coassessment_finding_comment(request: ActorRequest, theme_id: Id, data: FindingCommentIn) -> Any:
    actor = request.actor
    ca, theme = _theme(actor, theme_id)
    people = [
        (p.pk, p.pseudonym)
        for p in analysis_selectors.member_check_participants(actor, ca)
        if p.group_id == theme.member_check_group_id
    ]
    form = analysis_forms.CommentForm(people, {"participant": data.participant_id, "text": data.text})
    comment = through(
        form,
        lambda d: analysis.record_member_comment(
            actor, theme, participant=analysis_selectors.participant(actor, ca, d["participant"]), text=d["text"]
        ),
    )
    return Status(
        201,
        {"id": comment.pk, "theme_id": theme.pk, "pseudonym": comment.participant.pseudonym, "text": comment.text},
    )


def _team(ca: CoAssessment) -> list[tuple[int, str]]:
    return [(m.person_id, str(m.person)) for m in ca.team.all()]


@router.post(
    "/analysis/themes/{theme_id}/action",
    response={201: FindingOutcomeOut},
    summary="Take a finding into the readiness action plan (a kept theme, or a code group with a synthesis)",
)
def coassessment_finding_action(request: ActorRequest, theme_id: Id, data: FindingActionIn) -> Any:
    actor = request.actor
    ca, theme = _theme(actor, theme_id)
    form = analysis_forms.ActionForm(_team(ca), {"owner_id": data.owner_id, "due_on": data.due_on})
    feedback = through(
        form, lambda d: analysis.finding_to_action(actor, theme, owner_id=d["owner_id"], due_on=d["due_on"])
    )
    return Status(201, {"theme_id": theme.pk, "outcome": report.outcome(feedback)})


@router.post(
    "/analysis/themes/{theme_id}/contribution",
    response={201: FindingOutcomeOut},
    summary="Take a finding into the linked initiative's co-assessment phase as a contribution",
)
def coassessment_finding_contribution(request: ActorRequest, theme_id: Id) -> Any:
    actor = request.actor
    _ca, theme = _theme(actor, theme_id)
    feedback = analysis.finding_to_contribution(actor, theme)
    return Status(201, {"theme_id": theme.pk, "outcome": report.outcome(feedback)})


@router.post(
    "/analysis/themes/{theme_id}/you-said-we-did",
    response={201: FindingOutcomeOut},
    summary="Tell those who took part what they said and what the service did about it",
)
def coassessment_finding_you_said(request: ActorRequest, theme_id: Id, data: FindingYouSaidIn) -> Any:
    actor = request.actor
    _ca, theme = _theme(actor, theme_id)
    form = analysis_forms.YouSaidForm({"you_said": data.you_said, "we_did": data.we_did})
    feedback = through(
        form, lambda d: analysis.you_said_we_did(actor, theme, you_said=d["you_said"], we_did=d["we_did"])
    )
    return Status(201, {"theme_id": theme.pk, "outcome": report.outcome(feedback)})
