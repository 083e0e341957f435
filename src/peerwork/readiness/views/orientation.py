"""Orientation of new peer workers, briefings of teams, and a peer worker's own placement."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerwork.core.http import ActorRequest
from peerwork.core.roles import PEER_ROLES
from peerwork.core.toolkit import posted, requires, submit

from .. import selectors, services
from ..forms import BriefingForm, DeclarationForm, OrientationForm
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
        {"briefings": found, "form": form, "can_act": actor.has(*WRITE_ROLES)},
    )


@requires(*PEER_ROLES)
def my_placement(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    declarations = selectors.my_declarations(actor)
    form = DeclarationForm(posted(request), units=selectors.units(actor))
    if submit(request, form, lambda d: services.declare_treatment(actor, unit_id=d["unit"].pk if d["unit"] else None)):
        messages.success(request, _("Saved. Only you can see this."))
        return redirect("readiness:my_placement")
    return render(request, "readiness/my_placement.html", {"declarations": declarations, "form": form})


@requires(*PEER_ROLES)
@require_POST
def withdraw_declaration(request: ActorRequest, pk: int) -> HttpResponse:
    services.withdraw_declaration(request.actor, pk)
    messages.success(request, _("Removed."))
    return redirect("readiness:my_placement")
