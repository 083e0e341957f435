# ruff: noqa: E501  (translatable sentences read better unbroken)
"""Co-assessment pages: thin — parse, call a selector or a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from peerwork.core.http import ActorRequest
from peerwork.core.roles import MANAGING_ROLES, PEER_ROLES, Role
from peerwork.core.toolkit import posted, requires, submit

from . import forms, guides, selectors, services
from .models import CoAssessment, Code

# Who uses co-assessment pages at all: everyone but the administrator.
USERS = (*MANAGING_ROLES, *PEER_ROLES, Role.PROFESSIONAL, Role.DPO)
# Who may plan and run one (on their own as team lead or moderator; managers and coordinators on any).
RUNNERS = (*MANAGING_ROLES, *PEER_ROLES, Role.PROFESSIONAL)
# Who may withdraw a participant: those who run it, and the data protection officer.
WITHDRAWERS = USERS


def _page(request: ActorRequest, template: str, ca: CoAssessment, **context: Any) -> HttpResponse:
    actor = request.actor
    context.update(
        ca=ca,
        can_manage=services.can_manage(actor, ca),
        is_member=services.is_member(actor, ca),
        is_dpo=actor.has(Role.DPO),
    )
    return render(request, template, context)


def _form_page(request: ActorRequest, form: Any, ca: CoAssessment | None, **context: Any) -> HttpResponse:
    context.update(form=form, ca=ca)
    return render(request, "coassessment/form_page.html", context)


@requires(*USERS)
def coassessment_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "coassessment/list.html",
        {"rows": selectors.coassessments(actor), "can_plan": actor.has(*services.PLANNERS)},
    )


@requires(*RUNNERS)
def coassessment_new(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = forms.PlanForm(actor, posted(request))
    saved = submit(request, form, lambda d: services.create_coassessment(actor, **d))
    if saved:
        messages.success(request, _("The co-assessment is planned. Add the team and the groups."))
        return redirect("coassessment:team", saved.value.pk)
    return _form_page(
        request,
        form,
        None,
        title=_("Plan a co-assessment"),
        submit=_("Plan it"),
        back=reverse("coassessment:list"),
        lead=_(
            "A co-assessment answers one question about the service with the people it concerns. You join "
            "its team as lead; the team needs at least one peer worker as co-researcher."
        ),
    )


@requires(*RUNNERS)
def coassessment_plan(request: ActorRequest, pk: int) -> HttpResponse:
    """Change the plan. A new question, method or later deletion date after approval goes back to the data
    protection officer, and the page says so before and after."""
    actor = request.actor
    ca = selectors.for_manager(actor, pk)
    approved = ca.ethics_approved_on is not None
    initial = {f: getattr(ca, f) for f in ("title", "question", "method", "retention_until", "phase", "gap")}
    form = forms.PlanForm(actor, posted(request), initial=initial)
    if submit(request, form, lambda d: services.update_plan(actor, ca, **d)):
        if approved and ca.ethics_approved_on is None:
            messages.warning(
                request,
                _(
                    "The plan is changed. The data protection officer must approve it again: until then no "
                    "material can be entered."
                ),
            )
        else:
            messages.success(request, _("The plan is changed."))
        return redirect("coassessment:detail", pk)
    lead = _("Change the title, the question, the method or the deletion date.")
    if approved:
        lead = _(
            "The data protection officer has approved this plan. If you change the question or the method, or "
            "move the deletion date later, the officer must approve it again, and no material can be entered "
            "until they have. A new title or an earlier deletion date needs no new approval."
        )
    return _form_page(
        request,
        form,
        ca,
        title=_("Change the plan"),
        submit=_("Save the plan"),
        back=reverse("coassessment:detail", args=[pk]),
        lead=lead,
    )


@requires(*USERS)
def coassessment_detail(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    ca = selectors.coassessment(actor, pk)
    member = services.is_member(actor, ca)
    return _page(
        request,
        "coassessment/detail.html",
        ca,
        groups=selectors.groups(actor, ca),
        guides=selectors.guides(actor, ca),
        materials=selectors.materials(actor, ca) if member else [],
        team_problem=services.team_problem(ca) if ca.status in ("planning", "collecting") else None,
        steps=range(1, CoAssessment.STEPS[CoAssessment.Method(ca.method)] + 1),
        pulse_survey=selectors.pulse_survey_words(ca.pulse_survey),
        export_reminders=selectors.export_reminders(actor, ca),
    )


@require_POST
@requires(*RUNNERS)
def export_reminder_done(request: ActorRequest, pk: int) -> HttpResponse:
    """A team member marks the copies exported before a withdrawal as deleted."""
    actor = request.actor
    reminder = selectors.export_reminder(actor, pk)
    try:
        services.mark_exported_copies_deleted(actor, reminder)
        messages.success(request, _("Marked done: the copies exported before then are deleted."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("coassessment:detail", reminder.coassessment_id)


@require_POST
@requires(*RUNNERS)
def coassessment_advance(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    ca = selectors.for_manager(actor, pk)
    try:
        services.advance(actor, ca)
        messages.success(
            request, _("The co-assessment has moved on to: %(status)s.") % {"status": ca.get_status_display()}
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("coassessment:detail", pk)


@requires(*RUNNERS)
def coassessment_team(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    ca = selectors.coassessment(actor, pk)
    data = posted(request)
    member_form = forms.TeamMemberForm(actor, data if data and "person" in data else None)
    group_form = forms.GroupForm(data if data and "group-name" in data else None)
    if data is not None and not services.can_manage(actor, ca):
        raise PermissionDenied
    if submit(request, member_form, lambda d: services.add_team_member(actor, ca, **d)):
        messages.success(request, _("Added to the team."))
        return redirect("coassessment:team", pk)
    if submit(request, group_form, lambda d: services.add_group(actor, ca, **d)):
        messages.success(request, _("The group is added."))
        return redirect("coassessment:team", pk)
    ca = selectors.coassessment(actor, pk)
    return _page(
        request,
        "coassessment/team.html",
        ca,
        member_form=member_form,
        group_form=group_form,
        groups=selectors.groups(actor, ca),
        team_problem=services.team_problem(ca),
    )


@requires(*RUNNERS)
def coassessment_reflexivity(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    ca = selectors.for_member(actor, pk)
    mine = services.membership(actor, ca)
    note = getattr(mine, "reflexivity", None) if mine else None
    form = forms.ReflexivityForm(posted(request), initial={"text": note.text if note else ""})
    if submit(request, form, lambda d: services.write_reflexivity_note(actor, ca, text=d["text"])):
        messages.success(request, _("Your reflexivity note is kept."))
        return redirect("coassessment:reflexivity", pk)
    return _page(request, "coassessment/reflexivity.html", ca, form=form)


@requires(*RUNNERS)
def coassessment_guides(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    ca = selectors.coassessment(actor, pk)
    form = forms.GuideForm(posted(request))
    if request.method == "POST" and not services.can_manage(actor, ca):
        raise PermissionDenied
    saved = submit(request, form, lambda d: services.add_guide(actor, ca, **d))
    if saved:
        return redirect("coassessment:guide", saved.value.pk)
    return _page(
        request,
        "coassessment/guides.html",
        ca,
        form=form,
        guides=selectors.guides(actor, ca),
        templates=guides.TEMPLATES,
    )


@requires(*RUNNERS)
def guide_edit(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    guide = selectors.guide(actor, pk)
    ca = guide.coassessment
    ca = selectors.coassessment(actor, ca.pk)
    data = posted(request)
    if data is not None:
        if not services.can_manage(actor, ca):
            raise PermissionDenied
        try:
            if "remove" in data:
                services.remove_question(actor, selectors.question(actor, int(data["remove"])))
            else:
                question = selectors.question(actor, int(data["question"])) if data.get("question") else None
                services.save_question(actor, guide, text=data.get("text", ""), question=question)
            messages.success(request, _("The guide is saved."))
        except (ValidationError, ValueError) as exc:
            messages.error(
                request,
                " ".join(exc.messages) if isinstance(exc, ValidationError) else _("Reload the page and try again."),
            )
        return redirect("coassessment:guide", pk)
    template = guides.BY_KEY.get(next((t.key for t in guides.TEMPLATES if str(t.title) == guide.title), ""))
    return _page(
        request,
        "coassessment/guide.html",
        ca,
        guide=guide,
        questions=list(guide.questions.all()),
        cites=template.cites if template else (),
        new_form=forms.QuestionForm(),
    )


@requires(*RUNNERS)
def coassessment_participants(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    ca = selectors.coassessment(actor, pk)
    form = forms.ParticipantForm(actor, ca, posted(request))
    if request.method == "POST" and not services.can_manage(actor, ca):
        raise PermissionDenied
    if submit(request, form, lambda d: services.add_participant(actor, ca, **d)):
        messages.success(request, _("The participant is added under their pseudonym, with their consent recorded."))
        return redirect("coassessment:participants", pk)
    return _page(request, "coassessment/participants.html", ca, form=form, groups=selectors.groups(actor, ca))


@requires(*USERS)
def coassessment_ethics(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    ca = selectors.coassessment(actor, pk)
    form = forms.EthicsForm(posted(request))
    if request.method == "POST" and not actor.has(Role.DPO):
        raise PermissionDenied
    if submit(request, form, lambda d: services.approve_ethics(actor, ca, note=d["note"])):
        messages.success(
            request, _("The ethics checkpoint is approved. Material can be entered once collecting starts.")
        )
        return redirect("coassessment:ethics", pk)
    return _page(request, "coassessment/ethics.html", ca, form=form)


@requires(Role.DPO)
def coassessment_name_key(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    ca = selectors.coassessment(actor, pk)
    return _page(request, "coassessment/name_key.html", ca, rows=selectors.name_key(actor, ca))


@requires(*RUNNERS)
def material_new(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    ca = selectors.for_member(actor, pk)
    form = forms.MaterialForm(actor, ca, posted(request))
    saved = submit(request, form, lambda d: services.add_material(actor, ca, **d))
    if saved:
        messages.success(request, _("The material is entered. Mark who said what as segments."))
        return redirect("coassessment:coding", saved.value.pk)
    return _form_page(
        request,
        form,
        ca,
        title=_("Enter material"),
        submit=_("Enter the material"),
        back=reverse("coassessment:detail", args=[pk]),
        lead=_("Paste a pseudonymised transcript or notes. Pseudonyms only, never names; audio is never stored."),
        closed=not ca.material_open,
    )


@requires(*RUNNERS)
def material_coding(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    blind = request.GET.get("blind") == "1" or request.POST.get("blind") == "1"
    after = request.GET.get("after", "")
    ws = selectors.workspace(actor, pk, blind=blind, after=after)
    ca = ws.material.coassessment
    data = posted(request)
    segment_form = forms.SegmentForm(
        ws.participants, ws.material.text, data if data and "segment-participant" in data else None
    )
    code_form = forms.CodeForm(data if data and "code-name" in data else None)
    by_pk = {r.segment.pk: r.segment for r in ws.segments}
    labels = [(r.segment.pk, f"{r.segment.participant.pseudonym}: {r.text[:60]}") for r in ws.segments]
    codes_by_pk = {c.pk: c for c in ws.codes}
    search = request.GET.get("q", "").strip()
    codes = selectors.codes(actor, ca, search) if search else ws.codes
    coding_form = forms.CodingForm(labels, codes, data if data and "coding-code" in data else None)
    kept = {"blind": "1"} if blind else {}
    if ws.earlier:  # back to the same page of segments
        kept["after"] = after
    again = reverse("coassessment:coding", args=[pk]) + ("?" + urlencode(kept) if kept else "")
    if submit(request, segment_form, lambda d: services.add_segment(actor, ws.material, **d)):
        messages.success(request, _("The segment is marked."))
        return redirect(again)
    if submit(request, code_form, lambda d: services.add_code(actor, ca, **d)):
        messages.success(request, _("The code is added to the codebook."))
        return redirect(again)
    if submit(
        request,
        coding_form,
        lambda d: services.code_segment(actor, by_pk[d["segment"]], code=codes_by_pk.get(d["code"]), blind=blind),
    ):
        messages.success(request, _("The segment is coded."))
        return redirect(again)
    if request.htmx and request.GET.get("q") is not None:  # the code list filtered while typing
        return render(request, "coassessment/includes/codes.html", {"code_items": _code_items(codes), "search": search})
    return _page(
        request,
        "coassessment/coding.html",
        ca,
        ws=ws,
        code_items=_code_items(codes),
        search=search,
        segment_form=segment_form,
        code_form=code_form,
        coding_form=coding_form,
        text_html=forms.text_html(ws.material.text),
        segment_rows=_segment_rows(request, ws),
        can_code=ca.status == CoAssessment.Status.ANALYSING,
    )


def _segment_rows(request: ActorRequest, ws: selectors.Workspace) -> list[tuple[int, str, str, SafeString]]:
    """Each shown segment as the table's row shows it: its id (for its remove button), who said it, what they
    said, and its codings (``forms.codings_html``); plain tuples, so that the template's loop looks nothing up."""
    csrf_input = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
    user_id = request.actor.user.pk
    return [
        (
            r.segment.pk,
            r.segment.participant.pseudonym,
            r.text,
            forms.codings_html(r.codings, user_id=user_id, csrf_input=csrf_input),
        )
        for r in ws.segments
    ]


def _code_items(codes: list[Code]) -> list[tuple[str, str]]:
    """The codebook's list: each code's name and description."""
    return [(c.name, c.description) for c in codes]


@require_POST
@requires(*RUNNERS)
def coding_undo(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    coding = selectors.coding(actor, pk)
    material_id = coding.segment.material_id
    services.uncode(actor, coding)
    messages.success(request, _("The coding is undone."))
    return redirect("coassessment:coding", material_id)


@requires(*WITHDRAWERS)
def participant_withdraw(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    participant = selectors.participant(actor, pk)
    ca = selectors.coassessment(actor, participant.coassessment_id)
    if not (services.can_manage(actor, ca) or actor.has(Role.DPO)):
        raise PermissionDenied
    form = forms.WithdrawForm(posted(request))
    saved = submit(request, form, lambda d: services.withdraw_participant(actor, participant))
    if saved:
        n, c = saved.value["segments"], saved.value["codings"]
        messages.success(
            request,
            " ".join(
                part
                for part in (
                    _("%(name)s has withdrawn.") % {"name": participant.pseudonym},
                    ngettext("%(n)s segment is removed.", "%(n)s segments are removed.", n) % {"n": n},
                    ngettext("%(c)s coding is removed.", "%(c)s codings are removed.", c) % {"c": c},
                    ngettext(
                        "%(t)s person who downloaded a copy with their words is told to delete it.",
                        "%(t)s people who downloaded a copy with their words are told to delete it.",
                        saved.value["told"],
                    )
                    % {"t": saved.value["told"]}
                    if saved.value["told"]
                    else "",
                )
                if part
            ),
        )
        return redirect("coassessment:participants", ca.pk)
    return _page(request, "coassessment/withdraw.html", ca, form=form, participant=participant)


@require_POST
@requires(*RUNNERS)
def segment_remove(request: ActorRequest, pk: int) -> HttpResponse:
    """Remove a segment marked by mistake, with the codings on it."""
    actor = request.actor
    segment = selectors.segment(actor, pk)
    material_id = segment.material_id
    try:
        n = services.remove_segment(actor, segment)
        messages.success(
            request,
            ngettext(
                "The segment is removed, with %(n)s coding on it.",
                "The segment is removed, with %(n)s codings on it.",
                n,
            )
            % {"n": n},
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("coassessment:coding", material_id)


@requires(*RUNNERS)
def codebook(request: ActorRequest, pk: int) -> HttpResponse:
    """The codebook: each code with how often it is given, to rename or remove."""
    actor = request.actor
    ca = selectors.for_member(actor, pk)
    return _page(request, "coassessment/codebook.html", ca, codes=selectors.codebook(actor, ca))


@require_POST
@requires(*RUNNERS)
def code_rename(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    code = selectors.code(actor, pk)
    try:
        services.rename_code(actor, code, name=request.POST.get("name", ""))
        messages.success(request, _("The code is renamed."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("coassessment:codebook", code.coassessment_id)


@require_POST
@requires(*RUNNERS)
def code_remove(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    code = selectors.code(actor, pk)
    try:
        n = services.remove_code(actor, code, confirm=request.POST.get("confirm") == "on")
        messages.success(
            request,
            ngettext("The code is removed, with %(n)s coding.", "The code is removed, with %(n)s codings.", n)
            % {"n": n},
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("coassessment:codebook", code.coassessment_id)
