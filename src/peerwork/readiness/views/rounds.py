"""Readiness rounds: the overview, starting a round, its answer links and status, the organisation's own questions."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerwork.core.http import ActorRequest
from peerwork.core.toolkit import posted, requires, submit

from .. import checks, selectors, services
from ..forms import CustomItemForm, LinksForm, RoundForm
from ..instrument import DOMAINS
from ..models import Group, Round
from ..roles import LEAD_ROLES, READ_ROLES
from .results import results_context


@requires(*READ_ROLES)
def overview(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    rounds = list(selectors.rounds(actor)[:20])
    view = selectors.round_view(actor, readable=rounds[0], with_invited=False) if rounds else None
    check_report = checks.run(actor)
    return render(
        request,
        "readiness/overview.html",
        {
            "rounds": rounds,
            **results_context(view),
            "report": check_report,
            "action_counts": selectors.action_status_counts(actor),
            "can_lead": actor.has(*LEAD_ROLES),
            "invitations": selectors.my_open_invitations(actor),
        },
    )


@requires(*LEAD_ROLES)
def start_round(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    units = selectors.units(actor)
    form = RoundForm(posted(request), units=units)
    saved = submit(
        request,
        form,
        lambda d: services.start_round(
            actor,
            title=d["title"],
            groups=d["groups"],
            unit_id=d["unit"].pk if d["unit"] else None,
            invite_members=d["invite_members"],
            links={"service_user_rep": d["links"] or 0},
            closes_on=d["closes_on"],
        ),
    )
    if saved is not None:
        rnd, tokens = saved.value
        messages.success(request, _("The round is open. People with a sign-in see it on their home page."))
        return _show_links(request, rnd, tokens)
    return render(request, "readiness/round_form.html", {"form": form})


def _show_links(request: ActorRequest, rnd: Round, tokens: dict[str, list[str]]) -> HttpResponse:
    labels = dict(Group.choices)
    links = [
        (labels[g], [request.build_absolute_uri(reverse("readiness:link_start", args=[t])) for t in ts])
        for g, ts in tokens.items()
        if ts
    ]
    return render(request, "readiness/links.html", {"round": rnd, "links": links})


@requires(*LEAD_ROLES)
@require_POST
def add_links(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    form = LinksForm(request.POST)
    rnd = selectors.round_for(actor, pk)
    if not form.is_valid():
        messages.error(request, _("Choose a group and a number of links between 1 and 200."))
        return redirect("readiness:round", pk=pk)
    saved = submit(request, form, lambda d: services.add_links(actor, pk, d["group"], d["count"]))
    if saved is None:
        messages.error(request, " ".join(str(m) for found in form.errors.values() for m in found))
        return redirect("readiness:round", pk=pk)
    return _show_links(request, rnd, {form.cleaned_data["group"]: saved.value})


@requires(*LEAD_ROLES)
@require_POST
def round_status(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    status = request.POST.get("status", "")
    form = django_forms.Form(request.POST)  # no fields: the service's refusal lands in its non-field errors
    if submit(request, form, lambda _d: services.set_round_status(actor, pk, status)) is None:
        messages.error(request, " ".join(str(m) for m in form.non_field_errors()))
    else:
        messages.success(
            request,
            _("The round is closed.") if status == Round.Status.CLOSED else _("The round is open again."),
        )
    return redirect("readiness:round", pk=pk)


@requires(*LEAD_ROLES)
def questions(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    items = selectors.custom_items(actor)
    form = CustomItemForm(posted(request))
    if submit(request, form, lambda d: services.add_custom_item(actor, **d)):
        messages.success(request, _("The question is added. It will be asked in rounds started from now on."))
        return redirect("readiness:questions")
    return render(request, "readiness/questions.html", {"form": form, "items": items, "domains": DOMAINS})


@requires(*LEAD_ROLES)
@require_POST
def question_toggle(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    services.set_custom_item_active(actor, pk, request.POST.get("active") == "1")
    return redirect("readiness:questions")
