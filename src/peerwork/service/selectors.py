"""Every read of the peer recovery service, scoped in SQL to the actor and audited.

Scope rules are in ``access.py``. Each function that returns a service user's data records a READ entry with
that person as the subject (lists use ``record_many``: one entry per person shown, at a fixed query cost).
Notes and goals the actor may not read are not loaded into the page at all: their text is replaced before
it leaves this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    F,
    Func,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from peerwork.accounts.models import Membership, User
from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record, record_many
from peerwork.core import listing
from peerwork.core.actor import Actor
from peerwork.core.listing import ListForm
from peerwork.core.roles import Role

from . import access, candidates, matching_adapter, workload
from . import availability as availability_rules
from .models import (
    AvailabilityChange,
    Contact,
    ContactAgreement,
    DeclaredConflict,
    Engagement,
    EngagementExtension,
    Goal,
    GoalRating,
    GoalRevision,
    GuidanceAgendaItem,
    GuidanceParticipant,
    GuidanceRelationship,
    GuidanceSession,
    GuidanceShare,
    MatchingSettings,
    MatchProposal,
    PeerWorkerProfile,
    ProposedCandidate,
    Referral,
    ServiceUser,
    StrainAction,
    Visibility,
    WorkloadSettings,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

REVIEW_HORIZON_DAYS = 14
QUEUE_PAGE = 50
DUE_SHOWN = 25  # the dashboard lists the first ones; its figure counts them all
CONTACTS_SHOWN = 20  # an engagement page shows this many contacts, newest first; earlier ones page by page


class NoteAccess(TypedDict):
    note_readable: bool


class CaseloadFacts(TypedDict):
    last_contact: date | None
    contacts_this_week: int
    review_due: bool


class DueFacts(TypedDict):
    end_soon: bool
    review_overdue: bool


if TYPE_CHECKING:
    ReadableContact = WithAnnotations[Contact, NoteAccess]
    CaseloadRow = WithAnnotations[Engagement, CaseloadFacts]
    DueEngagement = WithAnnotations[Engagement, DueFacts]


def _today() -> date:
    return timezone.localdate()


# --- referrals -------------------------------------------------------------------------------------------


def open_referrals(actor: Actor) -> QuerySet[Referral]:
    actor.require(Role.COORDINATOR)
    return (
        Referral.objects.filter(organisation_id=actor.organisation_id, status__in=Referral.OPEN)
        .select_related("service_user")
        .order_by("received_on", "id")
    )


def queue(actor: Actor, limit: int | None = None, offset: int = 0) -> list[Referral]:
    """The waiting list, longest waiting first (one page of it)."""
    qs = open_referrals(actor)
    found = list(qs[offset : offset + limit] if limit else qs[offset:])
    record_many(actor, Action.READ, [(r, r.service_user) for r in found], detail=Detail("shown", page="referral_queue"))
    return found


def queue_page(actor: Actor, form: ListForm, number: Any) -> Page[Referral]:
    """One page of the waiting list as the coordinator narrowed and ordered it; each row read is recorded
    as the queue's rows are."""
    page = listing.paginate(form.apply(open_referrals(actor)), number, QUEUE_PAGE)
    page.object_list = found = list(page.object_list)
    record_many(actor, Action.READ, [(r, r.service_user) for r in found], detail=Detail("shown", page="referral_queue"))
    return page


def queue_export(actor: Actor, form: ListForm) -> list[Referral]:
    """The whole waiting list as narrowed and ordered, for a spreadsheet; each row recorded as on the page."""
    found = list(form.apply(open_referrals(actor))[: listing.EXPORT_LIMIT])
    record_many(
        actor,
        Action.READ,
        [(r, r.service_user) for r in found],
        detail=Detail("downloaded", page="referral_queue", format=form.export_kind),
    )
    return found


def referral(actor: Actor, pk: int) -> Referral:
    actor.require(Role.COORDINATOR)
    found = (
        Referral.objects.filter(organisation_id=actor.organisation_id, pk=pk)
        .select_related("service_user", "created_by")
        .prefetch_related(
            Prefetch(
                "proposals",
                queryset=MatchProposal.objects.select_related("chosen", "proposed_by")
                .prefetch_related(
                    Prefetch("candidates", queryset=ProposedCandidate.objects.select_related("peer_worker"))
                )
                .order_by("-proposed_at"),
            )
        )
        .first()
    )
    if found is None:
        raise Http404
    record(actor, Action.READ, found, subject=found.service_user)
    return found


@dataclass
class ReferralPage:
    referral: Referral
    pending: MatchProposal | None  # the proposal waiting for the person's answer
    engagement: Engagement | None  # the engagement the referral led to, the latest if there were several


def referral_page(actor: Actor, pk: int) -> ReferralPage:
    """The referral page: the referral with its proposals, the one pending, and the engagement it led to."""
    found = referral(actor, pk)
    pending = next((p for p in found.proposals.all() if p.outcome == MatchProposal.Outcome.PENDING), None)
    engagement = Engagement.objects.filter(referral=found).select_related("peer_worker").order_by("-started_on").first()
    return ReferralPage(referral=found, pending=pending, engagement=engagement)


def referrals(actor: Actor, status: str | None = None) -> QuerySet[Referral]:
    """For the API: every referral of the organisation (coordinators), newest first."""
    actor.require(Role.COORDINATOR)
    qs = Referral.objects.filter(organisation_id=actor.organisation_id).select_related("service_user")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-received_on", "-id")


# --- engagements -----------------------------------------------------------------------------------------


def engagements(actor: Actor, *, peer_worker_id: int | None = None, active: bool | None = True) -> QuerySet[Engagement]:
    qs = Engagement.objects.filter(access.engagement_scope(actor), organisation_id=actor.organisation_id)
    if peer_worker_id is not None:
        qs = qs.filter(peer_worker_id=peer_worker_id)
    if active is not None:
        qs = qs.filter(closed_on__isnull=active)
    return qs.select_related("service_user", "peer_worker").order_by("service_user__chosen_name", "id")


def caseload(
    actor: Actor,
    peer_worker_id: int,
    *,
    include_closed: bool = False,
    reason: str = "",
    form: ListForm | None = None,
    export: bool = False,
) -> list[CaseloadRow]:
    """One peer worker's engagements with the last contact and this week's count: three queries. Someone
    else's caseload is also recorded with the peer worker as subject (and the reason, when one is needed),
    so the peer worker sees who looked at it."""
    if not access.may_see_peer_worker(actor, peer_worker_id):
        raise PermissionDenied
    if peer_worker_id != actor.user.pk:
        detail = access.reason_detail(actor, peer_worker_id, reason, "caseload")
        person = peer_worker(actor, peer_worker_id)
        record(
            actor,
            Action.READ,
            object_type="service.caseload",
            object_id=str(peer_worker_id),
            subject=person,
            detail=detail,
        )
    today = _today()
    week = workload.week_start(today)
    qs = engagements(actor, peer_worker_id=peer_worker_id, active=None if include_closed else True).annotate(
        last_contact=Max("contacts__date"),
        contacts_this_week=Count("contacts", filter=Q(contacts__date__gte=week)),
        review_due=_true_when(Q(next_review_on__lte=today + timedelta(days=REVIEW_HORIZON_DAYS))),
    )
    if form is not None:
        qs = form.apply(qs)
    found = list(qs[: listing.EXPORT_LIMIT] if export else qs)
    record_many(
        actor,
        Action.READ,
        [(e, e.service_user) for e in found],
        detail=(
            Detail("downloaded", page="caseload", format=form.export_kind)
            if export and form is not None
            else Detail("shown", page="caseload")
        ),
    )
    return found


def _true_when(condition: Q) -> Case:
    """True where ``condition`` holds, else False (never null: a missing date is simply not due)."""
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


@dataclass
class EngagementView:
    engagement: Engagement
    history: list[Engagement]
    contacts: list[ReadableContact]
    goals: list[Goal]
    may_log: bool
    may_manage: bool
    end_soon: bool
    contact_count: int = 0
    contact_pages: Page[Contact] | None = None  # which page of the contacts ``contacts`` is
    extra: dict[str, Any] = field(default_factory=dict)
    extensions: list[EngagementExtension] = field(default_factory=list)
    lengths: LengthFigures | None = None
    agreement: ContactAgreement | None = None


@dataclass
class LengthFigures:
    """How long the organisation's engagements run, beside the typical length (S3: typically up to two
    years): every engagement, those that ran past the typical length, those planned past it."""

    years: int
    total: int
    ran_past: int
    planned_past: int
    extended: int


class _AddYears(Func):
    """The day ``years`` after a date, in SQL, for comparisons (``<``, ``>``) with other dates only.

    On PostgreSQL it is interval arithmetic, which moves 29 February to 28 February in a year without one. On
    SQLite, where dates are ISO text, it is the same text with the year moved on: the 29 February of a year
    without one is no real day, but it sorts between the 28th and 1 March, so every comparison with a real
    date comes out as with 28 February. No date function is called per row, and no row is read into Python.
    """

    output_field = DateField()

    def __init__(self, expression: Any, years: int) -> None:
        super().__init__(expression)
        self.years = int(years)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]  # the stubs type the arguments more narrowly than Func.as_sql takes them
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql}) + interval '{self.years} years')::date", list(params)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"((CAST(substr({sql}, 1, 4) AS INTEGER) + {self.years}) || substr({sql}, 5))", list(params) * 2


def length_figures(organisation_id: int) -> LengthFigures:
    """One aggregate query, whatever the number of engagements (dates only: no person is named)."""
    today = _today()
    years = Engagement.TYPICAL_YEARS
    ran_past_open = Q(closed_on__isnull=True, typical_end__lt=today)
    figures = (
        Engagement.objects.filter(organisation_id=organisation_id)
        .annotate(typical_end=_AddYears(F("started_on"), years))
        .aggregate(
            total=Count("id"),
            ran_past=Count("id", filter=Q(closed_on__isnull=False, closed_on__gt=F("typical_end")) | ran_past_open),
            planned_past=Count(
                "id", filter=Q(closed_on__isnull=True, planned_end_on__gt=F("typical_end")) & ~ran_past_open
            ),
            extended=Count("id", filter=Exists(EngagementExtension.objects.filter(engagement=OuterRef("pk")))),
        )
    )
    return LengthFigures(years, figures["total"], figures["ran_past"], figures["planned_past"], figures["extended"])


def _readable_contacts(actor: Actor, qs: QuerySet[Contact], limit: int | None = None) -> list[ReadableContact]:
    """The contacts (newest first) with ``note_readable`` (``access.can_read``, worked out in the query), and
    the text of every note the actor may not read blanked before it leaves this module."""
    if limit == 0:
        return []  # pages that show no contacts ask for none (and then no scope is worked out)
    annotated = _annotated_contacts(actor, qs)
    return _blank_unreadable(list(annotated if limit is None else annotated[:limit]))


def _annotated_contacts(actor: Actor, qs: QuerySet[Contact]) -> QuerySet[Contact]:
    return qs.annotate(note_readable=access.readable(actor, "peer_worker_id", "note_visibility")).order_by(
        "-date", "-start_time", "-id"
    )


def _blank_unreadable(found: list[Any]) -> list[ReadableContact]:
    for c in found:
        if not c.note_readable:
            c.note = ""
    return found


def _visible_goals(actor: Actor, person_id: int, supports: bool) -> list[Goal]:
    goals = list(
        Goal.objects.filter(organisation_id=actor.organisation_id, service_user_id=person_id)
        .prefetch_related(
            Prefetch("ratings", queryset=GoalRating.objects.order_by("rated_on")),
            Prefetch("revisions", queryset=GoalRevision.objects.order_by("revised_at", "id")),
        )
        .order_by("achieved_on", "closed_on", "created_at")
    )
    return [g for g in goals if access.can_read_goal(actor, g.created_by_id, g.visibility, supports)]


def engagement(actor: Actor, pk: int, *, contact_limit: int = CONTACTS_SHOWN, contact_page: Any = 1) -> EngagementView:
    """The engagement page: the person, the handover history, one page of contacts (newest first,
    ``contact_limit`` to a page; page 1 is the latest, and earlier ones are a page number away) and the
    person's goals. The cost is the same whatever the number of contacts: one count and one page of rows."""
    found = (
        Engagement.objects.filter(access.engagement_scope(actor), organisation_id=actor.organisation_id, pk=pk)
        .select_related("service_user", "peer_worker", "previous__peer_worker", "referral", "contact_agreement")
        .first()
    )
    if found is None:
        raise Http404
    history: list[Engagement] = []
    prev = found.previous
    # Each handover is one link; chains are short (a handful at most), so walking them costs little.
    while prev is not None and len(history) < 10:
        history.append(prev)
        prev = (
            Engagement.objects.select_related("peer_worker").filter(pk=prev.previous_id).first()
            if prev.previous_id
            else None
        )
    contact_pages: Page[Contact] | None = None
    contacts: list[ReadableContact] = []
    if contact_limit:
        contact_pages = listing.paginate(_annotated_contacts(actor, found.contacts.all()), contact_page, contact_limit)
        contacts = _blank_unreadable(list(contact_pages.object_list))
    supports = found.peer_worker_id == actor.user.pk
    goals = _visible_goals(actor, found.service_user_id, supports)
    s = workload.settings_for(actor.organisation_id)
    today = _today()
    view = EngagementView(
        engagement=found,
        history=history,
        contacts=contacts,
        goals=goals,
        may_log=supports and found.closed_on is None,
        may_manage=(supports or access.is_coordinator(actor)) and found.closed_on is None,
        end_soon=found.closed_on is None and found.planned_end_on <= today + timedelta(days=s.end_reminder_days),
        contact_count=contact_pages.paginator.count if contact_pages is not None else found.contacts.count(),
        contact_pages=contact_pages,
        extensions=list(found.extensions.select_related("recorded_by")),
        lengths=length_figures(actor.organisation_id),
        agreement=getattr(found, "contact_agreement", None),
    )
    record(actor, Action.READ, found, subject=found.service_user)
    return view


def engagement_header(actor: Actor, pk: int) -> Engagement:
    """The engagement with its person and peer worker alone, for the pages that act on it (handover, back to
    the queue): scoped and recorded as the engagement page is, without its contacts, goals and figures."""
    found = (
        Engagement.objects.filter(access.engagement_scope(actor), organisation_id=actor.organisation_id, pk=pk)
        .select_related("service_user", "peer_worker")
        .first()
    )
    if found is None:
        raise Http404
    record(actor, Action.READ, found, subject=found.service_user)
    return found


def contacts(actor: Actor, engagement_id: int) -> list[ReadableContact]:
    """For the API: the contacts of one engagement the actor may open, notes redacted as on the page."""
    found = (
        Engagement.objects.filter(
            access.engagement_scope(actor), organisation_id=actor.organisation_id, pk=engagement_id
        )
        .select_related("service_user")
        .first()
    )
    if found is None:
        raise Http404
    out = _readable_contacts(actor, found.contacts.all())
    record(actor, Action.READ, found, subject=found.service_user, detail=Detail("shown", page="contacts"))
    return out


def goals(actor: Actor, engagement_id: int) -> list[Goal]:
    found = (
        Engagement.objects.filter(
            access.engagement_scope(actor), organisation_id=actor.organisation_id, pk=engagement_id
        )
        .select_related("service_user")
        .first()
    )
    if found is None:
        raise Http404
    supports = found.peer_worker_id == actor.user.pk
    out = _visible_goals(actor, found.service_user_id, supports)
    record(actor, Action.READ, found, subject=found.service_user, detail=Detail("shown", page="goals"))
    return out


def quick_add(actor: Actor) -> dict[str, Any]:
    """What the phone form needs: the peer worker's active engagements and their last choices (channel, length,
    who may read the note)."""
    actor.require(Role.PEER_WORKER)
    active = list(
        Engagement.objects.filter(organisation_id=actor.organisation_id, peer_worker=actor.user, closed_on__isnull=True)
        .select_related("service_user")
        .annotate(last_contact=Max("contacts__date"))
        .order_by("service_user__chosen_name", "id")
    )
    last = (
        Contact.objects.filter(organisation_id=actor.organisation_id, peer_worker=actor.user)
        .order_by("-date", "-start_time", "-id")
        .values("channel", "engagement_id", "duration_minutes", "note_visibility")
        .first()
    )
    record_many(actor, Action.READ, [(e, e.service_user) for e in active], detail=Detail("shown", page="quick_add"))
    return {"engagements": active, "last": last or {}}


# --- peer workers, workload, guidance --------------------------------------------------------------------


def peer_worker(actor: Actor, user_id: int) -> User:
    if not access.may_see_peer_worker(actor, user_id):
        raise PermissionDenied
    member = (
        Membership.objects.filter(organisation_id=actor.organisation_id, user_id=user_id, role=Role.PEER_WORKER)
        .select_related("user")
        .first()
    )
    if member is None:
        raise Http404
    return member.user


def profile(actor: Actor, user_id: int) -> PeerWorkerProfile:
    """A matching profile: the peer worker's own, or any in the organisation for a coordinator."""
    if user_id != actor.user.pk:
        actor.require(Role.COORDINATOR)
    user = peer_worker(actor, user_id)
    found = PeerWorkerProfile.objects.filter(organisation_id=actor.organisation_id, user_id=user_id).first()
    found = found or PeerWorkerProfile(organisation_id=actor.organisation_id, user=user)
    record(actor, Action.READ, found if found.pk else None, object_type="service.peerworkerprofile", subject=user)
    return found


def acquaintances_of(actor: Actor, person_id: int) -> list[DeclaredConflict]:
    """Peer workers who have declared knowing the person privately, with both sides' waivers."""
    actor.require(Role.COORDINATOR)
    return list(
        DeclaredConflict.objects.filter(organisation_id=actor.organisation_id, service_user_id=person_id)
        .select_related("profile__user", "peer_worker_waived_by", "person_waived_by")
        .order_by("profile__user__first_name", "pk")
    )


def acquainted_peer_workers(proposal: MatchProposal) -> set[int]:
    """Which of the proposal's peer workers know the person privately (read with the proposal)."""
    return set(
        DeclaredConflict.objects.filter(
            organisation_id=proposal.organisation_id, service_user__referrals__proposals=proposal
        ).values_list("profile__user_id", flat=True)
    )


@dataclass
class ProposedToMe:
    candidate: ProposedCandidate
    referral: Referral
    person: ServiceUser
    reasons: list[str]
    wishes: list[tuple[str, bool]]
    knows_privately: bool
    waived: bool
    handover: bool


def proposed_to_me(actor: Actor) -> list[ProposedToMe]:
    """The peer worker's proposals still waiting for the person: what they need to decide, in words."""
    actor.require(Role.PEER_WORKER)
    rows = list(
        ProposedCandidate.objects.filter(
            organisation_id=actor.organisation_id,
            peer_worker=actor.user,
            proposal__outcome=MatchProposal.Outcome.PENDING,
        )
        .select_related("proposal__referral__service_user")
        .order_by("proposal__proposed_at", "pk")
    )
    people = [c.proposal.referral.service_user_id for c in rows]
    known = {
        d.service_user_id: d
        for d in DeclaredConflict.objects.filter(
            organisation_id=actor.organisation_id, profile__user=actor.user, service_user_id__in=people
        )
    }
    out = []
    for c in rows:
        referral = c.proposal.referral
        person = referral.service_user
        flag = known.get(person.pk)
        out.append(
            ProposedToMe(
                candidate=c,
                referral=referral,
                person=person,
                reasons=matching_adapter.reason_texts(c.reasons),
                wishes=matching_adapter.wish_texts(person.wishes),
                knows_privately=flag is not None,
                waived=flag is not None and flag.peer_worker_waived_at is not None,
                handover=c.proposal.handover_from_id is not None,
            )
        )
    record_many(actor, Action.READ, [(r.candidate, r.person) for r in out], detail=Detail("shown", page="proposals"))
    return out


def proposed_to(actor: Actor, proposal_id: int) -> bool:
    """Whether the proposal was made to the acting peer worker (in their organisation): anyone else's, or
    another organisation's, is answered exactly like an id that does not exist."""
    return ProposedCandidate.objects.filter(
        organisation_id=actor.organisation_id, proposal_id=proposal_id, peer_worker=actor.user
    ).exists()


def pending_answers(actor: Actor) -> int:
    """How many proposals wait for the peer worker's own answer (for the home page)."""
    return ProposedCandidate.objects.filter(
        organisation_id=actor.organisation_id,
        peer_worker=actor.user,
        proposal__outcome=MatchProposal.Outcome.PENDING,
        answer=ProposedCandidate.Answer.PENDING,
    ).count()


@dataclass
class WorkloadView:
    user: User
    weeks: list[workload.Week]
    topics: list[workload.Topic]
    settings: Any
    active: int
    capacity: int
    actions: list[StrainAction] = field(default_factory=list)


def peer_workload(actor: Actor, user_id: int, *, weeks: int = 8, reason: str = "") -> WorkloadView:
    """One peer worker's weeks and the topics for guidance: seen by themself, coordinators, their guide
    (a coordinator who does not guide them gives a reason from ``access.AccessReason`` first)."""
    user = peer_worker(actor, user_id)
    detail = access.reason_detail(actor, user_id, reason, "workload")
    today = _today()
    s = workload.settings_for(actor.organisation_id)
    rows = workload.weeks_for(user_id, actor.organisation_id, today - timedelta(weeks=weeks - 1), today)
    found = workload.bursts(actor.organisation_id, [user_id], today, s)
    state = workload.guidance_states(actor.organisation_id, [user_id]).get(user_id)
    cand = candidates.load(actor.organisation_id, [user_id])
    profiles = {user_id: cand[0].profile} if cand else {}
    check = workload.agreement_checks(actor.organisation_id, [user_id], today, profiles).get(user_id)
    this_week = workload.with_agreements(rows[-1] if rows else None, check)
    topics = workload.week_topics(this_week, s) + (check.topics if check else []) + workload.burst_topics(found)
    topics += workload.guidance_topics(state, today, s)
    workload.name_people(topics, actor.organisation_id)
    record(actor, Action.READ, object_type="service.workload", object_id=str(user_id), subject=user, detail=detail)
    return WorkloadView(
        user=user,
        weeks=rows,
        topics=topics,
        settings=s,
        active=cand[0].active if cand else 0,
        capacity=cand[0].profile.capacity if cand else 0,
        actions=list(
            StrainAction.objects.filter(organisation_id=actor.organisation_id, peer_worker_id=user_id)
            .select_related("recorded_by")
            .order_by("-taken_on", "-id")[:10]
        ),
    )


def _sessions_with_people() -> QuerySet[GuidanceSession]:
    return GuidanceSession.objects.select_related("guide").prefetch_related(
        Prefetch("participants", queryset=GuidanceParticipant.objects.select_related("peer_worker").order_by("id")),
        Prefetch("agenda", queryset=GuidanceAgendaItem.objects.select_related("author")),
    )


def guidance_of(actor: Actor, user_id: int) -> tuple[User, list[GuidanceSession]]:
    """One peer worker's guidance sessions that the actor may read: for the peer worker themself and their
    current guides (see ``access.session_scope``). Nobody else opens this page, coordinators included."""
    if not access.may_read_guidance_of(actor, user_id):
        raise PermissionDenied
    member = (
        Membership.objects.filter(organisation_id=actor.organisation_id, user_id=user_id, role=Role.PEER_WORKER)
        .select_related("user")
        .first()
    )
    if member is None:
        raise Http404
    found = list(
        _sessions_with_people()
        .filter(
            access.session_scope(actor), organisation_id=actor.organisation_id, participants__peer_worker_id=user_id
        )
        .order_by("-meets_on", "-id")
    )
    if found:
        record(
            actor,
            Action.READ,
            object_type="service.guidancesession",
            detail=Detail("shown", page="list"),
            subject=member.user,
        )
    return member.user, found


@dataclass
class SessionView:
    session: GuidanceSession
    participants: list[GuidanceParticipant]
    agenda: list[GuidanceAgendaItem]
    mine: GuidanceParticipant | None  # the actor's own part, with their private note
    notes_for_guide: list[GuidanceParticipant]  # notes the participants chose to share with the actor (the guide)
    is_guide: bool
    shares: list[GuidanceShare]  # the one-to-one record's extra readers (shown to its peer worker only)


def guidance_session(actor: Actor, pk: int) -> SessionView:
    """One session the actor may read, with the parts meant for them."""
    session = (
        _sessions_with_people()
        .filter(access.session_scope(actor), organisation_id=actor.organisation_id, pk=pk)
        .first()
    )
    if session is None:
        raise Http404
    participants = list(session.participants.all())
    mine = next((p for p in participants if p.peer_worker_id == actor.user.pk), None)
    is_guide = session.guide_id == actor.user.pk
    notes = [p for p in participants if is_guide and p.hard_now_shared and p.hard_now]
    shares: list[GuidanceShare] = []
    if mine is not None and not session.is_group_session:
        shares = list(session.shares.select_related("reader").order_by("shared_at"))
    record_many(actor, Action.READ, [(session, p.peer_worker) for p in participants])
    return SessionView(session, participants, list(session.agenda.all()), mine, notes, is_guide, shares)


def next_sessions(actor: Actor) -> list[GuidanceSession]:
    """The peer worker's planned sessions, soonest first (their guidance page and home page)."""
    actor.require(Role.PEER_WORKER)
    return list(
        GuidanceSession.objects.filter(
            organisation_id=actor.organisation_id,
            participants__peer_worker=actor.user,
            status=GuidanceSession.Status.PLANNED,
            meets_on__gte=_today(),
        )
        .select_related("guide")
        .order_by("meets_on", "id")[:5]
    )


def guides_of(actor: Actor, user_id: int) -> list[GuidanceRelationship]:
    """Who guides the peer worker now or from a later day (shown to the peer worker and their guides)."""
    if not access.may_read_guidance_of(actor, user_id) and not access.is_coordinator(actor):
        raise PermissionDenied
    today = _today()
    return list(
        GuidanceRelationship.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
            organisation_id=actor.organisation_id,
            peer_worker_id=user_id,
        )
        .select_related("guide", "set_by")
        .order_by("starts_on", "id")
    )


def relationships(actor: Actor) -> list[GuidanceRelationship]:
    """Every guidance relationship in the organisation that has not ended (the coordinator's page)."""
    actor.require(Role.COORDINATOR)
    found = list(
        GuidanceRelationship.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=_today()), organisation_id=actor.organisation_id
        )
        .select_related("peer_worker", "guide", "set_by")
        .order_by("peer_worker__first_name", "peer_worker__last_name", "starts_on", "id")
    )
    record(actor, Action.READ, object_type="service.guidancerelationship", detail=Detail("shown", page="list"))
    return found


def people_with_role(actor: Actor, *roles: str) -> list[tuple[int, str]]:
    """(id, name) of the organisation's members holding one of ``roles``, for the guidance forms' choices."""
    actor.require(*access.SERVICE_ROLES)
    users = (
        User.objects.filter(memberships__organisation_id=actor.organisation_id, memberships__role__in=roles)
        .distinct()
        .order_by("first_name", "last_name", "id")
    )
    return [(u.pk, str(u)) for u in users]


@dataclass
class PeerWorkerRow:
    user: User
    active: int
    capacity: int
    room: int
    accepting: bool
    on_hold: bool
    week: workload.Week
    topics: list[workload.Topic]
    guidance: workload.GuidanceState | None


def _peer_worker_rows(
    actor: Actor, only: set[int] | None, today: date, s: WorkloadSettings | None = None
) -> list[PeerWorkerRow]:
    s = s or workload.settings_for(actor.organisation_id)
    cands = candidates.load(actor.organisation_id, sorted(only) if only is not None else None)
    ids = [c.user.pk for c in cands]
    weeks = workload.current_weeks(actor.organisation_id, ids, today)
    found = workload.bursts(actor.organisation_id, ids, today, s)
    states = workload.guidance_states(actor.organisation_id, ids)
    checks = workload.agreement_checks(actor.organisation_id, ids, today, {c.user.pk: c.profile for c in cands})
    by_pw: dict[int, list[workload.Burst]] = {}
    for b in found:
        by_pw.setdefault(b.peer_worker_id, []).append(b)
    rows = []
    for c in cands:
        uid = c.user.pk
        week = weeks.get(uid) or workload.Week(workload.week_start(today))
        check = checks.get(uid)
        judged = workload.with_agreements(week, check)
        topics = workload.week_topics(judged, s) + (check.topics if check else [])
        topics += workload.burst_topics(by_pw.get(uid, []))
        topics += workload.guidance_topics(states.get(uid), today, s)
        p = c.profile
        rows.append(
            PeerWorkerRow(c.user, c.active, p.capacity, c.room, c.open_to_new, p.on_hold, week, topics, states.get(uid))
        )
    workload.name_people([t for r in rows for t in r.topics], actor.organisation_id)
    return rows


def due_scope(actor: Actor, *, everyone: bool = False) -> frozenset[int] | None:
    """Whose engagements a coordinator's overview counts: by default the peer workers they guide (a
    coordinator follows a team, S3), everyone when asked or when they guide nobody. None means everyone."""
    mine = access.guided_ids(actor)
    return mine if mine and not everyone else None


def due_engagements(
    actor: Actor, *, everyone: bool = False, settings: WorkloadSettings | None = None
) -> QuerySet[Engagement]:
    """The one definition of "reviews or endings due": open engagements whose next review falls within
    ``REVIEW_HORIZON_DAYS`` or whose planned end falls within the organisation's reminder days, among the
    peer workers ``due_scope`` names. The home page and the dashboard both count this, so they agree."""
    actor.require(Role.COORDINATOR)
    today = _today()
    s = settings or workload.settings_for(actor.organisation_id)
    horizon = today + timedelta(days=REVIEW_HORIZON_DAYS)
    end_horizon = today + timedelta(days=s.end_reminder_days)
    qs = Engagement.objects.filter(organisation_id=actor.organisation_id, closed_on__isnull=True).filter(
        Q(next_review_on__lte=horizon) | Q(planned_end_on__lte=end_horizon)
    )
    only = due_scope(actor, everyone=everyone)
    if only is not None:
        qs = qs.filter(peer_worker_id__in=sorted(only))
    return qs.annotate(
        end_soon=_true_when(Q(planned_end_on__lte=end_horizon)),
        review_overdue=_true_when(Q(next_review_on__lt=today)),
    )


def dashboard(actor: Actor, *, everyone: bool = False) -> dict[str, Any]:
    """The coordinator's overview: queue, each peer worker's room, reviews due, strain, guidance due."""
    actor.require(Role.COORDINATOR)
    today = _today()
    s = workload.settings_for(actor.organisation_id)
    open_qs = open_referrals(actor)
    waiting = list(open_qs[:10])
    counts = open_qs.aggregate(
        total=Count("id"),
        waiting=Count("id", filter=Q(status=Referral.Status.WAITING)),
        proposed=Count("id", filter=Q(status=Referral.Status.PROPOSED)),
    )
    mine = access.guided_ids(actor)
    only = due_scope(actor, everyone=everyone)
    rows = _peer_worker_rows(actor, set(only) if only is not None else None, today, s)
    due_qs = due_engagements(actor, everyone=everyone, settings=s)
    due_total = due_qs.count()
    # The annotations come from ``due_engagements``; the type checker cannot follow them through a helper.
    due = cast(
        "list[DueEngagement]",
        list(
            due_qs.select_related("service_user", "peer_worker").order_by("next_review_on", "planned_end_on", "id")[
                :DUE_SHOWN
            ]
        ),
    )
    handovers = handovers_to_do(actor)
    record_many(
        actor,
        Action.READ,
        [(r, r.service_user) for r in waiting]
        + [(e, e.service_user) for e in due]
        + [(h.engagement, h.engagement.service_user) for h in handovers]
        + [(("service.workload", ""), None)],  # the peer workers' figures: one lock and one INSERT for all
        Detail("shown", page="dashboard"),
    )
    return {
        "today": today,
        "waiting": waiting,
        "counts": counts,
        "rows": rows,
        "due": due,
        "due_total": due_total,
        "handovers": handovers,
        "strain": [r for r in rows if any(t.code != "guidance_overdue" for t in r.topics)],
        "guidance_overdue": [r for r in rows if any(t.code == "guidance_overdue" for t in r.topics)],
        "settings": s,
        "everyone": only is None,
        "may_narrow": bool(mine),
    }


@dataclass(frozen=True)
class HandoverToDo:
    """An open engagement whose peer worker has left, and the new peer worker proposed for it, if any."""

    engagement: Engagement
    # The referral page where the pending proposal of a new peer worker is followed up, if one is proposed.
    proposed_on_referral: int | None


def handovers_to_do(actor: Actor) -> list[HandoverToDo]:
    """The open engagements that need a new peer worker (their peer worker was switched off), oldest first;
    the caller records the read. Two queries, however many there are."""
    actor.require(Role.COORDINATOR)
    rows = list(
        Engagement.objects.filter(
            organisation_id=actor.organisation_id,
            closed_on__isnull=True,
            new_peer_worker_needed_since__isnull=False,
        )
        .select_related("service_user", "peer_worker")
        .order_by("new_peer_worker_needed_since", "started_on", "pk")
    )
    pending = (
        dict(
            MatchProposal.objects.filter(
                organisation_id=actor.organisation_id,
                handover_from__in=[e.pk for e in rows],
                outcome=MatchProposal.Outcome.PENDING,
            ).values_list("handover_from_id", "referral_id")
        )
        if rows
        else {}
    )
    return [HandoverToDo(engagement=e, proposed_on_referral=pending.get(e.pk)) for e in rows]


def guidance_due(actor: Actor) -> list[PeerWorkerRow]:
    """For a senior peer worker (or coordinator): the peer workers they guide and what is due."""
    actor.require(*access.GUIDE_ROLES)
    ids = set(access.guided_ids(actor))
    if not ids:
        return []
    rows = _peer_worker_rows(actor, ids, _today())
    record(actor, Action.READ, object_type="service.workload", detail=Detail("shown", page="guided_peer_workers"))
    return rows


def own_topics(actor: Actor) -> list[workload.Topic]:
    actor.require(Role.PEER_WORKER)
    return workload.topics_for(actor.user.pk, actor.organisation_id, _today())


def matching_settings(organisation_id: int) -> MatchingSettings:
    found = MatchingSettings.objects.filter(organisation_id=organisation_id).first()
    return found or MatchingSettings(organisation_id=organisation_id)


def service_user(actor: Actor, pk: int) -> ServiceUser:
    actor.require(Role.COORDINATOR)
    found = ServiceUser.objects.filter(organisation_id=actor.organisation_id, pk=pk).first()
    if found is None:
        raise Http404
    record(actor, Action.READ, found, subject=found)
    return found


def own_contact(actor: Actor, pk: int) -> Contact:
    """A contact the actor logged themself (only the author edits a contact)."""
    found = (
        Contact.objects.filter(organisation_id=actor.organisation_id, pk=pk, peer_worker=actor.user)
        .select_related("engagement__service_user")
        .first()
    )
    if found is None:
        raise Http404
    record(actor, Action.READ, found, subject=found.engagement.service_user)
    return found


def peer_worker_choices(actor: Actor, pool: list[candidates.Candidate] | None = None) -> list[tuple[int, str]]:
    """(id, name) of the organisation's peer workers, for the coordinator's drop-downs."""
    actor.require(Role.COORDINATOR)
    if pool is None:  # names only: one query
        return [(pk, str(user)) for pk, user in candidates.members(actor.organisation_id).items()]
    return [(c.user.pk, str(c.user)) for c in pool]


class AuditedPage:
    """A queryset for the API's paginator that audits the rows of the page actually returned."""

    def __init__(self, actor: Actor, qs: QuerySet[Any], pair: Any, detail: Detail) -> None:
        self.actor, self.qs, self.pair, self.detail = actor, qs, pair, detail

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[Any]:
        rows = list(self.qs[item])
        record_many(self.actor, Action.READ, [self.pair(r) for r in rows], detail=self.detail)
        return rows


def proposal(actor: Actor, pk: int) -> MatchProposal:
    """A proposal of the organisation with its candidates, for recording the person's answer (coordinators)."""
    actor.require(Role.COORDINATOR)
    found = (
        MatchProposal.objects.filter(organisation_id=actor.organisation_id, pk=pk)
        .prefetch_related(Prefetch("candidates", queryset=ProposedCandidate.objects.select_related("peer_worker")))
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass
class GoalPage:
    goal: Goal
    engagement: Engagement
    may_change: bool  # the person's own peer worker (and, for a private goal, its author)


def goal_page(actor: Actor, goal_id: int) -> GoalPage:
    """One goal with its earlier wordings and every rating with the person's comments, for those who may open
    its engagement and read the goal; the read is recorded with the person as subject."""
    found = (
        Goal.objects.filter(organisation_id=actor.organisation_id, pk=goal_id, engagement__isnull=False)
        .filter(Exists(Engagement.objects.filter(access.engagement_scope(actor), pk=OuterRef("engagement_id"))))
        .select_related("engagement__service_user", "engagement__peer_worker", "service_user")
        .prefetch_related(
            Prefetch(
                "revisions", queryset=GoalRevision.objects.select_related("revised_by").order_by("-revised_at", "-id")
            ),
            Prefetch("ratings", queryset=GoalRating.objects.select_related("recorded_by").order_by("-rated_on")),
        )
        .first()
    )
    if found is None or found.engagement is None:
        raise PermissionDenied
    engagement = found.engagement
    supports = engagement.peer_worker_id == actor.user.pk
    if not access.can_read_goal(actor, found.created_by_id, found.visibility, supports):
        raise PermissionDenied
    record(actor, Action.READ, found, subject=found.service_user)
    own_private = found.visibility != Visibility.PRIVATE or found.created_by_id == actor.user.pk
    return GoalPage(found, engagement, supports and engagement.closed_on is None and own_private)


def goal_to_finish(actor: Actor, goal_id: int) -> GoalPage:
    """The goal whose "achieved" or "set aside" the actor is asked to confirm: only someone who may change it
    (the same rule as the service) sees the question."""
    page = goal_page(actor, goal_id)
    if not page.may_change:
        raise PermissionDenied
    return page


def goal_engagement_id(actor: Actor, goal_id: int) -> int:
    """The engagement a goal belongs to, if the actor may see that engagement (the page to go back to)."""
    found = (
        Engagement.objects.filter(
            access.engagement_scope(actor), organisation_id=actor.organisation_id, goals__pk=goal_id
        )
        .values_list("pk", flat=True)
        .first()
    )
    if found is None:
        raise PermissionDenied
    return found


def topics_of(actor: Actor, user_id: int) -> list[workload.Topic]:
    """The workload topics to talk about in a peer worker's next guidance session (their guides only)."""
    actor.require(*access.GUIDE_ROLES)
    return workload.topics_for(user_id, actor.organisation_id, _today())


# --- availability -----------------------------------------------------------------------------------------


@dataclass
class ChangeLine:
    at: Any
    by: User | None
    texts: list[str]


@dataclass
class AvailabilityView:
    user: User
    profile: PeerWorkerProfile
    open_now: bool
    status: str
    missing: list[str]
    changes: list[ChangeLine]
    own: bool


def availability(actor: Actor, user_id: int) -> AvailabilityView:
    """A peer worker's availability, what keeps them on hold and its history: the peer worker themself and
    the organisation's coordinators (the same people who may change it). Four queries and the audit."""
    if user_id != actor.user.pk:
        actor.require(Role.COORDINATOR)
    user = peer_worker(actor, user_id)
    found = PeerWorkerProfile.objects.filter(organisation_id=actor.organisation_id, user_id=user_id).first()
    found = found or PeerWorkerProfile(organisation_id=actor.organisation_id, user=user, on_hold=True)
    today = _today()
    missing: list[str] = []
    if found.on_hold:
        done = user_id in availability_rules.orientation_complete(actor.organisation_id, [user_id])
        missing = availability_rules.missing_for(found, done)
    changes = []
    if found.pk:
        changes = [
            ChangeLine(c.changed_at, c.changed_by, availability_rules.change_texts(c))
            for c in AvailabilityChange.objects.filter(organisation_id=actor.organisation_id, profile=found)
            .select_related("changed_by")
            .order_by("-changed_at", "-id")[:50]
        ]
    record(
        actor,
        Action.READ,
        found if found.pk else None,
        object_type="service.peerworkerprofile",
        subject=user,
        detail=Detail("shown", page="availability"),
    )
    return AvailabilityView(
        user=user,
        profile=found,
        open_now=found.open_to_new(today),
        status=availability_rules.status_text(found, today),
        missing=missing,
        changes=changes,
        own=user_id == actor.user.pk,
    )
