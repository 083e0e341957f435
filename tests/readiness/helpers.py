"""Generated teams and rounds for the readiness tests."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from peerwork.core.roles import Role
from peerwork.readiness import services
from peerwork.readiness.instrument import ITEMS
from peerwork.readiness.models import Group, Invitation, Response, Round
from tests.factories import MembershipFactory, PositionFactory, UnitFactory, UserFactory

TODAY = timezone.localdate()


def team_with(world, n_peer_workers: int, *, started_days_ago: int = 400, experience_days: int = 800, name: str = ""):
    """A team of ``n_peer_workers`` peer workers in ``world.org``; returns (unit, positions)."""
    unit = UnitFactory(organisation=world.org, name=name or f"Generated team {UnitFactory._meta.model.objects.count()}")
    positions = []
    for _i in range(n_peer_workers):
        user = UserFactory()
        MembershipFactory(organisation=world.org, user=user, role=Role.PEER_WORKER, unit=unit)
        start = TODAY - timedelta(days=started_days_ago)
        positions.append(
            PositionFactory(
                organisation=world.org,
                unit=unit,
                holder=user,
                start_date=start,
                peer_work_experience_since=TODAY - timedelta(days=experience_days),
            )
        )
    return unit, positions


def all_answers(value: int = 3) -> dict[str, int]:
    return {i.code: value for i in ITEMS}


def add_responses(rnd: Round, group: str, n: int, value: int = 3, **overrides: int) -> None:
    """``n`` submitted anonymous responses, all items ``value`` except ``overrides`` (item code → value)."""
    answers = {**all_answers(value), **{k.replace("_", "."): v for k, v in overrides.items()}}
    for _i in range(n):
        Response.objects.create(
            organisation_id=rnd.organisation_id,
            round=rnd,
            group=group,
            status="submitted",
            anonymous=True,
            answers=answers,
            submitted_on=rnd.opens_on,
        )


def open_round(world, title: str = "Spring round", opens_on: date | None = None, **kwargs) -> Round:
    rnd, _tokens = services.start_round(
        world.actor(Role.MANAGER),
        title=title,
        groups=kwargs.pop("groups", [Group.MANAGER, Group.PROFESSIONAL, Group.PEER_WORKER]),
        opens_on=opens_on,
        **kwargs,
    )
    return rnd


def invitation_of(rnd: Round, user) -> Invitation:
    return Invitation.objects.get(round=rnd, user=user)
