"""Scale data for the peer recovery service: service users, referrals, engagements, contacts, goals and
guidance for many organisations at once, with bulk inserts in batches (no per-row saves, no audit: this is
benchmark data, not a record of anyone's work).

``generate`` is called by ``peerwork generate`` (through the ``scale_data`` hook) after the
organisations and people exist. The target is 100,000 service users and 2,000,000 contacts in minutes on
SQLite and PostgreSQL: rows are built as plain tuples of values; contacts are streamed in one bulk load (COPY
on PostgreSQL, ``peerwork.core.bulkload``), the rest inserted through ``bulk_create`` in large batches.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from peerwork.accounts.models import User
from peerwork.core import bulkload
from peerwork.organisations.models import Organisation

from .models import (
    Contact,
    Engagement,
    Goal,
    GoalRating,
    GuidanceKind,
    GuidanceParticipant,
    GuidanceRelationship,
    GuidanceSession,
    LifeArea,
    PeerWorkerProfile,
    Referral,
    ServiceUser,
)

BATCH = 5000
FIRST_NAMES = [
    "Ola",
    "Kari",
    "Per",
    "Anne",
    "Lars",
    "Ingrid",
    "Jonas",
    "Sofie",
    "Mads",
    "Freja",
    "Emil",
    "Ida",
    "Noah",
    "Nora",
    "Aksel",
    "Maja",
    "Jakob",
    "Emma",
    "Lucas",
    "Ella",
    "Filip",
    "Sara",
    "Mikkel",
    "Alma",
    "Ahmed",
    "Amina",
    "Piotr",
    "Zofia",
    "Hodan",
    "Yusuf",
]
DISTRICTS = ["centre", "north", "south", "east", "west", "harbour", "hills", "valley"]
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
LANGS = ["nb", "da", "en", "pl", "ar", "so"]
KINDS = [["mental_health"], ["substance_use"], ["mental_health", "substance_use"]]
OFFICE = {str(d): [["08:00", "16:00"]] for d in range(5)}
CHANNELS = [c.value for c in Contact.Channel]
AREAS = [a.value for a in LifeArea]


def _batches(rows: Sequence[Any], size: int = BATCH) -> Iterable[Sequence[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _spread(total: int, weights: list[int]) -> list[int]:
    whole = sum(weights) or 1
    out = [total * w // whole for w in weights]
    for i in range(total - sum(out)):
        out[i % len(out)] += 1
    return out


def _outside(day: date, minutes: int, duration: int) -> bool:
    """The generated profiles all work 08:00–16:00 on weekdays."""
    return day.weekday() >= 5 or minutes < 8 * 60 or minutes + duration > 16 * 60


def generate(
    organisations: Sequence[Organisation],
    peer_worker_users_by_org: dict[int, list[User]],
    service_users: int,
    contacts: int,
    rng: random.Random,
    *,
    coordinators_by_org: dict[int, list[User]] | None = None,
    today: date | None = None,
) -> dict[str, int]:
    """Fill the service tables for ``organisations``; returns how many rows of each kind were made."""
    today = today or timezone.localdate()
    orgs = [o for o in organisations if peer_worker_users_by_org.get(o.pk)]
    if not orgs:
        return {}
    counts = {"service_users": 0, "referrals": 0, "engagements": 0, "contacts": 0, "goals": 0, "ratings": 0}
    per_org = _spread(service_users, [len(peer_worker_users_by_org[o.pk]) for o in orgs])
    contacts_per_org = _spread(contacts, per_org)
    for org, n_people, n_contacts in zip(orgs, per_org, contacts_per_org, strict=True):
        pws = peer_worker_users_by_org[org.pk]
        guides = (coordinators_by_org or {}).get(org.pk) or []
        with transaction.atomic():
            made = _one_org(org, pws, guides, n_people, n_contacts, rng, today)
        for key, value in made.items():
            counts[key] += value
    return counts


def _one_org(
    org: Organisation,
    pws: list[User],
    guides: list[User],
    n_people: int,
    n_contacts: int,
    rng: random.Random,
    today: date,
) -> dict[str, int]:
    oid = org.pk
    profiles = [
        PeerWorkerProfile(
            organisation_id=oid,
            user_id=u.pk,
            experience_kinds=rng.choice(KINDS),
            interests=rng.sample(INTERESTS, 3),
            languages=["nb", "en"] if rng.random() < 0.7 else ["da", "en"],
            districts=rng.sample(DISTRICTS, 2),
            birth_year=1960 + rng.randint(0, 40),
            gender=rng.choice(["woman", "man", "woman", "non_binary"]),
            working_hours=OFFICE,
            evenings=rng.random() < 0.3,
            weekends=rng.random() < 0.2,
            capacity=rng.randint(3, 8),
        )
        for u in pws
    ]
    existing = set(PeerWorkerProfile.objects.filter(organisation_id=oid).values_list("user_id", flat=True))
    PeerWorkerProfile.objects.bulk_create([p for p in profiles if p.user_id not in existing], batch_size=BATCH)
    capacity = {p.user_id: p.capacity for p in profiles}

    people = [
        ServiceUser(
            organisation_id=oid,
            chosen_name=rng.choice(FIRST_NAMES),
            birth_year=1955 + rng.randint(0, 50),
            languages=[rng.choice(LANGS)],
            district=rng.choice(DISTRICTS),
            gender=rng.choice(["woman", "man", ""]),
            help_with="",
            help_areas=[rng.choice(AREAS)],
            interests=rng.sample(INTERESTS, rng.randint(0, 3)),
            wishes=([{"kind": "gender", "value": "woman", "firm": True}] if rng.random() < 0.05 else []),
        )
        for _ in range(n_people)
    ]
    for chunk in _batches(people):
        ServiceUser.objects.bulk_create(chunk)

    # Who is waiting, who was declined, who is in an active or a past engagement.
    slots = [uid for uid, cap in capacity.items() for _ in range(max(0, cap - rng.randint(0, 2)))]
    rng.shuffle(slots)
    n_waiting = max(1, n_people * 4 // 100)
    n_declined = n_people * 2 // 100
    n_active = min(len(slots), n_people - n_waiting - n_declined)
    referrals, engagements = [], []
    for i, su in enumerate(people):
        if i < n_waiting:
            status, received = "waiting", today - timedelta(days=rng.randint(0, 120))
        elif i < n_waiting + n_declined:
            status, received = "declined", today - timedelta(days=rng.randint(30, 700))
        else:
            status, received = "matched", today - timedelta(days=rng.randint(20, 1400))
        referrals.append(
            Referral(
                organisation_id=oid,
                service_user_id=su.pk,
                source=rng.choice(Referral.Source.values),
                received_on=received,
                status=status,
                status_reason="Moved away" if status == "declined" else "",
            )
        )
    for chunk in _batches(referrals):
        Referral.objects.bulk_create(chunk)
    active_index = 0
    for su, ref in zip(people, referrals, strict=True):
        if ref.status != "matched":
            continue
        started = ref.received_on + timedelta(days=rng.randint(3, 30))
        started = min(started, today - timedelta(days=1))
        if active_index < n_active:
            pw = slots[active_index]
            active_index += 1
            closed = None
        else:
            pw = rng.choice(pws).pk
            closed = min(today - timedelta(days=1), started + timedelta(days=rng.randint(60, 700)))
        engagements.append(
            Engagement(
                organisation_id=oid,
                service_user_id=su.pk,
                peer_worker_id=pw,
                referral_id=ref.pk,
                started_on=started,
                planned_end_on=started + timedelta(days=729),
                next_review_on=today + timedelta(days=rng.randint(-20, 80)),
                closed_on=closed,
                closure_reason="planned_end" if closed else "",
            )
        )
    for chunk in _batches(engagements):
        Engagement.objects.bulk_create(chunk)

    # Contacts: spread over the engagements, on days inside each engagement, one start per peer worker and
    # quarter of an hour so that none overlap. Streamed to the database in one bulk load (COPY on
    # PostgreSQL): two million rows would otherwise cost two million model instances and many INSERTs.
    n = 0
    if engagements:
        stamp = timezone.now()
        columns = [
            "organisation_id",
            "engagement_id",
            "peer_worker_id",
            "date",
            "start_time",
            "duration_minutes",
            "channel",
            "initiated_by",
            "outside_agreed_hours",
            "note",
            "note_visibility",
            "kind",
            "created_at",
            "updated_at",
        ]
        weights = [1 + (rng.random() < 0.02) * 20 for _ in engagements]  # a few engagements with bursts
        picks = rng.choices(range(len(engagements)), weights=weights, k=n_contacts)
        n = bulkload.load(Contact, columns, _contact_rows(oid, engagements, picks, rng, today, stamp))

    # Goals and ratings for one engagement in four; guidance every four weeks for each peer worker.
    goals = [
        Goal(
            organisation_id=oid,
            service_user_id=e.service_user_id,
            engagement_id=e.pk,
            life_area=rng.choice(AREAS),
            words="A goal in the person's words",
            visibility="coordinator",
            created_by_id=e.peer_worker_id,
        )
        for e in engagements[::4]
    ]
    for chunk in _batches(goals):
        Goal.objects.bulk_create(chunk)
    ratings = [
        GoalRating(organisation_id=oid, goal_id=g.pk, rated_on=today - timedelta(days=30 * k), rating=min(10, 2 + k))
        for g in goals
        for k in range(rng.randint(1, 4))
    ]
    for chunk in _batches(ratings):
        GoalRating.objects.bulk_create(chunk)
    if guides:
        # Each peer worker has one named guide (a coordinator: a follow-up every four weeks or so).
        their_guide = {u.pk: rng.choice(guides).pk for u in pws}
        GuidanceRelationship.objects.bulk_create(
            [
                GuidanceRelationship(
                    organisation_id=oid,
                    peer_worker_id=u.pk,
                    guide_id=their_guide[u.pk],
                    starts_on=today - timedelta(days=200),
                )
                for u in pws
            ],
            batch_size=BATCH,
        )
        held = [
            (
                u.pk,
                GuidanceSession(
                    organisation_id=oid,
                    kind=GuidanceKind.FOLLOW_UP,
                    guide_id=their_guide[u.pk],
                    meets_on=today - timedelta(days=28 * k + rng.randint(1, 20)),
                    topics="Workload and boundaries",
                ),
            )
            for u in pws
            for k in range(rng.randint(1, 6))
        ]
        GuidanceSession.objects.bulk_create([s for _u, s in held], batch_size=BATCH)
        GuidanceParticipant.objects.bulk_create(
            [GuidanceParticipant(organisation_id=oid, session_id=s.pk, peer_worker_id=uid) for uid, s in held],
            batch_size=BATCH,
        )
    return {
        "service_users": len(people),
        "referrals": len(referrals),
        "engagements": len(engagements),
        "contacts": n,
        "goals": len(goals),
        "ratings": len(ratings),
    }


def _contact_rows(
    oid: int, engagements: list[Engagement], picks: list[int], rng: random.Random, today: date, stamp: Any
) -> Iterator[tuple[Any, ...]]:
    taken: set[tuple[int, int, int]] = set()
    for k in picks:
        e = engagements[k]
        end = e.closed_on or today - timedelta(days=1)
        day = e.started_on + timedelta(days=rng.randint(0, max((end - e.started_on).days, 0)))
        quarter = rng.randint(28, 92)  # 07:00 to 23:00
        key = (e.peer_worker_id, day.toordinal(), quarter)
        if key in taken:
            continue
        taken.add(key)
        minutes = quarter * 15
        duration = 10 if k % 2 else 15  # at most a quarter of an hour: starts never overlap
        yield (
            oid,
            e.pk,
            e.peer_worker_id,
            day,
            time(minutes // 60, minutes % 60),
            duration,
            CHANNELS[k % len(CHANNELS)],
            "person" if k % 3 else "peer_worker",
            _outside(day, minutes, duration),
            "",
            "private",
            "contact",
            stamp,
            stamp,
        )


def from_generated(g: Any) -> None:
    """The ``scale_data`` hook."""
    generate(
        g.organisations,
        g.peer_workers_by_org,
        g.service_users,
        g.contacts,
        g.rng,
        coordinators_by_org=getattr(g, "coordinators_by_org", None),
    )
