"""Signals to management: raising one, the manager's inbox, acknowledging, deciding and closing."""

from __future__ import annotations

from collections.abc import Callable

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peerwork.core.http import ActorRequest
from peerwork.core.roles import PEER_ROLES, Role
from peerwork.core.toolkit import posted, requires, submit

from .. import forms, selectors, services
from ..models import Signal

OTHERS_SHOWN = 50


@requires(Role.MANAGER, *PEER_ROLES)
def signals(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    is_peer = actor.has(*PEER_ROLES)
    is_manager = actor.has(Role.MANAGER)
    return render(
        request,
        "cocreation/signals.html",
        {
            "mine": selectors.my_signals(actor) if is_peer else None,
            "inbox": selectors.inbox_page(actor, request.GET.get("page")) if is_manager else None,
            "others": selectors.organisation_signals(actor, exclude_mine=True, limit=OTHERS_SHOWN)
            if is_manager
            else None,
            "others_shown": OTHERS_SHOWN,
            "is_peer": is_peer,
        },
    )


@requires(*PEER_ROLES)
def signal_new(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = forms.SignalForm(actor, posted(request))
    created = submit(
        request,
        form,
        lambda d: services.raise_signal(
            actor,
            kind=d["kind"],
            title=d["title"],
            description=d["description"],
            unit=d["unit"],
            visibility=d["visibility"],
            responsible_manager=d["responsible_manager"],
            names_service_user=d["names_service_user"],
        ),
    )
    if created:
        messages.success(
            request, _("Your signal is sent. You will see here when it is acknowledged and what comes of it.")
        )
        return redirect("cocreation:signal", created.value.pk)
    return render(request, "cocreation/signal_new.html", {"form": form})


@requires(Role.MANAGER, *PEER_ROLES)
def signal(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    view = selectors.signal(actor, pk)
    return render(
        request,
        "cocreation/signal.html",
        {
            "v": view,
            "s": view.signal,
            "decision_form": forms.SignalDecisionForm(initial={"decision": view.signal.decision}),
            "outcome_form": forms.SignalOutcomeForm(initial={"outcome": view.signal.outcome}),
        },
    )


def _signal_action(
    request: ActorRequest,
    pk: int,
    form_class: type[django_forms.Form] | None,
    action: Callable[..., Signal],
    done: str,
) -> HttpResponse:
    actor = request.actor
    if request.method != "POST":
        return redirect("cocreation:signal", pk)
    view = selectors.signal(actor, pk)
    # An action without fields (acknowledging) still goes through a form, so a refusal has one place to show.
    form = (form_class or django_forms.Form)(request.POST)
    if submit(request, form, lambda d: action(actor, view.signal, **d)):
        messages.success(request, done)
        return redirect("cocreation:signal", pk)
    if form_class is None:
        messages.error(request, " ".join(map(str, form.non_field_errors())))
        return redirect("cocreation:signal", pk)
    context = {
        "v": view,
        "s": view.signal,
        "decision_form": forms.SignalDecisionForm(initial={"decision": view.signal.decision}),
        "outcome_form": forms.SignalOutcomeForm(initial={"outcome": view.signal.outcome}),
    }
    context["decision_form" if isinstance(form, forms.SignalDecisionForm) else "outcome_form"] = form
    return render(request, "cocreation/signal.html", context)


@requires(Role.MANAGER)
def signal_acknowledge(request: ActorRequest, pk: int) -> HttpResponse:
    return _signal_action(
        request,
        pk,
        None,
        services.acknowledge_signal,
        _("Acknowledged. The sender can now see that you have read it."),
    )


@requires(Role.MANAGER)
def signal_decide(request: ActorRequest, pk: int) -> HttpResponse:
    return _signal_action(
        request,
        pk,
        forms.SignalDecisionForm,
        services.decide_signal,
        _("Your decision is saved and shown to the sender."),
    )


@requires(Role.MANAGER)
def signal_close(request: ActorRequest, pk: int) -> HttpResponse:
    return _signal_action(
        request,
        pk,
        forms.SignalOutcomeForm,
        services.close_signal,
        _("The signal is closed and the outcome is shown to the sender."),
    )
