"""Every read in readiness: scoped to the actor's organisation in SQL, personal data reads audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from peerwork.accounts.models import User
from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core.actor import Actor
from peerwork.core.roles import PEER_ROLES, Role
from peerwork.organisations.models import Position, Unit

from . import rolecard, scoring
from .checks import NEW_WITHIN_DAYS
from .instrument import DOMAINS
from .items import item_domains, round_items
from .models import (
    ANONYMITY_THRESHOLD,
    ActionItem,
    Comment,
    CustomItem,
    Group,
    Invitation,
    JobDescription,
    JobDescriptionVersion,
    Orientation,
    Response,
    Risk,
    Round,
    TeamBriefing,
    TreatmentHistoryDeclaration,
)
from .rolecard import RoleCard
from .roles import LEAD_ROLES, PARTNER_ROLES, READ_ROLES

DOMAIN_CODES = [d.code for d in DOMAINS]


# --- Rounds and results ---------------------------------------------------------------------------------
#
# Those who run readiness (READ_ROLES) read every round, open or closed. Everyone else reads the results of a
# round once it is closed: a round they were invited to, and for peer workers also the organisation's rounds
# and their own team's (a senior peer worker: every team's). Not while it is open: figures that move as each
# answer comes in would let a reader tell what a colleague who just answered said, and could sway those who
# have not answered yet.


def reads_everything(actor: Actor) -> bool:
    return actor.has(*READ_ROLES)


def _readable_rounds(actor: Actor) -> QuerySet[Round]:
    qs = Round.objects.filter(organisation_id=actor.organisation_id)
    if reads_everything(actor):
        return qs
    scope = Q(invitations__user=actor.user)
    if actor.has(Role.SENIOR_PEER_WORKER):
        scope |= Q(pk__isnull=False)
    elif actor.has(Role.PEER_WORKER):
        scope |= Q(unit__isnull=True) | Q(unit_id__in=actor.unit_ids)
    return qs.filter(status=Round.Status.CLOSED, pk__in=qs.filter(scope).values("pk"))


def _count_of(rows: QuerySet[Any]) -> Coalesce:
    """The number of ``rows`` (a queryset of one column correlated to the outer row) as a subquery."""
    n = Func(F("pk"), function="COUNT", output_field=IntegerField())
    return Coalesce(Subquery(rows.order_by().annotate(n=n).values("n")[:1]), 0, output_field=IntegerField())


def rounds(actor: Actor) -> QuerySet[Round]:
    return (
        _readable_rounds(actor)
        .select_related("unit")
        .annotate(
            # One counting subquery each: joining both tables at once would read every response of a round
            # once for each of its invitations.
            submitted=_count_of(
                Response.objects.filter(round_id=OuterRef("pk"), status=Response.Status.SUBMITTED).values("round_id")
            ),
            invited=_count_of(Invitation.objects.filter(round_id=OuterRef("pk")).values("round_id")),
        )
        .order_by("-opens_on", "-id")
    )


def round_for(actor: Actor, pk: int) -> Round:
    found = _readable_rounds(actor).filter(pk=pk).select_related("unit").first()
    if found is None:
        raise Http404
    return found


def previous_round(rnd: Round) -> Round | None:
    """The round before this one with the same scope (the whole organisation, or the same team)."""
    return (
        Round.objects.filter(organisation_id=rnd.organisation_id, unit=rnd.unit_id)
        .filter(Q(opens_on__lt=rnd.opens_on) | Q(opens_on=rnd.opens_on, id__lt=rnd.pk))
        .order_by("-opens_on", "-id")
        .first()
    )


def results_for(rnd: Round) -> scoring.Results:
    """Scores per domain and group with the anonymity threshold applied; never exposes a smaller group."""
    rows = Response.objects.filter(round=rnd, status=Response.Status.SUBMITTED).values_list(
        "group", "answers", "anonymous"
    )
    return scoring.compute(rows, item_domains(round_items(rnd)), Group.values, DOMAIN_CODES, ANONYMITY_THRESHOLD)


def results_for_rounds(organisation_id: int, rounds: list[Round]) -> dict[int, scoring.Results]:
    """``results_for`` of several rounds of one organisation, their submitted answers read in one query."""
    rows: dict[int, list[tuple[str, Any, bool]]] = {rnd.pk: [] for rnd in rounds}
    for round_id, group, answers, anonymous in Response.objects.filter(
        organisation_id=organisation_id, round__in=[rnd.pk for rnd in rounds], status=Response.Status.SUBMITTED
    ).values_list("round_id", "group", "answers", "anonymous"):
        rows[round_id].append((group, answers, anonymous))
    return {
        rnd.pk: scoring.compute(
            rows[rnd.pk], item_domains(round_items(rnd)), Group.values, DOMAIN_CODES, ANONYMITY_THRESHOLD
        )
        for rnd in rounds
    }


def named_answers(actor: Actor, rnd: Round) -> list[scoring.NamedResult]:
    """Answers given with a name, each on its own with the name; every reading is audited per person."""
    found = list(
        Response.objects.filter(round=rnd, status=Response.Status.SUBMITTED, anonymous=False)
        .select_related("respondent")
        .order_by("group", "submitted_on", "id")
    )
    for response in found:
        record(actor, Action.READ, response, subject=response.respondent)
    return scoring.named(
        [(r.group, str(r.respondent) if r.respondent else "", r.answers) for r in found],
        item_domains(round_items(rnd)),
        DOMAIN_CODES,
    )


@dataclass
class RoundView:
    round: Round
    results: scoring.Results
    previous: Round | None
    previous_results: scoring.Results | None
    invited: dict[str, int]
    completed: dict[str, int]
    named: list[scoring.NamedResult]


def round_view(
    actor: Actor,
    pk: int | None = None,
    *,
    with_named: bool = False,
    readable: Round | None = None,
    with_invited: bool = True,
) -> RoundView | None:
    """A round's results with the previous round's beside them (the latest round when ``pk`` is None).
    ``with_named``: also the answers given with a name (each reading audited), for the pages that show them.
    ``readable``: the round itself, when the caller has just read it through ``rounds(actor)``.
    ``with_invited``: False for a page that shows no invited and answered figures per group (left empty)."""
    if readable is not None:
        rnd = readable
    elif pk is None:
        latest = _readable_rounds(actor).select_related("unit").order_by("-opens_on", "-id").first()
        if latest is None:
            return None
        rnd = latest
    else:
        rnd = round_for(actor, pk)
    previous = previous_round(rnd)
    # Both rounds' own questions in one query.
    prefetch_related_objects([r for r in (rnd, previous) if r is not None], "custom_items")
    invited: dict[str, int] = {}
    completed: dict[str, int] = {}
    per_group = Invitation.objects.filter(round=rnd).values_list("group", "completed").annotate(n=Count("id"))
    for group, done, n in per_group.order_by() if with_invited else []:
        invited[group] = invited.get(group, 0) + n
        if done:
            completed[group] = completed.get(group, 0) + n
    previous_results: scoring.Results | None = None
    if previous is None:
        results = results_for(rnd)
    else:
        both = results_for_rounds(rnd.organisation_id, [rnd, previous])
        results, previous_results = both[rnd.pk], both[previous.pk]
    return RoundView(
        rnd,
        results,
        previous,
        previous_results,
        invited,
        completed,
        named_answers(actor, rnd) if with_named else [],
    )


def my_invitation_to(actor: Actor, rnd: Round) -> Invitation | None:
    return Invitation.objects.filter(round=rnd, user=actor.user).first()


def my_closed_rounds(actor: Actor) -> list[Round]:
    """Closed rounds whose results the person may read, newest first (for their readiness page)."""
    return list(_readable_rounds(actor).select_related("unit").order_by("-opens_on", "-id")[:20])


def group_size(invitation: Invitation) -> int:
    """How many were invited in the person's group: below the threshold their group's figures stay hidden."""
    return Invitation.objects.filter(round_id=invitation.round_id, group=invitation.group).count()


# --- Answering ------------------------------------------------------------------------------------------


def my_open_invitations(actor: Actor) -> list[Invitation]:
    return list(
        Invitation.objects.filter(
            organisation_id=actor.organisation_id,
            user=actor.user,
            completed=False,
            round__status=Round.Status.OPEN,
        ).select_related("round", "round__unit")
    )


def my_invitation(actor: Actor, pk: int) -> Invitation:
    found = (
        Invitation.objects.filter(organisation_id=actor.organisation_id, user=actor.user, pk=pk)
        .select_related("round")
        .first()
    )
    if found is None:
        raise Http404
    return found


def invitation_by_token(token: str) -> Invitation:
    found = Invitation.objects.filter(token_hash=Invitation.hash_token(token)).select_related("round").first()
    if found is None:
        raise Http404
    return found


def draft_of(invitation: Invitation) -> Response | None:
    return Response.objects.filter(invitation=invitation, status=Response.Status.DRAFT).first()


# --- Action plan ----------------------------------------------------------------------------------------


def actions(actor: Actor, status: str = "") -> QuerySet[ActionItem]:
    """The whole plan for those who run readiness and senior peer workers; a peer worker's team's actions
    and the organisation's; anyone else the actions they own."""
    qs = ActionItem.objects.filter(organisation_id=actor.organisation_id).select_related("owner", "unit", "risk")
    if not actor.has(*READ_ROLES, Role.SENIOR_PEER_WORKER):
        scope = Q(owner=actor.user)
        if actor.has(Role.PEER_WORKER):
            scope |= Q(unit__isnull=True) | Q(unit_id__in=actor.unit_ids)
        qs = qs.filter(scope)
    if status == "active":
        qs = qs.filter(status__in=[ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS])
    elif status in ActionItem.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("due_on", "id")


def action(actor: Actor, pk: int) -> ActionItem:
    found = actions(actor).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def overdue_actions(actor: Actor) -> list[ActionItem]:
    return list(
        ActionItem.objects.filter(
            organisation_id=actor.organisation_id,
            due_on__lt=timezone.localdate(),
            status__in=[ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS],
        )
        .select_related("owner")
        .order_by("due_on")[:10]
    )


def action_status_counts(actor: Actor) -> dict[str, int]:
    actor.require(*READ_ROLES)
    today = timezone.localdate()
    counts = dict.fromkeys([*ActionItem.Status.values, "overdue"], 0)
    for status, overdue, n in (
        ActionItem.objects.filter(organisation_id=actor.organisation_id)
        .annotate(late=ExpressionWrapper(Q(due_on__lt=today), output_field=BooleanField()))
        .values_list("status", "late")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[status] += n
        if overdue and status in (ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS):
            counts["overdue"] += n
    return counts


def people(actor: Actor) -> QuerySet[User]:
    """People of the organisation who can own an action or be a buddy."""
    return (
        User.objects.filter(memberships__organisation_id=actor.organisation_id, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# --- Teams, risks, briefings ----------------------------------------------------------------------------


def positions_to_attach(actor: Actor) -> QuerySet[Position]:
    """The organisation's positions a job description version can be attached to, by team and title."""
    actor.require(*LEAD_ROLES)
    return (
        Position.objects.filter(organisation_id=actor.organisation_id)
        .select_related("unit", "holder")
        .order_by("unit__name", "title")
    )


def units(actor: Actor) -> QuerySet[Unit]:
    return Unit.objects.filter(organisation_id=actor.organisation_id).order_by("name")


def register_units(actor: Actor) -> QuerySet[Unit]:
    """Teams whose register the person reads: all of them for those who run readiness and senior peer
    workers, their own team(s) for a peer worker."""
    actor.require(*READ_ROLES, *PARTNER_ROLES)
    if actor.has(*READ_ROLES, Role.SENIOR_PEER_WORKER):
        return units(actor)
    return units(actor).filter(pk__in=actor.unit_ids)


def unit(actor: Actor, pk: int) -> Unit:
    found = register_units(actor).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def risk_register(actor: Actor, unit_obj: Unit) -> dict[str, Risk]:
    unit_obj = unit(actor, unit_obj.pk)
    return {
        r.code: r
        for r in Risk.objects.filter(organisation_id=actor.organisation_id, unit=unit_obj)
        .select_related("updated_by")
        .prefetch_related(Prefetch("actions", queryset=ActionItem.objects.order_by("due_on")))
    }


def risk_summary(actor: Actor) -> dict[int, dict[str, int]]:
    """Per team: how many points are in each status."""
    out: dict[int, dict[str, int]] = {}
    for unit_id, status, n in (
        Risk.objects.filter(organisation_id=actor.organisation_id, unit__in=register_units(actor))
        .values_list("unit_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        out.setdefault(unit_id, {})[status] = n
    return out


def briefings(actor: Actor) -> QuerySet[TeamBriefing]:
    actor.require(*READ_ROLES)
    return TeamBriefing.objects.filter(organisation_id=actor.organisation_id).select_related("unit", "recorded_by")


# --- Job descriptions -----------------------------------------------------------------------------------


def job_descriptions(actor: Actor) -> QuerySet[JobDescription]:
    actor.require(*READ_ROLES)
    return (
        JobDescription.objects.filter(organisation_id=actor.organisation_id)
        .annotate(version_count=Count("versions", distinct=True))
        .order_by("title")
    )


def job_description(actor: Actor, pk: int) -> JobDescription:
    actor.require(*READ_ROLES)
    found = (
        JobDescription.objects.filter(organisation_id=actor.organisation_id, pk=pk)
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=JobDescriptionVersion.objects.select_related("created_by")
                .annotate(position_count=Count("positions"))
                .order_by("-number"),
            )
        )
        .first()
    )
    if found is None:
        raise Http404
    return found


def job_description_version(actor: Actor, pk: int) -> JobDescriptionVersion:
    """A version may be read by those who run readiness and by anyone whose position follows it."""
    qs = JobDescriptionVersion.objects.filter(organisation_id=actor.organisation_id, pk=pk).select_related(
        "job_description"
    )
    if not actor.has(*READ_ROLES):
        qs = qs.filter(positions__position__holder=actor.user)
    found = qs.first()
    if found is None:
        raise Http404
    return found


def positions_with_job_descriptions(actor: Actor) -> list[Position]:
    actor.require(*READ_ROLES)
    found = list(
        Position.objects.filter(organisation_id=actor.organisation_id)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))
        .select_related("unit", "holder", "job_description_link__version__job_description")
        .order_by("unit__name", "title")
    )
    record(actor, Action.READ, object_type="organisations.position", detail=Detail("shown", page="job_descriptions"))
    return found


# --- Orientation ----------------------------------------------------------------------------------------


def new_peer_workers(actor: Actor) -> list[Position]:
    """Positions held by peer workers who started less than six months ago or are about to start."""
    actor.require(*READ_ROLES)
    since = timezone.localdate() - timedelta(days=NEW_WITHIN_DAYS)
    found = list(
        Position.objects.filter(organisation_id=actor.organisation_id, holder__isnull=False, start_date__gte=since)
        .select_related("unit", "holder", "orientation__contact_person", "orientation__buddy")
        .order_by("start_date", "unit__name")
    )
    record(actor, Action.READ, object_type="readiness.orientation", detail=Detail("shown", page="new_peer_workers"))
    return found


def orientation_position(actor: Actor, position_id: int) -> tuple[Position, Orientation | None]:
    actor.require(*READ_ROLES)
    p = (
        Position.objects.filter(organisation_id=actor.organisation_id, pk=position_id, holder__isnull=False)
        .select_related("unit", "holder")
        .first()
    )
    if p is None:
        raise Http404
    orientation = Orientation.objects.filter(position=p).first()
    record(actor, Action.READ, orientation or p, subject=p.holder)
    return p, orientation


# --- A peer worker's own declarations -------------------------------------------------------------------


@dataclass
class Declaration:
    """One of the peer worker's own declarations, with what it means for them today."""

    declaration: TreatmentHistoryDeclaration
    placed_here: bool  # they hold a current position in that unit, so the check can fire
    only_peer_worker: bool  # and no other peer worker holds one there: without a name, they are still known
    form: Any = None  # the page's form to change what others may see


def _current_positions() -> Q:
    today = timezone.localdate()
    return Q(end_date__isnull=True) | Q(end_date__gte=today)


def my_declarations(actor: Actor) -> list[Declaration]:
    if not actor.has(*PEER_ROLES):
        raise PermissionDenied
    found = list(
        TreatmentHistoryDeclaration.objects.filter(organisation_id=actor.organisation_id, peer_worker=actor.user)
        .select_related("unit")
        .order_by("unit__name")
    )
    if not found:
        return []
    record(
        actor,
        Action.READ,
        object_type="readiness.treatmenthistorydeclaration",
        detail=Detail("own"),
        subject=actor.user,
    )
    holders: dict[int, set[int]] = {}
    for unit_id, holder_id in Position.objects.filter(
        _current_positions(),
        organisation_id=actor.organisation_id,
        unit_id__in=[d.unit_id for d in found],
        holder__isnull=False,
    ).values_list("unit_id", "holder_id"):
        holders.setdefault(unit_id, set()).add(holder_id)
    me = actor.user.pk
    return [Declaration(d, me in holders.get(d.unit_id, set()), holders.get(d.unit_id, set()) == {me}) for d in found]


def my_declaration(actor: Actor, pk: int) -> TreatmentHistoryDeclaration:
    """One of the actor's own declarations; anyone else's is refused."""
    found = TreatmentHistoryDeclaration.objects.filter(
        organisation_id=actor.organisation_id, peer_worker=actor.user, pk=pk
    ).first()
    if found is None or not actor.has(*PEER_ROLES):
        raise PermissionDenied
    return found


def placements_to_decide(actor: Actor) -> list[str]:
    """Teams where the peer worker holds a position, named as a place where they were treated, and has not
    let anyone know: the home page asks them first."""
    if not actor.has(*PEER_ROLES):
        return []
    held = Position.objects.filter(
        _current_positions(), organisation_id=actor.organisation_id, holder=actor.user, unit_id=OuterRef("unit_id")
    )
    return list(
        TreatmentHistoryDeclaration.objects.filter(
            Exists(held),
            organisation_id=actor.organisation_id,
            peer_worker=actor.user,
            disclosure=TreatmentHistoryDeclaration.Disclosure.PRIVATE,
        )
        .order_by("unit__name")
        .values_list("unit__name", flat=True)
    )


# --- Role cards -----------------------------------------------------------------------------------------


def _card_positions() -> QuerySet[Position]:
    return Position.objects.filter(_current_positions()).select_related(
        "unit",
        "holder",
        "reports_to",
        "orientation__contact_person",
        "orientation__buddy",
        "job_description_link__version",
    )


def my_teams_role_cards(actor: Actor) -> list[RoleCard]:
    """The role cards of the peer workers in the actor's own teams (the professional's home page)."""
    if not actor.unit_ids:
        return []
    found = list(
        _card_positions()
        .filter(organisation_id=actor.organisation_id, unit_id__in=actor.unit_ids, holder__isnull=False)
        .exclude(holder=actor.user)
        .order_by("unit__name", "holder__first_name", "id")
    )
    if found:
        record(actor, Action.READ, object_type="organisations.position", detail=Detail("shown", page="role_cards"))
    return [rolecard.card(p) for p in found]


def team_role_cards(actor: Actor, unit_obj: Unit) -> list[RoleCard]:
    """Every current position of a team, held or not yet, for the team's briefing pack."""
    actor.require(*READ_ROLES)
    found = list(
        _card_positions().filter(organisation_id=actor.organisation_id, unit=unit_obj).order_by("start_date", "id")
    )
    if found:
        record(actor, Action.READ, object_type="organisations.position", detail=Detail("shown", page="briefing_pack"))
    return [rolecard.card(p) for p in found]


def team_briefings(actor: Actor, unit_obj: Unit) -> QuerySet[TeamBriefing]:
    return briefings(actor).filter(unit=unit_obj)


# --- Comments and points of attention from readers -----------------------------------------------------


def comments(
    actor: Actor, *, round_id: int | None = None, unit_id: int | None = None, action_id: int | None = None
) -> list[Comment]:
    """Comments on one thing the person may read: shared ones, and private ones they wrote or were sent."""
    target: dict[str, int | None] = (
        {"round_id": round_id} if round_id else {"unit_id": unit_id} if unit_id else {"action_id": action_id}
    )
    found = list(
        Comment.objects.filter(organisation_id=actor.organisation_id, **target)
        .filter(Q(private_to__isnull=True) | Q(private_to=actor.user) | Q(author=actor.user))
        .select_related("author", "private_to")
    )
    if found:
        record(actor, Action.READ, object_type="readiness.comment", detail=Detail("comments", count=len(found)))
    return found


def managers(actor: Actor) -> QuerySet[User]:
    """The organisation's managers, to whom a comment can be sent privately (not the person themselves)."""
    return (
        User.objects.filter(
            memberships__organisation_id=actor.organisation_id, memberships__role=Role.MANAGER, is_active=True
        )
        .exclude(pk=actor.user.pk)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def custom_items(actor: Actor) -> QuerySet[CustomItem]:
    actor.require(*LEAD_ROLES)
    return CustomItem.objects.filter(organisation_id=actor.organisation_id)


def is_peer(actor: Actor) -> bool:
    return actor.has(Role.PEER_WORKER, Role.SENIOR_PEER_WORKER)
