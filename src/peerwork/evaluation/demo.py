"""Demo pulse survey answers (generated) for the three quarters before the current one, in both demo
organisations: at least three responses per stakeholder group, so every group's results show, with the
peer workers a little more positive each time. The two older surveys asked the first version of the statements
(the peer worker's position worded as team membership), the latest the current one (influence on decisions):
the trend shows a separate line for each wording and the pages show the wording history.

Peer workers and senior peer workers of both organisations read these results, and the service and
organisation figures of the evaluation dashboard, on first sign-in (the menu and their home page lead there)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from peerwork.organisations.models import Organisation

from .items import ITEMS_VERSION, Condition, Group
from .models import PulseAnswer, PulseResponse, PulseSurvey, quarter_of

# Typical level (1–5) per group and condition in the first of the two quarters.
BASE = {
    Group.PEER_WORKERS: {
        "acceptance": 3.2,
        "facilitation": 3.6,
        "fit": 4.1,
        "reflection": 3.0,
        "position": 2.8,
    },
    Group.PROFESSIONALS: {
        "acceptance": 3.9,
        "facilitation": 3.4,
        "fit": 3.8,
        "reflection": 3.1,
        "position": 3.5,
    },
    Group.MANAGERS: {"acceptance": 4.0, "facilitation": 4.2, "fit": 3.7, "reflection": 3.6, "position": 3.9},
}
RESPONSES = {Group.PEER_WORKERS: 7, Group.PROFESSIONALS: 4, Group.MANAGERS: 3}


def _answer(rng: random.Random, level: float) -> int:
    return max(1, min(5, round(rng.gauss(level, 0.8))))


def seed_evaluation(no: Organisation, dk: Organisation, rng: random.Random) -> None:
    this_start, _ = quarter_of(timezone.localdate())
    last_start, last_end = quarter_of(this_start - timedelta(days=1))
    before_start, before_end = quarter_of(last_start - timedelta(days=1))
    first_start, first_end = quarter_of(before_start - timedelta(days=1))
    quarters = ((first_start, first_end), (before_start, before_end), (last_start, last_end))
    for org, lift in ((no, 0.2), (dk, 0.1)):
        for step, (start, end) in enumerate(quarters):
            version = ITEMS_VERSION if step == len(quarters) - 1 else 1
            survey, created = PulseSurvey.objects.get_or_create(
                organisation=org, period_start=start, defaults={"period_end": end, "items_version": version}
            )
            if not created:
                continue
            for group, n in RESPONSES.items():
                for _i in range(n):
                    response = PulseResponse.objects.create(organisation=org, survey=survey, group=group)
                    answers = []
                    for condition in Condition.values:
                        if rng.random() < 0.08:
                            continue  # "don't know"
                        level = BASE[group][condition] + (lift * step if group == Group.PEER_WORKERS else 0.1 * step)
                        answers.append(
                            PulseAnswer(
                                organisation=org,
                                response=response,
                                condition=condition,
                                value=_answer(rng, level),
                            )
                        )
                    PulseAnswer.objects.bulk_create(answers)
