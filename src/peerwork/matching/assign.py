"""A proposal for a whole waiting list: who could go to which peer worker.

:func:`assign` maximises, over all feasible proposals, the total of (fit + waiting bonus) of
the referrals it places, respecting each peer worker's room, declared conflicts and firm
wishes; a referral stays unplaced only when that serves the total better or nobody eligible
has room. It is optimal, not greedy, and comes with a :class:`Certificate` (an upper bound from
LP duality that equals the total when optimality is proved) — see :mod:`.solver`.

It is a proposal for coordinators, not a decision: service users still choose among peer
workers (a Peerwork design choice) and coordinators confirm. Fit rewards what is recorded, so referrals with sparse
profiles score lower; the waiting bonus (``priority_weight``) keeps long waits from being
pushed back by that.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .encode import EncodedWorkers, encode_workers, fit_block
from .profiles import PeerWorkerProfile, ReferralProfile, Weights
from .scoring import score
from .solver import (
    OPTIMALITY_TOLERANCE,
    bruteforce_matching,
    greedy_matching,
    matching_total,
    optimal_matching,
)

__all__ = [
    "DEFAULT_PRIORITY_WEIGHT",
    "DEFAULT_WAITING_HORIZON_DAYS",
    "UNASSIGNED_CODES",
    "Assignment",
    "Certificate",
    "Match",
    "Unassigned",
    "assign",
    "assign_bruteforce",
    "assign_greedy",
    "priority_bonus",
]

#: A referral that has waited the full horizon gets this much on top of its fit (fit is 0..1).
DEFAULT_PRIORITY_WEIGHT = 0.5
#: Waiting longer than this (days) adds no more priority.
DEFAULT_WAITING_HORIZON_DAYS = 180

#: Why a referral is left without a proposal.
UNASSIGNED_CODES: Mapping[str, str] = {
    "no_eligible_worker": "No eligible peer worker has room (capacity, conflicts or firm wishes).",
    "room_given_to_others": "Eligible peer workers' room went to referrals where it did more good.",
}


@dataclass(frozen=True, slots=True)
class Match:
    """One proposed pairing. ``value = fit + bonus`` is what the optimiser counted."""

    referral_id: int
    worker_id: int
    fit: float
    bonus: float
    value: float


@dataclass(frozen=True, slots=True)
class Unassigned:
    """A referral without a proposal, and why (see :data:`UNASSIGNED_CODES`)."""

    referral_id: int
    code: str

    def describe(self) -> str:
        return UNASSIGNED_CODES.get(self.code, self.code)


@dataclass(frozen=True, slots=True)
class Certificate:
    """Evidence of optimality. ``upper_bound`` bounds the total of *any* feasible proposal.

    ``optimal`` is True when the bound meets the total (to ``OPTIMALITY_TOLERANCE``, 1e-6),
    i.e. no proposal can do better. ``candidate_edges`` of ``allowed_edges`` were given to the LP solver.
    """

    upper_bound: float
    gap: float
    optimal: bool
    iterations: int
    candidate_edges: int
    allowed_edges: int


@dataclass(frozen=True, slots=True)
class Assignment:
    """A proposal for a waiting list: matches sorted by referral id, and who is left waiting."""

    matches: tuple[Match, ...]
    unassigned: tuple[Unassigned, ...]
    total: float
    total_fit: float
    method: str
    certificate: Certificate | None = None

    def worker_for(self, referral_id: int) -> int | None:
        for match in self.matches:
            if match.referral_id == referral_id:
                return match.worker_id
        return None

    def load(self) -> dict[int, int]:
        """How many referrals each peer worker receives in this proposal."""
        counts: dict[int, int] = {}
        for match in self.matches:
            counts[match.worker_id] = counts.get(match.worker_id, 0) + 1
        return counts


def priority_bonus(
    days: int,
    priority_weight: float = DEFAULT_PRIORITY_WEIGHT,
    horizon_days: int = DEFAULT_WAITING_HORIZON_DAYS,
) -> float:
    """Extra value for placing a referral that has waited ``days``: linear up to the horizon."""
    if days < 0:
        raise ValueError(f"Waiting days must be zero or more, got {days}.")
    return priority_weight * min(days, horizon_days) / horizon_days


@dataclass(frozen=True, slots=True)
class _Problem:
    referrals: tuple[ReferralProfile, ...]
    enc: EncodedWorkers
    columns: NDArray[np.int64]  # positions (in enc) of peer workers with room
    values: NDArray[np.float64]  # referral × column; -inf where not eligible
    bonus: NDArray[np.float64]
    waiting: NDArray[np.int64]
    weights: Weights


def _prepare(
    referrals: Iterable[ReferralProfile],
    workers: Iterable[PeerWorkerProfile] | EncodedWorkers,
    weights: Weights | None,
    waiting_days: Mapping[int, int],
    priority_weight: float,
    waiting_horizon_days: int,
) -> _Problem:
    weights = weights or Weights()
    if isinstance(priority_weight, bool) or not math.isfinite(priority_weight) or priority_weight < 0:
        raise ValueError(f"priority_weight must be a finite number, zero or more, got {priority_weight!r}.")
    if waiting_horizon_days <= 0:
        raise ValueError(f"waiting_horizon_days must be at least 1, got {waiting_horizon_days}.")
    ordered = tuple(sorted(referrals, key=lambda r: r.id))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.id == after.id:
            raise ValueError(f"Referral id {after.id} appears more than once; ids must be unique.")
    waiting = np.array([int(waiting_days.get(r.id, 0)) for r in ordered], dtype=np.int64)
    negative = [r.id for r, d in zip(ordered, waiting.tolist(), strict=True) if d < 0]
    if negative:
        raise ValueError(f"Waiting days must be zero or more; referral {negative[0]} has a negative value.")
    bonus = np.array(
        [priority_bonus(d, priority_weight, waiting_horizon_days) for d in waiting.tolist()], dtype=np.float64
    )
    enc = encode_workers(workers)
    columns = np.flatnonzero(enc.room > 0).astype(np.int64)
    values = np.empty((len(ordered), len(columns)), dtype=np.float64)
    for start in range(0, len(ordered), 1024):
        block = ordered[start : start + 1024]
        scores, ok = fit_block(block, enc, weights)
        value = scores[:, columns] + bonus[start : start + len(block), None]
        values[start : start + len(block)] = np.where(ok[:, columns], value, -np.inf)
    return _Problem(ordered, enc, columns, values, bonus, waiting, weights)


def _fill_free_room(problem: _Problem, match: NDArray[np.int64]) -> NDArray[np.int64]:
    """Place still-unplaced referrals where an eligible peer worker has room left.

    The optimiser may leave a referral out when placing it adds exactly 0; this never lowers
    the total and keeps the proposal maximal ("unassigned only if nobody eligible has room").
    """
    room = problem.enc.room[problem.columns]
    left = room - np.bincount(match[match >= 0], minlength=len(room))
    for r in np.flatnonzero(match < 0).tolist():
        row = np.where(left > 0, problem.values[r], -np.inf)
        if row.size and np.isfinite(row.max()):
            w = int(np.argmax(row))
            match[r] = w
            left[w] -= 1
    return match


def _result(problem: _Problem, match: NDArray[np.int64], method: str, certificate: Certificate | None) -> Assignment:
    match = _fill_free_room(problem, match.copy())
    matches: list[Match] = []
    unassigned: list[Unassigned] = []
    for r, referral in enumerate(problem.referrals):
        column = int(match[r])
        if column < 0:
            anyone = bool(np.isfinite(problem.values[r]).any())
            unassigned.append(Unassigned(referral.id, "room_given_to_others" if anyone else "no_eligible_worker"))
            continue
        worker = problem.enc.workers[int(problem.columns[column])]
        fit = score(referral, worker, problem.weights).score
        matches.append(Match(referral.id, worker.id, fit, float(problem.bonus[r]), float(problem.values[r, column])))
    total = matching_total(problem.values, match)
    if certificate is not None:
        gap = max(certificate.upper_bound - total, 0.0)
        certificate = Certificate(
            upper_bound=certificate.upper_bound,
            gap=gap,
            optimal=gap <= OPTIMALITY_TOLERANCE,
            iterations=certificate.iterations,
            candidate_edges=certificate.candidate_edges,
            allowed_edges=certificate.allowed_edges,
        )
    return Assignment(
        matches=tuple(matches),
        unassigned=tuple(unassigned),
        total=total,
        total_fit=math.fsum(m.fit for m in matches),
        method=method,
        certificate=certificate,
    )


def _greedy_order(problem: _Problem) -> NDArray[np.int64]:
    # Longest waiting first, then lower referral id (referrals are sorted by id already).
    return np.argsort(-problem.waiting, kind="stable").astype(np.int64)


def assign(
    referrals: Sequence[ReferralProfile] | Iterable[ReferralProfile],
    workers: Iterable[PeerWorkerProfile] | EncodedWorkers,
    weights: Weights | None = None,
    waiting_days: Mapping[int, int] | None = None,
    priority_weight: float = DEFAULT_PRIORITY_WEIGHT,
    *,
    waiting_horizon_days: int = DEFAULT_WAITING_HORIZON_DAYS,
) -> Assignment:
    """The proposal with the greatest total of ``fit + priority_bonus(waiting days)``.

    ``waiting_days`` maps referral id to days waited (missing: 0). Capacities (room =
    capacity - active engagements), declared conflicts and firm wishes are respected; each
    referral gets at most one peer worker; a peer worker may get several up to their room.
    Deterministic: the same input (in any order) gives the same proposal.
    """
    problem = _prepare(referrals, workers, weights, waiting_days or {}, priority_weight, waiting_horizon_days)
    room = problem.enc.room[problem.columns]
    hint = greedy_matching(problem.values, room, _greedy_order(problem))
    solved = optimal_matching(problem.values, room, hint=hint)
    certificate = Certificate(
        upper_bound=solved.upper_bound,
        gap=solved.upper_bound - solved.total,
        optimal=solved.certified,
        iterations=solved.iterations,
        candidate_edges=solved.candidate_edges,
        allowed_edges=solved.allowed_edges,
    )
    return _result(problem, solved.match, "optimal", certificate)


def assign_greedy(
    referrals: Iterable[ReferralProfile],
    workers: Iterable[PeerWorkerProfile] | EncodedWorkers,
    weights: Weights | None = None,
    waiting_days: Mapping[int, int] | None = None,
    priority_weight: float = DEFAULT_PRIORITY_WEIGHT,
    *,
    waiting_horizon_days: int = DEFAULT_WAITING_HORIZON_DAYS,
) -> Assignment:
    """First come, first served: longest-waiting referral first takes its best eligible peer
    worker with room (ties: lower peer worker id). What a coordinator would do by hand; used
    as the baseline in the benchmark."""
    problem = _prepare(referrals, workers, weights, waiting_days or {}, priority_weight, waiting_horizon_days)
    room = problem.enc.room[problem.columns]
    return _result(problem, greedy_matching(problem.values, room, _greedy_order(problem)), "greedy", None)


def assign_bruteforce(
    referrals: Iterable[ReferralProfile],
    workers: Iterable[PeerWorkerProfile] | EncodedWorkers,
    weights: Weights | None = None,
    waiting_days: Mapping[int, int] | None = None,
    priority_weight: float = DEFAULT_PRIORITY_WEIGHT,
    *,
    waiting_horizon_days: int = DEFAULT_WAITING_HORIZON_DAYS,
) -> Assignment:
    """Tries every proposal; for tiny instances in tests (a few referrals and peer workers)."""
    problem = _prepare(referrals, workers, weights, waiting_days or {}, priority_weight, waiting_horizon_days)
    room = problem.enc.room[problem.columns]
    return _result(problem, bruteforce_matching(problem.values, room), "bruteforce", None)
