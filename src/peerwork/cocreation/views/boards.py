"""Boards and committees: seats, meetings and decisions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerwork.core.actor import Actor
from peerwork.core.http import ActorRequest
from peerwork.core.roles import MANAGING_ROLES, PEER_ROLES, Role
from peerwork.core.toolkit import posted, requires, submit

from .. import forms, selectors, services


@requires(*Role)
def boards(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "cocreation/boards.html",
        {
            "rows": selectors.boards(actor, include_ended=request.GET.get("ended") == "1"),
            "can_manage": services.can_manage_initiatives(actor),
            "show_ended": request.GET.get("ended") == "1",
        },
    )


@requires(*MANAGING_ROLES)
def board_new(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = forms.BoardForm(actor, posted(request))
    created = submit(
        request,
        form,
        lambda d: services.create_board(actor, name=d["name"], kind=d["kind"], purpose=d["purpose"], unit=d["unit"]),
    )
    if created:
        messages.success(request, _("The board is created. Add its seats."))
        return redirect("cocreation:board", created.value.pk)
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


@requires(*Role)
def board(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
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


@requires(*MANAGING_ROLES)
def seat_add(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    view = selectors.board(actor, pk)
    form = forms.SeatForm(actor, posted(request))
    if submit(
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


@requires(*MANAGING_ROLES)
def seat_edit(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    seat = selectors.seat(actor, pk)
    form = forms.SeatForm(
        actor,
        posted(request),
        initial={
            "kind": seat.kind,
            "holder": seat.holder_id,
            "holder_name": seat.holder_name,
            "leads": seat.leads,
            "also_acts_as": seat.also_acts_as,
        },
    )
    if submit(
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


@requires(*MANAGING_ROLES)
@require_POST
def seat_remove(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    seat = selectors.seat(actor, pk)
    services.remove_seat(actor, seat)
    messages.success(request, _("The seat is removed."))
    return redirect("cocreation:board", seat.board_id)


def _require_board_recorder(actor: Actor, view: selectors.BoardView) -> None:
    leader = view.leader
    if not services.can_manage_board(actor, view.board, leader.holder_id if leader else None):
        raise PermissionDenied


@requires(*MANAGING_ROLES, *PEER_ROLES)
def meeting_add(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    view = selectors.board(actor, pk)
    _require_board_recorder(actor, view)
    form = forms.MeetingForm(posted(request))
    if submit(
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


@requires(*MANAGING_ROLES, *PEER_ROLES)
def decision_add(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    meeting = selectors.meeting(actor, pk)
    _require_board_recorder(actor, selectors.board(actor, meeting.board_id))
    form = forms.DecisionForm(posted(request))
    if submit(
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
