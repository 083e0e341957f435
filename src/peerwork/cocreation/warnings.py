"""Warnings about co-creation, computed from what is recorded (never stored).

Each function takes objects already loaded by a selector (phases with their participations, a board with
its seats) and runs no query of its own, so a list page can show warnings for every row at no extra cost.

* **No peer worker takes part** (S4, Results, theme 3, "Managers involve peer workers as partners in
  co-creation": one manager there counts peer workers as "a fourth factor" in service development): no phase of the
  initiative has a peer worker among those who take part. This fires however far the initiative has come,
  so leaving peer workers out never silences the warning about where they take part.
* **Peer workers only in delivery** (S2, Article 1: 167 of 172 studies, reported as 96.6%, show peer workers
  only in co-production at delivery; S2 §3.3: influence is greatest early): peer workers take part in the
  initiative, and every one of their participations is in co-delivery.
* **Assessment without those who implement the change**: the co-assessment phase is under way or done and
  none of the people who took part in co-delivery take part in it (people are matched by colleague, or by
  name for people outside Peerwork). A Peerwork rule following S2 §3.3 (every phase), not a finding.
* **Peer-worker seats replace user-organisation seats** (S4): a service user board (also one led by a peer
  worker) has peer-worker seats and no user-organisation seat, or any board has a seat that was changed
  from a user-organisation seat to another kind.
* **A peer-worker-led board without a peer worker leading it**: a local service user board led by a peer
  worker has no leading peer-worker seat (Peerwork default: the kind promises peer leadership; S4 reports
  boards led by peer workers).
* **Pending too long**: a contribution has waited for a decision longer than the organisation's limit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peerwork.core.sources import Cites

from .models import Board, Contribution, ParticipantKind, Phase

if TYPE_CHECKING:
    from .models import Participation, Seat


@dataclass(frozen=True)
class Warning:
    code: str
    title: str | Promise
    message: str | Promise
    source: Cites = ()  # citation keys (peerwork.core.sources)


NO_PEER_WORKER = "no_peer_worker_takes_part"
PEER_WORKERS_ONLY_IN_DELIVERY = "peer_workers_only_in_delivery"
ASSESSMENT_WITHOUT_IMPLEMENTERS = "assessment_without_implementers"
PEER_WORKERS_REPLACE_USER_ORG = "peer_workers_replace_user_org"
USER_ORG_SEATS_CONVERTED = "user_org_seats_converted"
PEER_LED_WITHOUT_PEER_LEADER = "peer_led_without_peer_leader"


# Every warning this module can give, with its citations, for the Sources page and docs/sources.md.
CATALOGUE: list[tuple[str, str | Promise, Cites]] = [
    (NO_PEER_WORKER, _("No peer worker takes part"), ("s4-cocreation",)),
    (
        PEER_WORKERS_ONLY_IN_DELIVERY,
        _("Peer workers take part only in delivery"),
        ("s2-delivery-only", "s2-cocreation"),
    ),
    (
        ASSESSMENT_WITHOUT_IMPLEMENTERS,
        _("Assessment without those who carry out the change"),
        ("default-assessment", "s2-cocreation"),
    ),
    (PEER_WORKERS_REPLACE_USER_ORG, _("No seat for user organisations"), ("s4-user-orgs",)),
    (USER_ORG_SEATS_CONVERTED, _("A user-organisation seat was given another kind"), ("s4-user-orgs",)),
    (PEER_LED_WITHOUT_PEER_LEADER, _("No peer worker leads this board"), ("default-board-leader", "s4-cocreation")),
    ("pending_too_long", _("Proposals waiting too long for a decision"), ("default-pending",)),
]


def initiative_warnings(phases: Iterable[Phase], participations: dict[int, list[Participation]]) -> list[Warning]:
    """``participations`` maps phase id to that phase's participations."""
    by_kind = {p.kind: p for p in phases}
    out: list[Warning] = []

    peer_phases = {
        kind
        for kind, phase in by_kind.items()
        if any(x.kind == ParticipantKind.PEER_WORKER for x in participations.get(phase.pk, []))
    }
    if not peer_phases:
        out.append(
            Warning(
                NO_PEER_WORKER,
                _("No peer worker takes part"),
                _(
                    "No peer worker takes part in any phase of this initiative. In a study of Norwegian managers, "
                    "one organisation counts peer workers as a fourth party in developing services, beside union "
                    "and safety representatives. Invite at least one peer worker, from co-defining onwards."
                ),
                ("s4-cocreation",),
            )
        )
    elif peer_phases == {Phase.Kind.DELIVERY}:
        out.append(
            Warning(
                PEER_WORKERS_ONLY_IN_DELIVERY,
                _("Peer workers take part only in delivery"),
                _(
                    "So far peer workers take part only in co-delivery. Their influence is greatest early: "
                    "invite them "
                    "to define the problem and to design the change."
                ),
                ("s2-delivery-only", "s2-cocreation"),
            )
        )

    assessment = by_kind.get(Phase.Kind.ASSESSMENT)
    delivery = by_kind.get(Phase.Kind.DELIVERY)
    if assessment is not None and assessment.status in (Phase.Status.ACTIVE, Phase.Status.DONE):
        implementers = {x.identity for x in participations.get(delivery.pk, [])} if delivery else set()
        assessors = {x.identity for x in participations.get(assessment.pk, [])}
        if not implementers & assessors:
            out.append(
                Warning(
                    ASSESSMENT_WITHOUT_IMPLEMENTERS,
                    _("Assessment without those who carry out the change"),
                    _(
                        "No one who takes part in co-delivery takes part in co-assessment. Add the people "
                        "who carry out "
                        "the change to the assessment, so it is judged by those who know how it works in "
                        "practice."
                    ),
                    ("default-assessment", "s2-cocreation"),
                )
            )
    return out


def board_warnings(board: Board, seats: Iterable[Seat]) -> list[Warning]:
    seats = list(seats)
    kinds = [s.kind for s in seats]
    out: list[Warning] = []
    if (
        board.kind in Board.USER_BOARDS
        and ParticipantKind.PEER_WORKER in kinds
        and ParticipantKind.USER_ORG_REP not in kinds
    ):
        out.append(
            Warning(
                PEER_WORKERS_REPLACE_USER_ORG,
                _("No seat for user organisations"),
                _(
                    "This service user board has seats for peer workers but none for user-organisation "
                    "representatives. "
                    "Peer workers are employees; they sit beside user organisations, not instead of them."
                ),
                ("s4-user-orgs",),
            )
        )
    if any(s.converted_from == ParticipantKind.USER_ORG_REP and s.kind != ParticipantKind.USER_ORG_REP for s in seats):
        out.append(
            Warning(
                USER_ORG_SEATS_CONVERTED,
                _("A user-organisation seat was given another kind"),
                _(
                    "At least one seat that was for a user-organisation representative is now for someone "
                    "else. Restore "
                    "the seat, or add a new one for the user organisation."
                ),
                ("s4-user-orgs",),
            )
        )
    if board.kind == Board.Kind.PEER_LED_USER_BOARD and not any(
        s.leads and s.holder_id and s.kind == ParticipantKind.PEER_WORKER for s in seats
    ):
        out.append(
            Warning(
                PEER_LED_WITHOUT_PEER_LEADER,
                _("No peer worker leads this board"),
                _(
                    "This board is meant to be led by a peer worker, but no peer-worker seat leads it. Choose "
                    "the peer worker who leads it on their seat."
                ),
                ("default-board-leader", "s4-cocreation"),
            )
        )
    return out


def seat_has_dual_role(seat: Seat, holder_roles: set[str]) -> bool:
    """A holder brings two roles when it is recorded on the seat, or when a peer worker in this organisation
    sits in a seat for a user organisation or for service users. Shown as a fact, not a risk: peer workers
    who are also user representatives find the combination increasingly valued (S2 §6.7)."""
    if seat.also_acts_as and seat.also_acts_as != seat.kind:
        return True
    is_peer_worker = bool(holder_roles & {"peer_worker", "senior_peer_worker"})
    return is_peer_worker and seat.kind in (ParticipantKind.USER_ORG_REP, ParticipantKind.SERVICE_USER)


def pending_since_limit(today: date, limit_days: int) -> date:
    """A pending contribution proposed before this date has waited too long."""
    return today - timedelta(days=limit_days)


def pending_too_long(contribution: Contribution, today: date, limit_days: int) -> bool:
    return contribution.outcome == Contribution.Outcome.PENDING and contribution.submitted_on < pending_since_limit(
        today, limit_days
    )
