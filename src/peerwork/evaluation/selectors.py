"""Reads in evaluation, scoped to the actor's organisation and audited."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core.actor import Actor
from peerwork.core.anonymity import ANONYMITY_THRESHOLD
from peerwork.core.roles import PEER_ROLES, Role
from peerwork.organisations.models import Unit

from . import figures, pulse
from .items import groups_for
from .models import PulseParticipation, PulseSurvey, quarter_of

DASHBOARD_ROLES = (Role.MANAGER, Role.COORDINATOR)
# Peer workers read the service and organisation levels, small cells withheld (``figures.audience``).
PEER_DASHBOARD_ROLES = (Role.PEER_WORKER, Role.SENIOR_PEER_WORKER)
READER_ROLES = DASHBOARD_ROLES + PEER_DASHBOARD_ROLES


def sees_everything(actor: Actor) -> bool:
    """Managers and coordinators see every level; anyone else who may read the dashboard, the peer
    workers' view."""
    return actor.has(*DASHBOARD_ROLES)


def filter_units(actor: Actor) -> QuerySet[Unit]:
    """The units the actor may filter the dashboard by: every unit of the organisation for managers and
    coordinators; for peer workers, the teams with at least three peer workers."""
    units = Unit.objects.filter(organisation_id=actor.organisation_id).order_by("name")
    if sees_everything(actor):
        return units
    return units.annotate(
        peers=Count("memberships__user", filter=Q(memberships__role__in=PEER_ROLES), distinct=True)
    ).filter(peers__gte=ANONYMITY_THRESHOLD)


def may_choose_unit(actor: Actor, unit_id: int | None) -> bool:
    """A peer worker's scope is the whole organisation or a team with at least three peer workers."""
    if unit_id is None or sees_everything(actor):
        return True
    return figures.audience.peer_worker_count(actor.organisation_id, unit_id) >= ANONYMITY_THRESHOLD


def dashboard(actor: Actor, filters: figures.Filters) -> figures.Dashboard:
    """The dashboard. Managers and coordinators: aggregates at every level, and closing words quoted from
    people whose consent covers evaluation. Peer workers and senior peer workers: the service and
    organisation levels with every cell under the anonymity threshold withheld, for the whole organisation
    or a team with at least three peer workers. The read is audited once."""
    actor.require(*READER_ROLES)
    if filters.organisation_id != actor.organisation_id:
        raise ValueError("filters for another organisation")
    if not may_choose_unit(actor, filters.unit_id):
        raise PermissionDenied
    record(
        actor,
        Action.READ,
        object_type="evaluation.dashboard",
        detail=Detail(
            "period" if sees_everything(actor) else "period_peer_view",
            start=filters.start,
            end=filters.end,
            unit=filters.unit_id or "",
        ),
    )
    built = figures.build(filters)
    if sees_everything(actor):
        return built
    if built.scratch["peer_workers"] < ANONYMITY_THRESHOLD:
        # fail closed: in an organisation of one or two peer workers every figure is a colleague's own
        built.figures, built.charts, built.too_few_peer_workers = [], [], True
    return figures.audience.for_peer_workers(built)


def export_rows(actor: Actor, filters: figures.Filters) -> figures.Dashboard:
    actor.require(*DASHBOARD_ROLES)
    record(
        actor,
        Action.EXPORT,
        object_type="evaluation.dashboard",
        detail=Detail("period_file", format="csv", start=filters.start, end=filters.end, unit=filters.unit_id or ""),
    )
    return figures.build(filters)


def period_presets(today: date | None = None) -> dict[str, tuple[date, date]]:
    today = today or timezone.localdate()
    this_start, this_end = quarter_of(today)
    last_start, last_end = quarter_of(this_start - timedelta(days=1))
    return {
        "this_quarter": (this_start, this_end),
        "last_quarter": (last_start, last_end),
        "last_12_months": (today - timedelta(days=364), today),
        "this_year": (date(today.year, 1, 1), date(today.year, 12, 31)),
    }


def can_answer(actor: Actor) -> bool:
    return bool(groups_for(actor.roles))


def has_answered(actor: Actor, survey: PulseSurvey) -> bool:
    return PulseParticipation.objects.filter(survey=survey, user=actor.user).exists()


def pulse_results(actor: Actor, *, last: int = 8) -> list[pulse.SurveyResult]:
    """Results everyone who answers may see (co-assessment): the latest surveys, oldest first."""
    if not (can_answer(actor) or actor.has(*DASHBOARD_ROLES)):
        raise PermissionDenied
    surveys = list(PulseSurvey.objects.filter(organisation_id=actor.organisation_id).order_by("-period_start")[:last])[
        ::-1
    ]
    return pulse.results(surveys)
