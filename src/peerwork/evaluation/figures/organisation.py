"""Organisation level, from co-creation: peer workers in initiatives, what came of proposals, boards and
committees, and how many boards each peer worker sits on.

Initiatives, proposals and boards follow their own ``unit`` field when a unit is chosen; board seats per
peer worker follow the peer worker's memberships."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from peerwork.cocreation import selectors as cocreation_selectors
from peerwork.cocreation.models import Board, Contribution, ParticipantKind, Participation, Phase, Seat
from peerwork.cocreation.models import Initiative as CoInitiative
from peerwork.cocreation.warnings import board_warnings

from .audience import peer_worker_count
from .base import Bar, Chart, Dashboard, Figure, Filters, by_unit, median, members, num, pct


def add(d: Dashboard, f: Filters) -> None:
    initiatives = by_unit(CoInitiative.objects.filter(organisation_id=f.organisation_id, created_at__lt=f.bounds[1]), f)
    _initiatives(d, initiatives)
    _initiatives_by_phase(d, f, initiatives)
    _contributions(d, f)
    _boards(d, f)
    _committees(d, f)


def _initiatives(d: Dashboard, initiatives: QuerySet[CoInitiative]) -> None:
    pw = Participation.objects.filter(phase__initiative_id=OuterRef("pk"), kind=ParticipantKind.PEER_WORKER)
    i = initiatives.aggregate(
        n=Count("id"),
        early=Count("id", filter=Exists(pw.filter(phase__kind__in=Phase.EARLY))),
        any=Count("id", filter=Exists(pw)),
    )
    early, early_display = pct(i["early"], i["n"])
    anyp, any_display = pct(i["any"], i["n"])
    d.figures += [
        Figure(
            "initiatives",
            "organisation",
            _("Initiatives"),
            i["n"],
            num(i["n"]),
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
                "co-design, where influence is greatest."
            ),
            base=i["n"],
        ),
        Figure(
            "initiatives_any_share",
            "organisation",
            _("Initiatives with peer workers at all"),
            anyp,
            any_display,
            _("Of those initiatives: the share with at least one peer worker in any phase."),
            base=i["n"],
        ),
    ]


def _initiatives_by_phase(d: Dashboard, f: Filters, initiatives: QuerySet[CoInitiative]) -> None:
    kinds = dict(Phase.Kind.choices)
    per_phase = dict(
        Participation.objects.filter(
            organisation_id=f.organisation_id,
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
            [Bar(str(kinds[k]), per_phase.get(k, 0), num(per_phase.get(k, 0))) for k in Phase.Kind.values],
            (_("Phase"), _("Initiatives")),
        ).render()
    )


def _contributions(d: Dashboard, f: Filters) -> None:
    contributions = by_unit(Contribution.objects.filter(organisation_id=f.organisation_id), f, "initiative__unit_id")
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
    rate, rate_display = pct(c["adopted"] + c["adapted"], c["decided"])
    median_days = median(days_to_decide)
    d.figures += [
        Figure(
            "contributions_made",
            "organisation",
            _("Proposals made"),
            c["made"],
            num(c["made"]),
            _("Proposals and inputs from peer workers and service users dated in the period."),
        ),
        Figure(
            "adoption_rate",
            "organisation",
            _("Adoption rate of proposals"),
            rate,
            rate_display,
            _("Of the proposals decided in the period: the share adopted, as proposed or with changes."),
            base=c["decided"],
        ),
        Figure(
            "decision_median_days",
            "organisation",
            _("Median days to a decision"),
            median_days,
            "—" if median_days is None else _("%(n)s days") % {"n": num(median_days)},
            _("Of the proposals decided in the period: the middle value of the days from proposal to decision."),
            base=len(days_to_decide),
        ),
    ]
    _contribution_outcomes(d, c)


def _contribution_outcomes(d: Dashboard, c: dict[str, Any]) -> None:
    outcomes = dict(Contribution.Outcome.choices)
    d.charts.append(
        Chart(
            "contribution_outcomes",
            "organisation",
            _("What came of proposals"),
            _("Proposals decided in the period by outcome, and proposals made by the end of the period still waiting."),
            [Bar(str(outcomes[k]), c[k], num(c[k])) for k in ("adopted", "adapted", "rejected")]
            + [Bar(str(outcomes["pending"]), c["pending"], num(c["pending"]))],
            (_("Outcome"), _("Proposals")),
        ).render()
    )


def _boards(d: Dashboard, f: Filters) -> None:
    """Boards and committees that met in the period, who leads them, and their seats by kind."""
    meeting = Q(created_at__lt=f.bounds[1]) & (Q(ended_on__isnull=True) | Q(ended_on__gte=f.start))
    boards = list(
        by_unit(Board.objects.filter(organisation_id=f.organisation_id), f).filter(meeting).values("id", "kind")
    )
    seats = list(
        Seat.objects.filter(organisation_id=f.organisation_id, board_id__in=[b["id"] for b in boards]).values(
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
            num(len(boards)),
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
            num(led_by_pw),
            _("Of those boards: the number whose leader holds a peer-worker seat."),
        ),
        Figure(
            "boards_replacing_user_org",
            "organisation",
            _("Boards where peer workers replace user organisations"),
            with_warning,
            num(with_warning),
            _(
                "Service user boards with peer-worker seats and no user-organisation seat, and boards "
                "where a "
                "user-organisation seat was given to someone else."
            ),
        ),
    ]
    _seats_by_kind(d, [s["kind"] for s in seats])


def _seats_by_kind(d: Dashboard, kinds: list[str]) -> None:
    seat_kinds = dict(ParticipantKind.choices)
    counts: dict[str, int] = defaultdict(int)
    for kind in kinds:
        counts[kind] += 1
    d.charts.append(
        Chart(
            "seats_by_kind",
            "organisation",
            _("Board seats by kind"),
            _("Seats on the boards and committees above, by who the seat is for."),
            [Bar(str(seat_kinds[k]), counts.get(k, 0), num(counts.get(k, 0))) for k in ParticipantKind.values],
            (_("Seat for"), _("Seats")),
        ).render()
    )


def _committees(d: Dashboard, f: Filters) -> None:
    """Today's board seats per peer worker (S1 B1: too many committees is a workload risk)."""
    per_pw = cocreation_selectors.committee_counts(f.organisation_id)
    if f.unit_id:
        in_unit = set(members(f).values_list("user_id", flat=True))
        per_pw = {k: v for k, v in per_pw.items() if k in in_unit}
    peer_count = peer_worker_count(f.organisation_id, f.unit_id)
    d.scratch["peer_workers"] = peer_count  # the peer workers' view needs it too (``audience``)
    mean = sum(per_pw.values()) / peer_count if peer_count else None
    d.figures += [
        Figure(
            "committees_per_peer_worker",
            "organisation",
            _("Boards per peer worker"),
            mean,
            num(mean, 1),
            _(
                "Today: seats on boards still meeting, counted once per board, divided by the number of peer "
                "workers. Too many committees is a workload risk."
            ),
            base=peer_count,
        ),
        Figure(
            "committees_most",
            "organisation",
            _("Most boards held by one peer worker"),
            max(per_pw.values(), default=0),
            num(max(per_pw.values(), default=0)),
            _("Today: the highest number of boards one peer worker sits on."),
        ),
    ]
