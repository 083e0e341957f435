"""The evaluation dashboard's figures, at three levels (S2 Model 4; DOMAIN.md §7).

Every figure carries a short "how this is computed" text, and ``docs/evaluation.md`` defines each one.
All figures are computed with a fixed number of aggregate queries — counts, sums and group-bys in SQL, no
query per row — so the page costs the same with ten engagements or a hundred thousand. Lists of numbers
are fetched only where a median needs them (one query each).

Filters: a period (first and last day, inclusive) and optionally one unit/team. How the unit filter applies
is said in each figure's text: service data follows the peer worker's team (their memberships), initiatives,
boards and signals their own ``unit`` field; referrals are not tied to a team until matched, so they are
counted for the whole organisation.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Avg, Count, Exists, F, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.template.defaultfilters import floatformat
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerwork.accounts.models import Membership, Role
from peerwork.cocreation import selectors as cocreation_selectors
from peerwork.cocreation.models import (
    Board,
    Contribution,
    ParticipantKind,
    Participation,
    Phase,
    Seat,
    Signal,
)
from peerwork.cocreation.models import Initiative as CoInitiative
from peerwork.cocreation.warnings import board_warnings
from peerwork.core import charts

from . import pulse, sources
from .items import Condition
from .models import PulseSurvey

LEVELS = {
    "individual": gettext_lazy("Individual level"),
    "service": gettext_lazy("Service level"),
    "organisation": gettext_lazy("Organisation level"),
}
PEER_ROLES = (Role.PEER_WORKER, Role.SENIOR_PEER_WORKER)
QUOTES_SHOWN = 5
PULSE_TREND = 8  # surveys in the trend


@dataclass(frozen=True)
class Filters:
    organisation_id: int
    start: date
    end: date
    unit_id: int | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """The period as moments in the local time zone: from the start day's midnight to the midnight after
        the end day (exclusive), so timestamp columns are compared directly and their indexes are used."""
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz),
        )


@dataclass
class Figure:
    key: str
    level: str
    label: str | Promise
    value: float | int | None
    display: str
    how: str | Promise


@dataclass
class Bar:
    """One bar of a dashboard chart: a label, the value, and how the value is shown."""

    label: str
    value: float
    display: str


@dataclass
class Chart:
    key: str
    level: str
    title: str
    description: str
    rows: list[Bar]
    header: tuple[str, str]
    chart: charts.Chart | None = None

    def render(self) -> Chart:
        self.chart = charts.bar_chart(
            f"chart-{self.key}",
            self.title,
            self.description,
            label_header=self.header[0],
            series=[self.header[1]],
            rows=[(r.label, [(r.value, r.display)]) for r in self.rows],
            caption_hidden=True,
            empty_text=_("Nothing recorded in this period."),
        )
        return self


@dataclass
class Dashboard:
    filters: Filters
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    quotes_available: bool = False
    readiness: list[dict[str, Any]] | None = None
    pulse: list[pulse.SurveyResult] = field(default_factory=list)
    pulse_chart: Any = None
    scratch: dict[str, Any] = field(default_factory=dict)
    service_available: bool = False

    def level(self, level: str) -> dict[str, Any]:
        return {
            "key": level,
            "label": LEVELS[level],
            "figures": [f for f in self.figures if f.level == level],
            "charts": [c for c in self.charts if c.level == level],
        }

    @property
    def levels(self) -> list[dict[str, Any]]:
        return [self.level(k) for k in LEVELS]

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


# --- formatting -------------------------------------------------------------------------------------------


def _n(value: float | int | None, decimals: int = 0) -> str:
    if value is None:
        return "—"
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def _pct(part: int, whole: int) -> tuple[float | None, str]:
    if not whole:
        return None, "—"
    share = part / whole
    return share, f"{_n(share * 100)} %"


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


# --- scoping ----------------------------------------------------------------------------------------------


def _members(f: Filters) -> QuerySet[Membership]:
    """Ids of the people in the filtered unit, as a subquery."""
    return Membership.objects.filter(organisation_id=f.organisation_id, unit_id=f.unit_id).values("user_id")


def _by_peer_worker(qs: QuerySet[Any], f: Filters, path: str = "peer_worker_id") -> QuerySet[Any]:
    return qs.filter(**{f"{path}__in": _members(f)}) if f.unit_id else qs


def _by_unit(qs: QuerySet[Any], f: Filters, path: str = "unit_id") -> QuerySet[Any]:
    return qs.filter(**{path: f.unit_id}) if f.unit_id else qs


# --- the three levels -------------------------------------------------------------------------------------


def build(f: Filters) -> Dashboard:
    d = Dashboard(f, service_available=sources.service_available())
    if d.service_available:
        _individual(d, f)
        _service(d, f)
    _signals(d, f)
    _organisation(d, f)
    _pulse(d, f)
    d.readiness = sources.readiness_trend(f.organisation_id, f.unit_id)
    return d


def _individual(d: Dashboard, f: Filters) -> None:
    from peerwork.service.models import Contact, Engagement, Goal, GoalRating

    engagements = _by_peer_worker(Engagement.objects.filter(organisation_id=f.organisation_id), f)
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
            _n(e["active"]),
            _("Engagements that had started by the end of the period and had not closed before it began."),
        ),
        Figure(
            "engagements_started",
            "individual",
            _("Engagements started"),
            e["started"],
            _n(e["started"]),
            _("Engagements whose start date falls in the period."),
        ),
        Figure(
            "engagements_closed",
            "individual",
            _("Engagements closed"),
            e["closed"],
            _n(e["closed"]),
            _("Engagements whose closing date falls in the period."),
        ),
    ]
    d.scratch["reach"] = e["reach"]

    # Goals: the person's own rating, first ever against the latest on or before the period's end, for goals
    # rated at least twice with the latest rating inside the period.
    ratings = GoalRating.objects.filter(goal_id=OuterRef("pk"), rated_on__lte=f.end)
    goals = _by_peer_worker(Goal.objects.filter(organisation_id=f.organisation_id), f, "engagement__peer_worker_id")
    g = (
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
    achieved = goals.filter(achieved_on__range=(f.start, f.end)).count()
    share, share_display = _pct(g["improved"], g["rated"])
    change = float(g["change"]) if g["change"] is not None else None
    d.figures += [
        Figure(
            "goals_rated",
            "individual",
            _("Goals with progress rated"),
            g["rated"],
            _n(g["rated"]),
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
            "—" if change is None else (("+" if change > 0 else "") + _n(change, 1)),
            _("Of the goals above: the average of latest rating minus first rating, in points on the 0–10 scale."),
        ),
        Figure(
            "goals_achieved",
            "individual",
            _("Goals reached"),
            achieved,
            _n(achieved),
            _("Goals marked as reached with a date in the period."),
        ),
    ]

    contacts = _by_peer_worker(
        Contact.objects.filter(organisation_id=f.organisation_id, date__range=(f.start, f.end)), f
    )
    c = contacts.aggregate(
        n=Count("id"),
        minutes=Sum("duration_minutes"),
        accompanying=Count("id", filter=Q(channel=Contact.Channel.ACCOMPANYING)),
        accompanied=Count("engagement__service_user_id", filter=Q(channel=Contact.Channel.ACCOMPANYING), distinct=True),
    )
    hours = (c["minutes"] or 0) / 60
    d.figures += [
        Figure(
            "contacts",
            "individual",
            _("Contacts"),
            c["n"],
            _n(c["n"]),
            _("Contacts between peer workers and the people they support, dated in the period."),
        ),
        Figure(
            "contact_hours",
            "individual",
            _("Hours of contact"),
            round(hours, 1),
            _n(hours, 1),
            _("The sum of the contacts' durations in the period, in hours."),
        ),
    ]
    d.scratch["accompanying"] = c
    channels = dict(Contact.Channel.choices)
    rows = contacts.values("channel").annotate(n=Count("id")).order_by("-n", "channel")
    d.charts.append(
        Chart(
            "contacts_by_channel",
            "individual",
            _("Contacts by how they took place"),
            _("Number of contacts in the period for each way of meeting."),
            [Bar(str(channels.get(r["channel"], r["channel"])), r["n"], _n(r["n"])) for r in rows],
            (_("How"), _("Contacts")),
        ).render()
    )

    closed = engagements.filter(closed_on__range=(f.start, f.end))
    reasons = dict(Engagement.ClosureReason.choices)
    rows = closed.values("closure_reason").annotate(n=Count("id")).order_by("-n", "closure_reason")
    d.charts.append(
        Chart(
            "closures_by_reason",
            "individual",
            _("Why engagements closed"),
            _("Number of engagements closed in the period, by the reason recorded."),
            [Bar(str(reasons.get(r["closure_reason"], r["closure_reason"])), r["n"], _n(r["n"])) for r in rows],
            (_("Reason"), _("Engagements")),
        ).render()
    )

    # What people said when their engagement closed — only from people whose consent covers evaluation.
    consented = sources.evaluation_consented(f.organisation_id)
    d.quotes_available = consented is not None
    if consented is not None:
        d.quotes = list(
            closed.exclude(closure_words="")
            .filter(service_user_id__in=consented)
            .order_by("-closed_on", "-id")
            .values_list("closure_words", flat=True)[:QUOTES_SHOWN]
        )


def _service(d: Dashboard, f: Filters) -> None:
    from peerwork.service.models import Engagement, Referral, ServiceUser

    reach = d.scratch.get("reach", 0)
    first_started = Min("engagements__started_on")
    if f.unit_id:
        first_started = Min("engagements__started_on", filter=Q(engagements__peer_worker_id__in=_members(f)))
    new_people = (
        ServiceUser.objects.filter(organisation_id=f.organisation_id)
        .annotate(first=first_started)
        .filter(first__range=(f.start, f.end))
        .count()
    )
    referrals = Referral.objects.filter(organisation_id=f.organisation_id)
    r = referrals.aggregate(
        received=Count("id", filter=Q(received_on__range=(f.start, f.end))),
        waiting=Count("id", filter=Q(status__in=Referral.OPEN)),
        oldest=Min("received_on", filter=Q(status__in=Referral.OPEN)),
    )
    waits = [
        (started - received).days
        for started, received in _by_peer_worker(
            Engagement.objects.filter(
                organisation_id=f.organisation_id, started_on__range=(f.start, f.end), referral__isnull=False
            ),
            f,
        ).values_list("started_on", "referral__received_on")
    ]
    median_wait = _median(waits)
    longest = (timezone.localdate() - r["oldest"]).days if r["oldest"] else None
    c = d.scratch.get("accompanying", {"accompanying": 0, "accompanied": 0})
    d.figures += [
        Figure(
            "reach",
            "service",
            _("People reached"),
            reach,
            _n(reach),
            _("Different people with an engagement during the period."),
        ),
        Figure(
            "new_people",
            "service",
            _("People reached for the first time"),
            new_people,
            _n(new_people),
            _("People whose first engagement started in the period."),
        ),
        Figure(
            "referrals_received",
            "service",
            _("Referrals received"),
            r["received"],
            _n(r["received"]),
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
            "—" if median_wait is None else _("%(n)s days") % {"n": _n(median_wait)},
            _(
                "For engagements started in the period that came from a referral: the middle value of the "
                "days "
                "between the referral being received and the engagement starting."
            ),
        ),
        Figure(
            "waiting_now",
            "service",
            _("Waiting now"),
            r["waiting"],
            _n(r["waiting"]),
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
            "—" if longest is None else _("%(n)s days") % {"n": _n(longest)},
            _("Days since the oldest open referral was received (today, whole organisation)."),
        ),
        Figure(
            "accompaniments",
            "service",
            _("Accompaniments to services"),
            c["accompanying"],
            _n(c["accompanying"]),
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
            _n(c["accompanied"]),
            _("Different people with at least one accompaniment in the period."),
        ),
    ]


def _signals(d: Dashboard, f: Filters) -> None:
    signals = _by_unit(Signal.objects.filter(organisation_id=f.organisation_id), f)
    start_at, end_at = f.bounds
    in_period = Q(raised_at__gte=start_at, raised_at__lt=end_at)
    s = signals.aggregate(
        raised=Count("id", filter=in_period),
        acknowledged=Count("id", filter=in_period & Q(acknowledged_at__isnull=False)),
        closed=Count("id", filter=Q(closed_at__gte=start_at, closed_at__lt=end_at)),
        open_now=Count("id", filter=~Q(status=Signal.Status.CLOSED)),
    )
    hours = [
        (ack - raised).total_seconds() / 3600
        for raised, ack in signals.filter(in_period, acknowledged_at__isnull=False).values_list(
            "raised_at", "acknowledged_at"
        )
    ]
    median_h = _median(hours)
    share, share_display = _pct(s["acknowledged"], s["raised"])
    d.figures += [
        Figure(
            "signals_raised",
            "service",
            _("Signals raised"),
            s["raised"],
            _n(s["raised"]),
            _("Signals peer workers sent to management in the period."),
        ),
        Figure(
            "signals_acknowledged_share",
            "service",
            _("Signals acknowledged"),
            share,
            share_display,
            _("Of the signals raised in the period: the share a manager has acknowledged so far."),
        ),
        Figure(
            "signals_ack_median_hours",
            "service",
            _("Median time to acknowledgement"),
            median_h,
            "—" if median_h is None else _("%(n)s hours") % {"n": _n(median_h, 1)},
            _(
                "Of the signals raised in the period and acknowledged: the middle value of the hours between "
                "sending and acknowledgement."
            ),
        ),
        Figure(
            "signals_resolved",
            "service",
            _("Signals resolved"),
            s["closed"],
            _n(s["closed"]),
            _("Signals closed with an outcome in the period (whenever they were raised)."),
        ),
    ]


def _organisation(d: Dashboard, f: Filters) -> None:
    org = f.organisation_id
    initiatives = _by_unit(CoInitiative.objects.filter(organisation_id=org, created_at__lt=f.bounds[1]), f)
    pw = Participation.objects.filter(phase__initiative_id=OuterRef("pk"), kind=ParticipantKind.PEER_WORKER)
    i = initiatives.aggregate(
        n=Count("id"),
        early=Count("id", filter=Exists(pw.filter(phase__kind__in=Phase.EARLY))),
        any=Count("id", filter=Exists(pw)),
    )
    early, early_display = _pct(i["early"], i["n"])
    anyp, any_display = _pct(i["any"], i["n"])
    d.figures += [
        Figure(
            "initiatives",
            "organisation",
            _("Initiatives"),
            i["n"],
            _n(i["n"]),
            _("Initiatives started by the end of the period."),
        ),
        Figure(
            "initiatives_early_share",
            "organisation",
            _("Initiatives with peer workers in the early phases"),
            early,
            early_display,
            _(
                "Of those initiatives: the share with at least one peer worker taking part in co-defining or "
                "co-design (S2: influence is greatest early)."
            ),
        ),
        Figure(
            "initiatives_any_share",
            "organisation",
            _("Initiatives with peer workers at all"),
            anyp,
            any_display,
            _("Of those initiatives: the share with at least one peer worker in any phase."),
        ),
    ]
    kinds = dict(Phase.Kind.choices)
    per_phase = dict(
        Participation.objects.filter(
            organisation_id=org,
            kind=ParticipantKind.PEER_WORKER,
            phase__initiative__in=initiatives.values("pk"),
        )
        .values("phase__kind")
        .annotate(n=Count("phase__initiative_id", distinct=True))
        .order_by()
        .values_list("phase__kind", "n")
    )
    d.charts.append(
        Chart(
            "initiatives_by_phase",
            "organisation",
            _("Initiatives with peer workers, by phase"),
            _("For each phase of the service cycle, the number of initiatives where peer workers took part in it."),
            [Bar(str(kinds[k]), per_phase.get(k, 0), _n(per_phase.get(k, 0))) for k in Phase.Kind.values],
            (_("Phase"), _("Initiatives")),
        ).render()
    )

    contributions = _by_unit(Contribution.objects.filter(organisation_id=org), f, "initiative__unit_id")
    decided = Q(decided_on__range=(f.start, f.end))
    c = contributions.aggregate(
        decided=Count("id", filter=decided),
        adopted=Count("id", filter=decided & Q(outcome=Contribution.Outcome.ADOPTED)),
        adapted=Count("id", filter=decided & Q(outcome=Contribution.Outcome.ADAPTED)),
        rejected=Count("id", filter=decided & Q(outcome=Contribution.Outcome.REJECTED)),
        made=Count("id", filter=Q(submitted_on__range=(f.start, f.end))),
        pending=Count("id", filter=Q(outcome=Contribution.Outcome.PENDING, submitted_on__lte=f.end)),
    )
    days_to_decide = [
        (dec - sub).days for sub, dec in contributions.filter(decided).values_list("submitted_on", "decided_on")
    ]
    rate, rate_display = _pct(c["adopted"] + c["adapted"], c["decided"])
    median_days = _median(days_to_decide)
    d.figures += [
        Figure(
            "contributions_made",
            "organisation",
            _("Proposals made"),
            c["made"],
            _n(c["made"]),
            _("Proposals and inputs from peer workers and service users dated in the period."),
        ),
        Figure(
            "adoption_rate",
            "organisation",
            _("Adoption rate of proposals"),
            rate,
            rate_display,
            _("Of the proposals decided in the period: the share adopted, as proposed or with changes."),
        ),
        Figure(
            "decision_median_days",
            "organisation",
            _("Median days to a decision"),
            median_days,
            "—" if median_days is None else _("%(n)s days") % {"n": _n(median_days)},
            _("Of the proposals decided in the period: the middle value of the days from proposal to decision."),
        ),
    ]
    outcomes = dict(Contribution.Outcome.choices)
    d.charts.append(
        Chart(
            "contribution_outcomes",
            "organisation",
            _("What came of proposals"),
            _("Proposals decided in the period by outcome, and proposals made by the end of the period still waiting."),
            [Bar(str(outcomes[k]), c[k], _n(c[k])) for k in ("adopted", "adapted", "rejected")]
            + [Bar(str(outcomes["pending"]), c["pending"], _n(c["pending"]))],
            (_("Outcome"), _("Proposals")),
        ).render()
    )

    meeting = Q(created_at__lt=f.bounds[1]) & (Q(ended_on__isnull=True) | Q(ended_on__gte=f.start))
    boards = list(_by_unit(Board.objects.filter(organisation_id=org), f).filter(meeting).values("id", "kind"))
    seats = list(
        Seat.objects.filter(organisation_id=org, board_id__in=[b["id"] for b in boards]).values(
            "board_id", "kind", "leads", "converted_from", "holder_id"
        )
    )
    seats_by_board: dict[int, list[Seat]] = defaultdict(list)
    for s in seats:
        seats_by_board[s["board_id"]].append(Seat(kind=s["kind"], leads=s["leads"], converted_from=s["converted_from"]))
    led_by_pw = sum(
        1 for b in boards if any(s.leads and s.kind == ParticipantKind.PEER_WORKER for s in seats_by_board[b["id"]])
    )
    with_warning = sum(1 for b in boards if board_warnings(Board(kind=b["kind"]), seats_by_board[b["id"]]))
    d.figures += [
        Figure(
            "boards",
            "organisation",
            _("Boards and committees"),
            len(boards),
            _n(len(boards)),
            _(
                "Boards and committees that met at some time in the period (started by its end, not ended "
                "before "
                "its start)."
            ),
        ),
        Figure(
            "boards_led_by_peer_workers",
            "organisation",
            _("Led by a peer worker"),
            led_by_pw,
            _n(led_by_pw),
            _("Of those boards: the number whose leader holds a peer-worker seat."),
        ),
        Figure(
            "boards_replacing_user_org",
            "organisation",
            _("Boards where peer workers replace user organisations"),
            with_warning,
            _n(with_warning),
            _(
                "Service user boards with peer-worker seats and no user-organisation seat, and boards "
                "where a "
                "user-organisation seat was given to someone else (S4)."
            ),
        ),
    ]
    seat_kinds = dict(ParticipantKind.choices)
    counts: dict[str, int] = defaultdict(int)
    for s in seats:
        counts[s["kind"]] += 1
    d.charts.append(
        Chart(
            "seats_by_kind",
            "organisation",
            _("Board seats by kind"),
            _("Seats on the boards and committees above, by who the seat is for."),
            [Bar(str(seat_kinds[k]), counts.get(k, 0), _n(counts.get(k, 0))) for k in ParticipantKind.values],
            (_("Seat for"), _("Seats")),
        ).render()
    )

    per_pw = cocreation_selectors.committee_counts(org)
    if f.unit_id:
        in_unit = set(_members(f).values_list("user_id", flat=True))
        per_pw = {k: v for k, v in per_pw.items() if k in in_unit}
    peer_count = (
        Membership.objects.filter(organisation_id=org, role__in=PEER_ROLES)
        .filter(**({"unit_id": f.unit_id} if f.unit_id else {}))
        .values("user_id")
        .distinct()
        .count()
    )
    mean = sum(per_pw.values()) / peer_count if peer_count else None
    d.figures += [
        Figure(
            "committees_per_peer_worker",
            "organisation",
            _("Boards per peer worker"),
            mean,
            _n(mean, 1),
            _(
                "Today: seats on boards still meeting, counted once per board, divided by the number of peer "
                "workers (S1 B1: too many committees is a workload risk)."
            ),
        ),
        Figure(
            "committees_most",
            "organisation",
            _("Most boards held by one peer worker"),
            max(per_pw.values(), default=0),
            _n(max(per_pw.values(), default=0)),
            _("Today: the highest number of boards one peer worker sits on."),
        ),
    ]


def _pulse(d: Dashboard, f: Filters) -> None:
    surveys = list(
        PulseSurvey.objects.filter(organisation_id=f.organisation_id, period_start__lte=f.end).order_by(
            "-period_start"
        )[:PULSE_TREND]
    )[::-1]
    d.pulse = pulse.results(surveys)
    d.pulse_chart = pulse_chart(d.pulse)


def pulse_chart(results: list[pulse.SurveyResult]) -> Any:
    if len(results) < 2:
        return None
    condition_labels = dict(Condition.choices)
    series = Condition.values
    return charts.line_chart(
        "chart-pulse-trend",
        _("Pulse survey: average agreement by condition"),
        _(
            "For each survey, the average answer (1 strongly disagree to 5 strongly agree) of all groups "
            "shown, "
            "for each condition. Withheld results leave a gap."
        ),
        label_header=_("Survey"),
        x_labels=[r.survey.label for r in results],
        series=[condition_labels[c] for c in series],
        values=[[None if r.pooled[c].withheld else r.pooled[c].mean for r in results] for c in series],
        texts=[
            [
                charts.Cell(_("withheld"), css="withheld") if r.pooled[c].withheld else floatformat(r.pooled[c].mean, 1)
                for r in results
            ]
            for c in series
        ],
        y_min=1,
        y_max=5,
        caption=_("Average answer of all groups shown, by survey"),
    )
