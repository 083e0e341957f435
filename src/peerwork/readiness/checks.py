# ruff: noqa: E501  (translatable sentences and demo text read better unbroken)
"""Checks derived from the organisation's own data: no questionnaire needed.

``run(actor)`` reads everything it needs in a fixed number of queries (settings, positions with their
orientation and job description, team briefings, placement declarations, supervision dates, plus one
call per registered committee counter) and then works in memory, so its cost does not grow with the
number of teams.

Other apps extend two inputs:

* the ``committee_counters`` hook: callables ``(organisation_id) -> {user_id: number of committees/working
  groups}`` (co-creation registers one); their counts are added up.
* the ``committee_hours`` hook: callables ``(organisation_id) -> CommitteeHours`` (co-assessment registers its
  teams' hours a month); each finding shows them, and more than ``COMMITTEE_HOURS_LIMIT`` hours a month in all
  counts as load even within the committee limit.
* supervision dates come from the peer recovery service's guidance sessions of the kind "supervision by a
  senior peer worker" (Erasmus+ recommendations A9), held by someone who is a senior peer worker in the organisation, and from the
  first-supervision date recorded in each orientation; the latest of the two counts. A coordinator's
  follow-up, intervision or team coaching does not count. ``Report.supervision_source`` says which were used.
* the interval is the service's one guidance interval (``WorkloadSettings.guidance_every_days``, Peerwork's
  default 28 days), so the service's reminders and this check never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core import hooks
from peerwork.core.actor import Actor
from peerwork.core.roles import Role
from peerwork.core.sources import Cites, label_text
from peerwork.organisations.models import Position
from peerwork.service.models import GuidanceKind, GuidanceParticipant, GuidanceSession
from peerwork.service.workload import settings_for as service_settings_for

from .models import TeamBriefing, TreatmentHistoryDeclaration
from .roles import PARTNER_ROLES, READ_ROLES

NEW_WITHIN_DAYS = 183  # Peerwork default: "new" is started less than six months ago, or about to start
EXPERIENCED_AFTER_DAYS = 365  # Peerwork default: S1 A7 names no length of experience (``default-inexperienced``)
# Peerwork default: S1 B1 warns against working groups at the expense of the peer worker's own tasks but names no
# hours (``default-committee-hours``); more than 16 hours a month is about a fifth of a half-time position.
COMMITTEE_HOURS_LIMIT = 16


@dataclass(frozen=True)
class Check:
    code: str
    title: str | Promise
    source: Cites  # citation keys (peerwork.core.sources)
    why: str | Promise


CHECKS: list[Check] = [
    Check(
        "single_peer_worker",
        _("Team with a single peer worker"),
        ("s1-a7", "s1-b9"),
        _(
            "A peer worker alone in a team is more likely to meet resistance and loneliness; two or more is recommended."
        ),
    ),
    Check(
        "inexperienced_alone",
        _("Inexperienced peer worker alone in a team"),
        ("s1-a7", "default-inexperienced"),
        _(
            "An inexperienced peer worker should not be the only one in a team. Peerwork counts less than twelve months' experience as inexperienced (a Peerwork default; the recommendations name no length)."
        ),
    ),
    Check(
        "new_without_buddy",
        _("New peer worker without a buddy or contact person"),
        ("s1-a8", "default-new"),
        _("A named contact person for the first day and a buddy or mentor make the start safe."),
    ),
    Check(
        "no_supervision",
        _("No supervision by a senior peer worker within the organisation's interval"),
        ("s1-a9", "s3-boundaries", "default-guidance-interval"),
        _(
            "Regular supervision by a senior peer worker is a precondition, and guidance is part of the peer worker's own recovery. The interval is the organisation's setting (Peerwork default: 28 days)."
        ),
    ),
    Check(
        "no_job_description",
        _("Position without a job description"),
        ("s1-a4", "s0-preparation"),
        _(
            "Without a job description that sets the role apart, colleagues are left unsure what the peer worker is there for."
        ),
    ),
    Check(
        "no_briefing",
        _("Start date with no team briefing before it"),
        ("s1-a6", "s0-preparation"),
        _("Teams that were not told the purpose of the role before the start built up avoidable resistance."),
    ),
    Check(
        "committee_overload",
        _("Peer worker in more committees than the limit"),
        ("s1-b1", "default-committee-limit", "default-committee-hours"),
        _(
            "Once their value is seen, peer workers get pulled into many working groups at the expense of their own tasks. The limit is the organisation's setting (Peerwork default: three). More than 16 hours a month in working groups whose hours are recorded (co-assessment teams) counts as too much as well (a Peerwork default)."
        ),
    ),
    Check(
        "placement_conflict",
        _("A placement to talk about"),
        ("s1-a7",),
        _(
            "A peer worker has asked to talk about a placement in this team. The reason is theirs to tell; Peerwork does not show it. If no name is given, let the team know the peer workers can come to you."
        ),
    ),
]

# Who sees the placement check, and only what the peer worker chose to let them see (the my-placement page
# reads this list to tell the peer worker exactly who that is).
PLACEMENT_READERS = (Role.MANAGER, Role.COORDINATOR, Role.ADMINISTRATOR)
CHECK_BY_CODE = {c.code: c for c in CHECKS}


@dataclass
class Finding:
    check: str
    unit_id: int
    unit_name: str
    position_id: int | None = None
    person: str = ""
    detail: str = ""


@dataclass
class CheckResult:
    check: Check
    findings: list[Finding] = field(default_factory=list)
    available: bool = True

    @property
    def fired(self) -> bool:
        return bool(self.findings)


@dataclass
class Report:
    results: list[CheckResult]
    supervision_source: str
    interval_days: int
    committee_limit: int

    @property
    def fired(self) -> list[CheckResult]:
        return [r for r in self.results if r.fired]

    @property
    def finding_count(self) -> int:
        return sum(len(r.findings) for r in self.results)

    def result(self, code: str) -> CheckResult:
        return next(r for r in self.results if r.check.code == code)


# --- supervision dates ----------------------------------------------------------------------------------


def _last_supervision(organisation_id: int, holder_ids: set[int], today: date) -> dict[int, date]:
    """Each peer worker's latest supervision by a senior peer worker held on or before ``today`` (S1 A9)."""
    rows = (
        GuidanceParticipant.objects.filter(
            organisation_id=organisation_id,
            peer_worker_id__in=holder_ids,
            session__kind=GuidanceKind.SUPERVISION,
            session__status=GuidanceSession.Status.HELD,
            session__meets_on__lte=today,
            session__guide__memberships__organisation_id=organisation_id,
            session__guide__memberships__role=Role.SENIOR_PEER_WORKER,
        )
        .values("peer_worker_id")
        .annotate(last=Max("session__meets_on"))
        .order_by()
    )
    return {row["peer_worker_id"]: row["last"] for row in rows}


# --- the checks -----------------------------------------------------------------------------------------


def run(actor: Actor, today: date | None = None) -> Report:
    """Every finding with names; partners see it only through ``partners.shared_checks`` (threshold applied)."""
    actor.require(*READ_ROLES, *PARTNER_ROLES)
    from .services import settings_for  # here to keep the import graph one-way

    today = today or timezone.localdate()
    org = actor.organisation_id
    conf = settings_for(org)
    positions = list(
        Position.objects.filter(organisation_id=org)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("unit", "holder", "orientation", "job_description_link")
        .order_by("unit__name", "title", "id")
    )
    held = [p for p in positions if p.holder_id]
    holder_ids = {p.holder_id for p in held if p.holder_id is not None}
    briefings: dict[int, list[date]] = defaultdict(list)
    for unit_id, held_on in TeamBriefing.objects.filter(organisation_id=org).values_list("unit_id", "held_on"):
        briefings[unit_id].append(held_on)
    # Only what the peer worker chose to share is read, and only by those they were told would see it.
    declared: dict[tuple[int, int], str] = {}
    if actor.has(*PLACEMENT_READERS):
        declared = {
            (peer_worker_id, unit_id): disclosure
            for peer_worker_id, unit_id, disclosure in TreatmentHistoryDeclaration.objects.filter(
                organisation_id=org, peer_worker_id__in=holder_ids
            )
            .exclude(disclosure=TreatmentHistoryDeclaration.Disclosure.PRIVATE)
            .values_list("peer_worker_id", "unit_id", "disclosure")
        }
    guidance = _last_supervision(org, holder_ids, today)
    interval = service_settings_for(org).guidance_every_days
    committees: dict[int, int] = defaultdict(int)
    counters = hooks.get(hooks.COMMITTEE_COUNTERS)
    for counter in counters:
        for user_id, n in counter(org).items():
            committees[user_id] += n
    hours = [count(org) for count in hooks.get(hooks.COMMITTEE_HOURS)]
    record(actor, Action.READ, object_type="organisations.position", detail=Detail("shown", page="readiness_checks"))
    if declared:
        record(
            actor,
            Action.READ,
            object_type="readiness.treatmenthistorydeclaration",
            detail=Detail("shown", page="placement_check"),
        )

    results = {c.code: CheckResult(c) for c in CHECKS}
    results["committee_overload"].available = bool(counters or hours)

    def add(code: str, p: Position, detail: str = "", with_person: bool = True) -> None:
        results[code].findings.append(
            Finding(
                code,
                p.unit_id,
                p.unit.name,
                p.pk,
                str(p.holder) if with_person and p.holder_id else "",
                detail,
            )
        )

    by_unit: dict[int, list[Position]] = defaultdict(list)
    for p in held:
        by_unit[p.unit_id].append(p)
    for _unit_id, members in by_unit.items():
        if len({p.holder_id for p in members}) != 1:
            continue
        p = members[0]
        add("single_peer_worker", p)
        since = p.peer_work_experience_since
        reference = max(today, p.start_date) if p.start_date else today
        if since is not None and (reference - since).days < EXPERIENCED_AFTER_DAYS:
            add("inexperienced_alone", p, str(_("less than twelve months' experience")))

    new_from = today - timedelta(days=NEW_WITHIN_DAYS)
    for p in positions:
        orientation = getattr(p, "orientation", None)
        new_start = p.start_date if p.start_date is not None and p.start_date >= new_from else None
        is_new = new_start is not None
        if p.holder_id and is_new:
            missing = []
            if orientation is None or orientation.contact_person_id is None:
                missing.append(str(_("no contact person")))
            if orientation is None or orientation.buddy_id is None:
                missing.append(str(_("no buddy or mentor")))
            if missing:
                add("new_without_buddy", p, ", ".join(missing))
        if p.holder_id and (p.start_date is None or p.start_date <= today):
            first = orientation.first_supervision_on if orientation else None
            dates = [d for d in (guidance.get(p.holder_id), first) if d is not None and d <= today]
            last = max(dates) if dates else None
            since_when = max(d for d in (last, p.start_date, date.min) if d is not None)
            if (today - since_when).days > interval:
                detail = (
                    str(_("last supervision by a senior peer worker %(date)s"))
                    % {"date": date_format(last, "SHORT_DATE_FORMAT")}
                    if last
                    else str(_("no supervision by a senior peer worker on record"))
                )
                add("no_supervision", p, detail)
        if getattr(p, "job_description_link", None) is None:
            add("no_job_description", p, p.title, with_person=bool(p.holder_id))
        if new_start is not None and not any(d <= new_start for d in briefings.get(p.unit_id, [])):
            add("no_briefing", p, str(_("starts %(date)s")) % {"date": new_start.isoformat()})
        disclosure = declared.get((p.holder_id, p.unit_id)) if p.holder_id else None
        if disclosure == TreatmentHistoryDeclaration.Disclosure.NAMED:
            add("placement_conflict", p)
        elif disclosure == TreatmentHistoryDeclaration.Disclosure.UNNAMED and not any(
            f.unit_id == p.unit_id and not f.person for f in results["placement_conflict"].findings
        ):
            # The team only: no name, no position, one line per team however many asked.
            results["placement_conflict"].findings.append(Finding("placement_conflict", p.unit_id, p.unit.name))
    seen: set[int] = set()
    for p in held:
        holder_id = p.holder_id
        if holder_id is None or holder_id in seen:
            continue
        n = committees.get(holder_id, 0)
        theirs = [(h.hours[holder_id], h.where) for h in hours if h.hours.get(holder_id)]
        if n > conf.committee_limit or sum(h for h, _where in theirs) > COMMITTEE_HOURS_LIMIT:
            seen.add(holder_id)
            parts = [str(_("%(n)d committees or working groups")) % {"n": n}]
            parts += [str(_("%(hours)d hours a month %(where)s")) % {"hours": h, "where": where} for h, where in theirs]
            add("committee_overload", p, ", ".join(parts))
    return Report(
        results=[results[c.code] for c in CHECKS],
        supervision_source="guidance+orientation",
        interval_days=interval,
        committee_limit=conf.committee_limit,
    )


def summary_counts(report: Report) -> list[tuple[Check, int]]:
    return [(r.check, len(r.findings)) for r in report.results]


def as_dict(report: Report) -> dict[str, Any]:
    return {
        "supervision_source": report.supervision_source,
        "results": [
            {
                "code": r.check.code,
                "title": str(r.check.title),
                "source": label_text(r.check.source),
                "available": r.available,
                "findings": [f.__dict__ for f in r.findings],
            }
            for r in report.results
        ],
    }
