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
from datetime import date

from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDate

from peerwork.service.models import Referral, ServiceUser

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
    """(person id, the day their last engagement or referral ended) for everyone with nothing open."""
    people = ServiceUser.objects.filter(organisation_id=organisation_id, anonymised_at__isnull=True)
    if only is not None:
        people = people.filter(pk=only)
    rows = (
        people.annotate(
            active=Count("engagements", filter=Q(engagements__closed_on__isnull=True), distinct=True),
            engaged=Count("engagements", distinct=True),
            last_closed=Max("engagements__closed_on"),
            open_referrals=Count("referrals", filter=Q(referrals__status__in=Referral.OPEN), distinct=True),
            referrals_closed=Max(TruncDate("referrals__status_changed_at")),
            last_received=Max("referrals__received_on"),
        )
        .filter(active=0, open_referrals=0)
        .values_list("pk", "engaged", "last_closed", "referrals_closed", "last_received")
        .order_by("pk")
    )
    out = []
    for pk, engaged, last_closed, referral_closed, received in rows:
        end = last_closed if engaged else (referral_closed or received)
        if end is not None:
            out.append((pk, end))
    return out


def due(organisation_id: int, today: date) -> list[Due]:
    months = months_for(organisation_id)
    found = []
    for pk, end in candidates(organisation_id):
        due_on = add_months(end, months)
        if due_on <= today:
            found.append(Due(pk, end, due_on))
    return found


def next_due_on(person: ServiceUser) -> date | None:
    """When this person's record will be anonymised, if nothing is open now (for the overview page)."""
    for _pk, end in candidates(person.organisation_id, only=person.pk):
        return add_months(end, months_for(person.organisation_id))
    return None


def due_now(person: ServiceUser, today: date) -> bool:
    due_on = next_due_on(person)
    return due_on is not None and due_on <= today
