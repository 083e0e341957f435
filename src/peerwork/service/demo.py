"""Demo data for the peer recovery service: generated people only, deterministic through ``rng``.

In the Norwegian demo organisation: about sixty people, referrals (some still waiting), engagements with the
eight peer workers, a year of contacts, goals with the person's own ratings over time, and guidance
sessions (one peer worker's guidance is overdue). Ola (``peerworker``) has a hard week: a person he supports
has been in touch eleven times since last Saturday, most of it outside his agreed hours and outside the
contact agreement made with that person. One of his engagements was extended past two years by agreement.

Availability, in both organisations (``seed_availability``, after every other part): one peer worker has
paused new referrals until a day ahead, a newly employed peer worker is on hold with what is still missing,
and a coordinator who does not guide a peer worker opened their workload and caseload with a reason, which
that peer worker reads on their "who looked at my work" page.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count
from django.utils import timezone
from faker import Faker

from peerwork.accounts.models import Membership, User
from peerwork.core.actor import Actor
from peerwork.core.roles import Role
from peerwork.organisations.models import Organisation, Position, Unit

from . import access, selectors, services
from .models import (
    AvailabilityChange,
    Contact,
    ContactAgreement,
    DeclaredConflict,
    Engagement,
    EngagementExtension,
    Goal,
    GoalRating,
    GuidanceAgendaItem,
    GuidanceKind,
    GuidanceParticipant,
    GuidanceRelationship,
    GuidanceSession,
    MatchingSettings,
    MatchProposal,
    PeerWorkerProfile,
    ProposedCandidate,
    Referral,
    ServiceUser,
    WorkloadSettings,
)
from .workload import outside_agreed_hours

DISTRICTS = ["sentrum", "nord", "sør", "øst", "vest", "havna"]
INTERESTS = [
    "fishing",
    "hiking",
    "music",
    "football",
    "cooking",
    "gaming",
    "art",
    "dogs",
    "gardening",
    "films",
]
BACKGROUNDS = ["parent", "rural", "immigrant", "prison", "homelessness", "student", "veteran"]
HELP = [
    ("housing", "Finne et sted å bo som er mitt eget"),
    ("finances", "Få orden på regninger og gjeld"),
    ("work_education", "Komme tilbake til jobb eller skole"),
    ("drug_free", "Finne noe å gjøre på kveldene uten rus"),
    ("family", "Få bedre kontakt med barna mine"),
    ("social", "Bli kjent med folk og komme meg ut"),
    ("physical_health", "Komme i bedre form"),
    ("services", "Få hjelp til å forstå brev fra NAV og kommunen"),
]
GOAL_WORDS = {
    "housing": ["Ha min egen leilighet innen sommeren", "Trives der jeg bor"],
    "finances": ["Betale regningene i tide hver måned", "Lage et budsjett jeg klarer å følge"],
    "work_education": ["Begynne på et kurs til høsten", "Prøve arbeidstrening to dager i uka"],
    "drug_free": ["Gå på møter i Anonyme Narkomane hver uke", "Finne en hobby som holder meg rusfri"],
    "family": ["Se datteren min hver søndag", "Ringe mamma oftere"],
    "social": ["Ha en venn å gå tur med", "Gå på kafé uten å bli redd"],
    "physical_health": ["Gå en tur hver dag", "Sove bedre om natta"],
    "services": ["Klare et møte med NAV alene", "Forstå brevene jeg får"],
}
OFFICE = {str(d): [["09:00", "15:00"]] for d in range(5)}
LATE = {str(d): [["12:00", "20:00"]] for d in range(5)}


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def last_saturday(today: date) -> date:
    back = (today.weekday() - 5) % 7 or 7
    return today - timedelta(days=back)


def burst_times(today: date, now: datetime, rng: random.Random, n: int = 11) -> list[tuple[date, time]]:
    """``n`` contact times from last Saturday until shortly before now, most outside 09–15 on weekdays. Each
    ends before the current half hour begins, the time the contact form offers first, so a contact logged now
    does not overlap one of them."""
    start = last_saturday(today)
    half_hour = now.replace(minute=now.minute - now.minute % 30, second=0, microsecond=0)
    outside, inside = [], []
    day = start
    while day <= today:
        for minutes in range(7 * 60, 24 * 60 - 20, 40):
            at = time(minutes // 60, minutes % 60)
            begins = _aware(day, at)
            if begins > now - timedelta(minutes=30) or begins + timedelta(minutes=15) > half_hour:
                continue
            if day.weekday() < 5 and 9 * 60 <= minutes and minutes + 15 <= 15 * 60:
                inside.append((day, at))
            else:
                outside.append((day, at))
        day += timedelta(days=1)
    picks = rng.sample(outside, min(len(outside), n - 2)) + rng.sample(inside, min(len(inside), 2))
    if len(picks) < n:
        rest = [t for t in outside + inside if t not in picks]
        picks += rng.sample(rest, min(len(rest), n - len(picks)))
    return sorted(picks)


def seed(no_org: Organisation, dk_org: Organisation, rng: random.Random) -> None:
    # Other parts of the demo may add a few people of their own first; this part's mark is its referrals.
    if Referral.objects.filter(organisation=no_org).exists():
        return
    org = no_org
    fake = _names_and_settings(org, "no_NO", rng)
    today = timezone.localdate()
    now = timezone.localtime()

    coordinator = User.objects.get(username="coordinator")
    senior = User.objects.get(username="senior")
    pws = [User.objects.get(username="peerworker" if i == 0 else f"peerworker{i + 1}") for i in range(8)]
    ola = pws[0]
    guides = dict(Position.objects.filter(organisation=org, holder__in=pws).values_list("holder_id", "reports_to_id"))

    # --- peer worker profiles ---------------------------------------------------------------------------
    profiles = {}
    for i, pw in enumerate(pws):
        kinds = rng.choice([["mental_health"], ["substance_use"], ["mental_health", "substance_use"]])
        profiles[pw.pk], _created = PeerWorkerProfile.objects.update_or_create(
            organisation=org,
            user=pw,
            defaults=dict(
                experience_kinds=["mental_health", "substance_use"] if pw == ola else kinds,
                services_used=rng.sample(
                    [
                        "community_mental_health",
                        "inpatient",
                        "substance_treatment",
                        "housing",
                        "welfare",
                        "prison",
                        "self_help",
                    ],
                    2,
                ),
                background=rng.sample(BACKGROUNDS, rng.randint(0, 2)),
                interests=["fishing", "hiking"] if pw == ola else rng.sample(INTERESTS, 3),
                languages=["nb", "en"] if i % 3 else ["nb", "en", rng.choice(["pl", "ar", "so", "se"])],
                districts=rng.sample(DISTRICTS, 2),
                birth_year=1965 + rng.randint(0, 35),
                gender="man" if pw == ola else rng.choice(["woman", "man", "woman", "non_binary"]),
                working_hours=OFFICE if i % 4 != 3 else LATE,
                evenings=i % 4 == 3,
                weekends=i % 5 == 4,
                capacity=rng.choice([5, 6, 7]) if pw != ola else 6,
            ),
        )

    # --- people -----------------------------------------------------------------------------------------
    def person(help_index: int | None = None) -> ServiceUser:
        area, words = HELP[help_index if help_index is not None else rng.randrange(len(HELP))]
        return ServiceUser(
            organisation=org,
            chosen_name=fake.first_name(),
            phone=fake.phone_number() if rng.random() < 0.8 else "",
            birth_year=1960 + rng.randint(0, 45),
            languages=["nb"] if rng.random() < 0.8 else ["nb", rng.choice(["en", "pl", "ar", "so"])],
            municipality="Fjordby",
            district=rng.choice(DISTRICTS),
            gender=rng.choice(["woman", "man", "woman", "man", "non_binary", ""]),
            help_with=words,
            help_areas=[area],
            interests=rng.sample(INTERESTS, rng.randint(0, 3)),
            background=rng.sample(BACKGROUNDS, rng.randint(0, 1)),
            created_by=coordinator,
        )

    active_people = [person() for _ in range(38)]
    closed_people = [person() for _ in range(10)]
    waiting_people = [person(i % len(HELP)) for i in range(12)]
    waiting_people[0].wishes = [{"kind": "gender", "value": "woman", "firm": True}]
    waiting_people[1].wishes = [{"kind": "language", "value": "pl", "firm": True}]
    waiting_people[2].wishes = [
        {"kind": "age_max_difference", "value": 10, "firm": False},
        {"kind": "interest", "value": "fishing", "firm": False},
    ]
    waiting_people[3].wishes = [{"kind": "evenings_weekends", "value": "yes", "firm": False}]
    ServiceUser.objects.bulk_create(active_people + closed_people + waiting_people)

    # --- engagements and referrals -------------------------------------------------------------------------
    already = dict(
        Engagement.objects.filter(organisation=org, closed_on__isnull=True)
        .values_list("peer_worker_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    slots = []
    for pw in pws:
        slots += [pw] * max(0, profiles[pw.pk].capacity - already.get(pw.pk, 0) - rng.randint(0, 2))
    rng.shuffle(slots)
    slots.sort(key=lambda u: u != ola)  # Ola first, so he has a full caseload
    engagements: list[Engagement] = []
    referrals: list[Referral] = []
    for k, su in enumerate(active_people):
        pw = slots[k % len(slots)]
        started = today - timedelta(days=rng.randint(30, 600))
        referrals.append(
            Referral(
                organisation=org,
                service_user=su,
                source=rng.choice(Referral.Source.values),
                referrer=rng.choice(["NAV Fjordby", "DPS Fjordby", "Fastlege", "Rusteamet", ""]),
                received_on=started - timedelta(days=rng.randint(5, 60)),
                status="matched",
                created_by=coordinator,
            )
        )
        planned = started + timedelta(days=729)
        review = started + timedelta(weeks=12)
        while review < today - timedelta(days=20):
            review += timedelta(weeks=12)
        engagements.append(
            Engagement(
                organisation=org,
                service_user=su,
                peer_worker=pw,
                started_on=started,
                frequency=rng.choice(["weekly", "weekly", "fortnightly", "as_needed"]),
                next_review_on=review,
                planned_end_on=planned,
                created_by=coordinator,
            )
        )
    for su in closed_people:
        pw = rng.choice(pws)
        started = today - timedelta(days=rng.randint(400, 720))
        closed = started + timedelta(days=rng.randint(120, 380))
        referrals.append(
            Referral(
                organisation=org,
                service_user=su,
                source="professional",
                received_on=started - timedelta(days=20),
                status="matched",
                created_by=coordinator,
            )
        )
        engagements.append(
            Engagement(
                organisation=org,
                service_user=su,
                peer_worker=pw,
                started_on=started,
                planned_end_on=started + timedelta(days=729),
                closed_on=closed,
                closure_reason=rng.choice(["goals_reached", "person_ended", "moved"]),
                closure_words=rng.choice(
                    [
                        "Det betydde mye å ha noen som hadde vært der selv.",
                        "Jeg har fått tilbake troen på at det går an.",
                        "Fisketurene var det beste.",
                    ]
                ),
                closed_by=coordinator,
                created_by=coordinator,
            )
        )
    for k, su in enumerate(waiting_people):
        referrals.append(
            Referral(
                organisation=org,
                service_user=su,
                source=["professional", "user_organisation", "self"][k % 3],
                referrer="DPS Fjordby" if k % 3 == 0 else "",
                received_on=today - timedelta(days=3 + 6 * k),
                status="waiting",
                wanted_experience=[["substance_use"], ["mental_health"], []][k % 3],
                needs_evenings=k % 4 == 3,
                created_by=coordinator,
            )
        )
    Referral.objects.bulk_create(referrals)
    for e, r in zip(engagements, referrals[: len(engagements)], strict=True):
        e.referral = r
    Engagement.objects.bulk_create(engagements)
    # Ending soon: one of Ola's engagements approaches its two years.
    ola_engagements = [e for e in engagements if e.peer_worker_id == ola.pk and e.closed_on is None]
    Engagement.objects.filter(pk=ola_engagements[-1].pk).update(
        started_on=today - timedelta(days=700), planned_end_on=today + timedelta(days=29)
    )
    # Two waiting people have been proposed peer workers, who answer before the person is asked. Ola (the
    # demo peer worker) has not answered either yet; for the first person one peer worker has accepted and
    # another has declined privately (no reason given), so the person chooses among those who accepted.
    active = {pw.pk: sum(1 for e in engagements if e.peer_worker_id == pw.pk and e.closed_on is None) for pw in pws}
    with_room = [pw for pw in pws[1:] if active[pw.pk] < profiles[pw.pk].capacity and pw != pws[3]]
    accepted_pw, declined_pw, talk_pw = with_room[0], with_room[1], with_room[2]
    answered_at = timezone.now() - timedelta(days=1)
    thinking, asked = referrals[len(engagements) + 4], referrals[len(engagements) + 6]
    Referral.objects.filter(pk__in=[thinking.pk, asked.pk]).update(status="proposed")
    for referral, rows in (
        (thinking, [(ola, "pending"), (accepted_pw, "accepted"), (declined_pw, "declined")]),
        (asked, [(ola, "pending"), (talk_pw, "talk")]),
    ):

        def reasons(rank: int, district: str = referral.service_user.district) -> list[dict[str, Any]]:
            if rank % 2:
                return [{"code": "local_knowledge", "params": {"district": district}}]
            return [{"code": "language", "params": {"shared": ["nb"]}}]

        _propose(org, referral, coordinator, rows, answered_at, reasons)
    # Pws[3] knows one of the waiting people privately: flagged when proposing ("ask both"). The peer worker
    # has said it is fine; the person has not been asked yet.
    DeclaredConflict.objects.create(
        organisation=org,
        profile=profiles[pws[3].pk],
        service_user=waiting_people[5],
        declared_on=today - timedelta(days=2),
        peer_worker_waiver_note="Vi var naboer for mange år siden; det går fint for meg.",
        peer_worker_waived_at=answered_at,
        peer_worker_waived_by=pws[3],
    )

    # --- contacts: a year of them --------------------------------------------------------------------------
    contacts: list[Contact] = []
    busy: dict[tuple[int, date], list[tuple[int, int]]] = {}
    for pw_id, day, at, minutes in Contact.objects.filter(organisation=org).values_list(
        "peer_worker_id", "date", "start_time", "duration_minutes"
    ):
        busy.setdefault((pw_id, day), []).append((at.hour * 60 + at.minute, minutes))

    def free(pw_id: int, day: date, begin: int, minutes: int) -> bool:
        spans = busy.setdefault((pw_id, day), [])
        if any(begin < b + m and b < begin + minutes for b, m in spans):
            return False
        spans.append((begin, minutes))
        return True

    channels = ["meeting", "phone", "phone", "message", "outdoors", "accompanying", "group"]
    for e in engagements:
        end = e.closed_on or today - timedelta(days=1)
        first = max(e.started_on, today - timedelta(days=365))
        step = {"weekly": 7, "fortnightly": 14, "as_needed": 10}.get(e.frequency, 7)
        day = first + timedelta(days=rng.randint(0, 4))
        hours = profiles[e.peer_worker_id].working_hours
        while day <= end:
            hour = rng.choice([9, 10, 11, 13, 14, 14, 17, 19]) if day.weekday() < 5 else rng.choice([11, 13, 18])
            start, minutes = time(hour, rng.choice([0, 15, 30])), rng.choice([20, 30, 45, 60, 90])
            if free(e.peer_worker_id, day, hour * 60 + start.minute, minutes):
                contacts.append(
                    Contact(
                        organisation=org,
                        engagement=e,
                        peer_worker_id=e.peer_worker_id,
                        date=day,
                        start_time=start,
                        duration_minutes=minutes,
                        channel=rng.choice(channels),
                        initiated_by=rng.choice(["person", "peer_worker", "peer_worker"]),
                        outside_agreed_hours=outside_agreed_hours(hours, day, start, minutes),
                        note=""
                        if rng.random() < 0.5
                        else rng.choice(
                            ["Gikk tur langs sjøen.", "Snakket om uka.", "Fulgte til NAV.", "Kort telefon."]
                        ),
                        note_visibility=rng.choice(["private", "coordinator", "coordinator"]),
                    )
                )
            day += timedelta(days=step + rng.randint(-2, 2))
    # The burst: one person Ola supports, eleven times since last Saturday.
    burst_engagement = ola_engagements[0]
    burst = burst_times(today, now, rng)
    clashes = {
        id(c)
        for c in contacts
        for day, at in burst
        if c.peer_worker_id == ola.pk
        and c.date == day
        and at.hour * 60 + at.minute < c.start_time.hour * 60 + c.start_time.minute + c.duration_minutes
        and c.start_time.hour * 60 + c.start_time.minute < at.hour * 60 + at.minute + 15
    }
    contacts = [c for c in contacts if id(c) not in clashes]
    for day, at in burst:
        contacts.append(
            Contact(
                organisation=org,
                engagement=burst_engagement,
                peer_worker=ola,
                date=day,
                start_time=at,
                duration_minutes=15,
                channel=rng.choice(["phone", "phone", "message"]),
                initiated_by="person",
                outside_agreed_hours=outside_agreed_hours(OFFICE, day, at, 15),
                note="",
                note_visibility="private",
            )
        )
    Contact.objects.bulk_create(contacts, batch_size=2000)
    _seed_terms(org, engagements, ola_engagements, [p for p in profiles.values() if p.weekends], coordinator, today)

    # --- goals with the person's own ratings ------------------------------------------------------------
    goals: list[tuple[Goal, Engagement]] = []  # each goal with the engagement it was set in
    ratings = []
    for e in engagements:
        areas = rng.sample(list(GOAL_WORDS), rng.randint(1, 3))
        for area in areas:
            g = Goal(
                organisation=org,
                service_user_id=e.service_user_id,
                engagement=e,
                life_area=area,
                words=rng.choice(GOAL_WORDS[area]),
                visibility=rng.choice(["coordinator", "coordinator", "private"]),
                created_by_id=e.peer_worker_id,
            )
            if e.closed_on and rng.random() < 0.6:
                g.achieved_on = e.closed_on
            goals.append((g, e))
    Goal.objects.bulk_create([g for g, _e in goals])
    for g, e in goals:
        level = rng.randint(1, 4)
        day = max(e.started_on, today - timedelta(days=365)) + timedelta(days=7)
        end = e.closed_on or today
        while day <= end:
            ratings.append(
                GoalRating(organisation=org, goal=g, rated_on=day, rating=level, recorded_by_id=e.peer_worker_id)
            )
            level = max(0, min(10, level + rng.choice([-1, 0, 1, 1, 1])))
            day += timedelta(days=rng.randint(25, 40))
    GoalRating.objects.bulk_create(ratings, batch_size=2000)

    # --- guidance: who guides whom, sessions held and planned --------------------------------------------
    # The reporting line's coordinator follows each peer worker up; the senior peer worker supervises all but
    # one (peerworker4, whom only a coordinator sees: the readiness check for supervision names that gap).
    # peerworker3's guidance is overdue.
    relationships = []
    for i, pw in enumerate(pws):
        since = today - timedelta(days=400)
        relationships.append(
            GuidanceRelationship(
                organisation=org, peer_worker=pw, guide_id=guides.get(pw.pk) or coordinator.pk, starts_on=since
            )
        )
        if i != 3:
            relationships.append(GuidanceRelationship(organisation=org, peer_worker=pw, guide=senior, starts_on=since))
    GuidanceRelationship.objects.bulk_create(relationships)
    held: list[tuple[GuidanceSession, list[User]]] = []
    for i, pw in enumerate(pws):
        coordinator_id = guides.get(pw.pk) or coordinator.pk
        day = today - timedelta(days=360)
        last = today - timedelta(days=45 if i == 2 else rng.randint(6, 20))
        k = 0
        while day < last:
            by_senior = i != 3 and k % 3 != 2
            held.append(
                (
                    GuidanceSession(
                        organisation=org,
                        kind=GuidanceKind.SUPERVISION if by_senior else GuidanceKind.FOLLOW_UP,
                        guide_id=senior.pk if by_senior else coordinator_id,
                        meets_on=day,
                        topics="Hvordan uka har vært; grenser og tilgjengelighet.",
                        follow_ups="Snakke med koordinator om kveldsarbeid." if i % 2 else "",
                        next_on=day + timedelta(days=21),
                    ),
                    [pw],
                )
            )
            day += timedelta(days=rng.randint(21, 30))
            k += 1
        held.append(
            (
                GuidanceSession(
                    organisation=org,
                    kind=GuidanceKind.FOLLOW_UP if i == 3 else GuidanceKind.SUPERVISION,
                    guide_id=coordinator_id if i == 3 else senior.pk,
                    meets_on=last,
                    topics="Oppfølging av mål og arbeidstid.",
                    next_on=last + timedelta(days=21) if i == 2 else None,
                ),
                [pw],
            )
        )
    coming_thursday = today + timedelta(days=(3 - today.weekday()) % 7 or 7)
    intervision = pws[:6]
    held.append(
        (
            GuidanceSession(
                organisation=org,
                kind=GuidanceKind.INTERVISION,
                is_group_session=True,
                guide=senior,
                meets_on=today - timedelta(days=14),
                topics="Lojalitet mellom den vi støtter og teamet; å dele egen erfaring med måte.",
                follow_ups="Hver tar med én situasjon fra egen praksis neste gang.",
                next_on=today + timedelta(days=14),
            ),
            intervision,
        )
    )
    coming: Planned = [
        (
            GuidanceSession(
                organisation=org,
                kind=GuidanceKind.SUPERVISION,
                status=GuidanceSession.Status.PLANNED,
                guide=senior,
                meets_on=coming_thursday,
            ),
            [ola],
            [(ola, "Grenser når en person tar kontakt sent på kvelden")],
        ),
        (
            GuidanceSession(
                organisation=org,
                kind=GuidanceKind.INTERVISION,
                status=GuidanceSession.Status.PLANNED,
                is_group_session=True,
                guide=senior,
                meets_on=today + timedelta(days=14),
            ),
            intervision,
            [(senior, "Én situasjon fra egen praksis hver")],
        ),
    ]
    _save_guidance(org, held, coming)
    # The senior peer worker and every coordinator exist as members already; nothing else to add.
    assert Membership.objects.filter(organisation=org, user=senior, role=Role.SENIOR_PEER_WORKER).exists()  # noqa: S101

    seed_dk(dk_org, rng)
    _seed_dk_guidance(dk_org, today)


# --- Denmark: the region's peer recovery service, run by a coordinator with four experienced peer workers ----

DK_HELP = [
    ("housing", "Finde et sted at bo, som er mit eget"),
    ("finances", "Få styr på regninger og gæld"),
    ("work_education", "Komme tilbage til arbejde eller uddannelse"),
    ("social", "Lære nye mennesker at kende og komme ud"),
    ("physical_health", "Komme i bedre form"),
    ("services", "Forstå breve fra kommunen og jobcenteret"),
]
DK_GOALS = {
    "housing": "Have min egen lejlighed inden sommer",
    "finances": "Betale regningerne til tiden hver måned",
    "work_education": "Starte på et kursus til efteråret",
    "social": "Have en ven at gå tur med",
    "physical_health": "Gå en tur hver dag",
    "services": "Klare et møde på jobcentret alene",
}


def seed_dk(org: Organisation, rng: random.Random) -> None:
    """The Danish demo organisation gets every kind of service data the Norwegian one has, at a smaller
    scale: the region's recovery team (``dk-coordinator`` and four experienced peer workers,
    ``dk-recovery1``–``4``) has people waiting (offered from the whole list), a proposal the peer workers
    answer (``dk-recovery1`` has not yet, one accepted, one declined privately, one wants to talk),
    engagements with four months of contacts, goals with ratings, contact agreements, a try without an answer
    and a call not taken, weekend contacts outside a weekday agreement (a strain topic), an engagement
    extended past two years by agreement, a closed one, a declared acquaintance, and guidance by the
    coordinator (one overdue). Generated Danish-looking names only (Faker da_DK)."""
    if Referral.objects.filter(organisation=org).exists():
        return
    coordinator = User.objects.filter(username="dk-coordinator").first()
    pws = list(User.objects.filter(username__in=[f"dk-recovery{i}" for i in range(1, 5)]).order_by("username"))
    if coordinator is None or len(pws) < 4:
        return  # the demo world makes the recovery team; without it the region runs no service
    fake = _names_and_settings(org, "da_DK", rng)
    today = timezone.localdate()
    districts = sorted(
        {d for d in Unit.objects.filter(organisation=org, kind=Unit.Kind.FACT).values_list("district", flat=True) if d}
    ) or ["Aarhus"]
    profiles = {}
    for k, pw in enumerate(pws):
        profiles[pw.pk] = PeerWorkerProfile.objects.create(
            organisation=org,
            user=pw,
            experience_kinds=[["mental_health"], ["mental_health", "substance_use"]][k % 2],
            services_used=["community_mental_health", "inpatient"] if k % 2 else ["community_mental_health"],
            interests=rng.sample(INTERESTS, 3),
            languages=["da", "en"],
            districts=districts[2 * k : 2 * k + 2] or districts[:1],
            birth_year=1970 + 6 * k,
            gender=["woman", "man", "woman", "man"][k],
            working_hours=OFFICE,
            weekends=k == 0,  # dk-recovery1 works weekends: the agreement decides whether they are a topic
            capacity=4,
        )
    since = today - timedelta(days=900)
    GuidanceRelationship.objects.bulk_create(
        GuidanceRelationship(organisation=org, peer_worker=pw, guide=coordinator, starts_on=since) for pw in pws
    )
    _save_guidance(
        org,
        [
            (
                GuidanceSession(
                    organisation=org,
                    kind=GuidanceKind.FOLLOW_UP,
                    guide=coordinator,
                    meets_on=today - timedelta(days=50 if k == 3 else 8 + k),
                    topics="Hvordan ugen har været; grænser og tilgængelighed.",
                ),
                [pw],
            )
            for k, pw in enumerate(pws)
        ],
        [],
    )

    def person(k: int) -> ServiceUser:
        area, words = DK_HELP[k % len(DK_HELP)]
        return ServiceUser(
            organisation=org,
            chosen_name=fake.first_name(),
            phone=fake.phone_number() if k % 4 else "",
            birth_year=1965 + (k * 7) % 40,
            languages=["da"] if k % 5 else ["da", "en"],
            municipality="Aarhus",
            district=districts[k % len(districts)],
            gender=["woman", "man", "non_binary", "woman", "man"][k % 5],
            help_with=words,
            help_areas=[area],
            interests=rng.sample(INTERESTS, k % 3),
            created_by=coordinator,
        )

    people = [person(k) for k in range(16)]
    ServiceUser.objects.bulk_create(people)
    active, closed, proposed, waiting = people[:9], people[9:11], people[11:13], people[13:]
    # dk-recovery1: three engagements, dk-recovery2–4: two each.
    owners = [pws[0]] * 3 + [pws[1]] * 2 + [pws[2]] * 2 + [pws[3]] * 2
    referrals, engagements = [], []
    for k, (su, pw) in enumerate(zip(active, owners, strict=True)):
        started = today - timedelta(days=800 if k == 0 else 40 + 35 * k)
        referrals.append(
            Referral(
                organisation=org,
                service_user=su,
                source=["professional", "self", "user_organisation"][k % 3],
                referrer="FACT-teamet" if k % 3 == 0 else "",
                received_on=started - timedelta(days=14),
                status="matched",
                created_by=coordinator,
            )
        )
        engagements.append(
            Engagement(
                organisation=org,
                service_user=su,
                peer_worker=pw,
                started_on=started,
                frequency="weekly" if k % 3 else "fortnightly",
                next_review_on=today + timedelta(days=7 + 9 * k),
                planned_end_on=started + timedelta(days=729),
                created_by=coordinator,
            )
        )
    for k, su in enumerate(closed):
        started = today - timedelta(days=500 + 60 * k)
        referrals.append(
            Referral(
                organisation=org,
                service_user=su,
                source="professional",
                received_on=started - timedelta(days=20),
                status="matched",
                created_by=coordinator,
            )
        )
        engagements.append(
            Engagement(
                organisation=org,
                service_user=su,
                peer_worker=pws[1 + k],
                started_on=started,
                planned_end_on=started + timedelta(days=729),
                closed_on=started + timedelta(days=300),
                closure_reason=["goals_reached", "person_ended"][k],
                closure_words="Det betød meget at tale med en, der selv havde været der.",
                closed_by=coordinator,
                created_by=coordinator,
            )
        )
    for k, su in enumerate(proposed + waiting):
        referrals.append(
            Referral(
                organisation=org,
                service_user=su,
                source=["professional", "self"][k % 2],
                referrer="Distriktspsykiatrien" if k % 2 == 0 else "",
                received_on=today - timedelta(days=5 + 9 * k),
                status="proposed" if su in proposed else "waiting",
                wanted_experience=[["mental_health"], []][k % 2],
                created_by=coordinator,
            )
        )
    Referral.objects.bulk_create(referrals)
    for e, r in zip(engagements, referrals, strict=False):
        e.referral = r
    Engagement.objects.bulk_create(engagements)

    # A proposal the peer workers answer before the person is asked; dk-recovery1 has not answered yet.
    answered_at = timezone.now() - timedelta(days=1)
    for referral, rows in zip(
        referrals[len(engagements) : len(engagements) + 2],
        ([(pws[0], "pending"), (pws[1], "accepted"), (pws[2], "declined")], [(pws[3], "talk")]),
        strict=True,
    ):
        _propose(org, referral, coordinator, rows, answered_at, lambda _rank: [DK_LANGUAGE])
    DeclaredConflict.objects.create(
        organisation=org,
        profile=profiles[pws[2].pk],
        service_user=waiting[0],
        declared_on=today - timedelta(days=3),
    )

    # Contacts: four months of them, weekdays within office hours.
    contacts = []
    for e in engagements:
        first = max(e.started_on, today - timedelta(days=120))
        day, end = first + timedelta(days=1), (e.closed_on or today - timedelta(days=2))
        hour = 9 + 2 * (engagements.index(e) % 3)  # each peer worker's engagements at their own hour
        while day <= end:
            if day.weekday() < 5:
                at = time(hour, 0)
                contacts.append(
                    Contact(
                        organisation=org,
                        engagement=e,
                        peer_worker_id=e.peer_worker_id,
                        date=day,
                        start_time=at,
                        duration_minutes=rng.choice([30, 45, 60]),
                        channel=rng.choice(["meeting", "phone", "outdoors", "accompanying"]),
                        initiated_by=rng.choice(["person", "peer_worker"]),
                        note=rng.choice(["", "Gik en tur ved åen.", "Talte om ugen.", "Fulgtes til jobcentret."]),
                        note_visibility=rng.choice(["private", "coordinator"]),
                    )
                )
            day += timedelta(days=7 if e.frequency == "weekly" else 14)
    Contact.objects.bulk_create(contacts, batch_size=2000)

    # Terms: the longest engagement was extended past two years by agreement; two weekday agreements, one
    # with weekend contacts (a topic until the weekend is agreed too); a try and a call not taken.
    extended, weekender, tried = engagements[0], engagements[1], engagements[2]
    weekend_day = _recent_weekend_day(today)
    _agree_terms(
        org,
        coordinator,
        DK_TERMS,
        extended=extended,
        typical_end=extended.started_on + timedelta(days=729),
        new_end=today + timedelta(days=150),
        agreed_on=today - timedelta(days=60),
        agreements=[weekender, tried],
        outside=[
            (weekender, weekend_day, time(11, 0), 45, Contact.Kind.CONTACT),
            (weekender, weekend_day, time(14, 0), 30, Contact.Kind.CONTACT),
            *_tries(tried, today - timedelta(days=1), not_taken_at=time(22, 30)),
        ],
    )

    # Goals in the person's own words, rated every month or so.
    goals = [
        Goal(
            organisation=org,
            service_user_id=e.service_user_id,
            engagement=e,
            life_area=e.service_user.help_areas[0],
            words=DK_GOALS[e.service_user.help_areas[0]],
            visibility="coordinator",
            created_by_id=e.peer_worker_id,
            achieved_on=e.closed_on,
        )
        for e in engagements
    ]
    Goal.objects.bulk_create(goals)
    ratings = []
    for g, e in zip(goals, engagements, strict=True):
        level, day = 2, max(e.started_on, today - timedelta(days=300)) + timedelta(days=7)
        while day <= (e.closed_on or today):
            ratings.append(
                GoalRating(organisation=org, goal=g, rated_on=day, rating=level, recorded_by_id=e.peer_worker_id)
            )
            level, day = min(10, level + rng.choice([0, 1, 1])), day + timedelta(days=30)
    GoalRating.objects.bulk_create(ratings)


def _recent_weekend_day(today: date) -> date:
    """The latest Saturday or Sunday before today: always within the last seven days."""
    day = today - timedelta(days=1)
    while day.weekday() < 5:
        day -= timedelta(days=1)
    return day


def _seed_terms(
    org: Organisation,
    engagements: list[Engagement],
    ola_engagements: list[Engagement],
    weekenders: list[PeerWorkerProfile],
    coordinator: User,
    today: date,
) -> None:
    """An engagement extended past two years by agreement, contact agreements, and attempts to reach.

    Ola's busiest engagement has an agreement for weekdays 09–15, so the burst shows as contacts outside the
    agreement, with a try without an answer and a call not taken out of hours. A peer worker who works
    weekends has an agreement for weekdays too, and two Saturday or Sunday contacts in the last week: a strain
    topic that goes away when the agreement is widened to the weekend."""
    active = [e for e in engagements if e.closed_on is None]
    burst, extended = ola_engagements[0], ola_engagements[1]  # the last one is ending soon
    started = today - timedelta(days=800)
    ids = {p.user_id for p in weekenders}
    weekender = next((e for e in sorted(active, key=lambda e: e.pk) if e.peer_worker_id in ids), None)
    agreements, outside = [burst, extended], _tries(burst, today - timedelta(days=1), not_taken_at=time(22, 40))
    if weekender is not None:
        day = _recent_weekend_day(today)
        agreements.append(weekender)
        outside += [(weekender, day, at, 45, Contact.Kind.CONTACT) for at in (time(11, 0), time(13, 0))]
    _agree_terms(
        org,
        coordinator,
        NO_TERMS,
        extended=extended,
        typical_end=started.replace(year=started.year + Engagement.TYPICAL_YEARS),
        new_end=today + timedelta(days=180),
        started_on=started,
        agreed_on=today - timedelta(days=90),
        agreements=agreements,
        outside=outside,
    )


# --- what both organisations' demos share -------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """An organisation's words for the terms its engagements run on: what happens out of hours and in a
    crisis (its weekday contact agreements) and why an engagement runs past two years."""

    out_of_hours: str
    crisis: str
    extension_reason: str


NO_TERMS = Terms(
    out_of_hours="Sender en melding; får svar neste arbeidsdag.",
    crisis="Ringer legevakten eller kriseteamet, ikke likepersonen.",
    extension_reason="Flytter til egen leilighet i vår og vil ha støtte gjennom flyttingen og de første månedene.",
)
DK_LANGUAGE = {"code": "language", "params": {"shared": ["da"]}}
DK_TERMS = Terms(
    out_of_hours="Sender en besked; får svar næste hverdag.",
    crisis="Ringer til den psykiatriske akutmodtagelse, ikke til peer-medarbejderen.",
    extension_reason="Skal flytte i egen bolig og vil gerne have støtte gennem flytningen og de første måneder.",
)
WEEKDAYS = {
    "channels": ["meeting", "phone"],
    "days": [0, 1, 2, 3, 4],
    "hours_from": time(9, 0),
    "hours_until": time(15, 0),
}
# A contact or try outside the agreed hours: (engagement, day, start, minutes, kind).
Outside = list[tuple[Engagement, date, time, int, Contact.Kind]]


def _names_and_settings(org: Organisation, locale: str, rng: random.Random) -> Faker:
    """The organisation's generated names (seeded from ``rng``), and its workload and matching settings."""
    fake = Faker(locale)
    fake.seed_instance(rng.randint(0, 10**6))
    WorkloadSettings.objects.get_or_create(organisation=org)
    MatchingSettings.objects.get_or_create(organisation=org)
    return fake


def _propose(
    org: Organisation,
    referral: Referral,
    coordinator: User,
    rows: list[tuple[User, str]],
    answered_at: datetime,
    reasons: Callable[[int], list[dict[str, Any]]],
) -> None:
    """A proposal of the peer workers in ``rows`` (each with their answer so far), ranked in that order."""
    proposal = MatchProposal.objects.create(organisation=org, referral=referral, proposed_by=coordinator)
    ProposedCandidate.objects.bulk_create(
        ProposedCandidate(
            organisation=org,
            proposal=proposal,
            peer_worker=pw,
            rank=rank,
            score=0.7 - rank / 20,
            reasons=reasons(rank),
            answer=answer,
            answered_at=None if answer == "pending" else answered_at,
        )
        for rank, (pw, answer) in enumerate(rows, start=1)
    )


def _tries(engagement: Engagement, day: date, *, not_taken_at: time) -> Outside:
    """The peer worker's try without an answer early in the morning, and the person's call not taken late."""
    return [
        (engagement, day, time(8, 10), 1, Contact.Kind.NO_ANSWER),
        (engagement, day, not_taken_at, 1, Contact.Kind.NOT_TAKEN),
    ]


def _agree_terms(
    org: Organisation,
    coordinator: User,
    terms: Terms,
    *,
    extended: Engagement,
    typical_end: date,
    new_end: date,
    agreed_on: date,
    agreements: list[Engagement],
    outside: Outside,
    started_on: date | None = None,
) -> None:
    """``extended`` runs past two years (from ``started_on``, when given) until ``new_end`` by agreement;
    each of ``agreements`` has a weekday contact agreement; ``outside`` are contacts and tries outside it,
    the person's (a try is the peer worker's)."""
    moved = {"started_on": started_on} if started_on else {}
    Engagement.objects.filter(pk=extended.pk).update(**moved, planned_end_on=new_end)
    EngagementExtension.objects.create(
        organisation=org,
        engagement_id=extended.pk,
        previous_end_on=typical_end,
        new_end_on=new_end,
        reason=terms.extension_reason,
        person_agreed=True,
        peer_worker_agreed=True,
        agreed_on=typical_end - timedelta(days=30),
        recorded_by=coordinator,
    )
    for e in agreements:
        ContactAgreement.objects.create(
            organisation=org,
            engagement_id=e.pk,
            out_of_hours=terms.out_of_hours,
            crisis=terms.crisis,
            agreed_on=agreed_on,
            updated_by=coordinator,
            **WEEKDAYS,
        )
    Contact.objects.bulk_create(
        Contact(
            organisation=org,
            engagement_id=e.pk,
            peer_worker_id=e.peer_worker_id,
            date=day,
            start_time=at,
            duration_minutes=minutes,
            channel=Contact.Channel.OUTDOORS if kind == Contact.Kind.CONTACT else Contact.Channel.PHONE,
            initiated_by=Contact.Initiator.PEER_WORKER if kind == Contact.Kind.NO_ANSWER else Contact.Initiator.PERSON,
            kind=kind,
            outside_agreed_hours=True,
        )
        for e, day, at, minutes, kind in outside
    )


Planned = list[tuple[GuidanceSession, list[User], list[tuple[User, str]]]]


def _save_guidance(org: Organisation, held: list[tuple[GuidanceSession, list[User]]], planned: Planned) -> None:
    """Sessions with their participants, and the agenda items of the planned ones."""
    everything: Planned = [(s, people, []) for s, people in held] + planned
    GuidanceSession.objects.bulk_create([s for s, _p, _a in everything])
    GuidanceParticipant.objects.bulk_create(
        [
            GuidanceParticipant(organisation=org, session=s, peer_worker=pw)
            for s, people, _a in everything
            for pw in people
        ]
    )
    GuidanceAgendaItem.objects.bulk_create(
        [
            GuidanceAgendaItem(organisation=org, session=s, author=who, text=t)
            for s, _p, items in planned
            for who, t in items
        ]
    )


def _seed_dk_guidance(org: Organisation, today: date) -> None:
    """In the Danish region each FACT team's mentor (a senior peer worker) supervises its peer worker, and
    the first mentor runs an intervision group for the peer workers of four teams."""
    pws = [User.objects.get(username=f"dk-peerworker{i + 1}") for i in range(8)]
    mentors = [User.objects.get(username=f"dk-mentor{i + 1}") for i in range(8)]
    starts: dict[int, date] = {
        holder_id: start
        for holder_id, start in Position.objects.filter(organisation=org, holder__in=pws).values_list(
            "holder_id", "start_date"
        )
        if holder_id is not None and start is not None
    }
    GuidanceRelationship.objects.bulk_create(
        [
            GuidanceRelationship(
                organisation=org, peer_worker=pw, guide=mentor, starts_on=min(starts.get(pw.pk) or today, today)
            )
            for pw, mentor in zip(pws, mentors, strict=True)
        ]
    )
    held = [
        (
            GuidanceSession(
                organisation=org,
                kind=GuidanceKind.SUPERVISION,
                guide=mentor,
                meets_on=starts[pw.pk] + timedelta(days=7),
                topics="Den første tid i teamet: hvad fylder, og hvem spørger jeg.",
            ),
            [pw],
        )
        for pw, mentor in zip(pws, mentors, strict=True)
        if pw.pk in starts and starts[pw.pk] + timedelta(days=7) <= today
    ]
    planned: Planned = [
        (
            GuidanceSession(
                organisation=org,
                kind=GuidanceKind.SUPERVISION,
                status=GuidanceSession.Status.PLANNED,
                guide=mentors[0],
                meets_on=today + timedelta(days=5),
            ),
            [pws[0]],
            [(pws[0], "Hvordan jeg bruger min egen erfaring i samtaler med en bruger")],
        ),
        (
            GuidanceSession(
                organisation=org,
                kind=GuidanceKind.INTERVISION,
                status=GuidanceSession.Status.PLANNED,
                is_group_session=True,
                guide=mentors[0],
                meets_on=today + timedelta(days=12),
            ),
            pws[:4],
            [(mentors[0], "Når teamet taler om brugeren hen over hovedet på dem")],
        ),
    ]
    _save_guidance(org, held, planned)


# --- availability: a paused peer worker, a new one on hold, an access with a reason -------------------------


def _demo_actor(user: User, org: Organisation) -> Actor:
    memberships = list(Membership.objects.filter(user=user, organisation=org).select_related("organisation"))
    actor = Actor.from_memberships(user, memberships, org.pk, via="demo data")
    assert actor is not None  # noqa: S101
    return actor


def _not_guiding(org: Organisation, peer_worker: User) -> Actor | None:
    """A coordinator of the organisation who does not guide ``peer_worker`` (and so gives a reason)."""
    for m in Membership.objects.filter(organisation=org, role=Role.COORDINATOR).select_related("user").order_by("id"):
        actor = _demo_actor(m.user, org)
        if access.needs_reason(actor, peer_worker.pk):
            return actor
    return None


def _show_availability(org: Organisation, paused: User, new: User, looked_at: User, rng: random.Random) -> None:
    today = timezone.localdate()
    # A peer worker who paused new referrals themself, until a day three weeks ahead.
    services.availability.save_availability(
        _demo_actor(paused, org),
        peer_worker_id=paused.pk,
        accepting=False,
        resumes_on=today + timedelta(days=21),
    )
    # A new peer worker: their profile is created on hold; languages are in, hours and orientation are not.
    services.profiles.save_profile(_demo_actor(new, org), peer_worker_id=new.pk, languages=[org.language or "nb"])
    # A coordinator who does not guide the peer worker opened their workload and caseload, with a reason.
    reader = _not_guiding(org, looked_at)
    if reader is not None:
        selectors.peer_workload(reader, looked_at.pk, reason=access.AccessReason.ALLOCATION)
        selectors.caseload(
            reader, looked_at.pk, reason=rng.choice([access.AccessReason.COVER, access.AccessReason.PERSON])
        )


def seed_availability(no_org: Organisation, dk_org: Organisation, rng: random.Random) -> None:
    """Both organisations: one peer worker has paused new referrals, a new one is on hold with what is still
    missing, and a peer worker can read who looked at their work and why."""
    if AvailabilityChange.objects.filter(organisation__in=[no_org, dk_org]).exists():
        return
    # Norway: peerworker4 paused; a newly employed peer worker (peerworker9) on hold; Ola's work looked at.
    newcomer = User.objects.filter(username="peerworker9").first()
    if newcomer is None:
        newcomer = User.objects.create(
            username="peerworker9",
            first_name="Mari",
            last_name="Nyland",
            email="peerworker9@demo.invalid",
            is_demo=True,
        )
        newcomer.set_unusable_password()
        newcomer.save()
    team = Membership.objects.filter(organisation=no_org, user__username="peerworker").values_list("unit", flat=True)
    Membership.objects.get_or_create(
        organisation=no_org, user=newcomer, role=Role.PEER_WORKER, defaults={"unit_id": team.first()}
    )
    _show_availability(
        no_org,
        paused=User.objects.get(username="peerworker4"),
        new=newcomer,
        looked_at=User.objects.get(username="peerworker"),
        rng=rng,
    )
    # Denmark: the peer workers are new in their FACT teams. dk-peerworker2 started earlier and has paused;
    # dk-peerworker1 is on hold; a coordinator (who does not guide them: their mentor does) looked with a reason.
    dk_coordinator = User.objects.filter(username="dk-coordinator").first()
    if dk_coordinator is None:
        dk_coordinator = User.objects.create(
            username="dk-coordinator",
            first_name="Mette",
            last_name="Kjær",
            email="dk-coordinator@demo.invalid",
            is_demo=True,
        )
        dk_coordinator.set_unusable_password()
        dk_coordinator.save()
    Membership.objects.get_or_create(organisation=dk_org, user=dk_coordinator, role=Role.COORDINATOR)
    earlier = User.objects.get(username="dk-peerworker2")
    profile = PeerWorkerProfile.objects.create(
        organisation=dk_org, user=earlier, languages=["da"], working_hours=OFFICE, capacity=3, capacity_max=5
    )
    AvailabilityChange.objects.create(
        organisation=dk_org,
        profile=profile,
        kind=AvailabilityChange.Kind.LIFTED,
        values={"on_hold": False},
        changed_by=dk_coordinator,
        changed_at=timezone.now() - timedelta(days=30),
    )
    _show_availability(
        dk_org,
        paused=earlier,
        new=User.objects.get(username="dk-peerworker1"),
        looked_at=User.objects.get(username="dk-peerworker1"),
        rng=rng,
    )
