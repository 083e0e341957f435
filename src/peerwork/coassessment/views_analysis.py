# ruff: noqa: E501  (translatable sentences read better unbroken)
# mypy: disable-error-code="misc"
# (each card's action is a lambda binding its theme by a default argument, which mypy cannot infer)
"""The guided analysis pages: one page per step of the method, the decision trail, the findings with the
member check and the way back into the service, and "you said, we did" for those who took part.

Thin: parse, call a selector or a service (``analysis``), render. Each form on a step page carries ``do``
(what to do) and ``on`` (the theme or material), so only the form that was sent is bound.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerwork.core.http import ActorRequest
from peerwork.core.toolkit import requires, submit

from . import analysis, analysis_forms, analysis_selectors, selectors, services
from .models import CoAssessment, Decision, Theme
from .views import RUNNERS, USERS


@dataclass
class Card:
    """One form on a step page, with the theme or material it works on."""

    do: str
    on: int
    form: django_forms.Form
    title: str
    action: Callable[[dict[str, Any]], Any]
    button: str
    obj: Any = None
    lines: list[str] = field(default_factory=list)


def _bound(request: ActorRequest, do: str, on: int) -> Any:
    if request.method == "POST" and request.POST.get("do") == do and request.POST.get("on") == str(on):
        return request.POST
    return None


def _unit_label(unit: analysis_selectors.Unit) -> str:
    return f"{unit.segment.participant.pseudonym}: {unit.text[:80]}"


def _cards(request: ActorRequest, ca: CoAssessment, step: int, state: analysis_selectors.State) -> list[Card]:
    actor = request.actor
    cards: list[Card] = []
    units = [(u.segment.pk, _unit_label(u)) for u in state.units]
    by_unit = state.units_by_pk
    by_code = {c.pk: c for c in state.codes}

    def add(
        do: str,
        on: int,
        form_cls: Callable[..., Any],
        args: tuple[Any, ...],
        title: str,
        action: Callable[[dict[str, Any]], Any],
        button: str,
        obj: Any = None,
        initial: dict[str, Any] | None = None,
    ) -> None:
        form = form_cls(*args, _bound(request, do, on), prefix=f"{do}{on}", initial=initial or {})
        cards.append(Card(do, on, form, title, action, button, obj))

    themes = state.themes
    if ca.method == CoAssessment.Method.CONDENSATION:
        if step == 1:
            add(
                "theme",
                0,
                analysis_forms.ThemeForm,
                (None,),
                _("Add a preliminary theme"),
                lambda d: analysis.add_theme(actor, ca, kind=Theme.Kind.PRELIMINARY, name=d["name"], why=d["why"]),
                _("Add the theme"),
            )
        if step == 2:
            add(
                "theme",
                0,
                analysis_forms.ThemeForm,
                (None,),
                _("Add a code group"),
                lambda d: analysis.add_theme(actor, ca, kind=Theme.Kind.CODE_GROUP, name=d["name"], why=d["why"]),
                _("Add the code group"),
            )
        groups = [t for t in themes if t.kind == Theme.Kind.CODE_GROUP]
        for t in groups:
            mine = [(s.pk, _unit_label(by_unit[s.pk])) for s in t.segments.all() if s.pk in by_unit]
            if step == 2:
                add(
                    "units",
                    t.pk,
                    analysis_forms.UnitsForm,
                    (units,),
                    t.name,
                    lambda d, t=t: analysis.sort_segments(
                        actor, t, segments=analysis_selectors.segments(actor, ca, d["segments"]), why=d["why"]
                    ),
                    _("Sort the meaning units"),
                    t,
                    {"segments": [s.pk for s in t.segments.all()]},
                )
            if step == 3:
                add(
                    "condensate",
                    t.pk,
                    analysis_forms.TextForm,
                    (
                        _("Condensate, in the first person"),
                        _(
                            "Retell what the meaning units say as if the participants spoke: “I …” or “we …”. Keep their words where you can."
                        ),
                    ),
                    t.name,
                    lambda d, t=t: analysis.write_condensate(actor, t, text=d["text"], why=d["why"]),
                    _("Keep the condensate"),
                    t,
                    {"text": t.condensate},
                )
            if step == 4:
                add(
                    "synthesis",
                    t.pk,
                    analysis_forms.TextForm,
                    (
                        _("Synthesis, in the third person"),
                        _("Write what the group found, in the third person: “The peer workers …”."),
                    ),
                    t.name,
                    lambda d, t=t: analysis.write_synthesis(actor, t, text=d["text"], why=d["why"]),
                    _("Keep the synthesis"),
                    t,
                    {"text": t.synthesis},
                )
                add(
                    "quote",
                    t.pk,
                    analysis_forms.QuoteForm,
                    (mine,),
                    t.name,
                    lambda d, t=t: analysis.set_quote(
                        actor,
                        t,
                        segment=analysis_selectors.segments(actor, ca, [d["segment"]])[0],
                        deidentified=d["deidentified"],
                        why=d["why"],
                    ),
                    _("Choose the quote"),
                    t,
                    {"segment": t.quote_id},
                )
    else:
        if step == 1:
            for mm in state.memos:
                m = mm.material
                m.coassessment = ca
                add(
                    "memo",
                    m.pk,
                    analysis_forms.MemoForm,
                    (),
                    m.title,
                    lambda d, m=m: analysis.write_memo(actor, m, text=d["text"], why=d["why"]),
                    _("Keep my memo"),
                    mm,
                    {"text": mm.mine.text if mm.mine else ""},
                )
        if step == 3:
            add(
                "theme",
                0,
                analysis_forms.ThemeForm,
                (state.codes,),
                _("Add a candidate theme"),
                lambda d: analysis.add_theme(
                    actor,
                    ca,
                    kind=Theme.Kind.THEME,
                    name=d["name"],
                    codes=[by_code[c] for c in d["codes"] if c in by_code],
                    why=d["why"],
                ),
                _("Add the theme"),
            )
        for t in themes:
            if step == 3:
                add(
                    "codes",
                    t.pk,
                    analysis_forms.CodesForm,
                    (state.codes,),
                    t.name,
                    lambda d, t=t: analysis.group_codes(
                        actor, t, codes=[by_code[c] for c in d["codes"] if c in by_code], why=d["why"]
                    ),
                    _("Group the codes"),
                    t,
                    {"codes": [c.pk for c in t.codes.all()]},
                )
            if step == 4:
                add(
                    "review",
                    t.pk,
                    analysis_forms.ReviewForm,
                    (),
                    t.name,
                    lambda d, t=t: analysis.review_theme(actor, t, review=d["review"], why=d["why"]),
                    _("Keep the review"),
                    t,
                    {"review": t.review if t.review != Theme.Review.CANDIDATE else None},
                )
            kept = t.review == Theme.Review.KEPT
            if step == 5 and kept:
                add(
                    "define",
                    t.pk,
                    analysis_forms.DefineForm,
                    (),
                    t.name,
                    lambda d, t=t: analysis.define_theme(
                        actor, t, name=d["name"], definition=d["definition"], why=d["why"]
                    ),
                    _("Keep the definition"),
                    t,
                    {"name": t.name, "definition": t.definition},
                )
            if step == 6 and kept:
                add(
                    "synthesis",
                    t.pk,
                    analysis_forms.TextForm,
                    (
                        _("Write-up"),
                        _(
                            "Tell what the theme is about and how it answers the question, with the quotes that show it."
                        ),
                    ),
                    t.name,
                    lambda d, t=t: analysis.write_synthesis(actor, t, text=d["text"], why=d["why"]),
                    _("Keep the write-up"),
                    t,
                    {"text": t.synthesis},
                )
                add(
                    "quote",
                    t.pk,
                    analysis_forms.QuoteForm,
                    (units,),
                    t.name,
                    lambda d, t=t: analysis.set_quote(
                        actor,
                        t,
                        segment=analysis_selectors.segments(actor, ca, [d["segment"]])[0],
                        deidentified=d["deidentified"],
                        why=d["why"],
                    ),
                    _("Choose the quote"),
                    t,
                    {"segment": t.quote_id},
                )
    for card in cards:
        if isinstance(card.obj, Theme) and card.obj.kind == Theme.Kind.CODE_GROUP:
            card.lines = [_unit_label(by_unit[s.pk]) for s in card.obj.segments.all() if s.pk in by_unit]
    return cards


@requires(*RUNNERS)
def analysis_step(request: ActorRequest, pk: int, step: int) -> HttpResponse:
    actor = request.actor
    ca = analysis_selectors.coassessment(actor, pk)
    names = analysis.step_names(ca)
    if not 1 <= step <= len(names):
        raise Http404
    state = analysis_selectors.state(
        actor,
        ca,
        with_units=ca.method == CoAssessment.Method.CONDENSATION or step == 6,
        with_memos=ca.method == CoAssessment.Method.THEMATIC and step == 1,
    )
    here = reverse("coassessment:analysis_step", args=[pk, step])
    step_form = analysis_forms.StepForm(
        names, _bound(request, "step", 0), prefix="step0", initial={"step": min(ca.step + 1, len(names))}
    )
    if submit(request, step_form, lambda d: analysis.move_to_step(actor, ca, step=d["step"], why=d["why"])):
        messages.success(request, _("The team is now at step %(n)s.") % {"n": ca.step})
        return redirect("coassessment:analysis_step", pk, ca.step)
    cards = _cards(request, ca, step, state)
    for card in cards:
        if submit(request, card.form, card.action):
            messages.success(request, _("Saved, and entered in the decision trail."))
            return redirect(here)
    kinds = {str(k): str(label) for k, label in Decision.Kind.choices}
    undoable = [(kind, kinds.get(kind, kind), d) for kind, d in state.last_undoable.items()]
    return render(
        request,
        "coassessment/analysis_step.html",
        {
            "ca": ca,
            "is_member": True,
            "can_manage": services.can_manage(actor, ca),
            "step": step,
            "step_title": names[step - 1],
            "steps": [(i, n) for i, n in enumerate(names, 1)],
            "next_step": (step + 1, names[step]) if step < len(names) else None,
            "state": state,
            "cards": cards,
            "step_form": step_form,
            "undoable": undoable,
            "team_problem": services.team_problem(ca),
            "open": ca.status in (CoAssessment.Status.ANALYSING, CoAssessment.Status.MEMBER_CHECK),
            "materials": selectors.materials(actor, ca)
            if ca.method == CoAssessment.Method.THEMATIC and step == 2
            else [],
            "thematic": ca.method == CoAssessment.Method.THEMATIC,
        },
    )


@require_POST
@requires(*RUNNERS)
def analysis_undo(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    ca = analysis_selectors.coassessment(actor, pk)
    form = analysis_forms.UndoForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Reload the page and try again."))
        done = analysis.undo_last(actor, ca, kind=form.cleaned_data["kind"])
        messages.success(request, done.what)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    back = request.POST.get("step", "")
    step = int(back) if back.isdigit() and 1 <= int(back) <= 6 else ca.step
    return redirect("coassessment:analysis_step", pk, step)


@requires(*RUNNERS)
def analysis_trail(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    ca = analysis_selectors.coassessment(actor, pk)
    return render(
        request,
        "coassessment/analysis_trail.html",
        {
            "ca": ca,
            "is_member": True,
            "can_manage": services.can_manage(actor, ca),
            "decisions": analysis_selectors.trail(actor, ca),
        },
    )


@requires(*RUNNERS)
def analysis_findings(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    ca = analysis_selectors.coassessment(actor, pk)
    state = analysis_selectors.state(actor, ca, with_units=False)
    finding_ids = {t.pk for t in analysis.findings(ca)}
    found = [t for t in state.themes if t.pk in finding_ids]
    for t in found:
        t.quote_words = analysis.quote_text(t.quote) if t.quote else ""  # type: ignore[attr-defined]  # shown by the template beside the finding
    drafts = [
        t for t in state.themes if t.kind != Theme.Kind.PRELIMINARY and (t.condensate or t.definition or t.synthesis)
    ]
    groups = [(g.pk, g.name) for g in state.groups]
    people = analysis_selectors.member_check_participants(actor, ca)
    cards: list[Card] = []

    def add(do: str, t: Theme, form: Any, action: Callable[[dict[str, Any]], Any], button: str) -> None:
        cards.append(Card(do, t.pk, form, t.name, action, button, t))

    analysing = ca.status in (CoAssessment.Status.ANALYSING, CoAssessment.Status.MEMBER_CHECK)
    for t in drafts if analysing else []:
        t.coassessment = ca
        add(
            "send",
            t,
            analysis_forms.MemberCheckForm(
                groups, _bound(request, "send", t.pk), prefix=f"send{t.pk}", initial={"group": t.member_check_group_id}
            ),
            lambda d, t=t: analysis.send_for_member_check(
                actor, t, group=analysis_selectors.group(actor, ca, d["group"])
            ),
            _("Send for comment"),
        )
        if t.member_check_group_id:
            choices = [(p.pk, p.pseudonym) for p in people if p.group_id == t.member_check_group_id]
            add(
                "comment",
                t,
                analysis_forms.CommentForm(choices, _bound(request, "comment", t.pk), prefix=f"comment{t.pk}"),
                lambda d, t=t: analysis.record_member_comment(
                    actor, t, participant=analysis_selectors.participant(actor, ca, d["participant"]), text=d["text"]
                ),
                _("Record the comment"),
            )
    team = [(m.person_id, str(m.person)) for m in ca.team.all()]
    # Only the actions the reader may take are offered: the permission matrix decides, as the services do.
    to_action_plan = analysis.may_add_to_action_plan(actor)
    to_initiative = analysis.may_add_to_initiative(actor)
    for t in found:
        if to_action_plan:
            add(
                "action",
                t,
                analysis_forms.ActionForm(team, _bound(request, "action", t.pk), prefix=f"action{t.pk}"),
                lambda d, t=t: analysis.finding_to_action(actor, t, owner_id=d["owner_id"], due_on=d["due_on"]),
                _("Add to the readiness action plan"),
            )
        if ca.phase_id and to_initiative:
            add(
                "contribution",
                t,
                django_forms.Form(_bound(request, "contribution", t.pk), prefix=f"contribution{t.pk}"),
                lambda d, t=t: analysis.finding_to_contribution(actor, t),
                _("Add as a contribution to the initiative"),
            )
        add(
            "yousaid",
            t,
            analysis_forms.YouSaidForm(_bound(request, "yousaid", t.pk), prefix=f"yousaid{t.pk}"),
            lambda d, t=t: analysis.you_said_we_did(actor, t, you_said=d["you_said"], we_did=d["we_did"]),
            _("Tell those who took part"),
        )
    for card in cards:
        if submit(request, card.form, card.action):
            messages.success(request, _("Saved, and entered in the decision trail."))
            return redirect("coassessment:analysis_findings", pk)
    return render(
        request,
        "coassessment/analysis_findings.html",
        {
            "ca": ca,
            "is_member": True,
            "can_manage": services.can_manage(actor, ca),
            "findings": found,
            "drafts": drafts,
            "cards": cards,
            "thematic": ca.method == CoAssessment.Method.THEMATIC,
            # Findings go back to the service after the end too; the member check does not.
            "open": analysing or ca.status == CoAssessment.Status.FINISHED,
            "to_action_plan": to_action_plan,
            "to_initiative": to_initiative or not ca.phase_id,
        },
    )


@requires(*USERS)
def you_said_we_did(request: ActorRequest) -> HttpResponse:
    return render(request, "coassessment/you_said.html", {"items": analysis_selectors.you_said(request.actor)})
