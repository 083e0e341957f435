"""Scale data for co-assessment (benchmarks only), registered through the ``scale_data`` hook.

Each organisation of a sample (every organisation of a small data set, at most ``SAMPLE`` of a large one) gets
co-assessments in each state: one being planned (a team only), one collecting (groups, participants and a
few transcripts), one being analysed (segments coded by several coders, memos and candidate themes) and a
finished one. At national scale the largest organisation also gets the big workspace: ``BIG`` transcripts of
about 5,000 words, ~40 segments each, coded by 5 coders.

Generated text only: every transcript is words drawn from a word list, spoken by pseudonyms ("P7"); each
participant's consent names a generated staff member or service user. Materials, segments and codings are
streamed in with ``core.bulkload`` (COPY on PostgreSQL); the small tables with ``bulk_create``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from peerwork.accounts.models import Membership
from peerwork.core import bulkload
from peerwork.core.roles import Role
from peerwork.privacy.models import Consent
from peerwork.service.models import ServiceUser

from .models import (
    GROUP_MAX,
    CoAssessment,
    Code,
    Coding,
    Group,
    Material,
    Memo,
    Participant,
    Segment,
    TeamMember,
    Theme,
)
from .services import GROUP_ROLES

SAMPLE = 10  # organisations that get co-assessments at national scale
# The big workspace: what a large evaluation with several coders holds.
BIG = {"transcripts": 200, "words": 5000, "segments": 40, "coders": 5, "codes": 60}
# A co-assessment of the size the demo holds (a few focus groups).
SMALL = {"transcripts": 4, "words": 600, "segments": 8, "coders": 3, "codes": 12}

WORDS = (
    "jeg vi de hun han det var er fikk hadde kunne ville skulle måtte tid hjelp støtte veiledning erfaring "
    "gruppe møte samtale telefon kveld uke måned begynnelse slutt trygg alene sammen lettere vanskelig godt "
    "fint sent tidlig spørsmål svar plan mål håp recovery team leder kollega borger bruker tjeneste hverdag "
    "tillit grense rolle ansvar oppgave ressurs forståelse stemme historie innsikt endring vei"
).split()
CODE_WORDS = (
    "guidance boundaries trust timing loneliness recognition role clarity workload peer voice hope "
    "belonging supervision training language power safety learning colleagues expectations"
).split()
STATES = (
    CoAssessment.Status.PLANNING,
    CoAssessment.Status.COLLECTING,
    CoAssessment.Status.ANALYSING,
    CoAssessment.Status.FINISHED,
)


@dataclass
class Built:
    coassessment: CoAssessment
    materials: int = 0
    segments: int = 0
    codings: int = 0
    participants: int = 0


def from_generated(g: Any) -> None:
    """The ``scale_data`` hook: after the service's data, whose people it reads."""
    rng = g.rng
    orgs = list(g.organisations)
    if not orgs:
        return
    national = g.service_users // len(orgs) >= 2000  # a national-sized organisation
    sample = orgs[:SAMPLE] if national else orgs
    for org in sample:
        for status in STATES:
            size = dict(SMALL, transcripts=0 if status == CoAssessment.Status.PLANNING else SMALL["transcripts"])
            build(org.pk, rng=rng, status=status, title=f"Co-assessment {status}", **size)
    if national:
        largest = max(orgs, key=lambda o: len(g.peer_workers_by_org.get(o.pk, [])))
        build(largest.pk, rng=rng, status=CoAssessment.Status.ANALYSING, title="Peer support across the region", **BIG)


def _text(rng: random.Random, n: int) -> str:
    words = rng.choices(WORDS, k=n)
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


@transaction.atomic
def build(  # noqa: PLR0913, PLR0915 (one co-assessment, top to bottom)
    organisation_id: int,
    *,
    rng: random.Random,
    status: str = CoAssessment.Status.ANALYSING,
    title: str = "Co-assessment",
    transcripts: int,
    words: int,
    segments: int,
    coders: int,
    codes: int,
) -> Built:
    """One generated co-assessment in ``status`` for the organisation: a team with a peer co-researcher,
    groups of participants (each with a consent to this study), ``transcripts`` transcripts of about
    ``words`` words cut into ``segments`` segments each, a codebook of ``codes`` codes, and (once analysing)
    every segment coded by two to ``coders`` coders, memos and themes."""
    now = timezone.now()
    today = timezone.localdate()
    staff = list(
        Membership.objects.filter(organisation_id=organisation_id)
        .exclude(role=Role.ADMINISTRATOR)
        .values_list("user_id", "role")
        .order_by("pk")
    )
    managers = [u for u, r in staff if r in (Role.MANAGER, Role.COORDINATOR)]
    peers = [u for u, r in staff if r in (Role.PEER_WORKER, Role.SENIOR_PEER_WORKER)]
    lead = managers[0] if managers else staff[0][0]
    team_people = [lead] + [u for u in peers if u != lead][: max(coders - 1, 1)]
    analysing = CoAssessment(status=status).reached(CoAssessment.Status.ANALYSING)
    approved = status != CoAssessment.Status.PLANNING
    ca = CoAssessment.objects.create(
        organisation_id=organisation_id,
        title=title,
        question="How do the people we work with experience peer support?",
        method=rng.choice(CoAssessment.Method.values),
        status=status,
        retention_until=today + timedelta(days=365),
        created_by_id=lead,
        ethics_approved_by_id=lead if approved else None,
        ethics_approved_on=today - timedelta(days=90) if approved else None,
        ethics_note="Consent forms and the name key checked." if approved else "",
    )
    TeamMember.objects.bulk_create(
        TeamMember(
            organisation_id=organisation_id,
            coassessment=ca,
            person_id=person,
            role=TeamMember.Role.LEAD if i == 0 else TeamMember.Role.CO_RESEARCHER,
            is_peer_co_researcher=i > 0,
            hours_per_month=8,
        )
        for i, person in enumerate(team_people)
    )
    built = Built(ca)
    if not transcripts:
        return built

    # Groups of six, each with several transcripts (sessions); participants consent to this study.
    n_groups = max(1, min(transcripts, (transcripts + 4) // 5))
    size = min(6, GROUP_MAX)
    service_users = list(
        ServiceUser.objects.filter(organisation_id=organisation_id).values_list("pk", flat=True)[
            : n_groups * size // 2 + size
        ]
    )
    # Each group holds one kind of respondent (as services.add_participant requires): service users while there
    # are enough of them for a whole group, otherwise the staff of one role.
    by_kind = {kind: [u for u, r in staff if r in roles] for kind, roles in GROUP_ROLES.items()}
    staff_kind = next(
        (k for k in (Group.Kind.PEER_WORKERS, Group.Kind.PROFESSIONALS, Group.Kind.MANAGERS) if by_kind[k]),
        Group.Kind.PEER_WORKERS,
    )
    kinds: list[str] = []
    for k in range(n_groups):
        enough = len(service_users) >= (kinds.count(Group.Kind.SERVICE_USERS) + 1) * size
        kinds.append(Group.Kind.SERVICE_USERS if k % 2 == 0 and enough else staff_kind)
    groups = Group.objects.bulk_create(
        Group(organisation_id=organisation_id, coassessment=ca, name=f"Group {k + 1}", kind=kind)
        for k, kind in enumerate(kinds)
    )
    study = f"Co-assessment: {title}"[:200]
    consents, slots = [], []
    su_iter, staff_ids = iter(service_users), by_kind[staff_kind]
    for k, group in enumerate(groups):
        for j in range(size):
            su = next(su_iter, None) if group.kind == Group.Kind.SERVICE_USERS else None
            consents.append(
                Consent(
                    organisation_id=organisation_id,
                    service_user_id=su,
                    staff_member_id=None if su else staff_ids[(k * size + j) % len(staff_ids)],
                    purpose=Consent.Purpose.EVALUATION,
                    given_on=today - timedelta(days=rng.randint(60, 120)),
                    how_given=rng.choice(Consent.HowGiven.values),
                    recorded_by_id=lead,
                    study=study,
                )
            )
            slots.append(group)
    consents = Consent.objects.bulk_create(consents)
    participants = Participant.objects.bulk_create(
        Participant(
            organisation_id=organisation_id, coassessment=ca, group=group, pseudonym=f"P{i + 1}", consent=consent
        )
        for i, (group, consent) in enumerate(zip(slots, consents, strict=True))
    )
    built.participants = len(participants)
    by_group: dict[int, list[int]] = {}
    for p in participants:
        by_group.setdefault(p.group_id, []).append(p.pk)

    # Transcripts: "P3: words…" turns; each turn is a segment.
    per_turn = max(1, words // segments)
    spans: list[list[tuple[int, int, int]]] = []  # per material: (participant, start, end)

    def materials() -> Iterator[tuple[Any, ...]]:
        for t in range(transcripts):
            group = groups[t % len(groups)]
            speakers = by_group[group.pk]
            text, turns = "", []
            for _s in range(segments):
                who = rng.choice(speakers)
                head = f"P{participants_index[who]}: "
                start = len(text) + len(head)
                words_said = _text(rng, max(3, int(per_turn * rng.uniform(0.6, 1.4))))
                text += head + words_said + "\n\n"
                turns.append((who, start, start + len(words_said)))
            spans.append(turns)
            yield (organisation_id, ca.pk, group.pk, Material.Kind.TRANSCRIPT, f"Session {t + 1}", text, lead, now)

    participants_index = {p.pk: i + 1 for i, p in enumerate(participants)}
    built.materials = bulkload.load(
        Material,
        ["organisation_id", "coassessment_id", "group_id", "kind", "title", "text", "entered_by_id", "entered_at"],
        materials(),
    )
    material_ids = list(Material.objects.filter(coassessment=ca).order_by("pk").values_list("pk", flat=True))
    built.segments = bulkload.load(
        Segment,
        ["organisation_id", "material_id", "participant_id", "start", "end", "created_by_id"],
        (
            (organisation_id, m, who, start, end, lead)
            for m, turns in zip(material_ids, spans, strict=True)
            for who, start, end in turns
        ),
    )
    code_names = _code_names(rng, codes)
    Code.objects.bulk_create(
        Code(organisation_id=organisation_id, coassessment=ca, name=name, description=f"When someone speaks of {name}.")
        for name in code_names
    )
    if not analysing:
        return built

    code_ids = list(Code.objects.filter(coassessment=ca).order_by("pk").values_list("pk", flat=True))
    segment_ids = list(
        Segment.objects.filter(material__coassessment=ca).order_by("material_id", "start").values_list("pk", flat=True)
    )
    coder_ids = team_people[:coders]

    def codings() -> Iterator[tuple[Any, ...]]:
        for s in segment_ids:
            # Coders often agree: a shared reading, varied by each coder now and then.
            shared = rng.sample(code_ids, k=min(len(code_ids), rng.choice((1, 1, 2))))
            for coder in rng.sample(coder_ids, k=rng.randint(min(2, len(coder_ids)), len(coder_ids))):
                chosen = set(shared if rng.random() < 0.8 else rng.sample(code_ids, k=1))
                for code in chosen:
                    yield (organisation_id, s, code, coder, False, now)

    built.codings = bulkload.load(
        Coding, ["organisation_id", "segment_id", "code_id", "coder_id", "blind", "created_at"], codings()
    )
    Memo.objects.bulk_create(
        Memo(organisation_id=organisation_id, material_id=m, author_id=coder_ids[0], text=_text(rng, 60))
        for m in material_ids[:20]
    )
    kind = Theme.Kind.THEME if ca.method == CoAssessment.Method.THEMATIC else Theme.Kind.CODE_GROUP
    themes = Theme.objects.bulk_create(
        Theme(
            organisation_id=organisation_id,
            coassessment=ca,
            kind=kind,
            name=f"Theme {k + 1}",
            definition=_text(rng, 25),
            condensate=_text(rng, 40) if kind == Theme.Kind.CODE_GROUP else "",
            review=Theme.Review.KEPT if status == CoAssessment.Status.FINISHED else Theme.Review.CANDIDATE,
            quote_id=segment_ids[k * 7 % len(segment_ids)],
        )
        for k in range(min(8, max(1, len(code_ids) // 5)))
    )
    Theme.codes.through.objects.bulk_create(
        Theme.codes.through(theme_id=t.pk, code_id=c) for k, t in enumerate(themes) for c in code_ids[k * 5 : k * 5 + 5]
    )
    Theme.segments.through.objects.bulk_create(
        Theme.segments.through(theme_id=t.pk, segment_id=s)
        for k, t in enumerate(themes)
        for s in segment_ids[k * 7 : k * 7 + 3]
    )
    return built


def _code_names(rng: random.Random, n: int) -> Sequence[str]:
    names: list[str] = []
    for i in range(n):
        first, second = CODE_WORDS[i % len(CODE_WORDS)], CODE_WORDS[(i * 7 + 3) % len(CODE_WORDS)]
        names.append(f"{first} and {second} {i // len(CODE_WORDS) + 1}" if i >= len(CODE_WORDS) else first)
    rng.shuffle(names)
    return names


__all__ = ["BIG", "SMALL", "Built", "build", "from_generated"]
