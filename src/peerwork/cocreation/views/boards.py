"""Boards and committees: seats, meetings and decisions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerwork.core.actor import Actor
from peerwork.core.http import ActorRequest
from peerwork.core.roles import MANAGING_ROLES, PEER_ROLES, Role
from peerwork.core.toolkit import posted, requires, submit

from .. import forms, selectors, services
from ..models import Board

# Who may add a board: managers and coordinators (any kind), peer workers and senior peer workers (a board
# led by a peer worker at once, any other kind as a proposal).
FOUNDERS = (*MANAGING_ROLES, *PEER_ROLES)


def _require_seats(actor: Actor, view: selectors.BoardView) -> None:
    leader = view.leader
    if not services.can_manage_seats(actor, view.board, leader.holder_id if leader else None):
        raise PermissionDenied


@requires(*Role)
def boards(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "cocreation/boards.html",
        {
            "rows": selectors.boards(actor, include_ended=request.GET.get("ended") == "1"),
            "can_manage": services.can_start_initiatives(actor),
            "is_managing": actor.has(*MANAGING_ROLES),
            "show_ended": request.GET.get("ended") == "1",
        },
    )


@requires(*FOUNDERS)
def board_new(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = forms.BoardForm(actor, posted(request))
    created = submit(
        request,
        form,
        lambda d: services.create_board(
            actor, name=d["name"], kind=d["kind"], purpose=d["purpose"], unit=d["unit"], leader=d["leader"]
        ),
    )
    if created:
        if created.value.status == Board.Status.PROPOSED:
            messages.success(request, _("The board is proposed. A manager or coordinator confirms it before it meets."))
        else:
            messages.success(request, _("The board is created. Add its seats."))
        return redirect("cocreation:board", created.value.pk)
    managing = actor.has(*MANAGING_ROLES)
    return render(
        request,
        "cocreation/form_page.html",
        {
            "form": form,
            "title": _("Add a board or committee") if managing else _("Start or propose a board"),
            "submit": _("Add the board") if managing else _("Start or propose the board"),
            "back": reverse("cocreation:boards"),
            "lead": None
            if managing
            else _(
                "Start a local service user board that you lead as a peer worker, or propose another kind of "
                "board or working group. User-organisation representatives and service users take part through "
                "the board's seats."
            ),
        },
    )


@requires(*MANAGING_ROLES)
@require_POST
def board_confirm(request: ActorRequest, pk: int) -> HttpResponse:
    """Confirm a proposed board, or (``decline``) record that it is not taken forward."""
    actor = request.actor
    view = selectors.board(actor, pk)
    try:
        if request.POST.get("decline"):
            services.end_board(actor, view.board, timezone.localdate())
            messages.success(request, _("The proposal is not taken forward; the board is listed among ended boards."))
        else:
            services.confirm_board(actor, view.board)
            messages.success(request, _("The board is confirmed. Its leader can now record meetings."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("cocreation:board", pk)


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
            "can_manage": services.can_manage_seats(actor, view.board, leader.holder_id if leader else None),
            "can_confirm": actor.has(*MANAGING_ROLES) and view.board.status == Board.Status.PROPOSED,
            "can_record": view.board.status == Board.Status.ACTIVE
            and services.can_manage_board(actor, view.board, leader.holder_id if leader else None),
        },
    )


@requires(*FOUNDERS)
def seat_add(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    view = selectors.board(actor, pk)
    _require_seats(actor, view)
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


@requires(*FOUNDERS)
def seat_edit(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    seat = selectors.seat(actor, pk)
    if not services.can_manage_seats(actor, seat.board, services.board_leader_id(seat.board)):
        raise PermissionDenied
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


@requires(*FOUNDERS)
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
