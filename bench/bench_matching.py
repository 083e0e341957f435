"""Benchmark of the matching module: ranking speed, batch assignment at scale, proof of optimality.

Run: ``python bench/bench_matching.py``. Prints figures and ratios measured in this run; never
passes or fails on time. Data are generated with fixed seeds (``peerwork.matching.synthetic``).

(a) rank one referral against 5,000 peer workers: vectorised ``rank`` vs the plain loop;
(b) assign 10,000 referrals to 2,000 peer workers (capacities 1–8): time, peak memory, total
    against first-come-first-served greedy, and the optimality certificate (LP duality);
(c) on 300 referrals × 80 peer workers, the optimiser's total against an integer programme
    solved a different way (``scipy.optimize.milp`` on every eligible pair, no pruning);
(d) offers of up to three peer workers per person for a whole waiting list (``plan_offers``): the
    certificate, and the objective against offering by hand (greedy, longest waiting first);
(e) waiting time by profile completeness: half a year of weekly offer rounds in which each person takes
    their best offer; missing data is neutral, so sparse profiles should not wait longer.
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import numpy as np  # noqa: E402
from scipy.optimize import Bounds, LinearConstraint, milp  # noqa: E402
from scipy.sparse import csr_array  # noqa: E402

from peerwork.matching import (  # noqa: E402
    PeerWorkerProfile,
    ReferralProfile,
    Weights,
    assign,
    assign_greedy,
    encode_workers,
    rank,
    rank_plain,
)
from peerwork.matching.assign import _prepare  # noqa: E402
from peerwork.matching.offers import objective_key, plan_offers, plan_offers_greedy  # noqa: E402
from peerwork.matching.solver import optimal_matching  # noqa: E402
from peerwork.matching.synthetic import random_referrals, random_workers  # noqa: E402

RUNS = 21


def _rss_mib() -> float:
    # ru_maxrss is KiB on Linux: the peak resident memory of this process so far.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_rank() -> None:
    print("(a) rank one referral against 5,000 peer workers")
    workers = random_workers(5000, seed=11, busy=0.4, conflict_pool=5000)
    referrals = random_referrals(RUNS, seed=11)
    weights = Weights()
    start = time.perf_counter()
    enc = encode_workers(workers)
    encode_s = time.perf_counter() - start
    same = all(rank(r, enc, weights) == rank_plain(r, workers, weights) for r in referrals)
    fast = [0.0] * RUNS
    plain = [0.0] * RUNS
    for i, referral in enumerate(referrals):
        start = time.perf_counter()
        rank(referral, enc, weights)
        fast[i] = time.perf_counter() - start
        start = time.perf_counter()
        rank_plain(referral, workers, weights)
        plain[i] = time.perf_counter() - start
    fast_s, plain_s = statistics.median(fast), statistics.median(plain)
    print(f"    encode_workers (once, reused)   {encode_s * 1000:8.1f} ms")
    print(f"    rank (vectorised), median of {RUNS} {fast_s * 1000:8.2f} ms")
    print(f"    rank_plain (loop), median of {RUNS} {plain_s * 1000:8.2f} ms")
    print(f"    ratio plain / vectorised        {plain_s / fast_s:8.1f} x")
    print(f"    same top 5 as rank_plain: {'yes' if same else 'NO'}")


def bench_assign() -> None:
    print("(b) assign 10,000 referrals to 2,000 peer workers (capacities 1-8)")
    start = time.perf_counter()
    workers = random_workers(2000, seed=5, capacity=(1, 8), conflict_pool=10_000)
    referrals = random_referrals(10_000, seed=5)
    rng = np.random.default_rng(5)
    waiting = {r.id: int(d) for r, d in zip(referrals, rng.integers(0, 365, len(referrals)), strict=True)}
    enc = encode_workers(workers)
    print(
        f"    data generated in {time.perf_counter() - start:.1f} s; "
        f"places: {int(enc.room.sum())} for {len(referrals)} referrals"
    )
    weights = Weights()

    start = time.perf_counter()
    problem = _prepare(referrals, enc, weights, waiting, 0.5, 180)
    matrix_s = time.perf_counter() - start
    eligible_pairs = int(np.isfinite(problem.values).sum())
    del problem
    print(f"    fit matrix alone (10,000 x 2,000, float64): {matrix_s:.1f} s, {eligible_pairs:,} eligible pairs")

    start = time.perf_counter()
    greedy = assign_greedy(referrals, enc, weights, waiting)
    greedy_s = time.perf_counter() - start

    rss_before = _rss_mib()
    start = time.perf_counter()
    best = assign(referrals, enc, weights, waiting)
    assign_s = time.perf_counter() - start
    rss_after = _rss_mib()
    cert = best.certificate
    assert cert is not None
    print(f"    assign (optimal):  {assign_s:6.1f} s   (greedy: {greedy_s:.1f} s; both include the fit matrix)")
    print(f"    peak memory (process max RSS): {rss_after:.0f} MiB (was {rss_before:.0f} MiB before assign)")
    print(f"    placed: optimal {len(best.matches)}, greedy {len(greedy.matches)}")
    print(
        f"    total fit + waiting bonus: optimal {best.total:.3f}, greedy {greedy.total:.3f}, "
        f"ratio {best.total / greedy.total:.4f}"
    )
    print(
        f"    total fit alone:          optimal {best.total_fit:.3f}, greedy {greedy.total_fit:.3f}, "
        f"ratio {best.total_fit / greedy.total_fit:.4f}"
    )
    print(
        f"    mean fit per placed referral: optimal {best.total_fit / len(best.matches):.4f}, "
        f"greedy {greedy.total_fit / len(greedy.matches):.4f}"
    )
    print(
        f"    certificate: upper bound {cert.upper_bound:.6f}, gap {cert.gap:.2e}, "
        f"{cert.iterations} LP rounds on {cert.candidate_edges:,} of {cert.allowed_edges:,} pairs"
    )
    print(f"    certified optimal on the full problem: {'yes' if cert.optimal else 'NO'}")


def _milp_optimum(values: np.ndarray, room: np.ndarray) -> tuple[float, str, int]:
    """Integer programme over every eligible (referral, peer worker) pair — no pruning at all."""
    rows, cols = np.nonzero(np.isfinite(values))
    m = len(rows)
    n_rows, n_cols = values.shape
    a = csr_array(
        (np.ones(2 * m), (np.concatenate([rows, n_rows + cols]), np.tile(np.arange(m), 2))),
        shape=(n_rows + n_cols, m),
    )
    res = milp(
        -values[rows, cols],
        constraints=LinearConstraint(a, -np.inf, np.concatenate([np.ones(n_rows), room.astype(np.float64)])),
        integrality=np.ones(m),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0},
    )
    return float(-res.fun), str(res.message), m


def bench_proof() -> None:
    print("(c) proof of optimality on 300 referrals x 80 peer workers")
    workers = random_workers(80, seed=3, capacity=(1, 8), busy=0.3, conflict_pool=300)
    referrals = random_referrals(300, seed=3, firm_share=0.2)
    rng = np.random.default_rng(3)
    waiting = {r.id: int(d) for r, d in zip(referrals, rng.integers(0, 365, len(referrals)), strict=True)}
    weights = Weights()
    start = time.perf_counter()
    best = assign(referrals, workers, weights, waiting)
    assign_s = time.perf_counter() - start
    greedy = assign_greedy(referrals, workers, weights, waiting)

    problem = _prepare(referrals, encode_workers(workers), weights, waiting, 0.5, 180)
    room = problem.enc.room[problem.columns]
    start = time.perf_counter()
    exact, message, m = _milp_optimum(problem.values, room)
    milp_s = time.perf_counter() - start
    gap = best.certificate.gap if best.certificate else float("nan")
    start = time.perf_counter()
    pruned = optimal_matching(problem.values, room, per_row=1, per_column=0.5, all_edges_below=0)
    pruned_s = time.perf_counter() - start
    print(f"    places {int(room.sum())}, eligible pairs {m:,}")
    print(f"    assign total         {best.total:.9f} in {assign_s:.2f} s (certificate gap {gap:.1e})")
    print(
        f"    pruned column gen.   {pruned.total:.9f} in {pruned_s:.2f} s "
        f"({pruned.iterations} LP rounds, {pruned.candidate_edges:,} of {m:,} pairs)"
    )
    print(f"    milp (every pair)    {exact:.9f} in {milp_s:.2f} s ({message})")
    print(f"    greedy total         {greedy.total:.9f} (ratio optimal/greedy {best.total / greedy.total:.4f})")
    same = abs(best.total - exact) <= 1e-7 and abs(pruned.total - exact) <= 1e-7
    print(f"    optimal: {'yes' if same else 'NO'}")


def bench_offers() -> None:
    print("(d) offers of up to three per person: 300 waiting, 60 peer workers (capacities 1-4, 30 % busy)")
    workers = random_workers(60, seed=7, capacity=(1, 4), busy=0.3, conflict_pool=300)
    referrals = random_referrals(300, seed=7, firm_share=0.1)
    rng = np.random.default_rng(7)
    waiting = {r.id: int(d) for r, d in zip(referrals, rng.integers(0, 365, len(referrals)), strict=True)}
    start = time.perf_counter()
    best = plan_offers(referrals, workers, Weights(), waiting)
    best_s = time.perf_counter() - start
    greedy = plan_offers_greedy(referrals, workers, Weights(), waiting)
    places = sum(w.room for w in workers)
    cert = best.certificate
    assert cert is not None
    print(f"    places {places}; solved in {best_s:.1f} s ({cert.flows_solved} min-cost flows)")
    for name, plan in (("optimal", best), ("greedy ", greedy)):
        covered, _reward, _low, _total = objective_key(plan, waiting)
        offers = sum(len(o) for o in plan.offers.values())
        low = plan.lowest_best_fit
        print(
            f"    {name}: {covered} people with an offer, {offers} offers, "
            f"lowest best-offer fit {low if low is None else round(low, 4)}, total fit {plan.total_fit:.3f}"
        )
    print(
        f"    certificate: coverage {cert.coverage} (in 1e-9, "
        f"prices {'valid' if cert.coverage_proved else 'INVALID'}); "
        f"threshold {cert.threshold}; coverage at the next threshold {cert.above_threshold} "
        f"({'lower' if cert.above_threshold is None or cert.above_threshold < cert.coverage else 'NOT lower'}); "
        f"final flow prices {'valid' if cert.final_proved else 'INVALID'}"
    )
    print(f"    proved optimal: {'yes' if cert.optimal else 'NO'}")
    at_least = objective_key(best, waiting) >= objective_key(greedy, waiting)
    print(f"    objective (covered, reward, lowest best, total) at least greedy's: {at_least}")


_FIELDS = ("wanted_experience", "services_used", "background", "interests", "languages", "district", "birth_year")


def _completeness(r: ReferralProfile) -> float:
    return sum(1 for f in _FIELDS if getattr(r, f)) / len(_FIELDS)


def _sparse(r: ReferralProfile, keep: float, rng: np.random.Generator) -> ReferralProfile:
    empty: dict[str, object] = {"district": None, "birth_year": None}
    changes = {f: empty.get(f, frozenset()) for f in _FIELDS if rng.random() > keep}
    fields = {f: getattr(r, f) for f in ReferralProfile.__dataclass_fields__}
    return ReferralProfile(**{**fields, **changes})


def bench_completeness() -> None:
    print("(e) waiting time by profile completeness: 26 weekly rounds, 40 peer workers, 12 new people a week")
    rng = np.random.default_rng(13)
    base = random_workers(40, seed=13, capacity=(2, 5), busy=0.0, conflict_pool=1)
    ends: dict[int, list[int]] = {w.id: [] for w in base}  # week each active engagement ends
    arrivals = random_referrals(26 * 12, seed=13, firm_share=0.05)
    people = [_sparse(r, float(rng.choice([0.2, 0.5, 0.8, 1.0])), rng) for r in arrivals]
    arrived: dict[int, int] = {}
    waited: dict[int, int] = {}
    waiting: list[ReferralProfile] = []
    for week in range(26):
        for w in ends:
            ends[w] = [e for e in ends[w] if e > week]
        for r in people[week * 12 : (week + 1) * 12]:
            arrived[r.id] = week
            waiting.append(r)
        workers = [
            PeerWorkerProfile(
                **{
                    **{f: getattr(w, f) for f in PeerWorkerProfile.__dataclass_fields__},
                    "active_engagements": len(ends[w.id]),
                }
            )
            for w in base
        ]
        days = {r.id: 7 * (week - arrived[r.id]) for r in waiting}
        plan = plan_offers(waiting, workers, Weights(), days)
        for rid, offers in plan.offers.items():
            ends[offers[0].worker_id].append(week + int(rng.integers(8, 30)))  # takes the best offer
            waited[rid] = week - arrived[rid]
        waiting = [r for r in waiting if r.id not in plan.offers]
    groups: dict[str, list[int]] = {}
    left: dict[str, int] = {}
    for r in people:
        label = _bucket(_completeness(r))
        # Someone still waiting at the end counts with the weeks waited so far.
        groups.setdefault(label, []).append(waited.get(r.id, 26 - arrived[r.id]))
        left[label] = left.get(label, 0) + (r.id not in waited)
    print("    profile recorded   people   mean weeks waited   still waiting at the end")
    for label in _BUCKETS:
        weeks = groups.get(label, [])
        mean = statistics.mean(weeks) if weeks else float("nan")
        print(f"    {label:>16}   {len(weeks):6d}   {mean:17.2f}   {left.get(label, 0):13d}")


_BUCKETS = ("0-25 %", "26-50 %", "51-75 %", "76-100 %")


def _bucket(share: float) -> str:
    return (
        _BUCKETS[0] if share <= 0.25 else _BUCKETS[1] if share <= 0.5 else _BUCKETS[2] if share <= 0.75 else _BUCKETS[3]
    )


def main() -> None:
    print(f"peerwork matching bench — {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f}")
    overall = time.perf_counter()
    if "--offers" in sys.argv:  # only the offers and the completeness report (quick)
        bench_offers()
        bench_completeness()
        return
    bench_rank()
    bench_proof()
    bench_offers()
    bench_completeness()
    bench_assign()
    print(f"whole bench: {time.perf_counter() - overall:.0f} s")


if __name__ == "__main__":
    main()
