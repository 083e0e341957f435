"""Scale data for privacy (benchmarks only): the consents a year of work leaves behind. Everyone in an
engagement gave consent to peer support when it started; most to use in evaluation, many to text messages,
some to share with a named team (a few of those withdrawn or run out since); half the peer workers to appear
under a pseudonym in evaluation extracts. Streamed in one bulk load per organisation (``core.bulkload``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from peerwork.core import bulkload
from peerwork.service.models import Engagement

from .models import Consent

FIELDS = [
    "organisation_id",
    "service_user_id",
    "staff_member_id",
    "purpose",
    "goals",
    "contact_summaries",
    "recipient_unit_id",
    "recipient_user_id",
    "given_on",
    "valid_until",
    "how_given",
    "recorded_by_id",
    "recorded_at",
    "withdrawn_at",
    "withdrawn_by_id",
]


def from_generated(g: Any) -> None:
    """The ``scale_data`` hook: after the service's data, whose engagements it reads."""
    rng = g.rng
    now = timezone.now()
    today = timezone.localdate()
    for org in g.organisations:
        units = [u.pk for u in g.units_by_org.get(org.pk, [])]
        peer_workers = [u.pk for u in g.peer_workers_by_org.get(org.pk, [])]
        engagements = list(
            Engagement.objects.filter(organisation=org).values_list("service_user_id", "peer_worker_id", "started_on")
        )
        with transaction.atomic():
            bulkload.load(Consent, FIELDS, _rows(org.pk, engagements, peer_workers, units, rng, today, now))


def _rows(
    oid: int,
    engagements: list[tuple[int, int, date]],
    peer_workers: list[int],
    units: list[int],
    rng: Any,
    today: date,
    now: Any,
) -> Iterator[tuple[Any, ...]]:
    how = Consent.HowGiven.values
    for person, pw, started in engagements:
        given = min(started, today)
        base = (oid, person, None)
        yield (*base, "peer_support", "none", False, None, None, given, None, rng.choice(how), pw, now, None, None)
        if rng.random() < 0.6:
            yield (*base, "evaluation", "none", False, None, None, given, None, rng.choice(how), pw, now, None, None)
        if rng.random() < 0.4:
            yield (*base, "text_messages", "none", False, None, None, given, None, "verbal", pw, now, None, None)
        if units and rng.random() < 0.15:
            until = given + timedelta(days=365)
            withdrawn = now - timedelta(days=rng.randint(0, (today - given).days)) if rng.random() < 0.1 else None
            yield (
                *base,
                "share",
                rng.choice(["all", "none"]),
                rng.random() < 0.5,
                rng.choice(units),
                None,
                given,
                until,
                "written",
                pw,
                now,
                withdrawn,
                pw if withdrawn else None,
            )
    for pw in peer_workers:
        if rng.random() < 0.5:
            given = today - timedelta(days=rng.randint(0, 365))
            yield (oid, None, pw, "evaluation", "none", False, None, None, given, None, "digital", pw, now, None, None)
