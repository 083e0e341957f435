"""Orientation of new peer workers, briefings of teams, and a peer worker's own placement."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerwork.core.http import ActorRequest
from peerwork.core.roles import PEER_ROLES, Role
from peerwork.core.toolkit import posted, requires, submit

from .. import selectors, services
from ..checks import CHECK_BY_CODE, PLACEMENT_READERS
from ..forms import BriefingForm, DeclarationForm, DisclosureForm, OrientationForm
from ..models import TreatmentHistoryDeclaration
from ..roles import READ_ROLES, WRITE_ROLES


@requires(*READ_ROLES)
def orientation_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "readiness/orientation_list.html",
        {"positions": selectors.new_peer_workers(actor), "can_act": actor.has(*WRITE_ROLES)},
    )


@requires(*READ_ROLES)
def orientation_edit(request: ActorRequest, position_id: int) -> HttpResponse:
    actor = request.actor
    position, orientation = selectors.orientation_position(actor, position_id)
    initial: dict[str, Any] = {}
    if orientation:
        initial = {
            "contact_person": orientation.contact_person_id,
            "buddy": orientation.buddy_id,
            "intro_meeting_on": orientation.intro_meeting_on,
            "job_coaching": orientation.job_coaching,
            "first_supervision_on": orientation.first_supervision_on,
            "training": orientation.training,
            "status": orientation.status,
        }
    people = selectors.people(actor)
    if position.holder_id is not None:
        people = people.exclude(pk=position.holder_id)
    form = OrientationForm(posted(request), people=people, initial=initial)
    if submit(
        request,
        form,
        lambda d: services.save_orientation(
            actor,
            position_id=position.pk,
            contact_person_id=d["contact_person"].pk if d["contact_person"] else None,
            buddy_id=d["buddy"].pk if d["buddy"] else None,
            intro_meeting_on=d["intro_meeting_on"],
            job_coaching=d["job_coaching"],
            first_supervision_on=d["first_supervision_on"],
            status=d["status"],
            training=d["training"],
        ),
    ):
        messages.success(request, _("The orientation is saved."))
        return redirect("readiness:orientation")
    return render(request, "readiness/orientation_form.html", {"position": position, "form": form})


@requires(*READ_ROLES)
def briefings(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    found = selectors.briefings(actor)
    form = BriefingForm(posted(request), units=selectors.units(actor))
    if request.method == "POST":
        actor.require(*WRITE_ROLES)
    if submit(
        request,
        form,
        lambda d: services.record_briefing(
            actor, unit_id=d["unit"].pk if d["unit"] else None, held_on=d["held_on"], topics=d["topics"]
        ),
    ):
        messages.success(request, _("The briefing is recorded."))
        return redirect("readiness:briefings")
    return render(
        request,
        "readiness/briefings.html",
        {"briefings": found, "form": form, "can_act": actor.has(*WRITE_ROLES), "teams": selectors.units(actor)},
    )


def _saved_message(disclosure: str) -> str:
    if disclosure == TreatmentHistoryDeclaration.Disclosure.PRIVATE:
        return _("Saved. Only you can see this, and no one is told anything.")
    return _("Saved. The team is shown only as you chose, and the reason is never shown.")


@requires(*READ_ROLES)
def briefing_pack(request: ActorRequest, unit_id: int) -> HttpResponse:
    """What a manager hands a team before a peer worker starts: the role card of each position (S1 A6; S0)."""
    actor = request.actor
    team = selectors.unit(actor, unit_id)
    return render(
        request,
        "readiness/briefing_pack.html",
        {
            "team": team,
            "cards": selectors.team_role_cards(actor, team),
            "briefings": selectors.team_briefings(actor, team),
        },
    )


@requires(*PEER_ROLES)
def my_placement(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    rows = selectors.my_declarations(actor)
    form = DeclarationForm(posted(request), units=selectors.units(actor))
    saved = submit(
        request,
        form,
        lambda d: services.declare_treatment(
            actor, unit_id=d["unit"].pk if d["unit"] else None, disclosure=d["disclosure"]
        ),
    )
    if saved is not None:
        messages.success(request, _saved_message(saved.value.disclosure))
        return redirect("readiness:my_placement")
    for row in rows:
        row.form = DisclosureForm(prefix=f"d{row.declaration.pk}", initial={"disclosure": row.declaration.disclosure})
    return render(
        request,
        "readiness/my_placement.html",
        {
            "rows": rows,
            "form": form,
            "check": CHECK_BY_CODE["placement_conflict"],
            "readers": [Role(r).label for r in PLACEMENT_READERS],
            "Disclosure": TreatmentHistoryDeclaration.Disclosure,
        },
    )


@requires(*PEER_ROLES)
@require_POST
def declaration_disclosure(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    declaration = selectors.my_declaration(actor, pk)
    form = DisclosureForm(request.POST, prefix=f"d{pk}")
    if form.is_valid():
        services.declare_treatment(actor, unit_id=declaration.unit_id, disclosure=form.cleaned_data["disclosure"])
        messages.success(request, _saved_message(form.cleaned_data["disclosure"]))
    else:
        messages.error(request, _("Choose what, if anything, others may see."))
    return redirect("readiness:my_placement")


@requires(*PEER_ROLES)
@require_POST
def withdraw_declaration(request: ActorRequest, pk: int) -> HttpResponse:
    services.withdraw_declaration(request.actor, pk)
    messages.success(request, _("Removed."))
    return redirect("readiness:my_placement")
