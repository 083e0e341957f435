"""Every read in co-creation, scoped to the acting person's organisation (in SQL) and audited.

Initiatives and boards are open to everyone in the organisation: co-creation is done in the open. Signals
are not: the sender sees their own, the responsible manager their inbox, other managers the organisation's
list — and a sender's name only as the sender chose (``sender_visible``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.accounts.models import Membership, User
from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core import listing
from peerwork.core.actor import Actor
from peerwork.core.listing import ListForm
from peerwork.core.roles import MANAGING_ROLES, PEER_ROLES, Role

from . import services
from .models import (
    Board,
    CocreationPolicy,
    Contribution,
    CoOwner,
    Decision,
    DecisionParticipant,
    Initiative,
    Meeting,
    Participation,
    Phase,
    Seat,
    Signal,
)
from .warnings import Warning, board_warnings, initiative_warnings, pending_since_limit, seat_has_dual_role

DEFAULT_LIMIT = 30


# --- initiatives ------------------------------------------------------------------------------------------


@dataclass
class InitiativeView:
    initiative: Initiative
    phases: list[Phase]
    participations: dict[int, list[Participation]]
    warnings: list[Warning]
    contributions: list[Contribution] = field(default_factory=list)
    overdue_ids: set[int] = field(default_factory=set)
    pending_limit: int = 30

    @property
    def pk(self) -> int:
        return self.initiative.pk

    @property
    def co_owners(self) -> list[CoOwner]:
        return list(self.initiative.co_owners.all())

    @property
    def owners(self) -> list[User]:
        """The lead owner first, then the co-owners in the order they were added."""
        return [self.initiative.owner, *(c.person for c in self.co_owners)]

    def phase_rows(self) -> list[dict[str, Any]]:
        return [{"phase": p, "participations": self.participations.get(p.pk, [])} for p in self.phases]


def colleague(actor: Actor, user_id: int | None, *, field: str) -> User | None:
    """The person with a role in the actor's organisation whom an API call names by id (None when it names
    no one). An id outside the organisation is refused on ``field`` exactly as an id that does not exist."""
    if user_id is None:
        return None
    found = User.objects.filter(pk=user_id, memberships__organisation_id=actor.organisation_id).distinct().first()
    if found is None:
        raise ValidationError({field: _("Choose a colleague from your organisation.")})
    return found


def _initiative_qs(actor: Actor) -> QuerySet[Initiative]:
    return (
        Initiative.objects.filter(organisation_id=actor.organisation_id)
        .select_related("owner", "unit")
        .prefetch_related(Prefetch("co_owners", queryset=CoOwner.objects.select_related("person").order_by("id")))
    )


def _phases_prefetch() -> Prefetch[str, QuerySet[Phase]]:
    return Prefetch(
        "phases",
        queryset=Phase.objects.order_by("position").prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("person").order_by("kind", "id"),
            )
        ),
    )


def _view(initiative: Initiative) -> InitiativeView:
    phases = list(initiative.phases.all())
    participations = {p.pk: list(p.participations.all()) for p in phases}
    return InitiativeView(initiative, phases, participations, initiative_warnings(phases, participations))


def initiatives(
    actor: Actor, *, unit_id: int | None = None, offset: int = 0, limit: int | None = None
) -> list[InitiativeView]:
    """The organisation's initiatives, newest first, with their phases, participants and warnings (three
    queries for any number of rows)."""
    qs = initiatives_qs(actor, unit_id=unit_id)
    if limit is not None:
        qs = qs[offset : offset + limit]
    found = [_view(i) for i in qs.prefetch_related(_phases_prefetch())]
    record(actor, Action.READ, object_type="cocreation.initiative", detail=Detail("shown", page="list"))
    return found


def initiatives_page(actor: Actor, form: ListForm, number: Any, per_page: int) -> Page[InitiativeView]:
    """One page of the initiatives as searched, filtered and ordered: a count and three queries."""
    found = listing.paginate(form.apply(initiatives_qs(actor)), number, per_page)
    rows = cast("QuerySet[Initiative]", found.object_list).prefetch_related(_phases_prefetch())
    page = cast("Page[InitiativeView]", found)
    page.object_list = [_view(i) for i in rows]
    record(actor, Action.READ, object_type="cocreation.initiative", detail=Detail("shown", page="list"))
    return page


def initiatives_export(actor: Actor, form: ListForm) -> list[InitiativeView]:
    """All the initiatives as searched, filtered and ordered, for a spreadsheet; recorded as the list is."""
    qs = form.apply(initiatives_qs(actor))[: listing.EXPORT_LIMIT]
    found = [_view(i) for i in qs.prefetch_related(_phases_prefetch())]
    record(
        actor,
        Action.READ,
        object_type="cocreation.initiative",
        detail=Detail("downloaded", page="list", format=form.export_kind),
    )
    return found


def initiatives_qs(actor: Actor, *, unit_id: int | None = None) -> QuerySet[Initiative]:
    qs = _initiative_qs(actor).annotate(
        pending=Count("contributions", filter=Q(contributions__outcome=Contribution.Outcome.PENDING)),
        contribution_count=Count("contributions"),
    )
    qs = qs.order_by("-created_at", "-id")  # a grouped query does not use Meta.ordering
    return qs.filter(unit_id=unit_id) if unit_id else qs


def initiative(actor: Actor, pk: int) -> InitiativeView:
    found = _initiative_qs(actor).prefetch_related(_phases_prefetch()).filter(pk=pk).first()
    if found is None:
        raise Http404
    view = _view(found)
    view.contributions = list(
        Contribution.objects.filter(organisation_id=actor.organisation_id, initiative=found)
        .select_related("contributor", "decided_by", "phase", "decided_with")
        .prefetch_related(_participants_prefetch())
        .order_by("-submitted_on", "-id")
    )
    view.pending_limit = services.pending_limit_days(actor.organisation_id)
    limit = pending_since_limit(timezone.localdate(), view.pending_limit)
    view.overdue_ids = {
        c.pk for c in view.contributions if c.outcome == Contribution.Outcome.PENDING and c.submitted_on < limit
    }
    record(actor, Action.READ, found)
    return view


def owned_initiatives(actor: Actor, *, limit: int | None = None) -> list[Initiative]:
    """Initiatives the actor owns or co-owns, newest first (for their home page)."""
    qs = (
        _initiative_qs(actor)
        .filter(Q(owner=actor.user) | Q(co_owners__person=actor.user))
        .distinct()
        .order_by("-created_at", "-id")
    )
    return list(qs[:limit] if limit else qs)


def phase(actor: Actor, pk: int) -> Phase:
    found = (
        Phase.objects.filter(organisation_id=actor.organisation_id, pk=pk)
        .select_related("initiative")
        .prefetch_related("initiative__co_owners")
        .first()
    )
    if found is None:
        raise Http404
    return found


def participation(actor: Actor, pk: int) -> Participation:
    found = (
        Participation.objects.filter(organisation_id=actor.organisation_id, pk=pk)
        .select_related("phase__initiative", "person")
        .prefetch_related("phase__initiative__co_owners")
        .first()
    )
    if found is None:
        raise Http404
    return found


def co_owner(actor: Actor, pk: int) -> CoOwner:
    found = (
        CoOwner.objects.filter(organisation_id=actor.organisation_id, pk=pk)
        .select_related("initiative", "person")
        .prefetch_related("initiative__co_owners")
        .first()
    )
    if found is None:
        raise Http404
    return found


def possible_owners(actor: Actor) -> QuerySet[User]:
    """Colleagues who may own or co-own an initiative."""
    return colleagues(actor, *services.OWNER_ROLES)


# --- contributions ----------------------------------------------------------------------------------------


def _participants_prefetch() -> Prefetch[str, QuerySet[DecisionParticipant]]:
    return Prefetch(
        "participants", queryset=DecisionParticipant.objects.select_related("person").order_by("kind", "id")
    )


def contribution(actor: Actor, pk: int) -> Contribution:
    """One contribution: anyone in the organisation may read it (co-creation is open)."""
    found = (
        Contribution.objects.filter(organisation_id=actor.organisation_id, pk=pk)
        .select_related("initiative", "phase", "contributor", "decided_by", "decided_with")
        .prefetch_related(_participants_prefetch(), "initiative__co_owners")
        .first()
    )
    if found is None:
        raise Http404
    record(actor, Action.READ, found, subject=found.contributor)
    return found


def contributions(actor: Actor, *, outcome: str = "", mine: bool = False) -> QuerySet[Contribution]:
    qs = (
        Contribution.objects.filter(organisation_id=actor.organisation_id)
        .select_related("initiative", "phase", "contributor", "decided_by", "decided_with")
        .prefetch_related(_participants_prefetch())
    )
    if mine:
        qs = qs.filter(contributor=actor.user)
    if outcome:
        qs = qs.filter(outcome=outcome)
    return qs.order_by("-submitted_on", "-id")


def contribution_list(
    actor: Actor, *, outcome: str = "", mine: bool = False, initiative_id: int | None = None
) -> QuerySet[Contribution]:
    """The contributions the API lists: the actor's own, or (audited) everyone's, optionally of one initiative."""
    qs = contributions(actor, mine=mine, outcome=outcome)
    if initiative_id:
        qs = qs.filter(initiative_id=initiative_id)
    if not mine:
        record(actor, Action.READ, object_type="cocreation.contribution", detail=Detail("shown", page="list"))
    return qs


def you_said_we_did(actor: Actor, *, limit: int | None = None) -> list[Contribution]:
    """The actor's own proposals and what came of each, decided ones first by date."""
    qs = contributions(actor, mine=True).order_by(F("decided_on").desc(nulls_last=True), "-submitted_on", "-id")
    return list(qs[:limit] if limit else qs)


def pending_too_long(actor: Actor, *, limit: int | None = None, audit: bool = True) -> tuple[list[Contribution], int]:
    """Contributions still waiting for a decision after the organisation's limit (for managers), oldest
    first, with the limit in days. With ``limit`` (the home page) it is one query: the oldest pending
    contributions carry the organisation's limit, and those past it are exactly the first ones."""
    if not actor.has(*MANAGING_ROLES):
        return [], 0
    today = timezone.localdate()
    pending = contributions(actor, outcome=Contribution.Outcome.PENDING).order_by("submitted_on", "id")
    if limit:
        policy = CocreationPolicy.objects.filter(organisation_id=OuterRef("organisation_id")).values(
            "contribution_pending_limit_days"
        )[:1]
        rows = list(pending.annotate(limit_days=Coalesce(Subquery(policy), Value(DEFAULT_LIMIT)))[:limit])
        days: int = rows[0].limit_days if rows else DEFAULT_LIMIT
        found: list[Contribution] = [c for c in rows if c.submitted_on < pending_since_limit(today, c.limit_days)]
        if found and audit:
            record(
                actor,
                Action.READ,
                object_type="cocreation.contribution",
                detail=Detail("shown", page="pending_too_long"),
            )
        return found, days
    days = services.pending_limit_days(actor.organisation_id)
    found = list(pending.filter(submitted_on__lt=pending_since_limit(today, days)))
    if found and audit:
        record(
            actor, Action.READ, object_type="cocreation.contribution", detail=Detail("shown", page="pending_too_long")
        )
    return found, days


# --- boards -----------------------------------------------------------------------------------------------


@dataclass
class SeatRow:
    seat: Seat
    dual_role: bool


@dataclass
class BoardView:
    board: Board
    seats: list[SeatRow]
    warnings: list[Warning]
    meetings: list[Meeting] = field(default_factory=list)

    @property
    def leader(self) -> Seat | None:
        return next((r.seat for r in self.seats if r.seat.leads), None)

    @property
    def seat_counts(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = defaultdict(int)
        for r in self.seats:
            counts[str(r.seat.get_kind_display())] += 1
        return sorted(counts.items())


def _holder_roles(actor: Actor, seats: list[Seat]) -> dict[int, set[str]]:
    ids = {s.holder_id for s in seats if s.holder_id}
    roles: dict[int, set[str]] = defaultdict(set)
    if ids:
        for user_id, role in Membership.objects.filter(
            organisation_id=actor.organisation_id, user_id__in=ids
        ).values_list("user_id", "role"):
            roles[user_id].add(role)
    return roles


def _board_views(actor: Actor, boards: list[Board]) -> list[BoardView]:
    all_seats = [s for b in boards for s in b.seats.all()]
    roles = _holder_roles(actor, all_seats)
    out = []
    for b in boards:
        seats = list(b.seats.all())
        rows = [SeatRow(s, seat_has_dual_role(s, roles.get(s.holder_id or 0, set()))) for s in seats]
        out.append(BoardView(b, rows, board_warnings(b, seats)))
    return out


def _seat_prefetch() -> Prefetch[str, QuerySet[Seat]]:
    return Prefetch("seats", queryset=Seat.objects.select_related("holder").order_by("-leads", "kind", "id"))


def boards(actor: Actor, *, include_ended: bool = False) -> list[BoardView]:
    qs = Board.objects.filter(organisation_id=actor.organisation_id).prefetch_related(_seat_prefetch()).order_by("name")
    if not include_ended:
        qs = qs.filter(ended_on__isnull=True)
    found = _board_views(actor, list(qs))
    record(actor, Action.READ, object_type="cocreation.board", detail=Detail("shown", page="list"))
    return found


def board(actor: Actor, pk: int) -> BoardView:
    found = (
        Board.objects.filter(organisation_id=actor.organisation_id, pk=pk).prefetch_related(_seat_prefetch()).first()
    )
    if found is None:
        raise Http404
    view = _board_views(actor, [found])[0]
    view.meetings = list(
        Meeting.objects.filter(organisation_id=actor.organisation_id, board=found)
        .prefetch_related(Prefetch("decisions", queryset=Decision.objects.order_by("id")))
        .order_by("-held_on", "-id")
    )
    record(actor, Action.READ, found)
    return view


def proposed_boards(actor: Actor, *, limit: int | None = None) -> list[Board]:
    """Boards peer workers proposed that wait for a manager or coordinator to confirm them."""
    if not actor.has(*MANAGING_ROLES):
        return []
    qs = (
        Board.objects.filter(organisation_id=actor.organisation_id, status=Board.Status.PROPOSED, ended_on__isnull=True)
        .select_related("proposed_by")
        .order_by("created_at", "id")
    )
    return list(qs[:limit] if limit else qs)


def joint_decision_boards(actor: Actor) -> list[Board]:
    """Boards and working groups that can record a joint decision (confirmed and still meeting), with their
    held seats, for the decision form: two queries."""
    qs = (
        Board.objects.filter(organisation_id=actor.organisation_id, ended_on__isnull=True, status=Board.Status.ACTIVE)
        .prefetch_related(_seat_prefetch())
        .order_by("name")
    )
    return list(qs)


def seats_by_id(actor: Actor, ids: list[int]) -> list[Seat]:
    """Seats named by id in an API call, in the actor's organisation; an id outside it is refused."""
    ids = list(dict.fromkeys(ids))
    found = list(Seat.objects.filter(organisation_id=actor.organisation_id, pk__in=ids).select_related("holder"))
    if len(found) != len(ids):
        raise ValidationError({"participant_seat_ids": _("Choose seats on one of your organisation's boards.")})
    return found


def board_of(actor: Actor, board_id: int | None, *, field: str) -> Board | None:
    """A board named by id in an API call (None when it names none); refused outside the organisation."""
    if board_id is None:
        return None
    found = Board.objects.filter(organisation_id=actor.organisation_id, pk=board_id).first()
    if found is None:
        raise ValidationError({field: _("Choose one of your organisation's boards or working groups.")})
    return found


def seat(actor: Actor, pk: int) -> Seat:
    found = Seat.objects.filter(organisation_id=actor.organisation_id, pk=pk).select_related("board", "holder").first()
    if found is None:
        raise Http404
    return found


def meeting(actor: Actor, pk: int) -> Meeting:
    found = Meeting.objects.filter(organisation_id=actor.organisation_id, pk=pk).select_related("board").first()
    if found is None:
        raise Http404
    return found


def committee_counts(organisation_id: int) -> dict[int, int]:
    """Each peer worker's number of boards and committees still meeting, in one query (S1 B1: being pulled
    into too many working groups). Peer workers are people with a peer-worker or senior peer-worker role in
    the organisation; a person holding two seats on one board counts that board once."""
    peer_ids = Membership.objects.filter(organisation_id=organisation_id, role__in=PEER_ROLES).values("user_id")
    rows = (
        Seat.objects.filter(
            organisation_id=organisation_id,
            holder_id__isnull=False,
            board__ended_on__isnull=True,
            holder_id__in=peer_ids,
        )
        .values("holder_id")
        .annotate(n=Count("board_id", distinct=True))
        .order_by()
    )
    return {r["holder_id"]: r["n"] for r in rows}


def committee_counts_for(actor: Actor) -> dict[int, int]:
    """``committee_counts`` for managers and coordinators of the actor's organisation (audited)."""
    actor.require(*MANAGING_ROLES)
    record(actor, Action.READ, object_type="cocreation.seat", detail=Detail("shown", page="committee_counts"))
    return committee_counts(actor.organisation_id)


def my_committee_count(actor: Actor) -> int:
    return (
        Seat.objects.filter(organisation_id=actor.organisation_id, holder=actor.user, board__ended_on__isnull=True)
        .values("board_id")
        .distinct()
        .count()
    )


# --- signals ----------------------------------------------------------------------------------------------


def sender_visible(signal: Signal, actor: Actor) -> bool:
    """May the actor see who sent the signal? The sender always; nobody else when fully anonymous; only the
    responsible manager when the sender hid their name from colleagues."""
    if signal.raised_by_id == actor.user.pk:
        return True
    if signal.visibility == Signal.Visibility.ANONYMOUS:
        return False
    if signal.visibility == Signal.Visibility.HIDDEN:
        return signal.responsible_manager_id == actor.user.pk
    return True


@dataclass
class SignalView:
    signal: Signal
    sender: str | None
    is_sender: bool
    is_responsible: bool


def _signal_qs(actor: Actor) -> QuerySet[Signal]:
    return Signal.objects.filter(organisation_id=actor.organisation_id).select_related(
        "raised_by", "responsible_manager", "unit"
    )


def _as_view(signal: Signal, actor: Actor) -> SignalView:
    return SignalView(
        signal,
        str(signal.raised_by) if sender_visible(signal, actor) else None,
        signal.raised_by_id == actor.user.pk,
        signal.responsible_manager_id == actor.user.pk,
    )


def my_signals(actor: Actor, *, limit: int | None = None) -> list[SignalView]:
    qs = _signal_qs(actor).filter(raised_by=actor.user).order_by("-raised_at", "-id")
    return [_as_view(s, actor) for s in (qs[:limit] if limit else qs)]


def inbox(
    actor: Actor, *, waiting_only: bool = False, limit: int | None = None, audit: bool = True
) -> list[SignalView]:
    """Signals addressed to the actor; those still waiting for acknowledgement first."""
    actor.require(Role.MANAGER)
    qs = _signal_qs(actor).filter(responsible_manager=actor.user)
    if waiting_only:
        qs = qs.filter(status=Signal.Status.SENT)
    qs = qs.order_by("acknowledged_at", "-raised_at", "-id") if not waiting_only else qs.order_by("raised_at", "id")
    found = [_as_view(s, actor) for s in (qs[:limit] if limit else qs)]
    if found and audit:
        record(actor, Action.READ, object_type="cocreation.signal", detail=Detail("shown", page="inbox"))
    return found


INBOX_PER_PAGE = 25


def inbox_page(actor: Actor, number: Any = 1) -> Page[SignalView]:
    """One page of the signals addressed to the actor (those still waiting for acknowledgement first), so the
    page costs the same however many signals a manager has had; the reading is audited as ``inbox`` does."""
    actor.require(Role.MANAGER)
    qs = _signal_qs(actor).filter(responsible_manager=actor.user).order_by("acknowledged_at", "-raised_at", "-id")
    found = Paginator(qs, INBOX_PER_PAGE).get_page(number)
    page = cast("Page[SignalView]", found)
    page.object_list = [_as_view(s, actor) for s in found.object_list]
    if page.object_list:
        record(actor, Action.READ, object_type="cocreation.signal", detail=Detail("shown", page="inbox"))
    return page


def waiting_count(actor: Actor) -> int:
    return Signal.objects.filter(
        organisation_id=actor.organisation_id, responsible_manager=actor.user, status=Signal.Status.SENT
    ).count()


def organisation_signals(actor: Actor, *, exclude_mine: bool = False, limit: int | None = None) -> list[SignalView]:
    actor.require(Role.MANAGER)
    qs = _signal_qs(actor).order_by("-raised_at", "-id")
    if exclude_mine:
        qs = qs.exclude(responsible_manager=actor.user)
    found = [_as_view(s, actor) for s in (qs[:limit] if limit else qs)]
    record(actor, Action.READ, object_type="cocreation.signal", detail=Detail("shown", page="organisation_list"))
    return found


def signal(actor: Actor, pk: int) -> SignalView:
    """One signal, for its sender or a manager of the organisation."""
    found = _signal_qs(actor).filter(pk=pk).first()
    if found is None:
        raise Http404
    if found.raised_by_id != actor.user.pk and not actor.has(Role.MANAGER):
        raise Http404
    view = _as_view(found, actor)
    record(actor, Action.READ, found, subject=found.raised_by if view.sender else None)
    return view


def managers(actor: Actor) -> QuerySet[User]:
    """People a signal can be sent to: the organisation's managers."""
    return (
        User.objects.filter(
            memberships__organisation_id=actor.organisation_id, memberships__role=Role.MANAGER, is_active=True
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def colleagues(actor: Actor, *roles: str) -> QuerySet[User]:
    qs = User.objects.filter(memberships__organisation_id=actor.organisation_id, is_active=True)
    if roles:
        qs = qs.filter(memberships__role__in=roles)
    return qs.distinct().order_by("first_name", "last_name", "username")
