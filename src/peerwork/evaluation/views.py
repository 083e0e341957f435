"""Evaluation pages: the dashboard, its CSV export, and the pulse survey."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peerwork.core import plain
from peerwork.core.actor import Actor
from peerwork.core.anonymity import ANONYMITY_THRESHOLD
from peerwork.core.exports import csv_download
from peerwork.core.http import ActorRequest
from peerwork.core.roles import Role
from peerwork.core.toolkit import posted, requires, submit
from peerwork.organisations.models import Unit

from . import figures, selectors, services
from .forms import FilterForm, PulseForm
from .items import Condition, Group, groups_for
from .pulse import wording_history


def _filters(request: ActorRequest, actor: Actor) -> tuple[FilterForm, figures.Filters | None]:
    presets = selectors.period_presets()
    form = FilterForm(selectors.filter_units(actor), presets, request.GET or {"period": "last_quarter"})
    if not form.is_valid():
        return form, None
    unit: Unit | None = form.cleaned_data.get("unit")
    return form, figures.Filters(
        actor.organisation_id, form.cleaned_data["start"], form.cleaned_data["end"], unit.pk if unit else None
    )


@requires(*Role)
def index(request: ActorRequest) -> HttpResponse:
    """Managers, coordinators and peer workers land on the dashboard; everyone else on the pulse survey."""
    actor = request.actor
    return redirect("evaluation:dashboard" if actor.has(*selectors.READER_ROLES) else "evaluation:pulse")


@requires(*selectors.READER_ROLES)
def dashboard(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form, filters = _filters(request, actor)
    data = selectors.dashboard(actor, filters) if filters else None
    return render(
        request,
        "evaluation/dashboard.html",
        {
            "form": form,
            "d": data,
            "query": request.GET.urlencode(),
            "conditions": Condition.choices,
            "unit": form.cleaned_data.get("unit") if filters else None,
            "everything": selectors.sees_everything(actor),
            "threshold": ANONYMITY_THRESHOLD,
        },
    )


@requires(*selectors.DASHBOARD_ROLES)
def export(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form, filters = _filters(request, actor)
    if filters is None:
        messages.error(request, _("The period is not valid; correct it and export again."))
        return redirect("evaluation:dashboard")
    d = selectors.export_rows(actor, filters)
    response, out = csv_download(f"peerwork-evaluation-{filters.start}-{filters.end}.csv")
    unit = form.cleaned_data.get("unit")
    out.writerow(
        [
            _("level"),
            _("figure (the same in every language and period, to match files)"),
            _("label"),
            _("value"),
            _("shown as"),
            _("how this is computed"),
            _("from"),
            _("to"),
            _("unit or team"),
        ]
    )
    scope = [plain.when(filters.start), plain.when(filters.end), unit.name if unit else ""]
    levels = {key: str(label) for key, label in figures.LEVELS.items()}
    for f in d.figures:
        value = "" if f.value is None else f.value
        out.writerow([levels[f.level], f.key, str(f.label), value, f.display, str(f.how), *scope])
    for c in d.charts:
        for row in c.rows:
            label = f"{c.title}: {row.label}"
            out.writerow([levels[c.level], c.key, label, row.value, row.display, c.description, *scope])
    labels = dict(Condition.choices)
    for result in d.pulse:
        for g in result.groups:
            for condition, cell in g.cell_list():
                out.writerow(
                    [
                        levels["organisation"],
                        f"pulse.{condition}.{g.group}",
                        f"{result.survey.label}: {labels[condition]} ({g.label})",
                        "" if cell.mean is None else round(cell.mean, 2),
                        _("withheld (fewer than three answers)") if cell.withheld else f"{cell.mean:.1f}",
                        _("Average answer, 1 (strongly disagree) to 5 (strongly agree)."),
                        *scope,
                    ]
                )
    return response


@requires(Role.MANAGER, Role.COORDINATOR, Role.PEER_WORKER, Role.SENIOR_PEER_WORKER, Role.PROFESSIONAL)
def pulse(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    groups = groups_for(actor.roles)
    survey = services.survey_for(actor.organisation_id)
    answered = bool(groups) and selectors.has_answered(actor, survey)
    wanted = request.POST.get("as") or request.GET.get("as")
    group = wanted if wanted in groups else (groups[0] if groups else None)
    form = PulseForm(group, survey.items_version, posted(request)) if group and not answered else None
    if form is not None and submit(
        request,
        form,
        lambda d: services.submit_pulse(actor, survey, group=form.group, answers=d),
    ):
        messages.success(request, _("Thank you. Your answers are saved without your name."))
        return redirect("evaluation:pulse")
    labels = dict(Group.choices)
    results = selectors.pulse_results(actor)
    return render(
        request,
        "evaluation/pulse.html",
        {
            "survey": survey,
            "answered": answered,
            "form": form,
            "group": group,
            "group_label": labels.get(group or "", ""),
            "other_groups": [(g, labels[g]) for g in groups if g != group],
            "results": results,
            "chart": figures.pulse_chart(results),
            "conditions": Condition.choices,
            "history": wording_history(results),
        },
    )
