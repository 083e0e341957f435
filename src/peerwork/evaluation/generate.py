"""Scale data for the pulse survey (benchmarks only): four quarters of anonymous answers per organisation.
Called through ``peerwork.demo.generate.GENERATORS``; bulk inserts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from .items import Condition, Group
from .models import PulseAnswer, PulseResponse, PulseSurvey, quarter_of

BATCH = 5000


@transaction.atomic
def from_generated(g: Any) -> None:
    rng = g.rng
    for org in g.organisations:
        n_pw = len(g.peer_workers_by_org.get(org.pk, []))
        start, _end = quarter_of(timezone.localdate())
        for _q in range(4):
            start, end = quarter_of(start - timedelta(days=1))
            survey = PulseSurvey.objects.create(organisation=org, period_start=start, period_end=end)
            sizes = {
                Group.PEER_WORKERS: max(3, int(n_pw * 0.6)),
                Group.PROFESSIONALS: rng.randint(2, 8),
                Group.MANAGERS: rng.randint(2, 5),
            }
            responses = PulseResponse.objects.bulk_create(
                [
                    PulseResponse(organisation=org, survey=survey, group=group)
                    for group, n in sizes.items()
                    for _i in range(n)
                ],
                batch_size=BATCH,
            )
            PulseAnswer.objects.bulk_create(
                [
                    PulseAnswer(organisation=org, response=r, condition=c, value=rng.randint(1, 5))
                    for r in responses
                    for c in Condition.values
                    if rng.random() > 0.05
                ],
                batch_size=BATCH,
            )
