"""Individual level: engagements, the person's own goal ratings, contacts, and why engagements closed.

Reads the peer recovery service's tables."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _

from peerwork.service.models import Contact, Engagement, Goal, GoalRating

from .. import sources
from .base import Bar, Chart, Dashboard, Figure, Filters, by_peer_worker, num, pct

QUOTES_SHOWN = 5


def add(d: Dashboard, f: Filters) -> None:
    engagements = by_peer_worker(Engagement.objects.filter(organisation_id=f.organisation_id), f)
    _engagements(d, f, engagements)
    _goals(d, f)
    contacts = by_peer_worker(
        Contact.objects.filter(organisation_id=f.organisation_id, date__range=(f.start, f.end)), f
    )
    by_channel = _contacts_per_channel(contacts)
    _contacts(d, f, contacts, by_channel)
    _contacts_by_channel(d, by_channel)
    closed = engagements.filter(closed_on__range=(f.start, f.end))
    _closures_by_reason(d, closed)
    _quotes(d, f, closed)


def _engagements(d: Dashboard, f: Filters, engagements: QuerySet[Engagement]) -> None:
    active = Q(started_on__lte=f.end) & (Q(closed_on__isnull=True) | Q(closed_on__gte=f.start))
    e = engagements.aggregate(
        active=Count("id", filter=active),
        started=Count("id", filter=Q(started_on__range=(f.start, f.end))),
        closed=Count("id", filter=Q(closed_on__range=(f.start, f.end))),
        reach=Count("service_user_id", filter=active, distinct=True),
    )
    d.figures += [
        Figure(
            "engagements_active",
            "individual",
            _("Engagements during the period"),
            e["active"],
            num(e["active"]),
            _("Engagements that had started by the end of the period and had not closed before it began."),
        ),
        Figure(
            "engagements_started",
            "individual",
            _("Engagements started"),
            e["started"],
            num(e["started"]),
            _("Engagements whose start date falls in the period."),
        ),
        Figure(
            "engagements_closed",
            "individual",
            _("Engagements closed"),
            e["closed"],
            num(e["closed"]),
            _("Engagements whose closing date falls in the period."),
        ),
    ]
    d.scratch["reach"] = e["reach"]  # shown at the service level


def _rated_goals(f: Filters) -> dict[str, Any]:
    """The person's own rating, first ever against the latest on or before the period's end, for goals rated
    at least twice with the latest rating inside the period."""
    ratings = GoalRating.objects.filter(goal_id=OuterRef("pk"), rated_on__lte=f.end)
    goals = by_peer_worker(Goal.objects.filter(organisation_id=f.organisation_id), f, "engagement__peer_worker_id")
    g: dict[str, Any] = (
        goals.annotate(
            first=Subquery(ratings.order_by("rated_on", "id").values("rating")[:1]),
            last=Subquery(ratings.order_by("-rated_on", "-id").values("rating")[:1]),
            last_on=Subquery(ratings.order_by("-rated_on", "-id").values("rated_on")[:1]),
            times=Subquery(ratings.values("goal_id").annotate(n=Count("id")).values("n")[:1]),
        )
        .filter(times__gte=2, last_on__gte=f.start)
        .aggregate(
            rated=Count("id"),
            improved=Count("id", filter=Q(last__gt=F("first"))),
            change=Avg(F("last") - F("first")),
        )
    )
    g["achieved"] = goals.filter(achieved_on__range=(f.start, f.end)).count()
    return g


def _goals(d: Dashboard, f: Filters) -> None:
    g = _rated_goals(f)
    achieved = g["achieved"]
    share, share_display = pct(g["improved"], g["rated"])
    change = float(g["change"]) if g["change"] is not None else None
    d.figures += [
        Figure(
            "goals_rated",
            "individual",
            _("Goals with progress rated"),
            g["rated"],
            num(g["rated"]),
            _("Goals the person rated at least twice (0–10, their own rating), with the latest rating in the period."),
        ),
        Figure(
            "goals_improved_share",
            "individual",
            _("Goals rated higher than at the start"),
            share,
            share_display,
            _("Of the goals above: the share whose latest rating is higher than the first rating ever given."),
        ),
        Figure(
            "goals_mean_change",
            "individual",
            _("Average change in own rating"),
            change,
            "—" if change is None else (("+" if change > 0 else "") + num(change, 1)),
            _("Of the goals above: the average of latest rating minus first rating, in points on the 0–10 scale."),
        ),
        Figure(
            "goals_achieved",
            "individual",
            _("Goals reached"),
            achieved,
            num(achieved),
            _("Goals marked as reached with a date in the period."),
        ),
    ]


def _contacts_per_channel(contacts: QuerySet[Contact]) -> list[dict[str, Any]]:
    """The period's contacts and their minutes for each way of meeting, most first: one grouped query read
    from the index on organisation, date, channel and duration alone. The contacts' totals and the
    accompaniments are summed from it."""
    rows = list(contacts.order_by().values("channel").annotate(n=Count("*"), minutes=Sum("duration_minutes")))
    return sorted(rows, key=lambda r: (-r["n"], r["channel"]))


def _contacts(d: Dashboard, f: Filters, contacts: QuerySet[Contact], by_channel: list[dict[str, Any]]) -> None:
    n = sum(r["n"] for r in by_channel)
    hours = sum(r["minutes"] or 0 for r in by_channel) / 60
    d.figures += [
        Figure(
            "contacts",
            "individual",
            _("Contacts"),
            n,
            num(n),
            _("Contacts between peer workers and the people they support, dated in the period."),
        ),
        Figure(
            "contact_hours",
            "individual",
            _("Hours of contact"),
            round(hours, 1),
            num(hours, 1),
            _("The sum of the contacts' durations in the period, in hours."),
        ),
    ]
    # Shown at the service level. The accompanying contacts are counted above; only the different people
    # accompanied need them joined to their engagements (index on organisation, channel and date), each
    # engagement of the organisation found by its key.
    accompanying = sum(r["n"] for r in by_channel if r["channel"] == Contact.Channel.ACCOMPANYING)
    accompanied = contacts.filter(
        channel=Contact.Channel.ACCOMPANYING, engagement__organisation_id=f.organisation_id
    ).aggregate(accompanied=Count("engagement__service_user_id", distinct=True))["accompanied"]
    d.scratch["accompanying"] = {"accompanying": accompanying, "accompanied": accompanied}


def _contacts_by_channel(d: Dashboard, by_channel: list[dict[str, Any]]) -> None:
    channels = dict(Contact.Channel.choices)
    d.charts.append(
        Chart(
            "contacts_by_channel",
            "individual",
            _("Contacts by how they took place"),
            _("Number of contacts in the period for each way of meeting."),
            [Bar(str(channels.get(r["channel"], r["channel"])), r["n"], num(r["n"])) for r in by_channel],
            (_("How"), _("Contacts")),
        ).render()
    )


def _closures_by_reason(d: Dashboard, closed: QuerySet[Engagement]) -> None:
    reasons = dict(Engagement.ClosureReason.choices)
    rows = closed.values("closure_reason").annotate(n=Count("id")).order_by("-n", "closure_reason")
    d.charts.append(
        Chart(
            "closures_by_reason",
            "individual",
            _("Why engagements closed"),
            _("Number of engagements closed in the period, by the reason recorded."),
            [Bar(str(reasons.get(r["closure_reason"], r["closure_reason"])), r["n"], num(r["n"])) for r in rows],
            (_("Reason"), _("Engagements")),
        ).render()
    )


def _quotes(d: Dashboard, f: Filters, closed: QuerySet[Engagement]) -> None:
    """What people said when their engagement closed — only from people whose consent covers evaluation."""
    consented = sources.evaluation_consented(f.organisation_id)
    d.quotes = list(
        closed.exclude(closure_words="")
        .filter(service_user_id__in=consented)
        .order_by("-closed_on", "-id")
        .values_list("closure_words", flat=True)[:QUOTES_SHOWN]
    )
