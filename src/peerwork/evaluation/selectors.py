"""Reads in evaluation, scoped to the actor's organisation and audited."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from peerwork.audit.trail import Action, record
from peerwork.core.actor import Actor
from peerwork.core.roles import Role

from . import figures, pulse
from .items import groups_for
from .models import PulseParticipation, PulseSurvey, quarter_of

DASHBOARD_ROLES = (Role.MANAGER, Role.COORDINATOR)


def dashboard(actor: Actor, filters: figures.Filters) -> figures.Dashboard:
    """The dashboard for managers and coordinators. Aggregates only, except for closing words quoted from
    people whose consent covers evaluation; the read is audited once."""
    actor.require(*DASHBOARD_ROLES)
    if filters.organisation_id != actor.organisation_id:
        raise ValueError("filters for another organisation")
    record(
        actor,
        Action.READ,
        object_type="evaluation.dashboard",
        detail=f"{filters.start}..{filters.end} unit={filters.unit_id or '-'}",
    )
    return figures.build(filters)


def export_rows(actor: Actor, filters: figures.Filters) -> figures.Dashboard:
    actor.require(*DASHBOARD_ROLES)
    record(
        actor,
        Action.EXPORT,
        object_type="evaluation.dashboard",
        detail=f"csv {filters.start}..{filters.end} unit={filters.unit_id or '-'}",
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
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    surveys = list(PulseSurvey.objects.filter(organisation_id=actor.organisation_id).order_by("-period_start")[:last])[
        ::-1
    ]
    return pulse.results(surveys)
