"""Workload and boundaries, for support not surveillance (S3 theme 3; S1 B1).

Per peer worker per week: contacts, hours, share outside agreed hours, weekend contacts; per engagement:
sudden bursts of contact. Thresholds come from the organisation's ``WorkloadSettings`` (defaults in
docs/service.md). What crosses a threshold becomes a *topic* for the next guidance session, shown to the
peer worker themself and to the coordinator or senior peer worker who guides them. There is no ranking of
peer workers anywhere: every figure is about one person, compared with the organisation's own thresholds.

Topics are codes with parameters (ids and numbers, never names or notes), so they can be stored with a
guidance session and rendered in any language; when shown, a topic about one person names them by their
initials (``name_people``), never by an engagement's number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Q, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import (
    Contact,
    ContactAgreement,
    Engagement,
    GuidanceParticipant,
    GuidanceSession,
    PeerWorkerProfile,
    WorkloadSettings,
)

WEEKEND = (5, 6)  # Saturday, Sunday (date.weekday())
# Peerwork default: a contact that ends after this time of day is an evening contact.
EVENING_FROM = time(17, 0)
# Peerwork default: contacts are compared with the contact agreement over the last seven days.
AGREEMENT_DAYS = 7


def settings_for(organisation_id: int) -> WorkloadSettings:
    """The organisation's thresholds; an unsaved default object when none are set yet."""
    found = WorkloadSettings.objects.filter(organisation_id=organisation_id).first()
    return found or WorkloadSettings(organisation_id=organisation_id)


def _minutes(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def outside_agreed_hours(working_hours: dict[str, Any] | None, on: date, start: time, duration_minutes: int) -> bool:
    """A contact is outside agreed hours unless it lies wholly inside one agreed span of that weekday.

    With no agreed hours on record every contact counts as inside: nothing is flagged on guesswork."""
    if not working_hours:
        return False
    spans = working_hours.get(str(on.weekday())) or []
    begin = start.hour * 60 + start.minute
    end = begin + duration_minutes
    for span in spans:
        try:
            lo, hi = _minutes(span[0]), _minutes(span[1])
        except (IndexError, ValueError, AttributeError):
            continue
        if lo <= begin and end <= hi:
            return False
    return True


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class Week:
    start: date
    contacts: int = 0
    minutes: int = 0
    outside: int = 0
    weekend: int = 0

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"))

    @property
    def outside_percent(self) -> int:
        return round(100 * self.outside / self.contacts) if self.contacts else 0

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)


@dataclass
class Burst:
    engagement_id: int
    peer_worker_id: int
    contacts: int
    outside: int
    by_person: int
    since: date


@dataclass
class Topic:
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    who: str = ""  # the initials of the person the topic is about, filled in when shown (never stored)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params}

    @property
    def text(self) -> str:
        return topic_text(self.code, self.params, self.who)


def initials(name: str) -> str:
    """A person's initials ("Hans Ahmed" → "H. A."): enough for the peer worker and their guide to know whom a
    topic is about, without writing a name on the guidance agenda."""
    return " ".join(f"{part[0].upper()}." for part in name.replace("-", " ").split() if part[:1].isalpha())


def name_people(topics: Iterable[Topic], organisation_id: int) -> None:
    """Fill in the initials of the person each topic about an engagement names (one query for them all)."""
    wanted = [t for t in topics if t.params.get("engagement")]
    if not wanted:
        return
    names = dict(
        Engagement.objects.filter(
            organisation_id=organisation_id, pk__in={t.params["engagement"] for t in wanted}
        ).values_list("pk", "service_user__chosen_name")
    )
    for t in wanted:
        t.who = initials(names.get(t.params["engagement"]) or "")


def topic_text(code: str, params: dict[str, Any], who: str = "") -> str:
    """Plain words for a topic, in the current language; ``who``: the initials of the person it is about."""
    p = dict(params)
    p["who"] = who or _("one of the people they support")
    for key in ("since", "next"):
        if isinstance(p.get(key), str):
            try:
                p[key] = date_format(date.fromisoformat(p[key]), "SHORT_DATE_FORMAT")
            except ValueError:
                pass
    if code == "contacts_week":
        return (
            ngettext(
                "%(n)d contact this week (the organisation's threshold is %(limit)d).",
                "%(n)d contacts this week (the organisation's threshold is %(limit)d).",
                p["n"],
            )
            % p
        )
    if code == "hours_week":
        return _("%(hours)s hours of contact this week (threshold %(limit)s hours).") % p
    if code == "outside_share":
        return _("%(percent)d%% of this week's contacts were outside agreed hours (threshold %(limit)d%%).") % p
    if code == "weekend":
        return (
            ngettext(
                "%(n)d contact at the weekend (threshold %(limit)d).",
                "%(n)d contacts at the weekend (threshold %(limit)d).",
                p["n"],
            )
            % p
        )
    if code == "burst":
        return (
            ngettext(
                "In contact with %(who)s %(n)d time since %(since)s, %(outside)d of them outside agreed hours.",
                "In contact with %(who)s %(n)d times since %(since)s, %(outside)d of them outside agreed hours.",
                p["n"],
            )
            % p
        )
    if code == "outside_agreement":
        return (
            ngettext(
                "%(n)d contact in the last seven days with %(who)s fell outside what was agreed (their contact "
                "agreement and the peer worker's own availability).",
                "%(n)d contacts in the last seven days with %(who)s fell outside what was agreed (their contact "
                "agreement and the peer worker's own availability).",
                p["n"],
            )
            % p
        )
    if code == "attempts":
        return (
            _(
                "In the last seven days with %(who)s: %(tries)d tries without an answer and %(not_taken)d calls "
                "out of hours not taken."
            )
            % p
        )
    if code == "guidance_overdue":
        if p.get("days") is None:
            return _("No guidance session is on record yet.")
        return (
            ngettext(
                "The last guidance session was %(days)d day ago (guidance is due every %(limit)d days).",
                "The last guidance session was %(days)d days ago (guidance is due every %(limit)d days).",
                p["days"],
            )
            % p
        )
    if code == "guidance_next_passed":
        return _("The agreed next guidance session (%(next)s) has passed without a session on record.") % p
    return code


@dataclass
class AgreementCheck:
    """One peer worker's week compared with the contact agreements: topics per engagement, and the contacts
    the agreements cover (taken out of the organisation's weekend and out-of-hours thresholds)."""

    topics: list[Topic] = field(default_factory=list)
    covered_weekend: int = 0
    covered_outside: int = 0


def _within(agreement: ContactAgreement, profile: PeerWorkerProfile | None, c: Mapping[str, Any]) -> bool:
    """Inside the agreement with the person, and inside the peer worker's own availability."""
    day = c["date"].weekday()
    begin = c["start_time"].hour * 60 + c["start_time"].minute
    end = begin + (c["duration_minutes"] if c["kind"] == Contact.Kind.CONTACT else 0)
    lo = agreement.hours_from.hour * 60 + agreement.hours_from.minute
    hi = agreement.hours_until.hour * 60 + agreement.hours_until.minute
    if day not in [int(d) for d in agreement.days] or not (lo <= begin and end <= hi):
        return False
    if profile is not None:
        if day in WEEKEND and not profile.weekends:
            return False
        if end > EVENING_FROM.hour * 60 + EVENING_FROM.minute and not profile.evenings:
            return False
    return True


def agreement_checks(
    organisation_id: int,
    peer_worker_ids: Iterable[int] | None,
    today: date,
    profiles: Mapping[int, PeerWorkerProfile] | None = None,
) -> dict[int, AgreementCheck]:
    """The last seven days' contacts and attempts (Peerwork default) compared with each engagement's contact
    agreement: one query, two when the peer workers' profiles are not given.

    Not fixed thresholds: a weekend contact is no topic when the person's agreement includes the weekend and
    the peer worker works weekends; a contact outside the agreed days or hours is. Tries without an answer and
    calls not taken out of hours are topics whenever there are any: they take time too."""
    start = today - timedelta(days=AGREEMENT_DAYS - 1)
    this_week = week_start(today)
    # Only the rows that can count: tries and calls not taken, and contacts an agreement covers (the others
    # were skipped below, after being read; a week of a large organisation is hundreds of them).
    qs = Contact.objects.filter(organisation_id=organisation_id, date__gte=start, date__lte=today).filter(
        ~Q(kind=Contact.Kind.CONTACT) | Q(engagement__contact_agreement__isnull=False)
    )
    if peer_worker_ids is not None:
        qs = qs.filter(peer_worker_id__in=list(peer_worker_ids))
    rows = list(
        qs.values(
            "peer_worker_id",
            "engagement_id",
            "date",
            "start_time",
            "duration_minutes",
            "kind",
            "outside_agreed_hours",
            agreed_days=F("engagement__contact_agreement__days"),
            agreed_from=F("engagement__contact_agreement__hours_from"),
            agreed_until=F("engagement__contact_agreement__hours_until"),
        ).order_by("date", "start_time")
    )
    agreements = {
        r["engagement_id"]: ContactAgreement(
            days=r["agreed_days"], hours_from=r["agreed_from"], hours_until=r["agreed_until"]
        )
        for r in rows
        if r["agreed_from"] is not None
    }
    if profiles is None:
        profiles = {
            p.user_id: p
            for p in PeerWorkerProfile.objects.filter(
                organisation_id=organisation_id, user_id__in={r["peer_worker_id"] for r in rows}
            )
        }
    per: dict[tuple[int, int], dict[str, int]] = {}
    out: dict[int, AgreementCheck] = {}
    for r in rows:
        uid, eid = r["peer_worker_id"], r["engagement_id"]
        check = out.setdefault(uid, AgreementCheck())
        counts = per.setdefault((uid, eid), {"outside": 0, "tries": 0, "not_taken": 0})
        if r["kind"] == Contact.Kind.NO_ANSWER:
            counts["tries"] += 1
            continue
        if r["kind"] == Contact.Kind.NOT_TAKEN:
            counts["not_taken"] += 1
            continue
        agreement = agreements.get(eid)
        if agreement is None:
            continue
        if r["date"] >= this_week:  # the organisation's thresholds look at the calendar week
            check.covered_weekend += r["date"].weekday() in WEEKEND
            check.covered_outside += bool(r["outside_agreed_hours"])
        if not _within(agreement, profiles.get(uid), r):
            counts["outside"] += 1
    for (uid, eid), counts in sorted(per.items()):
        topics = out[uid].topics
        if counts["outside"]:
            topics.append(Topic("outside_agreement", {"engagement": eid, "n": counts["outside"]}))
        if counts["tries"] or counts["not_taken"]:
            topics.append(
                Topic("attempts", {"engagement": eid, "tries": counts["tries"], "not_taken": counts["not_taken"]})
            )
    return out


def with_agreements(week: Week | None, check: AgreementCheck | None) -> Week | None:
    """The week as the organisation's thresholds see it: contacts an agreement covers are judged by it."""
    if week is None or check is None:
        return week
    return Week(
        week.start,
        contacts=week.contacts,
        minutes=week.minutes,
        outside=max(0, week.outside - check.covered_outside),
        weekend=max(0, week.weekend - check.covered_weekend),
    )


def weeks_for(peer_worker_id: int, organisation_id: int, first: date, last: date) -> list[Week]:
    """Weekly figures for one peer worker from the week of ``first`` to the week of ``last``: one query."""
    first = week_start(first)
    rows = (
        Contact.objects.filter(
            organisation_id=organisation_id,
            peer_worker_id=peer_worker_id,
            date__gte=first,
            date__lte=last,
            kind=Contact.Kind.CONTACT,
        )
        .values("date")
        .annotate(
            n=Count("id"),
            minutes=Sum("duration_minutes"),
            outside=Count("id", filter=Q(outside_agreed_hours=True)),
        )
        .order_by()
    )
    weeks: dict[date, Week] = {}
    start = first
    while start <= last:
        weeks[start] = Week(start)
        start += timedelta(days=7)
    for row in rows:
        w = weeks.setdefault(week_start(row["date"]), Week(week_start(row["date"])))
        w.contacts += row["n"]
        w.minutes += row["minutes"] or 0
        w.outside += row["outside"]
        if row["date"].weekday() in WEEKEND:
            w.weekend += row["n"]
    return [weeks[k] for k in sorted(weeks)]


def current_weeks(organisation_id: int, peer_worker_ids: Iterable[int] | None, today: date) -> dict[int, Week]:
    """This week's figures for many peer workers at once: one query."""
    start = week_start(today)
    qs = Contact.objects.filter(
        organisation_id=organisation_id, date__gte=start, date__lte=today, kind=Contact.Kind.CONTACT
    )
    if peer_worker_ids is not None:
        qs = qs.filter(peer_worker_id__in=list(peer_worker_ids))
    rows = (
        qs.values("peer_worker_id", "date")
        .annotate(
            n=Count("id"),
            minutes=Sum("duration_minutes"),
            outside=Count("id", filter=Q(outside_agreed_hours=True)),
        )
        .order_by()
    )
    out: dict[int, Week] = {}
    for row in rows:
        w = out.setdefault(row["peer_worker_id"], Week(start))
        w.contacts += row["n"]
        w.minutes += row["minutes"] or 0
        w.outside += row["outside"]
        if row["date"].weekday() in WEEKEND:
            w.weekend += row["n"]
    return out


def bursts(
    organisation_id: int, peer_worker_ids: Iterable[int] | None, today: date, s: WorkloadSettings
) -> list[Burst]:
    """Engagements with at least ``burst_contacts`` contacts in the last ``burst_days`` days: one query."""
    since = today - timedelta(days=s.burst_days - 1)
    qs = Contact.objects.filter(organisation_id=organisation_id, date__gte=since, date__lte=today)
    if peer_worker_ids is not None:
        qs = qs.filter(peer_worker_id__in=list(peer_worker_ids))
    rows = (
        qs.values("engagement_id", "peer_worker_id")
        .annotate(
            n=Count("id"),
            outside=Count("id", filter=Q(outside_agreed_hours=True)),
            by_person=Count("id", filter=Q(initiated_by=Contact.Initiator.PERSON)),
        )
        .filter(n__gte=s.burst_contacts)
        .order_by("-n", "engagement_id")
    )
    return [Burst(r["engagement_id"], r["peer_worker_id"], r["n"], r["outside"], r["by_person"], since) for r in rows]


@dataclass
class GuidanceState:
    last: date | None
    next: date | None


def guidance_states(organisation_id: int, peer_worker_ids: Iterable[int] | None) -> dict[int, GuidanceState]:
    """Each peer worker's last session held (any kind, one-to-one or group) and the next one agreed: the
    latest "next session" of a held record or the latest planned session, whichever is later."""
    qs = GuidanceParticipant.objects.filter(organisation_id=organisation_id)
    if peer_worker_ids is not None:
        qs = qs.filter(peer_worker_id__in=list(peer_worker_ids))
    held = Q(session__status=GuidanceSession.Status.HELD)
    rows = (
        qs.values("peer_worker_id")
        .annotate(
            last=Max("session__meets_on", filter=held),
            agreed=Max("session__next_on", filter=held),
            planned=Max("session__meets_on", filter=~held),
        )
        .order_by()
    )
    out = {}
    for r in rows:
        nexts = [d for d in (r["agreed"], r["planned"]) if d is not None]
        out[r["peer_worker_id"]] = GuidanceState(r["last"], max(nexts) if nexts else None)
    return out


def guidance_topics(state: GuidanceState | None, today: date, s: WorkloadSettings) -> list[Topic]:
    if state is None or state.last is None:
        return [Topic("guidance_overdue", {"days": None, "limit": s.guidance_every_days})]
    days = (today - state.last).days
    out = []
    if days >= s.guidance_every_days:
        out.append(Topic("guidance_overdue", {"days": days, "limit": s.guidance_every_days}))
    elif state.next and state.next < today and state.next > state.last:
        out.append(Topic("guidance_next_passed", {"next": state.next.isoformat()}))
    return out


def week_topics(week: Week | None, s: WorkloadSettings) -> list[Topic]:
    if week is None:
        return []
    out = []
    if week.contacts >= s.contacts_per_week:
        out.append(Topic("contacts_week", {"n": week.contacts, "limit": s.contacts_per_week}))
    if week.hours >= Decimal(s.hours_per_week):
        out.append(Topic("hours_week", {"hours": str(week.hours), "limit": str(s.hours_per_week)}))
    # A share needs a few contacts to mean anything: 2 of 3 outside hours is not a pattern.
    if week.contacts >= 4 and week.outside_percent >= s.outside_hours_percent:
        out.append(Topic("outside_share", {"percent": week.outside_percent, "limit": s.outside_hours_percent}))
    if week.weekend >= s.weekend_contacts:
        out.append(Topic("weekend", {"n": week.weekend, "limit": s.weekend_contacts}))
    return out


def burst_topics(found: Iterable[Burst]) -> list[Topic]:
    return [
        Topic(
            "burst",
            {
                "engagement": b.engagement_id,
                "n": b.contacts,
                "outside": b.outside,
                "since": b.since.isoformat(),
            },
        )
        for b in found
    ]


def topics_for(peer_worker_id: int, organisation_id: int, today: date) -> list[Topic]:
    """Everything worth raising in the next guidance session with one peer worker: five queries."""
    s = settings_for(organisation_id)
    check = agreement_checks(organisation_id, [peer_worker_id], today).get(peer_worker_id)
    week = with_agreements(current_weeks(organisation_id, [peer_worker_id], today).get(peer_worker_id), check)
    found = bursts(organisation_id, [peer_worker_id], today, s)
    state = guidance_states(organisation_id, [peer_worker_id]).get(peer_worker_id)
    agreed = check.topics if check else []
    topics = week_topics(week, s) + agreed + burst_topics(found) + guidance_topics(state, today, s)
    name_people(topics, organisation_id)
    return topics
