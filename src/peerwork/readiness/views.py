"""Readiness pages. Thin: parse the form, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerwork.core.forms import add_service_errors
from peerwork.core.middleware import public
from peerwork.organisations.models import Position

from . import charts, checks, report, selectors, services
from .attention import POINT_BY_CODE, POINTS
from .forms import (
    ActionForm,
    AttachForm,
    BriefingForm,
    CustomItemForm,
    DeclarationForm,
    DomainAnswerForm,
    JobDescriptionForm,
    LinksForm,
    OrientationForm,
    RiskForm,
    RoundForm,
    SettingsForm,
    SubmitForm,
)
from .instrument import DOMAIN_BY_CODE, DOMAINS, next_domain, previous_domain
from .items import round_items
from .models import ActionItem, Invitation, JobDescriptionVersion, Risk, RoleType, Round
from .roles import LEAD_ROLES, READ_ROLES, WRITE_ROLES


def _actor(request: HttpRequest) -> Any:
    actor = request.actor  # type: ignore[attr-defined]
    if actor is None:
        raise PermissionDenied
    return actor


def _data(request: HttpRequest) -> Any:
    """The posted data, or None for a GET (an empty POST still binds the form)."""
    return request.POST if request.method == "POST" else None


def _results_context(view: selectors.RoundView | None) -> dict[str, Any]:
    if view is None:
        return {"view": None}
    return {
        "view": view,
        "chart": charts.results_chart(view.results, view.previous_results),
        "gaps": charts.gaps(view.results),
        "shown_groups": view.results.shown_groups,
        "withheld_groups": [g for g in view.results.groups if g.withheld],
    }


# --- Overview and rounds --------------------------------------------------------------------------------


def overview(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(*READ_ROLES)
    rounds = list(selectors.rounds(actor)[:20])
    view = selectors.round_view(actor, rounds[0].pk) if rounds else None
    check_report = checks.run(actor)
    return render(
        request,
        "readiness/overview.html",
        {
            "rounds": rounds,
            **_results_context(view),
            "report": check_report,
            "action_counts": selectors.action_status_counts(actor),
            "can_lead": actor.has(*LEAD_ROLES),
            "invitations": selectors.my_open_invitations(actor),
        },
    )


def start_round(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(*LEAD_ROLES)
    units = selectors.units(actor)
    form = RoundForm(_data(request), units=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            rnd, tokens = services.start_round(
                actor,
                title=d["title"],
                groups=d["groups"],
                unit_id=d["unit"].pk if d["unit"] else None,
                invite_members=d["invite_members"],
                links={"service_user_rep": d["links"] or 0},
                closes_on=d["closes_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The round is open. People with a sign-in see it on their home page."))
            return _show_links(request, rnd, tokens)
    return render(request, "readiness/round_form.html", {"form": form})


def _show_links(request: HttpRequest, rnd: Round, tokens: dict[str, list[str]]) -> HttpResponse:
    from .models import Group

    labels = dict(Group.choices)
    links = [
        (labels[g], [request.build_absolute_uri(reverse("readiness:link_start", args=[t])) for t in ts])
        for g, ts in tokens.items()
        if ts
    ]
    return render(request, "readiness/links.html", {"round": rnd, "links": links})


def round_results(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    view = selectors.round_view(actor, pk)
    return render(
        request,
        "readiness/round.html",
        {
            **_results_context(view),
            "links_form": LinksForm(),
            "can_lead": actor.has(*LEAD_ROLES),
            "can_act": actor.has(*WRITE_ROLES),
        },
    )


@require_POST
def add_links(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    form = LinksForm(request.POST)
    rnd = selectors.round_for(actor, pk)
    if form.is_valid():
        try:
            tokens = services.add_links(actor, pk, form.cleaned_data["group"], form.cleaned_data["count"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return _show_links(request, rnd, {form.cleaned_data["group"]: tokens})
    else:
        messages.error(request, _("Choose a group and a number of links between 1 and 200."))
    return redirect("readiness:round", pk=pk)


@require_POST
def round_status(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    status = request.POST.get("status", "")
    try:
        services.set_round_status(actor, pk, status)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The round is closed.") if status == Round.Status.CLOSED else _("The round is open again."),
        )
    return redirect("readiness:round", pk=pk)


def questions(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    items = selectors.custom_items(actor)
    form = CustomItemForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_custom_item(actor, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The question is added. It will be asked in rounds started from now on."))
            return redirect("readiness:questions")
    return render(request, "readiness/questions.html", {"form": form, "items": items, "domains": DOMAINS})


@require_POST
def question_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    services.set_custom_item_active(actor, pk, request.POST.get("active") == "1")
    return redirect("readiness:questions")


# --- Answering ------------------------------------------------------------------------------------------


def my_rounds(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(request, "readiness/my_rounds.html", {"invitations": selectors.my_open_invitations(actor)})


def _answer(
    request: HttpRequest, invitation: Invitation, domain: str, *, actor: Any, base: str, key: Any
) -> HttpResponse:
    if domain not in DOMAIN_BY_CODE:
        raise Http404
    if invitation.completed or invitation.round.status != Round.Status.OPEN:
        return render(request, "readiness/answer_closed.html", {"invitation": invitation}, status=410)
    items = [i for i in round_items(invitation.round) if i.domain == domain]
    draft = selectors.draft_of(invitation)
    saved = draft.answers if draft else {}
    initial = {f"q_{i.code.replace('.', '_')}": str(saved[i.code]) for i in items if i.code in saved}
    form = DomainAnswerForm(_data(request), items=items, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_answers(invitation, form.answers(), actor=actor)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if "save" in request.POST:
                messages.success(
                    request,
                    _(
                        "Your answers are saved as a draft. Come back to finish at any time before the round closes."  # noqa: E501
                    ),
                )
                return redirect(base, key, domain)
            following = next_domain(domain)
            return redirect(base, key, following) if following else redirect(base.replace("answer", "review"), key)
    all_items = round_items(invitation.round)
    progress = [
        {
            "domain": d,
            "answered": sum(1 for i in all_items if i.domain == d.code and i.code in saved),
            "total": sum(1 for i in all_items if i.domain == d.code),
        }
        for d in DOMAINS
    ]
    return render(
        request,
        "readiness/answer.html",
        {
            "invitation": invitation,
            "domain": DOMAIN_BY_CODE[domain],
            "form": form,
            "progress": progress,
            "number": [d.code for d in DOMAINS].index(domain) + 1,
            "count": len(DOMAINS),
            "previous": previous_domain(domain),
            "base": base,
            "key": key,
            "review_url": reverse(base.replace("answer", "review"), args=[key]),
        },
    )


def _review(request: HttpRequest, invitation: Invitation, *, actor: Any, base: str, key: Any) -> HttpResponse:
    if invitation.completed or invitation.round.status != Round.Status.OPEN:
        return render(request, "readiness/answer_closed.html", {"invitation": invitation}, status=410)
    draft = selectors.draft_of(invitation)
    saved = draft.answers if draft else {}
    form = SubmitForm(_data(request), initial={"anonymous": True})
    if invitation.user_id is None:
        del form.fields["anonymous"]
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(invitation, actor=actor, anonymous=form.cleaned_data.get("anonymous", True))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return render(request, "readiness/thanks.html", {"invitation": invitation})
    all_items = round_items(invitation.round)
    progress = [
        {
            "domain": d,
            "answered": sum(1 for i in all_items if i.domain == d.code and i.code in saved),
            "total": sum(1 for i in all_items if i.domain == d.code),
        }
        for d in DOMAINS
    ]
    return render(
        request,
        "readiness/review.html",
        {
            "invitation": invitation,
            "form": form,
            "progress": progress,
            "base": base,
            "key": key,
            "complete": all(p["answered"] == p["total"] for p in progress),
        },
    )


def answer(request: HttpRequest, pk: int, domain: str) -> HttpResponse:
    actor = _actor(request)
    return _answer(request, selectors.my_invitation(actor, pk), domain, actor=actor, base="readiness:answer", key=pk)


def review(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    return _review(request, selectors.my_invitation(actor, pk), actor=actor, base="readiness:answer", key=pk)


@public
def link_start(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_by_token(token)
    return (
        redirect("readiness:link_answer", token, DOMAINS[0].code)
        if not invitation.completed
        else render(request, "readiness/answer_closed.html", {"invitation": invitation}, status=410)
    )


@public
def link_answer(request: HttpRequest, token: str, domain: str) -> HttpResponse:
    return _answer(
        request,
        selectors.invitation_by_token(token),
        domain,
        actor=None,
        base="readiness:link_answer",
        key=token,
    )


@public
def link_review(request: HttpRequest, token: str) -> HttpResponse:
    return _review(request, selectors.invitation_by_token(token), actor=None, base="readiness:link_answer", key=token)


# --- Checks, risks, actions -----------------------------------------------------------------------------


def checks_page(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    conf = services.settings_for(actor.organisation_id)
    form = SettingsForm(
        _data(request),
        initial={
            "supervision_interval_days": conf.supervision_interval_days,
            "committee_limit": conf.committee_limit,
        },
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_settings(actor, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The limits are saved; the checks below use them."))
                return redirect("readiness:checks")
    return render(
        request,
        "readiness/checks.html",
        {
            "report": checks.run(actor),
            "form": form,
            "can_lead": actor.has(*LEAD_ROLES),
            "can_act": actor.has(*WRITE_ROLES),
        },
    )


def risks(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(*READ_ROLES)
    summary = selectors.risk_summary(actor)
    teams = []
    for u in selectors.units(actor):
        counts = dict(summary.get(u.pk, {}))
        counts[Risk.Status.NOT_REVIEWED] = len(POINTS) - sum(
            n for s, n in counts.items() if s != Risk.Status.NOT_REVIEWED
        )
        teams.append({"unit": u, "counts": counts})
    return render(request, "readiness/risks.html", {"teams": teams, "statuses": Risk.Status.choices})


def risk_register(request: HttpRequest, unit_id: int) -> HttpResponse:
    actor = _actor(request)
    unit = selectors.unit(actor, unit_id)
    register = selectors.risk_register(actor, unit)
    rows = [{"point": p, "risk": register.get(p.code)} for p in POINTS]
    return render(
        request,
        "readiness/risk_register.html",
        {"unit": unit, "rows": rows, "can_act": actor.has(*WRITE_ROLES)},
    )


def risk_edit(request: HttpRequest, unit_id: int, code: str) -> HttpResponse:
    actor = _actor(request)
    actor.require(*WRITE_ROLES)
    unit = selectors.unit(actor, unit_id)
    point = POINT_BY_CODE.get(code)
    if point is None:
        raise Http404
    risk = selectors.risk_register(actor, unit).get(code)
    initial = (
        {"status": risk.status, "notes": risk.notes, "review_on": risk.review_on}
        if risk
        else {"status": Risk.Status.NOT_REVIEWED}
    )
    form = RiskForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_risk(actor, unit_id=unit.pk, code=code, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The register is updated."))
            return redirect("readiness:risk_register", unit_id=unit.pk)
    return render(request, "readiness/risk_form.html", {"unit": unit, "point": point, "risk": risk, "form": form})


def action_plan(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    status = request.GET.get("status", "active")
    return render(
        request,
        "readiness/actions.html",
        {
            "actions": selectors.actions(actor, status),
            "status": status,
            "statuses": ActionItem.Status.choices,
            "today": timezone.localdate(),
            "can_act": actor.has(*WRITE_ROLES),
        },
    )


def _source_link(action: ActionItem) -> str | None:
    if action.source == ActionItem.Source.GAP and action.round_id:
        return reverse("readiness:round", args=[action.round_id]) + f"#domain-{action.source_ref}"
    if action.source == ActionItem.Source.CHECK:
        return reverse("readiness:checks") + f"#check-{action.source_ref}"
    if action.source == ActionItem.Source.RISK and action.unit_id:
        return reverse("readiness:risk_register", args=[action.unit_id]) + f"#point-{action.source_ref}"
    return None


def action_new(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(*WRITE_ROLES)
    data = _data(request)
    initial = {k: request.GET.get(k, "") for k in ("title", "source", "source_ref", "unit", "round", "risk")}
    form = ActionForm(data, initial=initial, people=selectors.people(actor))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.create_action(
                actor,
                title=d["title"],
                owner_id=d["owner"].pk if d["owner"] else None,
                due_on=d["due_on"],
                source=d["source"] or ActionItem.Source.OTHER,
                source_ref=d["source_ref"] or "",
                unit_id=d["unit"],
                round_id=d["round"],
                risk_id=d["risk"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The action is in the plan."))
            return redirect("readiness:actions")
    return render(request, "readiness/action_form.html", {"form": form, "action": None})


def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    action = selectors.action(actor, pk)
    form = ActionForm(
        _data(request),
        people=selectors.people(actor),
        editing=True,
        initial={
            "title": action.title,
            "owner": action.owner_id,
            "due_on": action.due_on,
            "status": action.status,
        },
    )
    if request.method == "POST":
        actor.require(*WRITE_ROLES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.update_action(
                    actor,
                    pk,
                    title=d["title"],
                    owner_id=d["owner"].pk if d["owner"] else None,
                    due_on=d["due_on"],
                    status=d["status"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The action is updated."))
                return redirect("readiness:actions")
    return render(
        request,
        "readiness/action_form.html",
        {"form": form, "action": action, "source_link": _source_link(action)},
    )


# --- Job descriptions -----------------------------------------------------------------------------------


def roles(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(
        request,
        "readiness/roles.html",
        {
            "descriptions": selectors.job_descriptions(actor),
            "positions": selectors.positions_with_job_descriptions(actor),
            "can_lead": actor.has(*LEAD_ROLES),
        },
    )


def _builder(request: HttpRequest, jd: Any = None) -> HttpResponse:
    actor = _actor(request)
    actor.require(*LEAD_ROLES)
    initial: dict[str, Any] = {}
    if jd is not None:
        latest = jd.versions.all()[0]
        initial = {
            f: getattr(latest, f)
            for f in (
                "role_form",
                "role_type",
                "core_tasks",
                "tasks",
                "demarcation",
                "hours_per_week",
                "reporting_line",
                "supervision",
                "does_not_do",
            )
        }
        initial["title"] = jd.title
    form = JobDescriptionForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            version = services.save_job_description(
                actor,
                job_description_id=jd.pk if jd else None,
                title=d["title"],
                role_form=d["role_form"],
                role_type=d["role_type"],
                core_tasks=d["core_tasks"],
                tasks=d["tasks"],
                demarcation=d["demarcation"],
                hours_per_week=d["hours_per_week"] if d["hours_per_week"] is not None else "",
                reporting_line=d["reporting_line"],
                supervision=d["supervision"],
                does_not_do=d["does_not_do"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved as version %(n)d.") % {"n": version.number})
            if version.role_type == RoleType.PRE_DETERMINED:
                messages.warning(
                    request,
                    _(
                        "This role is set up as pre-determined services: the peer worker has little room to use their "  # noqa: E501
                        "experience. Consider peer support or co-creation (S2)."
                    ),
                )
            return redirect("readiness:role", pk=version.job_description_id)
    chosen_type = form.data.get("role_type") if form.is_bound else initial.get("role_type")
    return render(
        request,
        "readiness/role_form.html",
        {"form": form, "jd": jd, "pre_determined": chosen_type == RoleType.PRE_DETERMINED},
    )


def role_new(request: HttpRequest) -> HttpResponse:
    return _builder(request)


def role_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _builder(request, selectors.job_description(_actor(request), pk))


def role(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    jd = selectors.job_description(actor, pk)
    versions = list(jd.versions.all())
    latest = versions[0] if versions else None
    attach = None
    if actor.has(*LEAD_ROLES) and latest is not None:
        positions = (
            Position.objects.filter(organisation_id=actor.organisation_id)
            .select_related("unit", "holder")
            .order_by("unit__name", "title")
        )
        attach = AttachForm(
            _data(request),
            positions=positions,
            initial={"positions": list(latest.positions.values_list("position_id", flat=True))},
        )
        if request.method == "POST" and attach.is_valid():
            try:
                n = services.attach_job_description(
                    actor, version_id=latest.pk, position_ids=[p.pk for p in attach.cleaned_data["positions"]]
                )
            except ValidationError as exc:
                add_service_errors(attach, exc)
            else:
                messages.success(request, _("%(n)d positions now follow version %(v)d.") % {"n": n, "v": latest.number})
                return redirect("readiness:role", pk=pk)
    return render(
        request,
        "readiness/role.html",
        {
            "jd": jd,
            "versions": versions,
            "latest": latest,
            "attach": attach,
            "can_lead": actor.has(*LEAD_ROLES),
        },
    )


def role_print(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    version: JobDescriptionVersion = selectors.job_description_version(actor, pk)
    return render(request, "readiness/role_print.html", {"v": version, "jd": version.job_description})


# --- Orientation, briefings, placement ------------------------------------------------------------------


def orientation_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(
        request,
        "readiness/orientation_list.html",
        {"positions": selectors.new_peer_workers(actor), "can_act": actor.has(*WRITE_ROLES)},
    )


def orientation_edit(request: HttpRequest, position_id: int) -> HttpResponse:
    actor = _actor(request)
    actor.require(*WRITE_ROLES)
    position, orientation = selectors.orientation_position(actor, position_id)
    initial: dict[str, Any] = {}
    if orientation:
        initial = {
            "contact_person": orientation.contact_person_id,
            "buddy": orientation.buddy_id,
            "intro_meeting_on": orientation.intro_meeting_on,
            "job_coaching": orientation.job_coaching,
            "first_supervision_on": orientation.first_supervision_on,
            "status": orientation.status,
        }
    form = OrientationForm(
        _data(request), people=selectors.people(actor).exclude(pk=position.holder_id), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.save_orientation(
                actor,
                position_id=position.pk,
                contact_person_id=d["contact_person"].pk if d["contact_person"] else None,
                buddy_id=d["buddy"].pk if d["buddy"] else None,
                intro_meeting_on=d["intro_meeting_on"],
                job_coaching=d["job_coaching"],
                first_supervision_on=d["first_supervision_on"],
                status=d["status"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The orientation is saved."))
            return redirect("readiness:orientation")
    return render(request, "readiness/orientation_form.html", {"position": position, "form": form})


def briefings(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    found = selectors.briefings(actor)
    form = BriefingForm(_data(request), units=selectors.units(actor))
    if request.method == "POST":
        actor.require(*WRITE_ROLES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.record_briefing(
                    actor,
                    unit_id=d["unit"].pk if d["unit"] else None,
                    held_on=d["held_on"],
                    topics=d["topics"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The briefing is recorded."))
                return redirect("readiness:briefings")
    return render(
        request,
        "readiness/briefings.html",
        {"briefings": found, "form": form, "can_act": actor.has(*WRITE_ROLES)},
    )


def my_placement(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    declarations = selectors.my_declarations(actor)
    form = DeclarationForm(_data(request), units=selectors.units(actor))
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_treatment(
                actor, unit_id=form.cleaned_data["unit"].pk if form.cleaned_data["unit"] else None
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved. Only you can see this."))
            return redirect("readiness:my_placement")
    return render(request, "readiness/my_placement.html", {"declarations": declarations, "form": form})


@require_POST
def withdraw_declaration(request: HttpRequest, pk: int) -> HttpResponse:
    services.withdraw_declaration(_actor(request), pk)
    messages.success(request, _("Removed."))
    return redirect("readiness:my_placement")


# --- Board report ---------------------------------------------------------------------------------------


def board_report(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(request, "readiness/report.html", report.gather(actor))


def board_report_pdf(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    data = report.gather(actor)
    pdf = report.render_pdf(data)
    report.audit_export(actor)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="readiness-{timezone.localdate().isoformat()}.pdf"'
    return response
