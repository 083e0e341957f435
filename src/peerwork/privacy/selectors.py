from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, When, Window
from django.db.models import Value as V
from django.db.models.functions import RowNumber, TruncDate
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerwork.accounts.models import Membership, User
from peerwork.audit import details
from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry
from peerwork.audit.trail import Action, entry_count, record, record_many
from peerwork.audit.trail import verify as verify_chain
from peerwork.core import listing, plain
from peerwork.core.actor import Actor
from peerwork.core.listing import ListForm
from peerwork.core.roles import Role
from peerwork.organisations.models import Unit
from peerwork.privacy.models import Consent, ConsentItem, EvaluationExport, PseudonymKey
from peerwork.service.access import AccessReason, reason_of
from peerwork.service.models import (
    Contact,
    DeclaredConflict,
    Goal,
    GoalRating,
    PeerWorkerProfile,
    ServiceUser,
    Visibility,
)

from . import access, retention, subject
from . import consent as consent_rules

if TYPE_CHECKING:  # django-stubs' helper for annotated querysets; a development dependency only
    from django_stubs_ext import WithAnnotations


def audit_entries(
    actor: Actor, *, action: str = "", subject_id: str = "", actor_id: int | None = None
) -> QuerySet[AuditEntry]:
    """The data protection officer's view of their own organisation's trail."""
    actor.require(Role.DPO)
    qs = AuditEntry.objects.filter(organisation_id=actor.organisation_id).select_related("actor")
    if action:
        qs = qs.filter(action=action)
    if subject_id:
        qs = qs.filter(subject_id=subject_id)
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    return qs.order_by("-id")


AUDIT_PAGE = 50
AUDIT_COUNT_LIMIT = 1000  # a narrowed trail is counted up to here ("more than 1,000"), never to its end


@dataclass
class AuditPage:
    """One page of the trail, cut by the entries' sequence (their ids, in the order they were appended):
    ``newer``/``older`` are the cursors of the neighbouring pages (None at either end), ``count`` the number
    of entries (the whole trail's from its chain heads; a narrowed trail's up to ``AUDIT_COUNT_LIMIT``), and
    ``more`` whether a narrowed trail holds more than that."""

    entries: list[AuditEntry]
    newer: int | None
    older: int | None
    count: int
    more: bool = False


def _cursor(value: Any) -> int | None:
    try:
        found = int(value)
    except (TypeError, ValueError):
        return None
    return found if found > 0 else None


def audit_page(actor: Actor, form: ListForm, *, before: Any = None, after: Any = None) -> AuditPage:
    """One page of the organisation's trail, narrowed and in the order the data protection officer chose.

    Keyset pagination: a page is the next ``AUDIT_PAGE`` entries before (older) or after (newer) a cursor,
    found through the primary key's index, so a page deep in a long trail costs what the first one does. The
    total comes from the chain heads instead of counting every entry."""
    qs = form.apply(audit_entries(actor))
    newest_first = form.order != ("id",)
    older_than, newer_than = _cursor(before), _cursor(after)
    if newer_than is not None:
        rows = list(qs.filter(id__gt=newer_than).order_by("id")[: AUDIT_PAGE + 1])
        beyond, rows = len(rows) > AUDIT_PAGE, rows[:AUDIT_PAGE]
        has_newer, has_older = beyond, True
    elif older_than is not None:
        rows = list(qs.filter(id__lt=older_than).order_by("-id")[: AUDIT_PAGE + 1])
        beyond, rows = len(rows) > AUDIT_PAGE, rows[:AUDIT_PAGE]
        has_newer, has_older = True, beyond
    else:
        rows = list(qs.order_by("-id" if newest_first else "id")[: AUDIT_PAGE + 1])
        beyond, rows = len(rows) > AUDIT_PAGE, rows[:AUDIT_PAGE]
        has_newer, has_older = (False, beyond) if newest_first else (beyond, False)
    rows.sort(key=lambda e: e.pk, reverse=newest_first)
    _in_words(actor, rows)
    ids = [e.pk for e in rows]
    if form.is_filtered:
        counted = qs.order_by()[: AUDIT_COUNT_LIMIT + 1].count()
        count, more = min(counted, AUDIT_COUNT_LIMIT), counted > AUDIT_COUNT_LIMIT
    else:
        count, more = entry_count(actor.organisation_id), False
    return AuditPage(
        entries=rows,
        newer=max(ids) if ids and has_newer else None,
        older=min(ids) if ids and has_older else None,
        count=count,
        more=more,
    )


def audit_subjects(actor: Actor, entries: Any) -> dict[tuple[str, int], str]:
    """Whose data each entry touched, in words: a person's name as the data protection officer sees it on the
    person's page (a staff member's name, a service user's chosen name), or "a person" once erased or when the
    record is not the organisation's. Two queries for a whole page of entries."""
    actor.require(Role.DPO)
    wanted: dict[str, set[int]] = {}
    for e in entries:
        if e.subject_type and e.subject_id:
            if str(e.subject_id).isdigit():
                wanted.setdefault(e.subject_type, set()).add(int(e.subject_id))
    names: dict[tuple[str, int], str] = {}
    users = wanted.get("accounts.user")
    if users:
        for u in User.objects.filter(pk__in=users, memberships__organisation_id=actor.organisation_id).distinct():
            names[("accounts.user", u.pk)] = str(u)
    people = wanted.get("service.serviceuser")
    if people:
        found = ServiceUser.objects.filter(organisation_id=actor.organisation_id, pk__in=people)
        for p in found.only("pk", "chosen_name", "anonymised_at"):
            if p.chosen_name and not p.anonymised_at:
                names[("service.serviceuser", p.pk)] = p.chosen_name
    return names


def whose(entry: AuditEntry, names: dict[tuple[str, int], str]) -> str:
    """The words for an entry's subject: the name found by ``audit_subjects``, else "a person"."""
    if not entry.subject_id:
        return ""
    key = (entry.subject_type, int(entry.subject_id)) if str(entry.subject_id).isdigit() else None
    return (names.get(key) if key else None) or str(_("a person"))


def _in_words(actor: Actor, entries: Any) -> None:
    """Each entry's subject and detail in words (``whose_words``, ``detail_words``), for the page and its files."""
    names = audit_subjects(actor, entries)
    for e in entries:
        e.whose_words = whose(e, names)
        e.detail_words = details.in_words(e.detail)
        e.through_words = plain.through(e.via)
        e.what_words = plain.kind_of_record(e.object_type) or plain.detail_sentence(e.object_type).rstrip(".")


def audit_export(actor: Actor, form: ListForm) -> list[AuditEntry]:
    """The trail as narrowed, for a spreadsheet. A copy of the trail leaving Peerwork is itself recorded."""
    found = list(form.apply(audit_entries(actor))[: listing.EXPORT_LIMIT])
    record(
        actor,
        Action.READ,
        object_type="audit.auditentry",
        detail=Detail("trail_file", format=form.export_kind, count=len(found)),
    )
    _in_words(actor, found)
    return found


def consent_service_user_id(actor: Actor, consent_id: int) -> int | None:
    """The person a consent of the actor's organisation is about (None for an id not in the organisation)."""
    return (
        Consent.objects.filter(organisation_id=actor.organisation_id, pk=consent_id, service_user__isnull=False)
        .values_list("service_user_id", flat=True)
        .first()
    )


def audit_problems(actor: Actor) -> list[Any]:
    """Check the organisation's hash-chained trail (data protection officer); the check itself is audited."""
    actor.require(Role.DPO)
    problems = list(verify_chain(actor.organisation_id))
    record(actor, Action.READ, object_type="privacy.auditentry", detail=Detail("chain_verified"))
    return problems


# --- consent: the peer worker's page and the professional's page -----------------------------------------


@dataclass
class ConsentPage:
    person: ServiceUser
    consents: list[Consent]
    goals: list[Goal]
    notes: list[Contact]
    units: list[Unit]
    professionals: list[User]
    care_team_goals: int


def consent_page(actor: Actor, service_user_id: int) -> ConsentPage:
    """Everything the consent page shows about one person, for someone who may manage their consents."""
    person = access.person_for_consent(actor, service_user_id)
    consents = list(
        Consent.objects.filter(organisation_id=actor.organisation_id, service_user=person)
        .select_related("recipient_unit", "recipient_user", "recorded_by", "withdrawn_by")
        .prefetch_related(Prefetch("items", queryset=ConsentItem.objects.select_related("goal", "contact")))
        .order_by("-recorded_at", "-id")
    )
    goals = list(
        Goal.objects.filter(organisation_id=actor.organisation_id, service_user=person)
        .filter(~Q(visibility=Visibility.PRIVATE) | Q(created_by=actor.user))
        .order_by("achieved_on", "closed_on", "created_at")
    )
    # Notes are offered only to their author (or once already marked for the care team): choosing what
    # to share must not show anyone a note they could not read before.
    notes = list(
        Contact.objects.filter(organisation_id=actor.organisation_id, engagement__service_user=person)
        .filter(Q(peer_worker=actor.user) | Q(note_visibility=Visibility.CARE_TEAM))
        .exclude(note="")
        .order_by("-date", "-start_time")[:30]
    )
    units = list(Unit.objects.filter(organisation_id=actor.organisation_id).order_by("name"))
    professionals = list(
        User.objects.filter(memberships__organisation_id=actor.organisation_id, memberships__role=Role.PROFESSIONAL)
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )
    record(actor, Action.READ, person, subject=person, detail=Detail("shown", page="consents"))
    return ConsentPage(
        person=person,
        consents=consents,
        goals=goals,
        notes=notes,
        units=units,
        professionals=professionals,
        care_team_goals=sum(1 for g in goals if g.visibility == Visibility.CARE_TEAM),
    )


@dataclass
class SharedPerson:
    person: ServiceUser
    consents: list[Consent] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    notes: list[Contact] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    contact_count: int = 0
    summaries: bool = False


# Each person is a section of goals, ratings, contacts and notes: ten to a page keeps it quick to read and load.
SHARED_PER_PAGE = 10
SUMMARY_ROWS = 10


def shared_with_me(actor: Actor, page: int = 1) -> tuple[list[SharedPerson], int]:
    """The professional's page: each person who has a valid consent naming the reader or their unit, with
    only what that consent covers. Asked again on every load; a withdrawal shows at once. Returns the
    people on ``page`` and the total number of people (for this reader only)."""
    actor.require(Role.PROFESSIONAL)
    consents = consent_rules.sharing_consents(actor).filter(service_user__anonymised_at__isnull=True)
    person_ids = list(
        consents.order_by("service_user__chosen_name", "service_user_id")
        .values_list("service_user_id", flat=True)
        .distinct()
    )
    # distinct() with an ordering on a joined column can repeat ids on some databases: dedupe in order.
    seen: dict[int, None] = {}
    for pk in person_ids:
        seen.setdefault(pk, None)
    ordered = list(seen)
    total = len(ordered)
    start = max(page - 1, 0) * SHARED_PER_PAGE
    shown = ordered[start : start + SHARED_PER_PAGE]
    if not shown:
        return [], total
    people = {
        p.pk: SharedPerson(person=p)
        for p in ServiceUser.objects.filter(organisation_id=actor.organisation_id, pk__in=shown)
    }
    for c in consents.filter(service_user_id__in=shown).select_related("recipient_unit", "recipient_user"):
        if c.service_user_id is None:  # a staff member's own consent never shares anything
            continue
        people[c.service_user_id].consents.append(c)
        people[c.service_user_id].summaries |= c.contact_summaries
    goals = (
        consent_rules.visible_goals_for_professional(actor)
        .filter(service_user_id__in=shown)
        .prefetch_related(Prefetch("ratings", queryset=GoalRating.objects.order_by("rated_on")))
        .order_by("created_at", "pk")
    )
    for g in goals:
        people[g.service_user_id].goals.append(g)
    notes = (
        consent_rules.visible_notes_for_professional(actor)
        .filter(engagement__service_user_id__in=shown)
        .select_related("engagement")
        .order_by("-date", "-start_time")
    )
    for n in notes:
        people[n.engagement.service_user_id].notes.append(n)
    with_summaries = [pk for pk in shown if people[pk].summaries]
    if with_summaries:
        rows = (
            Contact.objects.filter(
                organisation_id=actor.organisation_id, engagement__service_user_id__in=with_summaries
            )
            .annotate(
                person_id=F("engagement__service_user_id"),
                n=Window(
                    RowNumber(),
                    partition_by=[F("engagement__service_user_id")],
                    order_by=[F("date").desc(), F("start_time").desc()],
                ),
                total=Window(Count("id"), partition_by=[F("engagement__service_user_id")]),
            )
            .values("person_id", "date", "channel", "duration_minutes", "initiated_by", "n", "total")
        )
        labels = dict(Contact.Channel.choices)
        for row in rows:
            target = people[row["person_id"]]
            target.contact_count = row["total"]
            if row["n"] <= SUMMARY_ROWS:
                row["channel_label"] = labels.get(row["channel"], row["channel"])
                target.contacts.append(row)
        for pk in with_summaries:
            people[pk].contacts.sort(key=lambda r: r["n"])
    out = [people[pk] for pk in shown if pk in people]
    record_many(actor, Action.READ, [(p.person, p.person) for p in out], detail=Detail("shown", page="shared_with_me"))
    return out, total


CONSENT_LIST_PER_PAGE = 50


class ActiveConsents(TypedDict):
    active_consents: int


def consent_people(actor: Actor, page: int = 1) -> tuple[list[WithAnnotations[ServiceUser, ActiveConsents]], int]:
    """People whose consents the actor manages: a peer worker's active engagements; for coordinators and the
    data protection officer, everyone with an active engagement in the organisation."""
    actor.require(*access.CONSENT_ROLES)
    qs = ServiceUser.objects.filter(
        organisation_id=actor.organisation_id, anonymised_at__isnull=True, engagements__closed_on__isnull=True
    )
    if not actor.has(Role.COORDINATOR, Role.DPO):
        qs = qs.filter(engagements__peer_worker_id=actor.user.pk)
    qs = qs.annotate(
        active_consents=Count(
            "consents",
            filter=consent_rules.valid_q(prefix="consents__"),
            distinct=True,
        )
    ).order_by("chosen_name", "pk")
    total = qs.count()
    start = max(page - 1, 0) * CONSENT_LIST_PER_PAGE
    found = list(qs[start : start + CONSENT_LIST_PER_PAGE])
    record_many(actor, Action.READ, [(p, p) for p in found], detail=Detail("shown", page="consent_list"))
    return found, total


# --- subject rights (data protection officer) ------------------------------------------------------------

SEARCH_LIMIT = 50


def _dpo_person(actor: Actor, service_user_id: int) -> ServiceUser:
    actor.require(*access.SUBJECT_RIGHTS_ROLES)
    found = (
        ServiceUser.objects.filter(organisation_id=actor.organisation_id, pk=service_user_id)
        .select_related("organisation")
        .first()
    )
    if found is None:
        raise Http404
    return found


def search_people(actor: Actor, words: str) -> list[ServiceUser]:
    """Find a person in the actor's organisation by name, phone, e-mail or number. The words are never
    stored: the audit entries name the people shown, not what was searched for."""
    actor.require(*access.SUBJECT_RIGHTS_ROLES)
    words = (words or "").strip()
    if not words:
        return []
    match = Q(chosen_name__icontains=words) | Q(phone__icontains=words) | Q(email__iexact=words)
    if words.lstrip("#").isdigit():
        match |= Q(pk=int(words.lstrip("#")))
    found = list(
        ServiceUser.objects.filter(match, organisation_id=actor.organisation_id).order_by("chosen_name", "pk")[
            :SEARCH_LIMIT
        ]
    )
    record_many(actor, Action.READ, [(p, p) for p in found], detail=Detail("shown", page="search"))
    return found


def person_overview(actor: Actor, service_user_id: int) -> dict[str, Any]:
    person = _dpo_person(actor, service_user_id)
    counts = ServiceUser.objects.filter(pk=person.pk).aggregate(
        engagements=Count("engagements", distinct=True),
        goals=Count("goals", distinct=True),
        referrals=Count("referrals", distinct=True),
    )
    counts["contacts"] = Contact.objects.filter(
        organisation_id=actor.organisation_id, engagement__service_user=person
    ).count()
    consents = list(
        Consent.objects.filter(organisation_id=actor.organisation_id, service_user=person)
        .select_related("recipient_unit", "recipient_user")
        .order_by("-given_on", "-id")
    )
    accesses = AuditEntry.objects.filter(
        organisation_id=actor.organisation_id, subject_type=subject.SUBJECT_TYPE, subject_id=str(person.pk)
    ).count()
    record(actor, Action.READ, person, subject=person, detail=Detail("shown", page="subject_rights"))
    return {
        "person": person,
        "counts": counts,
        "consents": consents,
        "accesses": accesses,
        "retention_due_on": retention.next_due_on(person),
        "retention_months": retention.months_for(actor.organisation_id),
    }


def export_person(actor: Actor, service_user_id: int, form: str) -> tuple[ServiceUser, dict[str, Any]]:
    """Everything held about the person (GDPR Art. 15 and 20), audited as an EXPORT."""
    person = _dpo_person(actor, service_user_id)
    data = subject.collect(person)
    record(actor, Action.EXPORT, person, subject=person, detail=Detail("subject_access", format=form))
    return person, data


ACCESS_PER_PAGE = 50


def accesses(organisation_id: int, subject: Any) -> QuerySet[AuditEntry]:
    """Every audit entry of the organisation whose subject is ``subject`` (a service user or a staff
    member), newest first: the one access-report selector, for the data protection officer's report on a
    person and for a peer worker's own "who looked at my work". Callers check who may ask."""
    return (
        AuditEntry.objects.filter(
            organisation_id=organisation_id,
            subject_type=subject._meta.label_lower,
            subject_id=str(subject.pk),
        )
        .select_related("actor")
        .order_by("-id")
    )


def access_entries(actor: Actor, service_user_id: int) -> tuple[ServiceUser, QuerySet[AuditEntry]]:
    """Every entry about the person, one by one (the API's access report, for machines)."""
    person = _dpo_person(actor, service_user_id)
    entries = accesses(actor.organisation_id, person)
    record(
        actor,
        Action.READ,
        object_type="privacy.auditentry",
        subject=person,
        detail=Detail("shown", page="access_report"),
    )
    return person, entries


def _people_in(entries: QuerySet[AuditEntry]) -> list[tuple[int, str]]:
    everyone = entries.filter(actor__isnull=False).values_list("actor_id", flat=True).distinct()
    return sorted(((u.pk, str(u)) for u in User.objects.filter(pk__in=everyone)), key=lambda p: p[1].lower())


def access_report_people(actor: Actor, service_user_id: int) -> list[tuple[int, str]]:
    """Everyone who read or changed the person's record (for the access report's filter), by name."""
    person = _dpo_person(actor, service_user_id)
    return _people_in(accesses(actor.organisation_id, person).order_by())


@dataclass
class AccessDay:
    """One person's reads and changes of someone's record on one day, in one role: a row of the access report."""

    day: date
    who: str
    role: str
    reads: int = 0
    changes: int = 0
    exports: int = 0
    kinds: list[str] = field(default_factory=list)
    through: list[str] = field(default_factory=list)
    what: list[str] = field(default_factory=list)  # the entries' details, in words


@dataclass
class AccessReport:
    person: ServiceUser
    days: list[AccessDay]
    people: list[tuple[int, str]]  # everyone who appears in the person's report, for the filter
    entries: int


def access_report(
    actor: Actor,
    service_user_id: int,
    *,
    who: int | None = None,
    start: date | None = None,
    end: date | None = None,
    csv: bool = False,
) -> AccessReport:
    """Who read or changed the person's data, summed up per day, per person who did it and their role: how often
    they read, changed or exported, which kinds of record, what was done (each entry's detail in words) and
    whether through a page, the API or a job.
    Filtered by who and by a period of days (in the service's time zone). Audited as a read (the page) or an
    export (the CSV file), with the person as subject."""
    person = _dpo_person(actor, service_user_id)
    entries = accesses(actor.organisation_id, person).order_by()
    people = _people_in(entries)
    names = dict(people)
    if who is not None:
        entries = entries.filter(actor_id=who)
    local = timezone.get_current_timezone()
    if start is not None:
        entries = entries.filter(at__gte=datetime.combine(start, time.min, tzinfo=local))
    if end is not None:
        entries = entries.filter(at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=local))
    grouped = (
        entries.annotate(
            day=TruncDate("at", tzinfo=local),
            through=Case(
                When(via__startswith="API ", then=V("api")),
                When(via__startswith="/", then=V("page")),
                default=V("job"),
            ),
        )
        .values("day", "actor_id", "actor_label", "role", "action", "object_type", "through", "detail")
        .annotate(n=Count("id"))
        .order_by("-day", "actor_id", "role")
    )
    roles = dict(Role.choices)
    rows: dict[tuple[Any, ...], AccessDay] = {}
    total = 0
    for g in grouped:
        key = (g["day"], g["actor_id"], g["actor_label"], g["role"])
        row = rows.get(key)
        if row is None:
            name = names.get(g["actor_id"]) or g["actor_label"] or str(_("someone no longer here"))
            row = rows[key] = AccessDay(day=g["day"], who=name, role=str(roles.get(g["role"], "")))
        n = g["n"]
        total += n
        if g["action"] == Action.READ:
            row.reads += n
        elif g["action"] == Action.EXPORT:
            row.exports += n
        else:
            row.changes += n
        kind = plain.kind_of_record(g["object_type"])
        if kind and kind not in row.kinds:
            row.kinds.append(kind)
        through = str(plain.THROUGH[g["through"]])
        if through not in row.through:
            row.through.append(through)
        said = details.in_words(g["detail"])
        if said and said not in row.what:
            row.what.append(said)
    record(
        actor,
        Action.EXPORT if csv else Action.READ,
        object_type="privacy.auditentry",
        subject=person,
        detail=Detail("downloaded", page="access_report", format="csv")
        if csv
        else Detail("shown", page="access_report"),
    )
    return AccessReport(person=person, days=list(rows.values()), people=people, entries=total)


@dataclass
class Look:
    """One time someone else opened or changed a peer worker's work, in words."""

    at: Any
    who: str
    role: str
    what: str
    reason: str


# What a peer worker's own record holds, by the audit entry's object type (and, for the profile, its detail).
_WHAT = {
    "service.workload": (_("looked at your workload"), _("changed your workload")),
    "service.caseload": (_("looked at your caseload"), _("changed your caseload")),
    "service.guidancesession": (_("read your guidance record"), _("wrote in your guidance record")),
    "privacy.peerworkerconsent": (_("read your consent to evaluation"), _("changed your consent to evaluation")),
}
MY_LOOKS_SHOWN = 200


def _look_what(entry: AuditEntry) -> str:
    read = entry.action == Action.READ
    if entry.object_type == "service.peerworkerprofile":
        said = details.params_of(entry.detail)
        page = str(said.get("page") or said.get("k") or entry.detail)
        if "availability" in page:
            return str(_("looked at your availability") if read else _("changed your availability"))
        if page in ("lived_experience", "lived experience"):
            return str(_("read your lived experience") if read else _("changed your lived experience"))
        return str(_("looked at your matching profile") if read else _("changed your matching profile"))
    pair = _WHAT.get(entry.object_type)
    if pair is not None:
        return str(pair[0] if read else pair[1])
    return str(_("looked at your record") if read else _("changed your record"))


def who_looked_at_my_work(actor: Actor) -> list[Look]:
    """For a peer worker: who else read or changed their workload, caseload, profile or guidance, when and
    why, in words: the same audit entries the data protection officer's access report reads (``accesses``),
    with the reason a coordinator gave (``service.access.AccessReason``) and without their own visits."""
    actor.require(*access.PEER_WORKER_ROLES)
    entries = list(accesses(actor.organisation_id, actor.user).exclude(actor_id=actor.user.pk)[:MY_LOOKS_SHOWN])
    record(
        actor,
        Action.READ,
        object_type="privacy.auditentry",
        subject=actor.user,
        detail=Detail("shown", page="who_looked"),
    )
    roles = dict(Role.choices)
    reasons = dict(AccessReason.choices)
    out = []
    for e in entries:
        code = reason_of(e.detail)
        out.append(
            Look(
                at=e.at,
                who=str(e.actor) if e.actor is not None else e.actor_label or str(_("someone no longer here")),
                role=str(roles.get(e.role, "")),
                what=_look_what(e),
                reason=str(reasons[code]) if code else "",
            )
        )
    return out


RETENTION_PAGE = 50


def retention_overview(actor: Actor, today: date, number: Any = 1) -> dict[str, Any]:
    """The organisation's retention period and one page of the records due today (``due``), with how many are
    due in all (``due_count``). The due list is worked out by two grouped queries whatever its length; only
    the page shown is rendered."""
    actor.require(Role.DPO)
    record(actor, Action.READ, object_type="privacy.retentionpolicy", detail=Detail("shown", page="retention"))
    months = retention.months_for(actor.organisation_id)
    found = retention.due(actor.organisation_id, today, months)
    return {
        "months": months,
        "due": Paginator(found, RETENTION_PAGE).get_page(number),
        "due_count": len(found),
    }


def evaluation_exports(actor: Actor) -> list[EvaluationExport]:
    actor.require(*access.EVALUATION_ROLES)
    keys = PseudonymKey.objects.filter(export_id=OuterRef("pk"))
    return list(
        EvaluationExport.objects.filter(organisation_id=actor.organisation_id)
        .defer("content")
        .select_related("created_by")
        .annotate(has_key=Exists(keys))
        .order_by("-created_at", "-id")[:100]
    )


def my_consents(actor: Actor, purpose: str = Consent.Purpose.EVALUATION) -> list[Consent]:
    """The actor's own consents for ``purpose`` (a peer worker's to use in evaluation), newest first. Only
    the person themself reads them; the read is audited with them as subject."""
    roles = access.OWN_CONSENT_ROLES.get(purpose)
    if roles is None:
        raise PermissionDenied
    actor.require(*roles)
    found = list(
        Consent.objects.filter(
            organisation_id=actor.organisation_id, staff_member=actor.user, purpose=purpose, study=""
        ).order_by("-recorded_at", "-id")
    )
    if found:
        record(
            actor,
            Action.READ,
            object_type="privacy.consent",
            detail=Detail("own_consent", purpose=purpose),
            subject=actor.user,
        )
    return found


def evaluation_export(actor: Actor, export_id: int) -> EvaluationExport:
    actor.require(*access.EVALUATION_ROLES)
    found = EvaluationExport.objects.filter(organisation_id=actor.organisation_id, pk=export_id).first()
    if found is None:
        raise Http404
    record(actor, Action.EXPORT, found, detail=Detail("extract_downloaded"))
    return found


def pseudonym_key(actor: Actor, export_id: int) -> tuple[EvaluationExport, PseudonymKey | None]:
    """The key of one extract: the data protection officer only, and every look is audited."""
    actor.require(Role.DPO)
    export = EvaluationExport.objects.filter(organisation_id=actor.organisation_id, pk=export_id).first()
    if export is None:
        raise Http404
    key = PseudonymKey.objects.filter(organisation_id=actor.organisation_id, export=export).first()
    record(
        actor,
        Action.READ,
        object_type="privacy.pseudonymkey",
        object_id=str(key.pk) if key else "",
        detail=Detail("export_key", export=export.pk),
    )
    return export, key


# --- peer workers' own data ------------------------------------------------------------------------------


@dataclass
class LivedExperience:
    peer_worker: User
    profile: Any  # service.PeerWorkerProfile, or None when none is recorded
    conflicts: list[Any]  # service.DeclaredConflict, with their service user


def lived_experience(actor: Actor, peer_worker_id: int) -> LivedExperience:
    """A peer worker's self-declared lived experience and declared acquaintances: for the peer worker
    themself and the programme coordinators of their organisation only, each read audited with the peer
    worker as subject. Anyone else is refused; someone outside the organisation is not found.

    The service's pages call this (or apply ``access.may_read_lived_experience``) before showing a profile."""
    member = (
        Membership.objects.filter(
            organisation_id=actor.organisation_id,
            user_id=peer_worker_id,
            role__in=(Role.PEER_WORKER, Role.SENIOR_PEER_WORKER),
        )
        .select_related("user")
        .first()
    )
    if member is None:
        raise Http404
    if not access.may_read_lived_experience(actor, peer_worker_id):
        raise PermissionDenied
    profile = PeerWorkerProfile.objects.filter(organisation_id=actor.organisation_id, user_id=peer_worker_id).first()
    conflicts = (
        list(
            DeclaredConflict.objects.filter(organisation_id=actor.organisation_id, profile=profile)
            .select_related("service_user")
            .order_by("declared_on", "pk")
        )
        if profile
        else []
    )
    record(
        actor,
        Action.READ,
        profile,
        object_type="service.peerworkerprofile",
        subject=member.user,
        detail=Detail("shown", page="lived_experience"),
    )
    return LivedExperience(peer_worker=member.user, profile=profile, conflicts=conflicts)
