"""A round's results and the derived checks with their limits."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peerwork.core.http import ActorRequest
from peerwork.core.toolkit import posted, requires, submit

from .. import charts, checks, selectors, services
from ..forms import LinksForm, SettingsForm
from ..roles import LEAD_ROLES, READ_ROLES, WRITE_ROLES


def results_context(view: selectors.RoundView | None) -> dict[str, Any]:
    """What the results part of the overview and of a round's page shows."""
    if view is None:
        return {"view": None}
    return {
        "view": view,
        "chart": charts.results_chart(view.results, view.previous_results),
        "gaps": charts.gaps(view.results),
        "shown_groups": view.results.shown_groups,
        "withheld_groups": [g for g in view.results.groups if g.withheld],
    }


@requires(*READ_ROLES)
def round_results(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    view = selectors.round_view(actor, pk)
    return render(
        request,
        "readiness/round.html",
        {
            **results_context(view),
            "links_form": LinksForm(),
            "can_lead": actor.has(*LEAD_ROLES),
            "can_act": actor.has(*WRITE_ROLES),
        },
    )


@requires(*READ_ROLES)
def checks_page(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    conf = services.settings_for(actor.organisation_id)
    form = SettingsForm(
        posted(request),
        initial={"committee_limit": conf.committee_limit},
    )
    if submit(request, form, lambda d: services.update_settings(actor, **d)):
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
