"""The demo's burst of contacts (one person Ola supports, eleven times since last Saturday) never takes the time
the contact form offers first, the start of the current half hour, whatever the time of day the demo is seeded:
a peer worker who logs a contact right after seeding is not told it overlaps."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from peerwork.service.demo import burst_times


def test_no_burst_contact_reaches_into_the_half_hour_the_form_offers():
    start = timezone.make_aware(datetime(2026, 11, 30, 0, 0))
    for step in range(0, 24 * 60, 5):
        now = start + timedelta(minutes=step)
        offered = now.replace(minute=now.minute - now.minute % 30)
        for day, at in burst_times(now.date(), now, random.Random(step)):
            ends = timezone.make_aware(datetime.combine(day, at)) + timedelta(minutes=15)
            assert ends <= offered, (now, day, at)
