"""A small, fully hand-computed world for the evaluation dashboard (the expected values are in
test_figures.py, with the arithmetic), and a way to grow it tenfold for query budgets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from peerwork.cocreation.models import (
    Board,
    Contribution,
    Initiative,
    ParticipantKind,
    Participation,
    Phase,
    Seat,
    Signal,
)
from peerwork.core.roles import Role
from peerwork.evaluation.models import PulseAnswer, PulseResponse, PulseSurvey
from tests.factories import MembershipFactory, UserFactory

START, END = date(2026, 4, 1), date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def at(d: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(hour)))


@dataclass
class Fixture:
    world: object
    p: object
    q: object
    people: dict


def _engagement(org, person, pw, started, closed=None, reason="", words="", referral=None):
    from peerwork.service.models import Engagement

    return Engagement.objects.create(
        organisation=org,
        service_user=person,
        peer_worker=pw,
        started_on=started,
        referral=referral,
        planned_end_on=started + timedelta(days=700),
        closed_on=closed,
        closure_reason=reason,
        closure_words=words,
    )


def _contact(org, engagement, day, minutes, channel):
    from peerwork.service.models import Contact

    return Contact.objects.create(
        organisation=org,
        engagement=engagement,
        peer_worker=engagement.peer_worker,
        date=day,
        start_time=time(10),
        duration_minutes=minutes,
        channel=channel,
        initiated_by="person",
    )


def _goal(org, person, engagement, ratings, achieved=None):
    from peerwork.service.models import Goal, GoalRating

    goal = Goal.objects.create(
        organisation=org,
        service_user=person,
        engagement=engagement,
        life_area="housing",
        words="A place of my own",
        achieved_on=achieved,
    )
    for day, value in ratings:
        GoalRating.objects.create(organisation=org, goal=goal, rated_on=day, rating=value)
    return goal


def _initiative(org, owner, created, pw_phases, unit=None, title="i"):
    ini = Initiative.objects.create(organisation=org, title=title, problem_statement="p", owner=owner, unit=unit)
    Initiative.objects.filter(pk=ini.pk).update(created_at=at(created))
    for kind in Phase.Kind.values:
        phase = Phase.objects.create(organisation=org, initiative=ini, kind=kind, position=Phase.ORDER[kind])
        if kind in pw_phases:
            Participation.objects.create(
                organisation=org, phase=phase, person=pw_phases[kind], kind=ParticipantKind.PEER_WORKER
            )
    return ini


def _contribution(org, ini, pw, submitted, outcome="pending", decided=None):
    phase = ini.phases.get(kind="design")
    return Contribution.objects.create(
        organisation=org,
        initiative=ini,
        phase=phase,
        contributor=pw,
        contributor_kind="peer_worker",
        summary="s",
        submitted_on=submitted,
        outcome=outcome,
        outcome_note="" if outcome in ("pending", "adopted") else "why",
        decided_on=decided,
        decided_by=None,
    )


def _signal(org, pw, manager, raised, ack_hours=None, closed=None, unit=None):
    return Signal.objects.create(
        organisation=org,
        raised_by=pw,
        responsible_manager=manager,
        kind="gap",
        title="t",
        unit=unit,
        raised_at=raised,
        acknowledged_at=raised + timedelta(hours=ack_hours) if ack_hours is not None else None,
        status="closed" if closed else ("acknowledged" if ack_hours is not None else "sent"),
        closed_at=at(closed) if closed else None,
    )


def _board(org, kind, created, seats, ended=None):
    board = Board.objects.create(organisation=org, name=f"board {Board.objects.count()}", kind=kind, ended_on=ended)
    Board.objects.filter(pk=board.pk).update(created_at=at(created))
    for seat_kind, holder, leads in seats:
        Seat.objects.create(organisation=org, board=board, kind=seat_kind, holder=holder, leads=leads)
    return board


def _pulse(org, period_start, answers_by_group):
    start = period_start
    survey, _ = PulseSurvey.objects.get_or_create(
        organisation=org, period_start=start, defaults={"period_end": start + timedelta(days=90)}
    )
    for group, rows in answers_by_group.items():
        for row in rows:
            response = PulseResponse.objects.create(organisation=org, survey=survey, group=group)
            for condition, value in row.items():
                PulseAnswer.objects.create(organisation=org, response=response, condition=condition, value=value)
    return survey


def build_fixture(world) -> Fixture:
    from peerwork.service.models import Referral, ServiceUser

    org = world.org
    p = world.users[Role.PEER_WORKER]  # in world.team
    q = UserFactory(username=f"{org.slug}-q")
    MembershipFactory(organisation=org, user=q, role=Role.PEER_WORKER, unit=world.other_team)
    manager = world.users[Role.MANAGER]
    A, B, C, D = (ServiceUser.objects.create(organisation=org, chosen_name=n) for n in "ABCD")

    ra = Referral.objects.create(
        organisation=org, service_user=A, source="self", received_on=date(2026, 3, 20), status="matched"
    )
    rb = Referral.objects.create(
        organisation=org, service_user=B, source="self", received_on=date(2026, 4, 10), status="matched"
    )
    Referral.objects.create(organisation=org, service_user=C, source="self", received_on=date(2026, 5, 1))

    e1 = _engagement(org, A, p, date(2026, 4, 1), date(2026, 5, 15), "goals_reached", "I got my flat back", ra)
    e2 = _engagement(org, B, p, date(2026, 4, 20), referral=rb)
    e3 = _engagement(org, D, q, date(2026, 1, 10), date(2026, 3, 31), "planned_end")
    e4 = _engagement(org, A, q, date(2026, 6, 1))

    _contact(org, e1, date(2026, 4, 3), 60, "meeting")
    _contact(org, e1, date(2026, 4, 10), 90, "accompanying")
    _contact(org, e1, date(2026, 5, 2), 30, "phone")
    _contact(org, e2, date(2026, 4, 22), 60, "accompanying")
    _contact(org, e3, date(2026, 3, 1), 45, "meeting")  # before the period
    _contact(org, e4, date(2026, 6, 10), 120, "outdoors")

    _goal(org, A, e1, [(date(2026, 3, 1), 3), (date(2026, 5, 1), 6)])  # +3
    _goal(org, B, e2, [(date(2026, 4, 25), 5), (date(2026, 6, 1), 4)])  # -1
    _goal(org, B, e2, [(date(2026, 5, 1), 7)])  # rated once: not counted
    _goal(org, D, e3, [(date(2026, 1, 15), 2), (date(2026, 2, 15), 5)])  # latest rating before the period
    _goal(org, A, e1, [], achieved=date(2026, 5, 10))

    team = world.team
    _signal(org, p, manager, at(date(2026, 4, 2), 10), ack_hours=4, closed=date(2026, 5, 1), unit=team)
    _signal(org, p, manager, at(date(2026, 5, 10), 9), ack_hours=10, unit=team)
    _signal(org, p, manager, at(date(2026, 6, 20), 9), unit=team)
    _signal(org, p, manager, at(date(2026, 3, 1), 9), ack_hours=1, closed=date(2026, 4, 15), unit=team)

    i1 = _initiative(org, manager, date(2026, 4, 5), {"design": p}, unit=team)
    _initiative(org, manager, date(2026, 2, 1), {"delivery": p}, unit=team)
    _initiative(org, manager, date(2026, 5, 1), {})
    _initiative(org, manager, date(2026, 8, 1), {"defining": p})  # after the period

    _contribution(org, i1, p, date(2026, 4, 10), "adopted", date(2026, 4, 30))
    _contribution(org, i1, p, date(2026, 4, 15), "adapted", date(2026, 5, 5))
    _contribution(org, i1, p, date(2026, 5, 1), "rejected", date(2026, 6, 10))
    _contribution(org, i1, p, date(2026, 6, 1))
    _contribution(org, i1, p, date(2026, 3, 1), "adopted", date(2026, 3, 20))  # decided before the period

    PW, UO = ParticipantKind.PEER_WORKER, ParticipantKind.USER_ORG_REP
    _board(org, "service_user_board", date(2026, 1, 1), [(PW, p, True), (UO, None, False)])
    _board(org, "service_user_board", date(2026, 5, 1), [(PW, p, False)])
    _board(org, "working_group", date(2025, 1, 1), [(PW, q, False)], ended=date(2026, 3, 1))

    _pulse(
        org,
        START,
        {
            "peer_workers": [{"acceptance": 4, "fit": 5}, {"acceptance": 5, "fit": 4}, {"acceptance": 3}],
            "professionals": [{"acceptance": 1}, {"acceptance": 2}],
            "managers": [{"acceptance": 2}, {"acceptance": 2}, {"acceptance": 5}],
        },
    )
    return Fixture(world, p, q, {"A": A, "B": B, "C": C, "D": D})


def grow(world, n: int) -> None:
    """Add ``n`` more of everything the dashboard counts (for flat query counts)."""
    from peerwork.readiness.instrument import ITEMS
    from peerwork.readiness.models import Response, Round
    from peerwork.service.models import Referral, ServiceUser

    org = world.org
    p = world.users[Role.PEER_WORKER]
    manager = world.users[Role.MANAGER]
    for i in range(n):
        person = ServiceUser.objects.create(organisation=org, chosen_name=f"grown {i}")
        ref = Referral.objects.create(
            organisation=org,
            service_user=person,
            source="self",
            received_on=date(2026, 4, 2),
            status="matched",
        )
        e = _engagement(org, person, p, date(2026, 4, 12), date(2026, 6, 1), "planned_end", "Thanks", ref)
        _contact(org, e, date(2026, 4, 14), 30, "accompanying")
        _goal(org, person, e, [(date(2026, 4, 13), 1), (date(2026, 5, 13), 2)])
        _signal(org, p, manager, at(date(2026, 4, 20)), ack_hours=2, closed=date(2026, 5, 1), unit=world.team)
        ini = _initiative(org, manager, date(2026, 4, 3), {"defining": p})
        _contribution(org, ini, p, date(2026, 4, 4), "adopted", date(2026, 4, 8))
        _board(org, "working_group", date(2026, 4, 1), [(ParticipantKind.PEER_WORKER, p, True)])
        _pulse(
            org,
            date(2026 - (i % 3), 1 + 3 * (i % 4), 1),
            {"peer_workers": [{"position": 4}] * 3, "professionals": [{"position": 3}] * 3},
        )
        rnd = Round.objects.create(
            organisation=org,
            title=f"grown round {i}",
            opens_on=date(2026, 1, 1) + timedelta(days=i),
            created_by=manager,
        )
        for group in ("manager", "professional", "peer_worker"):
            for _answer in range(3):
                Response.objects.create(
                    organisation=org,
                    round=rnd,
                    group=group,
                    status="submitted",
                    answers={item.code: 3 for item in ITEMS},
                    submitted_on=rnd.opens_on,
                )


@pytest.fixture(autouse=True)
def _english():
    """Pages switch language for the thread; start every test in English so messages can be compared."""
    from django.utils import translation

    with translation.override("en"):
        yield
