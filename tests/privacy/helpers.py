"""Peer-recovery-service rows made directly, for the privacy tests (generated data only)."""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from typing import Any

from django.utils import timezone

from peerwork.accounts.models import User
from peerwork.service.models import Contact, Engagement, Goal, GoalRating, ServiceUser, Visibility
from tests.conftest import World


def person(world: World, name: str = "Kari Nordmann", **values: Any) -> ServiceUser:
    data = {
        "phone": "+47 400 00 000",
        "email": "kari@example.invalid",
        "birth_year": 1985,
        "municipality": "Fjordby",
        "district": "Nord",
        "help_with": "Finding a flat of my own",
        "help_areas": ["housing"],
    }
    data.update(values)
    return ServiceUser.objects.create(organisation=world.org, chosen_name=name, **data)


def engage(
    world: World,
    who: ServiceUser,
    peer_worker: User,
    *,
    started: date | None = None,
    closed_on: date | None = None,
) -> Engagement:
    started = started or timezone.localdate() - timedelta(days=200)
    if closed_on is not None and closed_on < started:
        started = closed_on - timedelta(days=30)
    return Engagement.objects.create(
        organisation=world.org,
        service_user=who,
        peer_worker=peer_worker,
        started_on=started,
        planned_end_on=started + timedelta(days=700),
        closed_on=closed_on,
        closure_reason=Engagement.ClosureReason.PLANNED_END if closed_on else "",
        closure_words="It helped to have someone who had been there" if closed_on else "",
    )


def goal(
    world: World,
    engagement: Engagement,
    words: str,
    area: str = "housing",
    visibility: str = Visibility.COORDINATOR,
    ratings: list[int] = (),
) -> Goal:  # type: ignore[assignment]
    g = Goal.objects.create(
        organisation=world.org,
        service_user=engagement.service_user,
        engagement=engagement,
        life_area=area,
        words=words,
        visibility=visibility,
        created_by=engagement.peer_worker,
    )
    for i, r in enumerate(ratings):
        GoalRating.objects.create(
            organisation=world.org,
            goal=g,
            rating=r,
            rated_on=timezone.localdate() - timedelta(days=30 * (len(ratings) - i)),
        )
    return g


def contact(
    world: World,
    engagement: Engagement,
    note: str = "",
    visibility: str = Visibility.PRIVATE,
    day: date | None = None,
) -> Contact:
    return Contact.objects.create(
        organisation=world.org,
        engagement=engagement,
        peer_worker=engagement.peer_worker,
        date=day or timezone.localdate() - timedelta(days=3),
        start_time=time(10, 0),
        duration_minutes=45,
        channel=Contact.Channel.MEETING,
        initiated_by=Contact.Initiator.PERSON,
        note=note,
        note_visibility=visibility,
    )


def share_values(world: World, **kw: Any) -> dict[str, Any]:
    values = {
        "purpose": "share",
        "how_given": "verbal",
        "given_on": timezone.localdate(),
        "recipient_unit": world.team.pk,
        "goals": "selected",
    }
    values.update(kw)
    return values


def without_tokens(content: bytes) -> bytes:
    """A page with its CSRF tokens and its own address blanked, to compare two answers byte for byte."""
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
    return re.sub(rb'name="next" value="[^"]+"', b"", content)
