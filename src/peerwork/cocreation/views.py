"""Co-creation pages: thin — parse a form, call a service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerwork.core.forms import add_service_errors
from peerwork.core.roles import Role
from peerwork.organisations.models import Unit

from . import consent, forms, selectors, services
from .models import Contribution, Signal

PAGE_SIZE = 25
OTHERS_SHOWN = 50


def _actor(request: HttpRequest) -> Any:
    actor = request.actor  # type: ignore[attr-defined]
    if actor is None:
        raise PermissionDenied
    return actor


def _submit(request: HttpRequest, form: django_forms.Form, action: Callable[[dict[str, Any]], Any]) -> Any | None:
    """Validate ``form`` and run ``action`` with its cleaned data; on a service error show it on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def index(request: HttpRequest) -> HttpResponse:
    return redirect("cocreation:initiatives")


# --- initiatives ------------------------------------------------------------------------------------------


def initiatives(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    try:
        unit_id = int(request.GET.get("unit", "") or 0) or None
    except ValueError:
        unit_id = None
    paginator = Paginator(selectors.initiatives_qs(actor, unit_id=unit_id).values_list("pk", flat=True), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = selectors.initiatives(
        actor, unit_id=unit_id, offset=page.start_index() - 1 if page.object_list else 0, limit=PAGE_SIZE
    )
    units = Unit.objects.filter(organisation_id=actor.organisation_id).order_by("name")
    return render(
        request,
        "cocreation/initiatives.html",
        {
            "rows": rows,
            "units": units,
            "unit_id": unit_id,
            "page": page,
            "can_manage": services.can_manage_initiatives(actor),
            "can_contribute": actor.has(*services.PEER_ROLES),
            "is_manager": actor.has(Role.MANAGER),
        },
    )


def initiative_new(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(*services.MANAGING_ROLES)
    form = forms.InitiativeForm(actor, request.POST or None)
    created = _submit(
        request,
        form,
        lambda d: services.create_initiative(
            actor,
            title=d["title"],
            problem_statement=d["problem_statement"],
            owner=d["owner"],
            unit=d["unit"],
        ),
    )
    if created:
        messages.success(request, _("The initiative is started. Record who takes part in each phase."))
        return redirect("cocreation:initiative", created.pk)
    return render(
        request,
        "cocreation/form_page.html",
        {
            "form": form,
            "title": _("Start an initiative"),
            "submit": _("Start the initiative"),
            "back": reverse("cocreation:initiatives"),
            "lead": _(
                "An initiative is a change to a service, taken through the four phases of the service cycle "
                "with the people it concerns."
            ),
        },
    )


def initiative(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    view = selectors.initiative(actor, pk)
    can_manage = services.can_manage_initiatives(actor)
    return render(
        request,
        "cocreation/initiative.html",
        {
            "v": view,
            "i": view.initiative,
            "can_manage": can_manage,
            "can_decide": services.can_decide(actor, view.initiative),
            "can_contribute": actor.has(*services.PEER_ROLES) or can_manage,
            "participant_form": forms.ParticipantForm(actor, auto_id="new-participant-%s") if can_manage else None,
        },
    )


def phase_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    actor.require(*services.MANAGING_ROLES)
    phase = selectors.phase(actor, pk)
    form = forms.PhaseForm(
        request.POST or None,
        initial={"start_date": phase.start_date, "end_date": phase.end_date, "status": phase.status},
    )
    if _submit(
        request,
        form,
        lambda d: services.update_phase(
            actor, phase, start_date=d["start_date"], end_date=d["end_date"], status=d["status"]
        ),
    ):
        messages.success(request, _("The phase is updated."))
        return redirect(reverse("cocreation:initiative", args=[phase.initiative_id]) + f"#phase-{phase.pk}")
    return render(
        request,
        "cocreation/form_page.html",
        {
            "form": form,
            "title": _("%(phase)s: dates and status") % {"phase": phase.get_kind_display()},
            "caption": phase.initiative.title,
            "submit": _("Save the phase"),
            "back": reverse("cocreation:initiative", args=[phase.initiative_id]),
        },
    )


def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    actor.require(*services.MANAGING_ROLES)
    phase = selectors.phase(actor, pk)
    form = forms.ParticipantForm(actor, request.POST or None)
    if _submit(
        request,
        form,
        lambda d: services.add_participant(
            actor, phase, kind=d["kind"], person=d["person"], external_name=d["external_name"]
        ),
    ):
        messages.success(request, _("The participant is added to %(phase)s.") % {"phase": phase.get_kind_display()})
        return redirect(reverse("cocreation:initiative", args=[phase.initiative_id]) + f"#phase-{phase.pk}")
    return render(
        request,
        "cocreation/form_page.html",
        {
            "form": form,
            "title": _("Add who takes part in %(phase)s") % {"phase": phase.get_kind_display()},
            "caption": phase.initiative.title,
            "submit": _("Add participant"),
            "back": reverse("cocreation:initiative", args=[phase.initiative_id]),
        },
    )


@require_POST
def participant_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    participation = selectors.participation(actor, pk)
    initiative_id = participation.phase.initiative_id
    services.remove_participant(actor, participation)
    messages.success(request, _("The participant is removed from the phase."))
    return redirect("cocreation:initiative", initiative_id)


def contribution_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    if not (actor.has(*services.PEER_ROLES) or services.can_manage_initiatives(actor)):
        raise PermissionDenied
    view = selectors.initiative(actor, pk)
    form = forms.ContributionForm(actor, view.phases, request.POST or None)

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

    if _submit(request, form, save):
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
                "A proposal or an input to this initiative. A manager decides what comes of it, and the "
                "reason "
                "is shown to the person who made it."
            ),
        },
    )


def contribution_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    contribution = selectors.contribution(actor, pk)
    if not services.can_decide(actor, contribution.initiative):
        raise PermissionDenied
    initial = {
        "outcome": contribution.outcome if contribution.outcome != "pending" else None,
        "outcome_note": contribution.outcome_note,
        "decided_on": contribution.decided_on,
    }
    form = forms.DecideForm(request.POST or None, initial=initial)
    if _submit(
        request,
        form,
        lambda d: services.decide_contribution(
            actor, contribution, outcome=d["outcome"], note=d["outcome_note"], decided_on=d["decided_on"]
        ),
    ):
        messages.success(request, _("The decision is recorded and shown to the person who made the proposal."))
        return redirect(reverse("cocreation:initiative", args=[contribution.initiative_id]) + "#contributions")
    return render(request, "cocreation/decide.html", {"form": form, "c": contribution})


def you_said_we_did(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(
        request,
        "cocreation/you_said_we_did.html",
        {
            "rows": selectors.you_said_we_did(actor),
            "committees": selectors.my_committee_count(actor),
        },
    )


def policy(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(Role.MANAGER)
    form = forms.PolicyForm(
        request.POST or None,
        initial={"contribution_pending_limit_days": services.pending_limit_days(actor.organisation_id)},
    )
    if _submit(request, form, lambda d: services.set_pending_limit(actor, d["contribution_pending_limit_days"])):
        messages.success(request, _("The setting is saved."))
        return redirect("cocreation:initiatives")
    return render(
        request,
        "cocreation/form_page.html",
        {
            "form": form,
            "title": _("Co-creation settings"),
            "submit": _("Save"),
            "back": reverse("cocreation:initiatives"),
        },
    )


# --- boards -----------------------------------------------------------------------------------------------


def boards(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(
        request,
        "cocreation/boards.html",
        {
            "rows": selectors.boards(actor, include_ended=request.GET.get("ended") == "1"),
            "can_manage": services.can_manage_initiatives(actor),
            "show_ended": request.GET.get("ended") == "1",
        },
    )


def board_new(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(*services.MANAGING_ROLES)
    form = forms.BoardForm(actor, request.POST or None)
    created = _submit(
        request,
        form,
        lambda d: services.create_board(actor, name=d["name"], kind=d["kind"], purpose=d["purpose"], unit=d["unit"]),
    )
    if created:
        messages.success(request, _("The board is created. Add its seats."))
        return redirect("cocreation:board", created.pk)
    return render(
        request,
        "cocreation/form_page.html",
        {
            "form": form,
            "title": _("Add a board or committee"),
            "submit": _("Add the board"),
            "back": reverse("cocreation:boards"),
        },
    )


def board(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    view = selectors.board(actor, pk)
    leader = view.leader
    return render(
        request,
        "cocreation/board.html",
        {
            "v": view,
            "b": view.board,
            "can_manage": services.can_manage_initiatives(actor),
            "can_record": services.can_manage_board(actor, view.board, leader.holder_id if leader else None),
        },
    )


def seat_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    actor.require(*services.MANAGING_ROLES)
    view = selectors.board(actor, pk)
    form = forms.SeatForm(actor, request.POST or None)
    if _submit(
        request,
        form,
        lambda d: services.add_seat(
            actor,
            view.board,
            kind=d["kind"],
            holder=d["holder"],
            holder_name=d["holder_name"],
            leads=d["leads"],
            also_acts_as=d["also_acts_as"],
        ),
    ):
        messages.success(request, _("The seat is added."))
        return redirect("cocreation:board", pk)
    return render(
        request,
        "cocreation/form_page.html",
        {
            "form": form,
            "title": _("Add a seat"),
            "caption": view.board.name,
            "submit": _("Add the seat"),
            "back": reverse("cocreation:board", args=[pk]),
        },
    )


def seat_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    actor.require(*services.MANAGING_ROLES)
    seat = selectors.seat(actor, pk)
    form = forms.SeatForm(
        actor,
        request.POST or None,
        initial={
            "kind": seat.kind,
            "holder": seat.holder_id,
            "holder_name": seat.holder_name,
            "leads": seat.leads,
            "also_acts_as": seat.also_acts_as,
        },
    )
    if _submit(
        request,
        form,
        lambda d: services.update_seat(
            actor,
            seat,
            kind=d["kind"],
            holder=d["holder"],
            holder_name=d["holder_name"],
            leads=d["leads"],
            also_acts_as=d["also_acts_as"],
        ),
    ):
        messages.success(request, _("The seat is updated."))
        return redirect("cocreation:board", seat.board_id)
    return render(
        request,
        "cocreation/form_page.html",
        {
            "form": form,
            "title": _("Change a seat"),
            "caption": seat.board.name,
            "submit": _("Save the seat"),
            "back": reverse("cocreation:board", args=[seat.board_id]),
        },
    )


@require_POST
def seat_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    seat = selectors.seat(actor, pk)
    services.remove_seat(actor, seat)
    messages.success(request, _("The seat is removed."))
    return redirect("cocreation:board", seat.board_id)


def _require_board_recorder(actor: Any, view: selectors.BoardView) -> None:
    leader = view.leader
    if not services.can_manage_board(actor, view.board, leader.holder_id if leader else None):
        raise PermissionDenied


def meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    view = selectors.board(actor, pk)
    _require_board_recorder(actor, view)
    form = forms.MeetingForm(request.POST or None)
    if _submit(
        request,
        form,
        lambda d: services.add_meeting(actor, view.board, held_on=d["held_on"], agenda=d["agenda"]),
    ):
        messages.success(request, _("The meeting is recorded. Add its decisions below it."))
        return redirect(reverse("cocreation:board", args=[pk]) + "#meetings")
    return render(
        request,
        "cocreation/form_page.html",
        {
            "form": form,
            "title": _("Record a meeting"),
            "caption": view.board.name,
            "submit": _("Save the meeting"),
            "back": reverse("cocreation:board", args=[pk]),
        },
    )


def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    meeting = selectors.meeting(actor, pk)
    _require_board_recorder(actor, selectors.board(actor, meeting.board_id))
    form = forms.DecisionForm(request.POST or None)
    if _submit(
        request,
        form,
        lambda d: services.add_decision(actor, meeting, text=d["text"], follow_up_by=d["follow_up_by"]),
    ):
        messages.success(request, _("The decision is recorded."))
        return redirect(reverse("cocreation:board", args=[meeting.board_id]) + f"#meeting-{meeting.pk}")
    return render(
        request,
        "cocreation/form_page.html",
        {
            "form": form,
            "title": _("Record a decision"),
            "caption": meeting.board.name,
            "submit": _("Save the decision"),
            "back": reverse("cocreation:board", args=[meeting.board_id]),
        },
    )


# --- signals ----------------------------------------------------------------------------------------------


def signals(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    is_peer = actor.has(*services.PEER_ROLES)
    is_manager = actor.has(Role.MANAGER)
    if not (is_peer or is_manager):
        raise PermissionDenied
    return render(
        request,
        "cocreation/signals.html",
        {
            "mine": selectors.my_signals(actor) if is_peer else None,
            "inbox": selectors.inbox(actor) if is_manager else None,
            "others": selectors.organisation_signals(actor, exclude_mine=True, limit=OTHERS_SHOWN)
            if is_manager
            else None,
            "others_shown": OTHERS_SHOWN,
            "is_peer": is_peer,
        },
    )


def signal_new(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(*services.PEER_ROLES)
    form = forms.SignalForm(actor, request.POST or None)
    created = _submit(
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
            service_user_id=d["service_user"].pk if d.get("service_user") else None,
        ),
    )
    if created:
        messages.success(
            request, _("Your signal is sent. You will see here when it is acknowledged and what comes of it.")
        )
        return redirect("cocreation:signal", created.pk)
    return render(request, "cocreation/signal_new.html", {"form": form, "linking": consent.linking_offered()})


def signal(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
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
    request: HttpRequest,
    pk: int,
    form_class: type[django_forms.Form] | None,
    action: Callable[..., Signal],
    done: str,
) -> HttpResponse:
    actor = _actor(request)
    if request.method != "POST":
        return redirect("cocreation:signal", pk)
    view = selectors.signal(actor, pk)
    form = form_class(request.POST) if form_class else None
    if form is None or form.is_valid():
        try:
            action(actor, view.signal, **(form.cleaned_data if form is not None else {}))
        except ValidationError as exc:
            if form is None:
                messages.error(request, " ".join(exc.messages))
                return redirect("cocreation:signal", pk)
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("cocreation:signal", pk)
    context = {
        "v": view,
        "s": view.signal,
        "decision_form": forms.SignalDecisionForm(initial={"decision": view.signal.decision}),
        "outcome_form": forms.SignalOutcomeForm(initial={"outcome": view.signal.outcome}),
    }
    context["decision_form" if isinstance(form, forms.SignalDecisionForm) else "outcome_form"] = form
    return render(request, "cocreation/signal.html", context)


def signal_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _signal_action(
        request,
        pk,
        None,
        services.acknowledge_signal,
        _("Acknowledged. The sender can now see that you have read it."),
    )


def signal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _signal_action(
        request,
        pk,
        forms.SignalDecisionForm,
        services.decide_signal,
        _("Your decision is saved and shown to the sender."),
    )


def signal_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _signal_action(
        request,
        pk,
        forms.SignalOutcomeForm,
        services.close_signal,
        _("The signal is closed and the outcome is shown to the sender."),
    )
