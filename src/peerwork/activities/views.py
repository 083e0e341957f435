"""Pages of groups and courses. Thin: parse a form, call a selector or a service, render.

A coordinator sets up groups and courses and offers places (also from a referral on the waiting list); the
peer workers leading one plan its sessions and mark who came, on a phone, with one tap per person.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.core.http import ActorRequest
from peerwork.core.roles import Role
from peerwork.core.toolkit import requires, submit

from . import forms, selectors, services

COORD, PW, SENIOR = Role.COORDINATOR, Role.PEER_WORKER, Role.SENIOR_PEER_WORKER


def _which(request: ActorRequest, name: str) -> Any:
    return request.POST if request.method == "POST" and request.POST.get("which") == name else None


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise PermissionDenied from None


@requires(COORD, PW, SENIOR)
def activities(request: ActorRequest) -> HttpResponse:
    """The groups and courses: a coordinator's all, with a form to set up one; a peer worker's those they lead."""
    actor = request.actor
    form = None
    if actor.has(COORD):
        form = forms.ActivityForm(_which(request, "new"), leaders=selectors.leader_choices(actor), prefix="a")
        saved = submit(request, form, lambda d: services.create_activity(actor, **d))
        if saved:
            messages.success(request, _("The group or course is set up. Plan its sessions here."))
            return redirect("activities:activity", saved.value.pk)
    elif request.method == "POST":
        raise PermissionDenied
    context = {"rows": selectors.activities(actor), "form": form}
    return render(request, "activities/activities.html", context)


@requires(COORD, PW, SENIOR)
def activity(request: ActorRequest, pk: int) -> HttpResponse:
    """One group or course: its sessions, who has a place, and (for a coordinator) offering a place."""
    actor = request.actor
    page = selectors.activity(actor, pk)
    session_form = forms.SessionForm(_which(request, "session"), prefix="s")
    if submit(request, session_form, lambda d: services.plan_session(actor, activity_id=pk, **d)):
        messages.success(request, _("Session added."))
        return redirect("activities:activity", pk)
    offer_form = None
    if actor.has(COORD):
        offer_form = forms.OfferPersonForm(
            _which(request, "offer"), choices=selectors.waiting_people(actor), prefix="o"
        )
        if submit(request, offer_form, lambda d: services.offer_place(actor, activity_id=pk, **d)):
            messages.success(request, _("The place is offered. Record the person's answer here."))
            return redirect("activities:activity", pk)
    if request.method == "POST" and request.POST.get("which") == "answer":
        services.answer_place(actor, place_id=_int(request.POST.get("place")), status=request.POST.get("status", ""))
        messages.success(request, _("The answer is saved."))
        return redirect("activities:activity", pk)
    if request.method == "POST" and request.POST.get("which") not in ("session", "offer" if offer_form else None):
        raise PermissionDenied
    context = {
        "page": page,
        "a": page.activity,
        "session_form": session_form,
        "offer_form": offer_form,
        "today": timezone.localdate(),
        "answers": forms.ANSWER_CHOICES,
    }
    return render(request, "activities/activity.html", context)


@requires(COORD, PW, SENIOR)
def session(request: ActorRequest, pk: int) -> HttpResponse:
    """Mark who came to one session: a large checkbox per person, one button to save."""
    actor = request.actor
    page = selectors.session(actor, pk)
    if request.method == "POST":
        if request.POST.get("which") == "cancel":
            services.cancel_session(actor, session_id=pk)
            messages.success(request, _("The session is cancelled."))
            return redirect("activities:activity", page.session.activity_id)
        present = [_int(v) for v in request.POST.getlist("present")]
        try:
            services.mark_attendance(actor, session_id=pk, present=present)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("activities:session", pk)
        messages.success(request, _("Attendance saved."))
        return redirect("activities:activity", page.session.activity_id)
    context = {"page": page, "s": page.session, "can_mark": page.session.meets_on <= timezone.localdate()}
    return render(request, "activities/session.html", context)


@requires(COORD)
def offer(request: ActorRequest, pk: int) -> HttpResponse:
    """From a referral: offer the person a place in a group or course while they wait."""
    actor = request.actor
    referral, places = selectors.referral_person(actor, pk)
    open_ones = selectors.open_for_offer(actor)
    choices = [(a.pk, f"{a.title} — {a.get_kind_display()}, {a.schedule or a.venue}") for a in open_ones]
    form = forms.OfferForm(request.POST if request.method == "POST" else None, choices=choices, prefix="o")
    saved = submit(request, form, lambda d: services.offer_place(actor, service_user_id=referral.service_user_id, **d))
    if saved:
        messages.success(request, _("The place is offered. Record the person's answer on the group's page."))
        return redirect("service:referral", pk)
    context = {"referral": referral, "person": referral.service_user, "places": places, "form": form}
    return render(request, "activities/offer.html", context)
