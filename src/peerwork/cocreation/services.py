"""Every write in co-creation: validate, save in one transaction, audit.

A refused write raises ``ValidationError({field: message})`` whose message says how to put it right, and
nothing is saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.accounts.models import Membership, User
from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core import events, validation
from peerwork.core.actor import Actor
from peerwork.core.roles import MANAGING_ROLES, PEER_ROLES, Role
from peerwork.organisations.models import Unit

from .models import (
    Board,
    CocreationPolicy,
    Contribution,
    CoOwner,
    Decision,
    DecisionParticipant,
    Initiative,
    Meeting,
    ParticipantKind,
    Participation,
    Phase,
    Seat,
    Signal,
)

# --- helpers ----------------------------------------------------------------------------------------------

# Who may start, own and co-own an initiative: managers, coordinators, peer workers and senior peer workers
# (S4: peer workers as partners in co-creation, not only invited into it).
OWNER_ROLES = (*MANAGING_ROLES, *PEER_ROLES)


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


def _validate(obj: models.Model) -> None:
    """The model's own field validation (lengths, choices, NUL characters) before every write, so a form,
    the API and a direct call are held to the same rules. Relations were looked up in the actor's
    organisation already; constraints are left to the database and to this module's own messages."""
    validation.clean(obj, exclude=[f.name for f in obj._meta.concrete_fields if f.is_relation])


def _text(value: str) -> str:
    return (value or "").strip()


def can_start_initiatives(actor: Actor) -> bool:
    return actor.has(*OWNER_ROLES)


def can_manage_initiatives(actor: Actor) -> bool:
    """Managers and coordinators change any initiative and run any board in their organisation."""
    return actor.has(*MANAGING_ROLES)


def owner_ids(initiative: Initiative) -> set[int]:
    """The lead owner and the co-owners (uses the prefetched co-owners when the selector loaded them)."""
    return {initiative.owner_id, *(c.person_id for c in initiative.co_owners.all())}


def is_owner(actor: Actor, initiative: Initiative) -> bool:
    return actor.has(*OWNER_ROLES) and actor.user.pk in owner_ids(initiative)


def can_manage_initiative(actor: Actor, initiative: Initiative) -> bool:
    """Managers and coordinators, and the initiative's owners, change its phases, participants and owners."""
    return can_manage_initiatives(actor) or is_owner(actor, initiative)


def can_decide(actor: Actor, initiative: Initiative) -> bool:
    """Any manager, or an owner of the initiative, records the decision on a proposal (alone, or as the
    joint decision of a board or working group)."""
    return actor.has(Role.MANAGER) or is_owner(actor, initiative)


def _require_manage(actor: Actor, initiative: Initiative) -> None:
    if not can_manage_initiative(actor, initiative):
        raise PermissionDenied


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
    policy = CocreationPolicy.objects.filter(organisation_id=actor.organisation_id).first() or CocreationPolicy(
        organisation_id=actor.organisation_id
    )
    policy.contribution_pending_limit_days = int(days)
    _validate(policy)
    policy.save()
    record(actor, Action.UPDATE, policy)
    return policy


# --- initiatives and phases -------------------------------------------------------------------------------


def _owner_error(actor: Actor, person: User | None) -> str | None:
    if not _holds(actor.organisation_id, person, *OWNER_ROLES):
        return _(
            "An owner must be a manager, programme coordinator, peer worker or senior peer worker in your organisation."
        )
    return None


@transaction.atomic
def create_initiative(
    actor: Actor,
    *,
    title: str,
    problem_statement: str,
    owner: User | None = None,
    co_owners: Iterable[User] = (),
    unit: Unit | None = None,
) -> Initiative:
    """Start an initiative. Managers, coordinators, peer workers and senior peer workers may start one; a
    peer worker who names someone else as lead owner becomes a co-owner, so whoever starts it owns it. Owners
    with a peer-worker role take part in co-defining from the start."""
    actor.require(*OWNER_ROLES)
    owner = owner or actor.user
    extra = list(dict.fromkeys(u for u in co_owners if u.pk != owner.pk))
    if not actor.has(*MANAGING_ROLES) and actor.user.pk not in {owner.pk, *(u.pk for u in extra)}:
        extra.append(actor.user)
    errors: dict[str, str] = {}
    if not _text(title):
        errors["title"] = _("Give the initiative a short title.")
    if not _text(problem_statement):
        errors["problem_statement"] = _("Describe the problem the initiative is about, in a few sentences.")
    if message := _owner_error(actor, owner):
        errors["owner"] = message
    if any(_owner_error(actor, u) for u in extra):
        errors["co_owners"] = _(
            "Co-owners must be managers, programme coordinators, peer workers or senior peer workers in your "
            "organisation."
        )
    if errors:
        raise ValidationError(errors)
    _check_unit(actor, unit)
    initiative = Initiative(
        organisation_id=actor.organisation_id,
        title=_text(title),
        problem_statement=_text(problem_statement),
        owner=owner,
        unit=unit,
    )
    _validate(initiative)
    initiative.save()
    phases = Phase.objects.bulk_create(
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
    today = timezone.localdate()
    for person in extra:
        CoOwner.objects.create(
            organisation_id=actor.organisation_id, initiative=initiative, person=person, added_on=today
        )
    defining = next(p for p in phases if p.kind == Phase.Kind.DEFINING)
    peer_owner_ids = set(
        Membership.objects.filter(
            organisation_id=actor.organisation_id, user__in=[owner, *extra], role__in=PEER_ROLES
        ).values_list("user_id", flat=True)
    )
    for person in [owner, *extra]:
        if person.pk in peer_owner_ids:
            Participation.objects.create(
                organisation_id=actor.organisation_id, phase=defining, person=person, kind=ParticipantKind.PEER_WORKER
            )
    record(actor, Action.CREATE, initiative)
    return initiative


@transaction.atomic
def add_co_owner(actor: Actor, initiative: Initiative, *, person: User | None) -> CoOwner:
    _own(actor, initiative)
    _require_manage(actor, initiative)
    if person is None:
        raise ValidationError({"person": _("Choose the colleague who will own the initiative with you.")})
    if message := _owner_error(actor, person):
        raise ValidationError({"person": message})
    if person.pk in owner_ids(initiative):
        raise ValidationError({"person": _("This colleague already owns the initiative.")})
    co_owner = CoOwner(
        organisation_id=actor.organisation_id,
        initiative=initiative,
        person=person,
        added_on=timezone.localdate(),
    )
    _validate(co_owner)
    co_owner.save()
    record(actor, Action.CREATE, co_owner, subject=person)
    return co_owner


@transaction.atomic
def remove_co_owner(actor: Actor, co_owner: CoOwner) -> None:
    _own(actor, co_owner)
    _require_manage(actor, co_owner.initiative)
    record(actor, Action.DELETE, co_owner, subject=co_owner.person)
    co_owner.delete()


@transaction.atomic
def update_phase(actor: Actor, phase: Phase, *, start_date: date | None, end_date: date | None, status: str) -> Phase:
    _own(actor, phase)
    _require_manage(actor, phase.initiative)
    if status not in Phase.Status.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    validation.plausible_dates(start_date=start_date, end_date=end_date)
    if start_date and end_date and end_date < start_date:
        raise ValidationError(
            {"end_date": _("A phase cannot end before it starts: set an end date on or after the start date.")}
        )
    if status == Phase.Status.DONE and not end_date:
        raise ValidationError({"end_date": _("Give the date the phase ended before marking it done.")})
    phase.start_date, phase.end_date, phase.status = start_date, end_date, status
    _validate(phase)
    phase.save(update_fields=["start_date", "end_date", "status"])
    record(actor, Action.UPDATE, phase)
    return phase


@transaction.atomic
def add_participant(
    actor: Actor, phase: Phase, *, kind: str, person: User | None = None, external_name: str = ""
) -> Participation:
    _own(actor, phase)
    _require_manage(actor, phase.initiative)
    external_name = _text(external_name)
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
    participation = Participation(
        organisation_id=actor.organisation_id,
        phase=phase,
        person=person,
        external_name=external_name,
        kind=kind,
    )
    _validate(participation)
    participation.save()
    record(actor, Action.CREATE, participation, subject=person)
    return participation


@transaction.atomic
def remove_participant(actor: Actor, participation: Participation) -> None:
    _own(actor, participation)
    _require_manage(actor, participation.phase.initiative)
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
    contributor_name = _text(contributor_name)
    today = timezone.localdate()
    submitted_on = submitted_on or today
    errors: dict[str, str] = {}
    if not _text(summary):
        errors["summary"] = _("Write the proposal in a sentence or two.")
    if submitted_on > today:
        errors["submitted_on"] = _("The date a proposal was made cannot be in the future.")
    elif message := validation.date_error(submitted_on, last=today):
        errors["submitted_on"] = message
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
    contribution = Contribution(
        organisation_id=actor.organisation_id,
        initiative=initiative,
        phase=phase,
        contributor=contributor,
        contributor_name=contributor_name,
        contributor_kind=kind,
        summary=_text(summary),
        details=_text(details),
        submitted_on=submitted_on,
        recorded_by=actor.user,
    )
    _validate(contribution)
    contribution.save()
    record(actor, Action.CREATE, contribution, subject=contributor)
    return contribution


def _joint_participants(
    actor: Actor, board: Board | None, seats: Sequence[Seat], guests: Sequence[str]
) -> list[DecisionParticipant]:
    """The people who took part in a joint decision, from the board's seats and by name; refused unless a
    board is named, every seat is a held seat of that board, and at least two people took part."""
    names = [_text(g) for g in guests if _text(g)]
    if board is None:
        if seats or names:
            raise ValidationError(
                {
                    "decided_with": _(
                        "Choose the board or working group that decided together, or leave who took part empty."
                    )
                }
            )
        return []
    if board.organisation_id != actor.organisation_id:
        raise ValidationError({"decided_with": _("Choose one of your organisation's boards or working groups.")})
    if board.status != Board.Status.ACTIVE or board.ended_on is not None:
        raise ValidationError({"decided_with": _("Choose a board or working group that is confirmed and still meets.")})
    if any(s.board_id != board.pk or s.vacant for s in seats):
        raise ValidationError(
            {"participants": _("Choose people who hold a seat on the board or working group you named.")}
        )
    if any(len(n) > 120 for n in names):
        raise ValidationError({"guests": _("Shorten each name to at most 120 characters.")})
    rows = [
        DecisionParticipant(
            organisation_id=actor.organisation_id,
            person_id=s.holder_id,
            name="" if s.holder_id else s.holder_name,
            kind=s.kind,
        )
        for s in dict.fromkeys(seats)
    ]
    seated = {r.name.casefold() for r in rows if r.name}
    rows += [
        DecisionParticipant(organisation_id=actor.organisation_id, name=n, kind=ParticipantKind.SERVICE_USER)
        for n in dict.fromkeys(names)
        if n.casefold() not in seated
    ]
    if len(rows) < 2:
        raise ValidationError(
            {"participants": _("A joint decision needs at least two people who took part: tick who was there.")}
        )
    for row in rows:
        validation.clean(row, exclude=["organisation", "contribution", "person"])
    return rows


@transaction.atomic
def decide_contribution(
    actor: Actor,
    contribution: Contribution,
    *,
    outcome: str,
    note: str = "",
    decided_on: date | None = None,
    decided_with: Board | None = None,
    participants: Sequence[Seat] = (),
    guests: Sequence[str] = (),
) -> Contribution:
    """Record what came of a proposal. With ``decided_with`` it is the joint decision of that board or
    working group, and ``participants`` (seats on it) and ``guests`` (names) record who took part."""
    _own(actor, contribution)
    if not can_decide(actor, contribution.initiative):
        raise PermissionDenied
    note = _text(note)
    today = timezone.localdate()
    decided_on = decided_on or today
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
    if decided_on > today:
        raise ValidationError({"decided_on": _("The decision date cannot be in the future.")})
    rows = _joint_participants(actor, decided_with, participants, guests)
    contribution.outcome, contribution.outcome_note = outcome, note
    contribution.decided_by, contribution.decided_on = actor.user, decided_on
    contribution.decided_with = decided_with
    _validate(contribution)
    contribution.save(update_fields=["outcome", "outcome_note", "decided_by", "decided_on", "decided_with"])
    contribution.participants.all().delete()
    for row in rows:
        row.contribution = contribution
    DecisionParticipant.objects.bulk_create(rows)
    detail = (
        Detail("outcome_with_board", outcome=outcome, board=decided_with.pk)
        if decided_with
        else Detail("outcome", outcome=outcome)
    )
    record(actor, Action.UPDATE, contribution, subject=contribution.contributor, detail=detail)
    events.emit(
        events.CONTRIBUTION_DECIDED,
        organisation_id=actor.organisation_id,
        recipients=[contribution.contributor_id],
        url=reverse("cocreation:initiative", args=[contribution.initiative_id]),
        by=actor.user.pk,
    )
    return contribution


# --- boards -----------------------------------------------------------------------------------------------


def can_manage_board(actor: Actor, board: Board, leader_id: int | None = None) -> bool:
    """Managers and coordinators run boards; the colleague who leads a board records its meetings."""
    return actor.has(*MANAGING_ROLES) or (leader_id is not None and leader_id == actor.user.pk)


def can_manage_seats(actor: Actor, board: Board, leader_id: int | None = None) -> bool:
    """Managers and coordinators seat any board; the peer worker who leads a peer-worker-led board seats and
    invites its members (user-organisation representatives and service users take part through seats)."""
    return actor.has(*MANAGING_ROLES) or (
        board.kind == Board.Kind.PEER_LED_USER_BOARD and leader_id is not None and leader_id == actor.user.pk
    )


def board_leader_id(board: Board) -> int | None:
    return Seat.objects.filter(board=board, leads=True).values_list("holder_id", flat=True).first()


def _seat_kind_for(organisation_id: int, user: User) -> str:
    if _holds(organisation_id, user, *PEER_ROLES):
        return ParticipantKind.PEER_WORKER
    if _holds(organisation_id, user, *MANAGING_ROLES):
        return ParticipantKind.MANAGER
    return ParticipantKind.PROFESSIONAL


@transaction.atomic
def create_board(
    actor: Actor,
    *,
    name: str,
    kind: str,
    purpose: str = "",
    unit: Unit | None = None,
    leader: User | None = None,
) -> Board:
    """Add a board or committee.

    * Managers and coordinators add any kind; it is confirmed at once.
    * A peer worker or senior peer worker creates a **local service user board led by a peer worker**
      directly (they lead it unless they name another peer worker), or **proposes** a board of another kind:
      it is listed as proposed, with the proposer in a peer-worker seat, until a manager or coordinator
      confirms it (``confirm_board``); no meeting is recorded on a board that is only proposed.
    * A peer-worker-led board is always led by someone with a peer-worker role.
    """
    actor.require(*OWNER_ROLES)
    name = _text(name)
    managing = actor.has(*MANAGING_ROLES)
    if not name:
        raise ValidationError({"name": _("Give the board or committee a name.")})
    if kind not in Board.Kind.values:
        raise ValidationError({"kind": _("Choose what kind of board or committee it is.")})
    if Board.objects.filter(organisation_id=actor.organisation_id, name__iexact=name).exists():
        raise ValidationError({"name": _("Your organisation already has a board with this name; choose another.")})
    _check_unit(actor, unit)
    peer_led = kind == Board.Kind.PEER_LED_USER_BOARD
    if peer_led and leader is None and not managing:
        leader = actor.user
    if peer_led and not _holds(actor.organisation_id, leader, *PEER_ROLES):
        raise ValidationError({"leader": _("A board led by a peer worker needs a peer worker to lead it: choose one.")})
    if leader is not None and not _holds(actor.organisation_id, leader):
        raise ValidationError({"leader": _("Choose a colleague from your organisation.")})
    proposed = not managing and not peer_led
    board = Board(
        organisation_id=actor.organisation_id,
        name=name,
        kind=kind,
        purpose=_text(purpose),
        unit=unit,
        status=Board.Status.PROPOSED if proposed else Board.Status.ACTIVE,
        proposed_by=None if managing else actor.user,
    )
    _validate(board)
    board.save()
    record(actor, Action.CREATE, board, detail=Detail("proposed") if proposed else None)
    seats: list[tuple[User, bool]] = []
    if leader is not None:
        seats.append((leader, True))
    if not managing and actor.user.pk != getattr(leader, "pk", None):
        seats.append((actor.user, False))
    for person, leads in seats:
        seat = Seat(
            organisation_id=actor.organisation_id,
            board=board,
            kind=_seat_kind_for(actor.organisation_id, person),
            holder=person,
            leads=leads,
        )
        _validate(seat)
        seat.save()
        record(actor, Action.CREATE, seat, subject=person)
    return board


@transaction.atomic
def confirm_board(actor: Actor, board: Board) -> Board:
    """A manager or coordinator confirms a board a peer worker proposed; from then on it meets."""
    actor.require(*MANAGING_ROLES)
    _own(actor, board)
    if board.status != Board.Status.PROPOSED:
        raise ValidationError({"status": _("This board is already confirmed.")})
    board.status = Board.Status.ACTIVE
    _validate(board)
    board.save(update_fields=["status"])
    record(actor, Action.UPDATE, board, detail=Detail("confirmed"))
    return board


@transaction.atomic
def end_board(actor: Actor, board: Board, ended_on: date) -> Board:
    """A board stops meeting (or a proposed board is not taken forward) on ``ended_on``."""
    actor.require(*MANAGING_ROLES)
    _own(actor, board)
    validation.plausible_dates(ended_on=ended_on)
    board.ended_on = ended_on
    _validate(board)
    board.save(update_fields=["ended_on"])
    record(actor, Action.UPDATE, board)
    return board


def _validate_seat(
    actor: Actor, board: Board, *, kind: str, holder: User | None, holder_name: str, leads: bool, also_acts_as: str
) -> None:
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
    if leads and holder is None and not holder_name:
        raise ValidationError({"leads": _("A vacant seat cannot lead the board: add who holds it first.")})
    if leads and board.kind == Board.Kind.PEER_LED_USER_BOARD and kind != ParticipantKind.PEER_WORKER:
        raise ValidationError(
            {"leads": _("This board is led by a peer worker: only a peer-worker seat held by a colleague can lead it.")}
        )
    if leads and board.kind == Board.Kind.PEER_LED_USER_BOARD and holder is None:
        raise ValidationError(
            {"leads": _("This board is led by a peer worker: only a peer-worker seat held by a colleague can lead it.")}
        )


def _require_seats(actor: Actor, board: Board) -> None:
    _own(actor, board)
    if not can_manage_seats(actor, board, board_leader_id(board)):
        raise PermissionDenied


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
    _require_seats(actor, board)
    holder_name = _text(holder_name)
    _validate_seat(
        actor, board, kind=kind, holder=holder, holder_name=holder_name, leads=leads, also_acts_as=also_acts_as
    )
    seat = Seat(
        organisation_id=actor.organisation_id,
        board=board,
        kind=kind,
        holder=holder,
        holder_name=holder_name,
        leads=leads,
        also_acts_as=also_acts_as,
    )
    _validate(seat)
    if leads:
        Seat.objects.filter(board=board, leads=True).update(leads=False)
    seat.save()
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
    _require_seats(actor, seat.board)
    holder_name = _text(holder_name)
    _validate_seat(
        actor, seat.board, kind=kind, holder=holder, holder_name=holder_name, leads=leads, also_acts_as=also_acts_as
    )
    if kind != seat.kind and not seat.converted_from:
        seat.converted_from = seat.kind
    seat.kind, seat.holder, seat.holder_name, seat.leads, seat.also_acts_as = (
        kind,
        holder,
        holder_name,
        leads,
        also_acts_as,
    )
    _validate(seat)
    if leads:
        Seat.objects.filter(board_id=seat.board_id, leads=True).exclude(pk=seat.pk).update(leads=False)
    seat.save()
    record(actor, Action.UPDATE, seat, subject=holder)
    return seat


@transaction.atomic
def remove_seat(actor: Actor, seat: Seat) -> None:
    _require_seats(actor, seat.board)
    record(actor, Action.DELETE, seat, subject=seat.holder)
    seat.delete()


def _require_meets(board: Board, field: str) -> None:
    if board.status != Board.Status.ACTIVE:
        raise ValidationError(
            {field: _("This board is only proposed: a manager or coordinator confirms it before it meets.")}
        )


@transaction.atomic
def add_meeting(actor: Actor, board: Board, *, held_on: date | None, agenda: str) -> Meeting:
    _own(actor, board)
    if not can_manage_board(actor, board, board_leader_id(board)):
        raise PermissionDenied
    _require_meets(board, "held_on")
    if held_on is None:
        raise ValidationError({"held_on": _("Give the date of the meeting.")})
    validation.plausible_dates(held_on=held_on)
    if not _text(agenda):
        raise ValidationError({"agenda": _("Write the agenda: what the meeting is about.")})
    meeting = Meeting(organisation_id=actor.organisation_id, board=board, held_on=held_on, agenda=_text(agenda))
    _validate(meeting)
    meeting.save()
    record(actor, Action.CREATE, meeting)
    return meeting


@transaction.atomic
def add_decision(actor: Actor, meeting: Meeting, *, text: str, follow_up_by: str = "") -> Decision:
    _own(actor, meeting)
    if not can_manage_board(actor, meeting.board, board_leader_id(meeting.board)):
        raise PermissionDenied
    if not _text(text):
        raise ValidationError({"text": _("Write what was decided.")})
    decision = Decision(
        organisation_id=actor.organisation_id,
        meeting=meeting,
        text=_text(text),
        follow_up_by=_text(follow_up_by),
    )
    _validate(decision)
    decision.save()
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
    signal = Signal(
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
    _validate(signal)
    signal.save()
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
    _validate(signal)
    signal.save(update_fields=["acknowledged_at", "acknowledged_by", "status"])
    record(actor, Action.UPDATE, signal, detail=Detail("acknowledged"))
    events.emit(
        events.SIGNAL_ACKNOWLEDGED,
        organisation_id=actor.organisation_id,
        recipients=[signal.raised_by_id],
        url=reverse("cocreation:signal", args=[signal.pk]),
        by=actor.user.pk,
    )
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
    _validate(signal)
    signal.save(update_fields=["decision", "decided_at", "status"])
    record(actor, Action.UPDATE, signal, detail=Detail("decided"))
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
    _validate(signal)
    signal.save(update_fields=["outcome", "closed_at", "status"])
    record(actor, Action.UPDATE, signal, detail=Detail("closed"))
    return signal
