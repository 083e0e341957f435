"""Service level: people reached, referrals and waiting, accompaniments, groups and courses.

Reads the peer recovery service's tables. People reached and accompaniments were counted at the individual
level (``Dashboard.scratch``); they are shown here. Groups and courses are a separate part of reach:
people who came to one are counted on their own, never added to the people with an engagement (one person
may be in both)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.activities.models import ActivitySession, Attendance
from peerwork.service.models import Engagement, Referral

from .base import Dashboard, Figure, Filters, by_peer_worker, median, members, num


def add(d: Dashboard, f: Filters) -> None:
    _people(d, f)
    _referrals(d, f)
    _accompaniments(d)
    _groups(d, f)


def _new_people(f: Filters) -> int:
    """People whose first engagement (with the unit's peer workers, when a unit is chosen) started in the period.

    Grouped from the organisation's engagements alone (index on organisation, person and start), so it reads
    neither the people nor any other organisation's engagements."""
    engagements = by_peer_worker(Engagement.objects.filter(organisation_id=f.organisation_id), f)
    firsts = engagements.values("service_user_id").annotate(first=Min("started_on"))
    return int(firsts.filter(first__range=(f.start, f.end)).order_by().count())


def _people(d: Dashboard, f: Filters) -> None:
    reach = d.scratch.get("reach", 0)
    new_people = _new_people(f)
    d.figures += [
        Figure(
            "reach",
            "service",
            _("People reached"),
            reach,
            num(reach),
            _("Different people with an engagement during the period."),
        ),
        Figure(
            "new_people",
            "service",
            _("People reached for the first time"),
            new_people,
            num(new_people),
            _("People whose first engagement started in the period."),
        ),
    ]


def _waits(f: Filters) -> list[int]:
    """Days from referral to start, for engagements started in the period that came from a referral."""
    # The referral's organisation is named too, so the join reads only the organisation's referrals.
    started = Engagement.objects.filter(
        organisation_id=f.organisation_id,
        started_on__range=(f.start, f.end),
        referral__isnull=False,
        referral__organisation_id=f.organisation_id,
    )
    return [
        (started_on - received).days
        for started_on, received in by_peer_worker(started, f).values_list("started_on", "referral__received_on")
    ]


def _referrals(d: Dashboard, f: Filters) -> None:
    r: dict[str, Any] = Referral.objects.filter(organisation_id=f.organisation_id).aggregate(
        received=Count("id", filter=Q(received_on__range=(f.start, f.end))),
        waiting=Count("id", filter=Q(status__in=Referral.OPEN)),
        oldest=Min("received_on", filter=Q(status__in=Referral.OPEN)),
    )
    waits = _waits(f)
    median_wait = median(waits)
    longest = (timezone.localdate() - r["oldest"]).days if r["oldest"] else None
    d.figures += [
        Figure(
            "referrals_received",
            "service",
            _("Referrals received"),
            r["received"],
            num(r["received"]),
            _(
                "Referrals received in the period, for the whole organisation (a referral has no team "
                "until it "
                "is matched)."
            ),
        ),
        Figure(
            "wait_median_days",
            "service",
            _("Median wait from referral to start"),
            median_wait,
            "—" if median_wait is None else _("%(n)s days") % {"n": num(median_wait)},
            _(
                "For engagements started in the period that came from a referral: the middle value of the "
                "days "
                "between the referral being received and the engagement starting."
            ),
            base=len(waits),
        ),
        Figure(
            "waiting_now",
            "service",
            _("Waiting now"),
            r["waiting"],
            num(r["waiting"]),
            _(
                "Referrals waiting or with peer workers proposed today, for the whole organisation; not "
                "bound to "
                "the period."
            ),
        ),
        Figure(
            "longest_wait_days",
            "service",
            _("Longest wait now"),
            longest,
            "—" if longest is None else _("%(n)s days") % {"n": num(longest)},
            _("Days since the oldest open referral was received (today, whole organisation)."),
            base=r["waiting"],
        ),
    ]


def _accompaniments(d: Dashboard) -> None:
    c = d.scratch.get("accompanying", {"accompanying": 0, "accompanied": 0})
    d.figures += [
        Figure(
            "accompaniments",
            "service",
            _("Accompaniments to services"),
            c["accompanying"],
            num(c["accompanying"]),
            _(
                "Contacts in the period recorded as accompanying the person to a service: peer workers "
                "bridging "
                "people and services."
            ),
        ),
        Figure(
            "people_accompanied",
            "service",
            _("People accompanied to services"),
            c["accompanied"],
            num(c["accompanied"]),
            _("Different people with at least one accompaniment in the period."),
        ),
    ]


def _groups(d: Dashboard, f: Filters) -> None:
    """Reach through groups and courses: different people who came to at least one session in the period, of
    them those offered their place while on the waiting list, and the sessions held. With a unit chosen, the
    groups and courses one of its peer workers leads. One aggregate query each."""
    came = Attendance.objects.filter(organisation_id=f.organisation_id, session__meets_on__range=(f.start, f.end))
    held = ActivitySession.objects.filter(
        organisation_id=f.organisation_id, meets_on__range=(f.start, f.end), status=ActivitySession.Status.HELD
    )
    if f.unit_id:
        came = came.filter(session__activity__leaders__in=members(f))
        held = held.filter(activity__leaders__in=members(f))
    a: dict[str, Any] = came.aggregate(
        people=Count("place__service_user_id", distinct=True),
        waiting=Count("place__service_user_id", filter=Q(place__from_waiting_list=True), distinct=True),
    )
    sessions = held.values("pk").distinct().count()
    d.figures += [
        Figure(
            "group_reach",
            "service",
            _("People reached through groups and courses"),
            a["people"],
            num(a["people"]),
            _(
                "Different people who came to at least one session of a group or course in the period; counted "
                "apart from the people with an engagement."
            ),
        ),
        Figure(
            "group_reach_waiting",
            "service",
            _("Of them, offered their place while waiting"),
            a["waiting"],
            num(a["waiting"]),
            _("People who came and were on the waiting list for a peer worker when offered their place."),
        ),
        Figure(
            "group_sessions",
            "service",
            _("Group and course sessions held"),
            sessions,
            num(sessions),
            _("Sessions of groups and courses held in the period (cancelled ones not counted)."),
        ),
    ]
