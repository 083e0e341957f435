"""The risk register: each team's points of attention and their status."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peerwork.core.http import ActorRequest
from peerwork.core.toolkit import posted, requires, submit

from .. import selectors, services
from ..attention import POINT_BY_CODE, POINTS
from ..forms import RiskForm
from ..models import Risk
from ..roles import PARTNER_ROLES, READ_ROLES, WRITE_ROLES
from .results import comment_part


@requires(*READ_ROLES, *PARTNER_ROLES)
def risks(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    summary = selectors.risk_summary(actor)
    teams = []
    for u in selectors.register_units(actor):
        counts = dict(summary.get(u.pk, {}))
        counts[Risk.Status.NOT_REVIEWED] = len(POINTS) - sum(
            n for s, n in counts.items() if s != Risk.Status.NOT_REVIEWED
        )
        teams.append({"unit": u, "counts": counts})
    return render(request, "readiness/risks.html", {"teams": teams, "statuses": Risk.Status.choices})


@requires(*READ_ROLES, *PARTNER_ROLES)
def risk_register(request: ActorRequest, unit_id: int) -> HttpResponse:
    actor = request.actor
    unit = selectors.unit(actor, unit_id)
    comments, added = comment_part(request, unit_id=unit.pk)
    if added:
        return redirect("readiness:risk_register", unit_id=unit.pk)
    register = selectors.risk_register(actor, unit)
    rows = [{"point": p, "risk": register.get(p.code)} for p in POINTS]
    return render(
        request,
        "readiness/risk_register.html",
        {"unit": unit, "rows": rows, "can_act": actor.has(*WRITE_ROLES), **comments},
    )


@requires(*READ_ROLES)
def risk_edit(request: ActorRequest, unit_id: int, code: str) -> HttpResponse:
    actor = request.actor
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
    form = RiskForm(posted(request), initial=initial)
    if submit(request, form, lambda d: services.save_risk(actor, unit_id=unit.pk, code=code, **d)):
        messages.success(request, _("The register is updated."))
        return redirect("readiness:risk_register", unit_id=unit.pk)
    return render(request, "readiness/risk_form.html", {"unit": unit, "point": point, "risk": risk, "form": form})
