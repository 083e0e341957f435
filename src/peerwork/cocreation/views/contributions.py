"""Proposals to an initiative, the decision on each, and what came of them (you said, we did)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from peerwork.core.http import ActorRequest
from peerwork.core.roles import MANAGING_ROLES, PEER_ROLES, Role
from peerwork.core.toolkit import posted, requires, submit

from .. import forms, selectors, services
from ..models import Contribution


@requires(*MANAGING_ROLES, *PEER_ROLES)
def contribution_add(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    view = selectors.initiative(actor, pk)
    form = forms.ContributionForm(actor, view.phases, posted(request))

    def save(d: dict[str, Any]) -> Contribution:
        return services.add_contribution(
            actor,
            view.initiative,
            phase=d["phase"],
            summary=d["summary"],
            details=d["details"],
            contributor=d.get("contributor"),
            contributor_name=d.get("contributor_name", ""),
            submitted_on=d.get("submitted_on"),
        )

    if submit(request, form, save):
        messages.success(request, _("The proposal is recorded. You will see here what comes of it."))
        return redirect(reverse("cocreation:initiative", args=[pk]) + "#contributions")
    return render(
        request,
        "cocreation/form_page.html",
        {
            "form": form,
            "title": _("Add a proposal"),
            "caption": view.initiative.title,
            "submit": _("Add the proposal"),
            "back": reverse("cocreation:initiative", args=[pk]),
            "lead": _(
                "A proposal or an input to this initiative. A manager or an owner of the initiative records what "
                "comes of it, alone or as the joint decision of a board or working group, and the reason is "
                "shown to the person who made it."
            ),
        },
    )


@requires(*MANAGING_ROLES, *PEER_ROLES)  # a manager, or an owner of the initiative
def contribution_decide(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    contribution = selectors.contribution(actor, pk)
    if not services.can_decide(actor, contribution.initiative):
        raise PermissionDenied
    initial = {
        "outcome": contribution.outcome if contribution.outcome != "pending" else None,
        "outcome_note": contribution.outcome_note,
        "decided_on": contribution.decided_on,
        "decided_with": contribution.decided_with_id,
    }
    form = forms.DecideForm(actor, posted(request), initial=initial)
    if submit(
        request,
        form,
        lambda d: services.decide_contribution(
            actor,
            contribution,
            outcome=d["outcome"],
            note=d["outcome_note"],
            decided_on=d["decided_on"],
            decided_with=d["decided_with"],
            participants=list(d["participants"]),
            guests=d["guests"],
        ),
    ):
        messages.success(request, _("The decision is recorded and shown to the person who made the proposal."))
        return redirect(reverse("cocreation:initiative", args=[contribution.initiative_id]) + "#contributions")
    return render(request, "cocreation/decide.html", {"form": form, "c": contribution})


@requires(*Role)
def you_said_we_did(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "cocreation/you_said_we_did.html",
        {
            "rows": selectors.you_said_we_did(actor),
            "committees": selectors.my_committee_count(actor),
        },
    )
