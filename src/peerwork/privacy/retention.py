"""Retention: a person's record is anonymised a set number of months after their last engagement closes.

The period is per organisation (``RetentionPolicy``; 12 months when none is set). A person is due when they
have no active engagement and no open referral, are not anonymised yet, and the end of their last
engagement — or, for someone never engaged, the closing of their last referral — lies that many months
back. ``peerwork retention run --dry-run`` lists who is due (ids and dates only); the real run anonymises
each person in their own transaction and audits it (``subject.anonymise``). What is cleared is what the data
map (``datamap``) declares for each field of the person's record, the same as an erasure on request.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone

from peerwork.service.models import Engagement, Referral, ServiceUser

from .models import RetentionPolicy


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_for(organisation_id: int) -> int:
    found = (
        RetentionPolicy.objects.filter(organisation_id=organisation_id)
        .values_list("months_after_last_engagement", flat=True)
        .first()
    )
    return found or RetentionPolicy.DEFAULT_MONTHS


@dataclass(frozen=True)
class Due:
    service_user_id: int
    last_closed_on: date
    due_on: date


def candidates(organisation_id: int, only: int | None = None) -> list[tuple[int, date]]:
    """(person id, the day their last engagement or referral ended) for everyone with nothing open, by id.

    One grouped query per kind of record (engagements, referrals), each reading only the organisation's rows
    and returning one row per person; joining both to the people would multiply every engagement by every
    referral of the same person."""
    # The person's organisation is named too, so the join to the people reads only the organisation's.
    people = {
        "organisation_id": organisation_id,
        "service_user__organisation_id": organisation_id,
        "service_user__anonymised_at__isnull": True,
    }
    engagements = Engagement.objects.filter(**people)
    referrals = Referral.objects.filter(**people)
    if only is not None:
        engagements = engagements.filter(service_user_id=only)
        referrals = referrals.filter(service_user_id=only)
    engaged = {
        pk: (active, last_closed)
        for pk, active, last_closed in engagements.values("service_user_id")
        .annotate(active=Count("id", filter=Q(closed_on__isnull=True)), last_closed=Max("closed_on"))
        .values_list("service_user_id", "active", "last_closed")
        .order_by()
    }
    referred = {
        pk: (open_, closed, received)
        for pk, open_, closed, received in referrals.values("service_user_id")
        .annotate(
            open=Count("id", filter=Q(status__in=Referral.OPEN)),
            # The latest change itself, made a day here: the day of the latest is the latest day, and no
            # per-row date conversion runs in the database.
            closed=Max("status_changed_at"),
            received=Max("received_on"),
        )
        .values_list("service_user_id", "open", "closed", "received")
        .order_by()
    }
    out = []
    for pk in sorted(engaged.keys() | referred.keys()):
        active, last_closed = engaged.get(pk, (0, None))
        open_referrals, referral_closed, received = referred.get(pk, (0, None, None))
        if active or open_referrals:
            continue
        end = last_closed if pk in engaged else (timezone.localdate(referral_closed) if referral_closed else received)
        if end is not None:
            out.append((pk, end))
    return out


def due(organisation_id: int, today: date, months: int | None = None) -> list[Due]:
    """Everyone due on ``today``, by id (``months``: the organisation's period, when already read)."""
    if months is None:
        months = months_for(organisation_id)
    latest = latest_end_due(today, months)
    return [Due(pk, end, add_months(end, months)) for pk, end in candidates(organisation_id) if end <= latest]


def latest_end_due(today: date, months: int) -> date:
    """The latest end day whose record is due on ``today``: ``add_months`` never decreases as the day grows, so
    every record that ended on this day or before is due, and none after it."""
    latest = add_months(today, -months)
    while add_months(latest + timedelta(days=1), months) <= today:  # month ends: 31 January + 1 month = 28 February
        latest += timedelta(days=1)
    while add_months(latest, months) > today:
        latest -= timedelta(days=1)
    return latest


def next_due_on(person: ServiceUser) -> date | None:
    """When this person's record will be anonymised, if nothing is open now (for the overview page)."""
    for _pk, end in candidates(person.organisation_id, only=person.pk):
        return add_months(end, months_for(person.organisation_id))
    return None


def due_now(person: ServiceUser, today: date) -> bool:
    due_on = next_due_on(person)
    return due_on is not None and due_on <= today
