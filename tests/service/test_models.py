"""Database constraints of the peer recovery service hold even if a service is bypassed."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from peerwork.service.models import Contact, Engagement, Goal, GoalRating, Referral, ServiceUser


@pytest.fixture
def person(world):
    return ServiceUser.objects.create(organisation=world.org, chosen_name="Kari", birth_year=1990)


def _engagement(world, person, **kw):
    values = dict(
        organisation=world.org,
        service_user=person,
        peer_worker=world.users["peer_worker"],
        started_on=date(2025, 1, 1),
        planned_end_on=date(2026, 12, 31),
    )
    values.update(kw)
    return Engagement.objects.create(**values)


def test_one_open_referral_per_person(world, person):
    Referral.objects.create(organisation=world.org, service_user=person, source="self", received_on=date(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(
            organisation=world.org, service_user=person, source="self", received_on=date(2025, 1, 2)
        )


def test_declined_referral_needs_reason(world, person):
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(
            organisation=world.org,
            service_user=person,
            source="self",
            received_on=date(2025, 1, 1),
            status="declined",
        )


def test_one_active_engagement_per_person_and_closure_needs_reason(world, person):
    _engagement(world, person)
    with pytest.raises(IntegrityError), transaction.atomic():
        _engagement(world, person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Engagement.objects.filter(service_user=person).update(closed_on=date(2025, 6, 1))


def test_contact_duration_and_rating_range(world, person):
    engagement = _engagement(world, person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(
            organisation=world.org,
            engagement=engagement,
            peer_worker=engagement.peer_worker,
            date=date(2025, 2, 1),
            start_time="10:00",
            duration_minutes=0,
            channel="phone",
            initiated_by="person",
        )
    goal = Goal.objects.create(organisation=world.org, service_user=person, life_area="housing", words="Own flat")
    with pytest.raises(IntegrityError), transaction.atomic():
        GoalRating.objects.create(organisation=world.org, goal=goal, rated_on=date(2025, 2, 1), rating=11)
