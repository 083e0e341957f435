"""Scale data for co-creation (benchmarks only): initiatives with phases and participants, proposals with
outcomes, signals, boards with seats. Called through ``peerwork.demo.generate.GENERATORS``; bulk inserts."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import Board, Contribution, Initiative, ParticipantKind, Participation, Phase, Seat, Signal

BATCH = 5000
KINDS = ParticipantKind.values


@transaction.atomic
def from_generated(g: Any) -> None:
    rng = g.rng
    today = timezone.localdate()
    for org in g.organisations:
        pws = g.peer_workers_by_org.get(org.pk, [])
        managers = g.managers_by_org.get(org.pk, []) or g.coordinators_by_org.get(org.pk, [])
        if not pws or not managers:
            continue
        units = g.units_by_org.get(org.pk, [])
        n_init = max(3, len(pws) // 3)
        initiatives = Initiative.objects.bulk_create(
            [
                Initiative(
                    organisation=org,
                    title=f"Initiative {i + 1}",
                    problem_statement="Generated.",
                    owner=rng.choice(managers),
                    unit=rng.choice(units) if units and rng.random() < 0.7 else None,
                )
                for i in range(n_init)
            ],
            batch_size=BATCH,
        )
        phases = Phase.objects.bulk_create(
            [
                Phase(
                    organisation=org,
                    initiative=ini,
                    kind=k,
                    position=Phase.ORDER[k],
                    status=rng.choice(Phase.Status.values[:3]),
                )
                for ini in initiatives
                for k in Phase.Kind
            ],
            batch_size=BATCH,
        )
        participations = []
        for ph in phases:
            chosen = rng.sample(pws, k=min(len(pws), rng.randint(0, 2)))
            participations += [
                Participation(organisation=org, phase=ph, person=p, kind=ParticipantKind.PEER_WORKER) for p in chosen
            ]
            participations += [
                Participation(organisation=org, phase=ph, external_name=f"Guest {j}", kind=rng.choice(KINDS[1:]))
                for j in range(rng.randint(0, 2))
            ]
        Participation.objects.bulk_create(participations, batch_size=BATCH)

        design = {ph.initiative_id: ph for ph in phases if ph.kind == Phase.Kind.DESIGN}
        contributions = []
        for ini in initiatives:
            for _k in range(3):
                submitted = today - timedelta(days=rng.randint(0, 400))
                outcome = rng.choice(Contribution.Outcome.values)
                decided = None if outcome == "pending" else min(today, submitted + timedelta(days=rng.randint(1, 60)))
                contributions.append(
                    Contribution(
                        organisation=org,
                        initiative=ini,
                        phase=design[ini.pk],
                        contributor=rng.choice(pws),
                        contributor_kind="peer_worker",
                        summary="Generated proposal",
                        submitted_on=submitted,
                        outcome=outcome,
                        outcome_note="" if outcome in ("pending", "adopted") else "Generated reason",
                        decided_on=decided,
                        decided_by=rng.choice(managers) if decided else None,
                    )
                )
        Contribution.objects.bulk_create(contributions, batch_size=BATCH)

        signals = []
        for pw in pws:
            for _k in range(2):
                day = today - timedelta(days=rng.randint(0, 365))
                raised = timezone.make_aware(datetime.combine(day, time(rng.randint(7, 22))))
                acked = raised + timedelta(hours=rng.randint(1, 96)) if rng.random() < 0.7 else None
                closed = acked + timedelta(days=rng.randint(1, 30)) if acked and rng.random() < 0.5 else None
                signals.append(
                    Signal(
                        organisation=org,
                        raised_by=pw,
                        responsible_manager=rng.choice(managers),
                        kind=rng.choice(Signal.Kind.values),
                        title="Generated signal",
                        raised_at=raised,
                        unit=rng.choice(units) if units else None,
                        acknowledged_at=acked,
                        status="closed" if closed else ("acknowledged" if acked else "sent"),
                        closed_at=closed,
                        outcome="Generated outcome" if closed else "",
                    )
                )
        Signal.objects.bulk_create(signals, batch_size=BATCH)

        boards = Board.objects.bulk_create(
            [
                Board(organisation=org, name=f"Board {i + 1}", kind=rng.choice(Board.Kind.values))
                for i in range(3 + len(pws) // 20)
            ],
            batch_size=BATCH,
        )
        seats = []
        for b in boards:
            for j in range(rng.randint(5, 10)):
                kind = rng.choice(KINDS)
                seats.append(
                    Seat(
                        organisation=org,
                        board=b,
                        kind=kind,
                        leads=j == 0,
                        holder=rng.choice(pws) if kind == ParticipantKind.PEER_WORKER else None,
                        holder_name="" if kind == ParticipantKind.PEER_WORKER else f"Member {j}",
                    )
                )
        Seat.objects.bulk_create(seats, batch_size=BATCH)
