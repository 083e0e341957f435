"""Every write in co-creation: validate, save in one transaction, audit.

A refused write raises ``ValidationError({field: message})`` whose message says how to put it right, and
nothing is saved.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.accounts.models import Membership, User
from peerwork.audit.trail import Action, record
from peerwork.core.actor import Actor
from peerwork.core.roles import MANAGING_ROLES, PEER_ROLES, Role
from peerwork.organisations.models import Unit

from .models import (
    Board,
    CocreationPolicy,
    Contribution,
    Decision,
    Initiative,
    Meeting,
    ParticipantKind,
    Participation,
    Phase,
    Seat,
    Signal,
)

# --- helpers ----------------------------------------------------------------------------------------------


def _holds(organisation_id: int, user: User | None, *roles: str) -> bool:
    if user is None:
        return False
    qs = Membership.objects.filter(organisation_id=organisation_id, user=user)
    if roles:
        qs = qs.filter(role__in=roles)
    return qs.exists()


def _check_unit(actor: Actor, unit: Unit | None, field: str = "unit") -> None:
    if unit is not None and unit.organisation_id != actor.organisation_id:
        raise ValidationError({field: _("Choose one of your organisation's units.")})


def _own(actor: Actor, obj: object) -> None:
    if getattr(obj, "organisation_id", None) != actor.organisation_id:
        raise PermissionDenied


def can_manage_initiatives(actor: Actor) -> bool:
    return actor.has(*MANAGING_ROLES)


def can_decide(actor: Actor, initiative: Initiative) -> bool:
    return actor.has(Role.MANAGER) or initiative.owner_id == actor.user.pk


# --- settings ---------------------------------------------------------------------------------------------


def pending_limit_days(organisation_id: int) -> int:
    found = (
        CocreationPolicy.objects.filter(organisation_id=organisation_id)
        .values_list("contribution_pending_limit_days", flat=True)
        .first()
    )
    return found or 30


@transaction.atomic
def set_pending_limit(actor: Actor, days: int) -> CocreationPolicy:
    actor.require(Role.MANAGER)
    if not 1 <= int(days) <= 365:
        raise ValidationError({"contribution_pending_limit_days": _("Enter a number of days from 1 to 365.")})
    policy, _created = CocreationPolicy.objects.update_or_create(
        organisation_id=actor.organisation_id, defaults={"contribution_pending_limit_days": int(days)}
    )
    record(actor, Action.UPDATE, policy)
    return policy


# --- initiatives and phases -------------------------------------------------------------------------------


@transaction.atomic
def create_initiative(
    actor: Actor, *, title: str, problem_statement: str, owner: User | None = None, unit: Unit | None = None
) -> Initiative:
    actor.require(*MANAGING_ROLES)
    owner = owner or actor.user
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the initiative a short title.")
    if not problem_statement.strip():
        errors["problem_statement"] = _("Describe the problem the initiative is about, in a few sentences.")
    if not _holds(actor.organisation_id, owner, Role.MANAGER, Role.COORDINATOR):
        errors["owner"] = _("The owner must be a manager or programme coordinator in your organisation.")
    if errors:
        raise ValidationError(errors)
    _check_unit(actor, unit)
    initiative = Initiative.objects.create(
        organisation_id=actor.organisation_id,
        title=title.strip(),
        problem_statement=problem_statement.strip(),
        owner=owner,
        unit=unit,
    )
    Phase.objects.bulk_create(
        [
            Phase(
                organisation_id=actor.organisation_id,
                initiative=initiative,
                kind=kind,
                position=Phase.ORDER[kind],
            )
            for kind in Phase.Kind
        ]
    )
    record(actor, Action.CREATE, initiative)
    return initiative


@transaction.atomic
def update_phase(actor: Actor, phase: Phase, *, start_date: date | None, end_date: date | None, status: str) -> Phase:
    actor.require(*MANAGING_ROLES)
    _own(actor, phase)
    if status not in Phase.Status.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    if start_date and end_date and end_date < start_date:
        raise ValidationError(
            {"end_date": _("A phase cannot end before it starts: set an end date on or after the start date.")}
        )
    if status == Phase.Status.DONE and not end_date:
        raise ValidationError({"end_date": _("Give the date the phase ended before marking it done.")})
    phase.start_date, phase.end_date, phase.status = start_date, end_date, status
    phase.save(update_fields=["start_date", "end_date", "status"])
    record(actor, Action.UPDATE, phase)
    return phase


@transaction.atomic
def add_participant(
    actor: Actor, phase: Phase, *, kind: str, person: User | None = None, external_name: str = ""
) -> Participation:
    actor.require(*MANAGING_ROLES)
    _own(actor, phase)
    external_name = external_name.strip()
    if kind not in ParticipantKind.values:
        raise ValidationError({"kind": _("Choose how the person takes part.")})
    if person is None and not external_name:
        raise ValidationError({"person": _("Choose a colleague, or write the name of someone outside Peerwork.")})
    if person is not None and external_name:
        raise ValidationError({"external_name": _("Choose a colleague or write a name, not both.")})
    if person is not None:
        if not _holds(actor.organisation_id, person):
            raise ValidationError({"person": _("Choose a colleague from your organisation.")})
        if phase.participations.filter(person=person).exists():
            raise ValidationError({"person": _("This colleague already takes part in this phase.")})
        if kind == ParticipantKind.PEER_WORKER and not _holds(actor.organisation_id, person, *PEER_ROLES):
            raise ValidationError({"kind": _("Only someone with a peer-worker role can take part as a peer worker.")})
    participation = Participation.objects.create(
        organisation_id=actor.organisation_id,
        phase=phase,
        person=person,
        external_name=external_name,
        kind=kind,
    )
    record(actor, Action.CREATE, participation, subject=person)
    return participation


@transaction.atomic
def remove_participant(actor: Actor, participation: Participation) -> None:
    actor.require(*MANAGING_ROLES)
    _own(actor, participation)
    record(actor, Action.DELETE, participation, subject=participation.person)
    participation.delete()


# --- contributions ----------------------------------------------------------------------------------------


@transaction.atomic
def add_contribution(
    actor: Actor,
    initiative: Initiative,
    *,
    phase: Phase,
    summary: str,
    details: str = "",
    contributor: User | None = None,
    contributor_name: str = "",
    submitted_on: date | None = None,
) -> Contribution:
    """A peer worker records their own proposal; a manager or coordinator may record one on behalf of a
    peer worker or a service user."""
    _own(actor, initiative)
    if phase.initiative_id != initiative.pk:
        raise ValidationError({"phase": _("Choose one of this initiative's phases.")})
    contributor_name = contributor_name.strip()
    today = timezone.localdate()
    submitted_on = submitted_on or today
    errors: dict[str, str] = {}
    if not summary.strip():
        errors["summary"] = _("Write the proposal in a sentence or two.")
    if submitted_on > today:
        errors["submitted_on"] = _("The date a proposal was made cannot be in the future.")
    if actor.has(*MANAGING_ROLES):
        if contributor is None and not contributor_name:
            errors["contributor"] = _("Choose the peer worker who made the proposal, or write the service user's name.")
        elif contributor is not None and contributor_name:
            errors["contributor_name"] = _("Choose a peer worker or write a service user's name, not both.")
        elif contributor is not None and not _holds(actor.organisation_id, contributor, *PEER_ROLES):
            errors["contributor"] = _("Choose a peer worker in your organisation.")
    elif actor.has(*PEER_ROLES):
        contributor, contributor_name = actor.user, ""
    else:
        raise PermissionDenied
    if errors:
        raise ValidationError(errors)
    kind = Contribution.ContributorKind.PEER_WORKER if contributor else Contribution.ContributorKind.SERVICE_USER
    contribution = Contribution.objects.create(
        organisation_id=actor.organisation_id,
        initiative=initiative,
        phase=phase,
        contributor=contributor,
        contributor_name=contributor_name,
        contributor_kind=kind,
        summary=summary.strip(),
        details=details.strip(),
        submitted_on=submitted_on,
        recorded_by=actor.user,
    )
    record(actor, Action.CREATE, contribution, subject=contributor)
    return contribution


@transaction.atomic
def decide_contribution(
    actor: Actor, contribution: Contribution, *, outcome: str, note: str = "", decided_on: date | None = None
) -> Contribution:
    _own(actor, contribution)
    if not can_decide(actor, contribution.initiative):
        raise PermissionDenied
    note = note.strip()
    decided_on = decided_on or timezone.localdate()
    if outcome not in Contribution.Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome from the list.")})
    if outcome == Contribution.Outcome.PENDING:
        raise ValidationError(
            {"outcome": _("Choose what came of the proposal: adopted, adopted with changes, or not taken forward.")}
        )
    if outcome == Contribution.Outcome.REJECTED and not note:
        raise ValidationError(
            {"outcome_note": _("Say why the proposal is not taken forward; the person who made it will read it.")}
        )
    if outcome == Contribution.Outcome.ADAPTED and not note:
        raise ValidationError(
            {"outcome_note": _("Say what was changed from the proposal; the person who made it will read it.")}
        )
    if decided_on < contribution.submitted_on:
        raise ValidationError({"decided_on": _("The decision cannot be dated before the proposal was made.")})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("The decision date cannot be in the future.")})
    contribution.outcome, contribution.outcome_note = outcome, note
    contribution.decided_by, contribution.decided_on = actor.user, decided_on
    contribution.save(update_fields=["outcome", "outcome_note", "decided_by", "decided_on"])
    record(actor, Action.UPDATE, contribution, subject=contribution.contributor, detail=f"outcome={outcome}")
    return contribution


# --- boards -----------------------------------------------------------------------------------------------


def can_manage_board(actor: Actor, board: Board, leader_id: int | None = None) -> bool:
    """Managers and coordinators run boards; the colleague who leads a board records its meetings."""
    return actor.has(*MANAGING_ROLES) or (leader_id is not None and leader_id == actor.user.pk)


def board_leader_id(board: Board) -> int | None:
    return Seat.objects.filter(board=board, leads=True).values_list("holder_id", flat=True).first()


@transaction.atomic
def create_board(actor: Actor, *, name: str, kind: str, purpose: str = "", unit: Unit | None = None) -> Board:
    actor.require(*MANAGING_ROLES)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the board or committee a name.")})
    if kind not in Board.Kind.values:
        raise ValidationError({"kind": _("Choose what kind of board or committee it is.")})
    if Board.objects.filter(organisation_id=actor.organisation_id, name__iexact=name).exists():
        raise ValidationError({"name": _("Your organisation already has a board with this name; choose another.")})
    _check_unit(actor, unit)
    board = Board.objects.create(
        organisation_id=actor.organisation_id, name=name, kind=kind, purpose=purpose.strip(), unit=unit
    )
    record(actor, Action.CREATE, board)
    return board


@transaction.atomic
def end_board(actor: Actor, board: Board, ended_on: date) -> Board:
    actor.require(*MANAGING_ROLES)
    _own(actor, board)
    board.ended_on = ended_on
    board.save(update_fields=["ended_on"])
    record(actor, Action.UPDATE, board)
    return board


def _validate_seat(actor: Actor, *, kind: str, holder: User | None, holder_name: str, also_acts_as: str) -> None:
    if kind not in ParticipantKind.values:
        raise ValidationError({"kind": _("Choose who the seat is for.")})
    if also_acts_as and also_acts_as not in ParticipantKind.values:
        raise ValidationError({"also_acts_as": _("Choose the other role from the list, or leave it empty.")})
    if holder is not None and holder_name:
        raise ValidationError({"holder_name": _("Choose a colleague or write a name, not both.")})
    if holder is not None and not _holds(actor.organisation_id, holder):
        raise ValidationError({"holder": _("Choose a colleague from your organisation.")})
    if (
        holder is not None
        and kind == ParticipantKind.PEER_WORKER
        and not _holds(actor.organisation_id, holder, *PEER_ROLES)
    ):
        raise ValidationError({"holder": _("A peer-worker seat needs someone with a peer-worker role.")})


@transaction.atomic
def add_seat(
    actor: Actor,
    board: Board,
    *,
    kind: str,
    holder: User | None = None,
    holder_name: str = "",
    leads: bool = False,
    also_acts_as: str = "",
) -> Seat:
    actor.require(*MANAGING_ROLES)
    _own(actor, board)
    holder_name = holder_name.strip()
    _validate_seat(actor, kind=kind, holder=holder, holder_name=holder_name, also_acts_as=also_acts_as)
    if leads:
        if holder is None and not holder_name:
            raise ValidationError({"leads": _("A vacant seat cannot lead the board: add who holds it first.")})
        Seat.objects.filter(board=board, leads=True).update(leads=False)
    seat = Seat.objects.create(
        organisation_id=actor.organisation_id,
        board=board,
        kind=kind,
        holder=holder,
        holder_name=holder_name,
        leads=leads,
        also_acts_as=also_acts_as,
    )
    record(actor, Action.CREATE, seat, subject=holder)
    return seat


@transaction.atomic
def update_seat(
    actor: Actor,
    seat: Seat,
    *,
    kind: str,
    holder: User | None = None,
    holder_name: str = "",
    leads: bool = False,
    also_acts_as: str = "",
) -> Seat:
    """Change a seat. When its kind changes, the earlier kind is kept so a user-organisation seat turned
    into a peer-worker seat stays visible (S4)."""
    actor.require(*MANAGING_ROLES)
    _own(actor, seat)
    holder_name = holder_name.strip()
    _validate_seat(actor, kind=kind, holder=holder, holder_name=holder_name, also_acts_as=also_acts_as)
    if leads and holder is None and not holder_name:
        raise ValidationError({"leads": _("A vacant seat cannot lead the board: add who holds it first.")})
    if kind != seat.kind and not seat.converted_from:
        seat.converted_from = seat.kind
    if leads:
        Seat.objects.filter(board_id=seat.board_id, leads=True).exclude(pk=seat.pk).update(leads=False)
    seat.kind, seat.holder, seat.holder_name, seat.leads, seat.also_acts_as = (
        kind,
        holder,
        holder_name,
        leads,
        also_acts_as,
    )
    seat.save()
    record(actor, Action.UPDATE, seat, subject=holder)
    return seat


@transaction.atomic
def remove_seat(actor: Actor, seat: Seat) -> None:
    actor.require(*MANAGING_ROLES)
    _own(actor, seat)
    record(actor, Action.DELETE, seat, subject=seat.holder)
    seat.delete()


@transaction.atomic
def add_meeting(actor: Actor, board: Board, *, held_on: date, agenda: str) -> Meeting:
    _own(actor, board)
    if not can_manage_board(actor, board, board_leader_id(board)):
        raise PermissionDenied
    if not agenda.strip():
        raise ValidationError({"agenda": _("Write the agenda: what the meeting is about.")})
    meeting = Meeting.objects.create(
        organisation_id=actor.organisation_id, board=board, held_on=held_on, agenda=agenda.strip()
    )
    record(actor, Action.CREATE, meeting)
    return meeting


@transaction.atomic
def add_decision(actor: Actor, meeting: Meeting, *, text: str, follow_up_by: str = "") -> Decision:
    _own(actor, meeting)
    if not can_manage_board(actor, meeting.board, board_leader_id(meeting.board)):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("Write what was decided.")})
    decision = Decision.objects.create(
        organisation_id=actor.organisation_id,
        meeting=meeting,
        text=text.strip(),
        follow_up_by=follow_up_by.strip(),
    )
    record(actor, Action.CREATE, decision)
    return decision


# --- signals to management --------------------------------------------------------------------------------


@transaction.atomic
def raise_signal(
    actor: Actor,
    *,
    kind: str,
    title: str,
    responsible_manager: User | None,
    description: str = "",
    unit: Unit | None = None,
    visibility: str = Signal.Visibility.NAMED,
    names_service_user: bool = False,
) -> Signal:
    """A peer worker sends a frontline issue straight to a manager.

    A signal is about the service, never about a person: it has no link to a service user, and a sender who
    marks the text as naming or describing someone is asked to rewrite it (nothing is saved).
    """
    actor.require(*PEER_ROLES)
    errors: dict[str, str] = {}
    if kind not in Signal.Kind.values:
        errors["kind"] = _("Choose whether this is a gap, a practice that harms, or an idea.")
    if not title.strip():
        errors["title"] = _("Say in one sentence what the issue is.")
    if visibility not in Signal.Visibility.values:
        errors["visibility"] = _("Choose whether your name is shown.")
    if responsible_manager is None or not _holds(actor.organisation_id, responsible_manager, Role.MANAGER):
        errors["responsible_manager"] = _("Choose the manager who should receive this.")
    if names_service_user:
        errors["names_service_user"] = _(
            "A signal is about the service, never about a person. Rewrite it so that no one could recognise "
            "the person (no name, age, address or story that points to them), then untick this box."
        )
    if errors or responsible_manager is None:  # no manager is always among the errors
        raise ValidationError(errors)
    _check_unit(actor, unit)
    signal = Signal.objects.create(
        organisation_id=actor.organisation_id,
        raised_by=actor.user,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        unit=unit,
        visibility=visibility,
        responsible_manager=responsible_manager,
        raised_at=timezone.now(),
    )
    record(
        actor,
        Action.CREATE,
        signal,
        subject=None if visibility == Signal.Visibility.ANONYMOUS else actor.user,
    )
    return signal


def _require_responsible(actor: Actor, signal: Signal) -> None:
    _own(actor, signal)
    if signal.responsible_manager_id != actor.user.pk:
        raise PermissionDenied


@transaction.atomic
def acknowledge_signal(actor: Actor, signal: Signal) -> Signal:
    _require_responsible(actor, signal)
    if signal.acknowledged_at is not None:
        raise ValidationError({"status": _("You have already acknowledged this signal.")})
    signal.acknowledged_at = max(timezone.now(), signal.raised_at)
    signal.acknowledged_by = actor.user
    signal.status = Signal.Status.ACKNOWLEDGED
    signal.save(update_fields=["acknowledged_at", "acknowledged_by", "status"])
    record(actor, Action.UPDATE, signal, detail="acknowledged")
    return signal


@transaction.atomic
def decide_signal(actor: Actor, signal: Signal, *, decision: str) -> Signal:
    _require_responsible(actor, signal)
    if signal.acknowledged_at is None:
        raise ValidationError({"decision": _("Acknowledge the signal first, so the sender knows it has been read.")})
    if not decision.strip():
        raise ValidationError({"decision": _("Write what you have decided to do; the sender will read it.")})
    signal.decision = decision.strip()
    signal.decided_at = timezone.now()
    if signal.status != Signal.Status.CLOSED:
        signal.status = Signal.Status.DECIDED
    signal.save(update_fields=["decision", "decided_at", "status"])
    record(actor, Action.UPDATE, signal, detail="decided")
    return signal


@transaction.atomic
def close_signal(actor: Actor, signal: Signal, *, outcome: str) -> Signal:
    _require_responsible(actor, signal)
    if signal.acknowledged_at is None:
        raise ValidationError({"outcome": _("Acknowledge the signal first, so the sender knows it has been read.")})
    if not outcome.strip():
        raise ValidationError({"outcome": _("Write what came of it; the sender will read it.")})
    signal.outcome = outcome.strip()
    signal.closed_at = timezone.now()
    signal.status = Signal.Status.CLOSED
    signal.save(update_fields=["outcome", "closed_at", "status"])
    record(actor, Action.UPDATE, signal, detail="closed")
    return signal
