"""Offers for a whole waiting list that keep the choice with the person: up to three peer workers each.

Each waiting person gets up to :data:`OFFERS_PER_PERSON` peer workers to choose from, and no peer worker
is offered to more people than they have room for (room counts pending offers too, see
``PeerWorkerProfile.pending_offers``), so whichever peer worker each person chooses, the choice can be
honoured. Only eligible pairs are offered (room, declared conflicts, firm wishes: ``scoring.eligible``).

The objective, in this order (each level only breaks ties of the level before):

(a) **coverage** — as many people as possible get at least one offer; when places are short, those who
    have waited longest come first: the people covered maximise ``Σ (1 + waiting bonus)``. Because the
    sets of people that can be covered form a matroid (a transversal matroid), any set with the greatest
    such total is also a set of the greatest size, so this is "as many as possible, then longest waiting";
(b) **the worst best offer** — among those, the lowest best-offer fit (over the people covered) is as high
    as possible;
(c) **total fit** — then the sum of the fit of every offer is as high as possible.

Solved exactly: (b) by bisection over the distinct fit values (at threshold ``t``, can (a)'s optimum still
be reached if each person's first offer must have fit ≥ ``t``?), then (a)+(c) together as one minimum-cost
flow whose integer cost packs the two levels into one number. Fits and bonuses are compared in units of
:data:`FIT_UNIT` (10⁻⁹), so the arithmetic is exact whole numbers. Each flow comes with a certificate
(node prices with non-negative reduced costs on the residual network), checked by
:func:`~peerwork.matching.flow.check_certificate`.

The flow network for threshold ``t``: source → ``R_i`` (capacity 1, cost −(1 + bonus), the coverage
reward), source → ``X_i`` (capacity 2, cost 0, the extra offers), ``X_i`` → ``R_i`` (capacity 2),
``R_i`` → peer worker ``j`` for pairs with fit ≥ ``t``, ``X_i`` → ``j`` for eligible pairs below ``t``
(capacity 1, cost −fit), peer worker → sink (capacity = room). Each pair has one arc, so it is offered at
most once; at most three units reach a person; a person with offers has at least one at fit ≥ ``t``
(a person reached only through ``X_i`` would be covered without the reward, and by the matroid argument
the covered set cannot grow beyond (a)'s optimum, so this never happens at the optimum).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .assign import DEFAULT_PRIORITY_WEIGHT, DEFAULT_WAITING_HORIZON_DAYS, priority_bonus
from .encode import EncodedWorkers, encode_workers, fit_block
from .flow import FlowNetwork, check_certificate
from .profiles import PeerWorkerProfile, ReferralProfile, Weights

__all__ = [
    "FIT_UNIT",
    "OFFERS_PER_PERSON",
    "Offer",
    "OfferCertificate",
    "OfferPlan",
    "objective_key",
    "plan_offers",
    "plan_offers_bruteforce",
    "plan_offers_greedy",
]

#: How many peer workers one person is offered at most (the person chooses one of them).
OFFERS_PER_PERSON = 3
#: Fits and waiting bonuses are compared in whole multiples of this (exact integer arithmetic).
FIT_UNIT = 10**9


@dataclass(frozen=True, slots=True)
class Offer:
    referral_id: int
    worker_id: int
    fit: float


@dataclass(frozen=True, slots=True)
class OfferCertificate:
    """Evidence for the three levels of the objective.

    ``coverage`` is (a)'s optimum (in :data:`FIT_UNIT`), ``coverage_proved`` that its flow carries valid
    prices; ``threshold`` is (b)'s lowest best-offer fit; ``above_threshold`` the coverage reachable if
    the threshold were the next higher fit value (``None`` when there is none) — below ``coverage``, so
    the threshold cannot be raised; ``final_proved`` that the final flow (a and c) carries valid prices.
    """

    coverage: int
    coverage_proved: bool
    threshold: float | None
    above_threshold: int | None
    above_proved: bool
    final_proved: bool
    flows_solved: int

    @property
    def optimal(self) -> bool:
        raised = self.above_threshold is None or (self.above_proved and self.above_threshold < self.coverage)
        return self.coverage_proved and self.final_proved and raised


@dataclass(frozen=True, slots=True)
class OfferPlan:
    """Offers per referral (best fit first), the referrals left without one, and the objective's values."""

    offers: Mapping[int, tuple[Offer, ...]]
    waiting: tuple[int, ...]
    method: str
    certificate: OfferCertificate | None = None
    #: Referrals left without an offer although an eligible peer worker has room: the places went to
    #: people who waited longer (or to more people). The others in ``waiting`` have no one eligible.
    outranked: frozenset[int] = frozenset()

    @property
    def covered(self) -> int:
        return sum(1 for o in self.offers.values() if o)

    @property
    def lowest_best_fit(self) -> float | None:
        best = [o[0].fit for o in self.offers.values() if o]
        return min(best) if best else None

    @property
    def total_fit(self) -> float:
        return math.fsum(o.fit for offers in self.offers.values() for o in offers)

    def load(self) -> dict[int, int]:
        """How many people each peer worker is offered to."""
        counts: dict[int, int] = {}
        for offers in self.offers.values():
            for o in offers:
                counts[o.worker_id] = counts.get(o.worker_id, 0) + 1
        return counts


@dataclass(frozen=True, slots=True)
class _Instance:
    referrals: tuple[ReferralProfile, ...]
    enc: EncodedWorkers
    reward: tuple[int, ...]  # 1 + bonus, in FIT_UNIT, per referral
    waiting: tuple[int, ...]
    edges: tuple[tuple[tuple[int, int, float], ...], ...]  # per referral: (worker position, fit units, fit)
    room: tuple[int, ...]


def _units(x: float) -> int:
    return round(x * FIT_UNIT)


def _instance(
    referrals: Iterable[ReferralProfile],
    workers: Iterable[PeerWorkerProfile] | EncodedWorkers,
    weights: Weights | None,
    waiting_days: Mapping[int, int] | None,
    priority_weight: float,
    waiting_horizon_days: int,
) -> _Instance:
    weights = weights or Weights()
    if isinstance(priority_weight, bool) or not math.isfinite(priority_weight) or priority_weight < 0:
        raise ValueError(f"priority_weight must be a finite number, zero or more, got {priority_weight!r}.")
    ordered = tuple(sorted(referrals, key=lambda r: r.id))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.id == after.id:
            raise ValueError(f"Referral id {after.id} appears more than once; ids must be unique.")
    days = waiting_days or {}
    waiting = tuple(int(days.get(r.id, 0)) for r in ordered)
    reward = tuple(_units(1.0 + priority_bonus(d, priority_weight, waiting_horizon_days)) for d in waiting)
    enc = encode_workers(workers)
    room = tuple(int(x) for x in enc.room.tolist())
    edges: list[tuple[tuple[int, int, float], ...]] = []
    for start in range(0, len(ordered), 512):
        block = ordered[start : start + 512]
        scores, ok = fit_block(block, enc, weights)
        for r in range(len(block)):
            row = []
            for j in range(len(enc)):
                if ok[r, j] and room[j] > 0:
                    fit = float(scores[r, j])
                    row.append((j, _units(fit), fit))
            edges.append(tuple(row))
    return _Instance(ordered, enc, reward, waiting, tuple(edges), room)


def _coverage_network(inst: _Instance, threshold: int) -> tuple[FlowNetwork, int, int]:
    n, m = len(inst.referrals), len(inst.enc)
    source, sink = n + m, n + m + 1
    net = FlowNetwork(n + m + 2)
    for i, row in enumerate(inst.edges):
        net.add_arc(source, i, 1, -inst.reward[i])
        for j, units, _fit in row:
            if units >= threshold:
                net.add_arc(i, n + j, 1, 0)
    for j, r in enumerate(inst.room):
        if r > 0:
            net.add_arc(n + j, sink, r, 0)
    return net, source, sink


def _coverage(inst: _Instance, threshold: int) -> tuple[int, bool]:
    net, source, sink = _coverage_network(inst, threshold)
    net.solve(source, sink)
    proved = check_certificate(net, source, sink, net.certificate(source, sink))
    return -net.total_cost(), proved


def _final_network(inst: _Instance, threshold: int) -> tuple[FlowNetwork, int, int, list[tuple[int, int, int]]]:
    n, m = len(inst.referrals), len(inst.enc)
    # Nodes: R_i = i, X_i = n + i, peer worker j = 2n + j, source, sink.
    source, sink = 2 * n + m, 2 * n + m + 1
    net = FlowNetwork(2 * n + m + 2)
    level = OFFERS_PER_PERSON * max((u for row in inst.edges for _j, u, _f in row), default=0) * n + 1
    pairs: list[tuple[int, int, int]] = []  # (arc, referral position, worker position)
    for i, row in enumerate(inst.edges):
        if not row:
            continue
        net.add_arc(source, i, 1, -inst.reward[i] * level)
        net.add_arc(source, n + i, OFFERS_PER_PERSON - 1, 0)
        net.add_arc(n + i, i, OFFERS_PER_PERSON - 1, 0)
        for j, units, _fit in row:
            tail = i if units >= threshold else n + i
            pairs.append((net.add_arc(tail, 2 * n + j, 1, -units), i, j))
    for j, r in enumerate(inst.room):
        if r > 0:
            net.add_arc(2 * n + j, sink, r, 0)
    return net, source, sink, pairs


def plan_offers(
    referrals: Sequence[ReferralProfile] | Iterable[ReferralProfile],
    workers: Iterable[PeerWorkerProfile] | EncodedWorkers,
    weights: Weights | None = None,
    waiting_days: Mapping[int, int] | None = None,
    priority_weight: float = DEFAULT_PRIORITY_WEIGHT,
    *,
    waiting_horizon_days: int = DEFAULT_WAITING_HORIZON_DAYS,
) -> OfferPlan:
    """The offers that are best by the objective in the module docstring, with a certificate."""
    inst = _instance(referrals, workers, weights, waiting_days, priority_weight, waiting_horizon_days)
    levels = sorted({u for row in inst.edges for _j, u, _f in row})
    flows = 0
    if not levels:
        return _plan(inst, {}, "optimal", OfferCertificate(0, True, None, None, True, True, 0))
    coverage, coverage_proved = _coverage(inst, levels[0])
    flows += 1
    # Bisection: the largest level index whose threshold still reaches the full coverage.
    lo, hi = 0, len(levels) - 1
    above: int | None = None
    above_proved = True
    while lo < hi:
        mid = (lo + hi + 1) // 2
        value, proved = _coverage(inst, levels[mid])
        flows += 1
        if value == coverage:
            lo = mid
        else:
            hi = mid - 1
    if lo + 1 < len(levels):
        above, above_proved = _coverage(inst, levels[lo + 1])
        flows += 1
    threshold = levels[lo]
    net, source, sink, pairs = _final_network(inst, threshold)
    net.solve(source, sink)
    flows += 1
    final_proved = check_certificate(net, source, sink, net.certificate(source, sink))
    chosen: dict[int, list[int]] = {}
    for arc, i, j in pairs:
        if net.arcs[arc].flow:
            chosen.setdefault(i, []).append(j)
    certificate = OfferCertificate(
        coverage=coverage,
        coverage_proved=coverage_proved,
        threshold=threshold / FIT_UNIT,
        above_threshold=above,
        above_proved=above_proved,
        final_proved=final_proved,
        flows_solved=flows,
    )
    return _plan(inst, chosen, "optimal", certificate)


def _plan(
    inst: _Instance, chosen: Mapping[int, Sequence[int]], method: str, certificate: OfferCertificate | None
) -> OfferPlan:
    offers: dict[int, tuple[Offer, ...]] = {}
    waiting = []
    outranked = set()
    for i, referral in enumerate(inst.referrals):
        fits = {j: fit for j, _u, fit in inst.edges[i]}
        picked = [Offer(referral.id, int(inst.enc.ids[j]), fits[j]) for j in chosen.get(i, ())]
        picked.sort(key=lambda o: (-o.fit, o.worker_id))
        if picked:
            offers[referral.id] = tuple(picked)
        else:
            waiting.append(referral.id)
            if inst.edges[i]:
                outranked.add(referral.id)
    return OfferPlan(offers, tuple(waiting), method, certificate, frozenset(outranked))


def plan_offers_greedy(
    referrals: Iterable[ReferralProfile],
    workers: Iterable[PeerWorkerProfile] | EncodedWorkers,
    weights: Weights | None = None,
    waiting_days: Mapping[int, int] | None = None,
    priority_weight: float = DEFAULT_PRIORITY_WEIGHT,
    *,
    waiting_horizon_days: int = DEFAULT_WAITING_HORIZON_DAYS,
) -> OfferPlan:
    """By hand: longest waiting first, each person is offered their three best eligible peer workers with
    room left (ties: lower peer worker id). The baseline the benchmark compares with; not optimal."""
    inst = _instance(referrals, workers, weights, waiting_days, priority_weight, waiting_horizon_days)
    left = list(inst.room)
    chosen: dict[int, list[int]] = {}
    for i in sorted(range(len(inst.referrals)), key=lambda i: (-inst.waiting[i], inst.referrals[i].id)):
        ranked = sorted(inst.edges[i], key=lambda e: (-e[1], int(inst.enc.ids[e[0]])))
        for j, _u, _f in ranked:
            if len(chosen.get(i, ())) >= OFFERS_PER_PERSON:
                break
            if left[j] > 0:
                left[j] -= 1
                chosen.setdefault(i, []).append(j)
    return _plan(inst, chosen, "greedy", None)


def objective_key(plan: OfferPlan, waiting_days: Mapping[int, int] | None = None, **bonus: float) -> tuple[int, ...]:
    """The objective of a plan as a tuple to compare (greater is better): people covered, their waiting
    bonus, the lowest best-offer fit, the total fit (in :data:`FIT_UNIT`)."""
    days = waiting_days or {}
    weight = bonus.get("priority_weight", DEFAULT_PRIORITY_WEIGHT)
    horizon = int(bonus.get("waiting_horizon_days", DEFAULT_WAITING_HORIZON_DAYS))
    covered = [rid for rid, offers in plan.offers.items() if offers]
    rewards = sum(_units(1.0 + priority_bonus(int(days.get(rid, 0)), weight, horizon)) for rid in covered)
    best = [_units(offers[0].fit) for offers in plan.offers.values() if offers]
    total = sum(_units(o.fit) for offers in plan.offers.values() for o in offers)
    return (len(covered), rewards, min(best) if best else 0, total)


def plan_offers_bruteforce(
    referrals: Iterable[ReferralProfile],
    workers: Iterable[PeerWorkerProfile] | EncodedWorkers,
    weights: Weights | None = None,
    waiting_days: Mapping[int, int] | None = None,
    priority_weight: float = DEFAULT_PRIORITY_WEIGHT,
    *,
    waiting_horizon_days: int = DEFAULT_WAITING_HORIZON_DAYS,
) -> OfferPlan:
    """Tries every set of offers (tiny instances, for tests): the best by :func:`objective_key`."""
    inst = _instance(referrals, workers, weights, waiting_days, priority_weight, waiting_horizon_days)
    options: list[list[tuple[int, ...]]] = []
    for row in inst.edges:
        positions = [j for j, _u, _f in row]
        subsets = [c for k in range(OFFERS_PER_PERSON + 1) for c in itertools.combinations(positions, k)]
        options.append(subsets)
    if math.prod(len(o) for o in options) > 500_000:
        raise ValueError("Brute force is for tiny problems.")
    best_key: tuple[int, ...] | None = None
    best_plan: OfferPlan | None = None
    for combo in itertools.product(*options):
        load = [0] * len(inst.room)
        for subset in combo:
            for j in subset:
                load[j] += 1
        if any(load[j] > inst.room[j] for j in range(len(load))):
            continue
        plan = _plan(inst, dict(enumerate(combo)), "bruteforce", None)
        key = objective_key(
            plan,
            {r.id: d for r, d in zip(inst.referrals, inst.waiting, strict=True)},
            priority_weight=priority_weight,
            waiting_horizon_days=waiting_horizon_days,
        )
        if best_key is None or key > best_key:
            best_key, best_plan = key, plan
    assert best_plan is not None
    return best_plan
