"""A round's results and the derived checks with their limits."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peerwork.core.actor import Actor
from peerwork.core.http import ActorRequest
from peerwork.core.toolkit import posted, requires, submit

from .. import charts, checks, partners, selectors, services
from ..forms import CommentForm, LinksForm, SettingsForm
from ..models import ANONYMITY_THRESHOLD
from ..roles import LEAD_ROLES, PARTNER_ROLES, READ_ROLES, RESPONDENT_ROLES, WRITE_ROLES


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
        "domain_codes": list(view.results.overall),
    }


def answered_rows(actor: Actor, view: selectors.RoundView) -> list[dict[str, Any]]:
    """Invited and answered per group. Those who do not run readiness see a count between one and two as
    "fewer than three", so a group of one never shows whether its only member answered."""
    everything = selectors.reads_everything(actor)

    def shown(n: int) -> int | None:
        return n if everything or not 0 < n < ANONYMITY_THRESHOLD else None

    return [
        {
            "group": g.group,
            "invited": shown(view.invited.get(g.group, 0)),
            "answered": shown(g.responses),
            "withheld": g.withheld,
        }
        for g in view.results.groups
    ]


def comment_part(
    request: ActorRequest,
    *,
    round_id: int | None = None,
    unit_id: int | None = None,
    action_id: int | None = None,
    bind: bool = True,
) -> tuple[dict[str, Any], bool]:
    """The comments on one thing and the form to add one; True when a comment was just added. ``bind``:
    False when the page's post was meant for another of its forms."""
    actor = request.actor
    form = CommentForm(
        posted(request) if bind else None, managers=selectors.managers(actor), register=unit_id is not None
    )
    saved = (
        None
        if not bind
        else submit(
            request,
            form,
            lambda d: services.add_comment(
                actor,
                text=d["text"],
                kind=d["kind"],
                round_id=round_id,
                unit_id=unit_id,
                action_id=action_id,
                code=d.get("code") or "",
                private_to_id=d["private_to"].pk if d["private_to"] else None,
            ),
        )
    )
    if saved is not None:
        messages.success(request, _("Your comment is added."))
        return {}, True
    found = selectors.comments(actor, round_id=round_id, unit_id=unit_id, action_id=action_id)
    return {"comments": found, "comment_form": form}, False


@requires(*RESPONDENT_ROLES)
def round_results(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    view = selectors.round_view(actor, pk, with_named=True)
    assert view is not None
    comments, added = comment_part(request, round_id=view.round.pk)
    if added:
        return redirect("readiness:round", pk=pk)
    return render(
        request,
        "readiness/round.html",
        {
            **results_context(view),
            **comments,
            "answered": answered_rows(actor, view),
            "links_form": LinksForm(),
            "can_lead": actor.has(*LEAD_ROLES),
            "can_act": actor.has(*WRITE_ROLES),
            "reads_everything": selectors.reads_everything(actor),
        },
    )


@requires(*READ_ROLES, *PARTNER_ROLES)
def checks_page(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    if not selectors.reads_everything(actor):
        return render(request, "readiness/checks_shared.html", {"report": partners.shared_checks(actor)})
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
