"""Demo groups and courses: in each demo organisation whose service has people, a recovery course and a
self-help group led by peer workers, with held sessions and who came, today's session waiting to be marked,
and one person on the waiting list offered a place (the Norwegian peer worker ``peerworker`` leads both)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from peerwork.accounts.models import Membership, User
from peerwork.core.roles import Role
from peerwork.organisations.models import Organisation
from peerwork.service.models import Referral, ServiceUser

from .models import Activity, ActivityPlace, ActivitySession, Attendance

TEXTS = {
    "nb": {
        "course": ("Recoverykurs: mitt liv, mine mål", "Frivilligsentralen, møterom 2", "Torsdager 12–14, åtte uker"),
        "self_help": (
            "Selvhjelpsgruppe: hverdagen etter innleggelse",
            "Biblioteket, grupperommet",
            "Tirsdager 18–19.30",
        ),
    },
    "da": {
        "course": ("Recovery-kursus: mit liv, mine mål", "Medborgerhuset, lokale 3", "Torsdage 12–14, otte uger"),
        "self_help": (
            "Selvhjælpsgruppe: hverdagen efter indlæggelse",
            "Biblioteket, grupperummet",
            "Tirsdage 18–19.30",
        ),
    },
}


def seed_activities(no_org: Organisation, dk_org: Organisation, rng: random.Random) -> None:
    for org, lang in ((no_org, "nb"), (dk_org, "da")):
        if Activity.objects.filter(organisation=org).exists():
            continue
        _seed(org, lang, rng)


def _leaders(org: Organisation) -> list[User]:
    preferred = ["peerworker", "peerworker2", "dk-peerworker1", "dk-mentor1"]
    members = {
        m.user.username: m.user
        for m in Membership.objects.filter(
            organisation=org, role__in=[Role.PEER_WORKER, Role.SENIOR_PEER_WORKER]
        ).select_related("user")
    }
    chosen = [members[u] for u in preferred if u in members]
    rest = [u for name, u in sorted(members.items()) if u not in chosen]
    return (chosen + rest)[:2]


def _seed(org: Organisation, lang: str, rng: random.Random) -> None:
    people = list(ServiceUser.objects.filter(organisation=org, anonymised_at__isnull=True).order_by("pk"))
    leaders = _leaders(org)
    if len(people) < 6 or not leaders:
        return  # the service has no people here (yet): nothing for a group to hold
    coordinator = Membership.objects.filter(organisation=org, role=Role.COORDINATOR).first()
    by = coordinator.user if coordinator else None
    today = timezone.localdate()
    waiting = list(
        Referral.objects.filter(organisation=org, status=Referral.Status.WAITING)
        .order_by("received_on")
        .values_list("service_user_id", flat=True)
    )
    in_service = [p for p in people if p.pk not in waiting]
    texts = TEXTS[lang]

    def activity(kind: str, places: int, weeks_ago: int, lead: list[User]) -> Activity:
        title, venue, schedule = texts[kind]
        start = today - timedelta(weeks=weeks_ago)
        a = Activity.objects.create(
            organisation=org,
            kind=kind,
            title=title,
            venue=venue,
            schedule=schedule,
            places=places,
            starts_on=start,
            ends_on=start + timedelta(weeks=8) if kind == "course" else None,
            created_by=by,
        )
        a.leaders.set(lead)
        return a

    course = activity("course", 10, 3, leaders)
    group = activity("self_help", 8, 6, leaders[:1])
    for a, members, weeks in ((course, in_service[:6], 3), (group, in_service[6:11], 6)):
        places = [
            ActivityPlace.objects.create(
                organisation=org,
                activity=a,
                service_user=p,
                status=ActivityPlace.Status.TAKEN,
                offered_on=a.starts_on - timedelta(days=7),
                offered_by=by,
                answered_on=a.starts_on - timedelta(days=5),
            )
            for p in members
        ]
        # held sessions each week so far, with who came; today's session waits to be marked; two to come
        for week in range(weeks, 0, -1):
            s = ActivitySession.objects.create(
                organisation=org,
                activity=a,
                meets_on=today - timedelta(weeks=week),
                status=ActivitySession.Status.HELD,
                marked_by=a.leaders.first(),
                marked_at=timezone.now() - timedelta(weeks=week),
            )
            Attendance.objects.bulk_create(
                Attendance(organisation=org, session=s, place=p) for p in places if rng.random() < 0.75
            )
        for week in range(3):
            ActivitySession.objects.create(organisation=org, activity=a, meets_on=today + timedelta(weeks=week))
    if waiting:
        # the longest-waiting person is offered a place in the self-help group while they wait
        ActivityPlace.objects.create(
            organisation=org,
            activity=group,
            service_user_id=waiting[0],
            status=ActivityPlace.Status.OFFERED,
            from_waiting_list=True,
            offered_on=today - timedelta(days=2),
            offered_by=by,
        )
