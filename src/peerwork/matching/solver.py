"""Maximum-value assignment with capacities (a transportation problem), exact and certified.

The problem: rows (referrals) and columns (peer workers with ``room`` places each); ``values[r, w]``
is what assigning row r to column w is worth, ``-inf`` where it is not allowed. Choose at most
one column per row and at most ``room[w]`` rows per column to maximise the total value. Every
row may stay unassigned (worth 0).

Why not the obvious tools (measured on a busy 2-core machine with the fit scores of
``synthetic`` data; see ``bench/bench_matching.py``): fit scores come from a few discrete parts,
so the matrix is full of ties, and degenerate problems are hard for augmenting-path and simplex
codes. ``scipy.optimize.linear_sum_assignment`` on a dense referral × place matrix took 17 s for
2,000 × 1,831 places and 105 s for 4,000 × 3,703 (growing ~n^2.6: far too slow at 10,000 ×
9,000, and 1.4 GB of float64); ``scipy.sparse.csgraph.min_weight_full_bipartite_matching`` on a
pruned, place-expanded graph took 7–50 s *per solve*; HiGHS' dual simplex took minutes on
120,000 candidate pairs; a vectorised auction and a primal–dual max-flow method (1,700 phases)
took 20–100 s and more. What works is **column generation with an interior-point LP**:

1. solve the linear programme (LP) on a small candidate set of edges with HiGHS' interior-point
   method (``scipy.optimize.linprog(method="highs-ipm")``, crossover gives a vertex). The
   constraint matrix of a bipartite b-matching is totally unimodular, so the vertex is 0/1
   (checked; ``scipy.optimize.milp`` on the same candidates is the fallback);
2. **certify** the solution on the *full* matrix: from the assignment, compute the least
   peer-worker prices ``p`` under which no referral would rather move (a longest-path /
   Bellman–Ford fixpoint over peer workers, using every allowed pair). With
   ``u_r = v[r, m(r)] - p[m(r)]`` they form a feasible dual solution whose objective equals the
   assignment's total (complementary slackness), so by LP duality no assignment is better;
3. otherwise add the pairs the LP prices show as profitable (reduced value above ``-margin``, a
   few per row) and repeat. Each round adds at least one violated pair, so it terminates
   (``max_iterations`` is only a safety net; the result then says ``certified=False``).

Pruning never costs optimality: the search ends only when the upper bound, recomputed
independently over *every* allowed pair as ``f(p) = Σ_r max(0, max_w v[r,w] - p[w]) +
Σ_w room[w]·p[w]`` (weak duality: an upper bound for any ``p ≥ 0``), meets the total to
:data:`OPTIMALITY_TOLERANCE`. :class:`SolveResult` carries that bound.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import (
    Bounds,
    LinearConstraint,
    linprog,
    milp,
)

__all__ = [
    "OPTIMALITY_TOLERANCE",
    "SolveResult",
    "bruteforce_matching",
    "dual_bound",
    "greedy_matching",
    "matching_total",
    "optimal_matching",
    "worker_prices",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: A proposal counts as proved optimal when no proposal can beat it by more than this much total
#: value (fit + bonus, summed over thousands of referrals; float sums are accurate to ~1e-12).
OPTIMALITY_TOLERANCE = 1e-6

_BLOCK = 2048  # rows per block for full-matrix passes (bounds temporary memory)
_DENSE_PRICES_MAX_COLUMNS = 6000  # the certificate keeps a columns × columns matrix


@dataclass(frozen=True, slots=True)
class SolveResult:
    """An assignment (``match[r]`` = column or -1) and the evidence for its optimality."""

    match: IntArray
    total: float
    upper_bound: float
    certified: bool
    iterations: int
    candidate_edges: int
    allowed_edges: int


def matching_total(values: FloatArray, match: IntArray) -> float:
    rows = np.flatnonzero(match >= 0)
    return math.fsum(values[rows, match[rows]].tolist())


def dual_bound(values: FloatArray, room: IntArray, prices: FloatArray) -> float:
    """``f(p)``: an upper bound on the total of any assignment, for any prices ``p >= 0``."""
    parts = [float(np.dot(room.astype(np.float64), prices))]
    for start in range(0, values.shape[0], _BLOCK):
        block = values[start : start + _BLOCK] - prices[None, :]
        best = block.max(axis=1, initial=-np.inf)
        parts.extend(np.maximum(best, 0.0).tolist())
    return math.fsum(parts)


def worker_prices(values: FloatArray, room: IntArray, match: IntArray, tol: float = 1e-9) -> FloatArray | None:
    """Prices proving ``match`` optimal on the full matrix, or ``None`` if it is not optimal.

    The least prices ``p >= 0`` such that no row gains by moving (longest paths over columns):
    ``p[w] >= v[r, w]`` for unassigned rows and ``p[w] >= v[r, w] - v[r, m(r)] + p[m(r)]`` for
    assigned ones, subject to ``p[m(r)] <= v[r, m(r)]`` and ``p[w] = 0`` for columns with
    places left. A positive cycle or a broken upper bound means an improving exchange exists.
    """
    n_rows, n_cols = values.shape
    if n_cols == 0:
        return np.zeros(0)
    if n_cols > _DENSE_PRICES_MAX_COLUMNS:
        return None
    assigned = np.flatnonzero(match >= 0)
    columns = match[assigned]
    own = values[assigned, columns]
    load = np.bincount(columns, minlength=n_cols)
    upper = np.full(n_cols, np.inf)
    np.minimum.at(upper, columns, own)
    upper[load < room] = 0.0

    base = np.zeros(n_cols)
    free_rows = np.flatnonzero(match < 0)
    for start in range(0, len(free_rows), _BLOCK):
        block = values[free_rows[start : start + _BLOCK]]
        base = np.maximum(base, block.max(axis=0, initial=-np.inf))

    # gain[a, b]: the most any row held by column a gains (value-wise) by moving to column b.
    gain = np.full((n_cols, n_cols), -np.inf)
    order = np.argsort(columns, kind="stable")
    rows_sorted, cols_sorted, own_sorted = assigned[order], columns[order], own[order]
    for start in range(0, len(rows_sorted), _BLOCK):
        stop = start + _BLOCK
        cols_chunk = cols_sorted[start:stop]
        diff = values[rows_sorted[start:stop]] - own_sorted[start:stop, None]
        heads = np.flatnonzero(np.r_[True, cols_chunk[1:] != cols_chunk[:-1]])
        owners = cols_chunk[heads]
        gain[owners] = np.maximum(gain[owners], np.maximum.reduceat(diff, heads, axis=0))

    prices = base
    changed = np.flatnonzero(prices > 0.0) if assigned.size else np.zeros(0, dtype=np.int64)
    changed = np.union1d(changed, np.unique(columns))
    for _ in range(n_cols + 2):
        if np.any(prices > upper + tol):
            return None
        if changed.size == 0:
            return prices
        candidate = (prices[changed, None] + gain[changed]).max(axis=0)
        improved = candidate > prices + tol
        if not improved.any():
            return prices
        prices = np.where(improved, candidate, prices)
        changed = np.flatnonzero(improved)
    return None  # still rising after n_cols rounds: a positive cycle


def _initial_candidates(
    values: FloatArray, room: IntArray, per_row: int, per_column: float, hint: IntArray | None
) -> BoolArray:
    n_rows, n_cols = values.shape
    allowed = np.isfinite(values)
    mask = np.zeros((n_rows, n_cols), dtype=bool)
    k = min(per_row, n_cols)
    if k >= n_cols:
        mask |= allowed
    elif k > 0:
        for start in range(0, n_rows, _BLOCK):
            block = values[start : start + _BLOCK]
            top = np.argpartition(-block, k - 1, axis=1)[:, :k]
            np.put_along_axis(mask[start : start + _BLOCK], top, True, axis=1)
    if per_column > 0 and n_rows > 0:
        wanted = np.minimum(np.ceil(per_column * room).astype(np.int64), n_rows)
        for start in range(0, n_cols, 256):
            block = values[:, start : start + 256]
            kk = int(wanted[start : start + 256].max(initial=0))
            if kk <= 0:
                continue
            if kk < n_rows:
                top = np.argpartition(-block, kk - 1, axis=0)[:kk]
            else:
                top = np.broadcast_to(np.arange(n_rows)[:, None], block.shape).copy()
            picked = np.take_along_axis(block, top, axis=0)
            ranked = np.take_along_axis(top, np.argsort(-picked, axis=0, kind="stable"), axis=0)
            keep = np.arange(ranked.shape[0])[:, None] < wanted[None, start : start + 256]
            cols = np.broadcast_to(np.arange(start, start + block.shape[1])[None, :], ranked.shape)
            mask[ranked[keep], cols[keep]] = True
    if hint is not None:
        rows = np.flatnonzero(hint >= 0)
        mask[rows, hint[rows]] = True
    return mask & allowed


def _solve_restricted(
    values: FloatArray, room: IntArray, rows: IntArray, cols: IntArray
) -> tuple[IntArray, FloatArray, FloatArray]:
    """Exact 0/1 optimum on the candidate edges, with LP row/column prices."""
    n_rows, n_cols = values.shape
    m = len(rows)
    match = np.full(n_rows, -1, dtype=np.int64)
    if m == 0:
        return match, np.zeros(n_rows), np.zeros(n_cols)
    edge_values = values[rows, cols]
    a = sp.csc_array(
        (np.ones(2 * m), (np.concatenate([rows, n_rows + cols]), np.tile(np.arange(m), 2))),
        shape=(n_rows + n_cols, m),
    )
    b = np.concatenate([np.ones(n_rows), room.astype(np.float64)])
    result = linprog(-edge_values, A_ub=a, b_ub=b, bounds=(0, None), method="highs-ipm")
    if result.status != 0:  # pragma: no cover - HiGHS failure; the simplex is slower but sure
        result = linprog(-edge_values, A_ub=a, b_ub=b, bounds=(0, None), method="highs-ds")
    if result.status != 0:  # pragma: no cover
        raise RuntimeError(f"The assignment LP could not be solved: {result.message}")
    x = np.asarray(result.x)
    marginals = -np.asarray(result.ineqlin.marginals)
    row_prices, col_prices = np.maximum(marginals[:n_rows], 0.0), np.maximum(marginals[n_rows:], 0.0)
    if np.any((x > 1e-6) & (x < 1 - 1e-6)):  # pragma: no cover - a vertex is 0/1; be safe anyway
        integral = milp(
            -edge_values,
            constraints=LinearConstraint(a, -np.inf, b),
            integrality=np.ones(m),
            bounds=Bounds(0, 1),
        )
        if integral.status != 0:
            raise RuntimeError(f"The assignment could not be solved: {integral.message}")
        x = np.asarray(integral.x)
    chosen = x > 0.5
    match[rows[chosen]] = cols[chosen]
    return match, row_prices, col_prices


def optimal_matching(
    values: FloatArray,
    room: IntArray,
    *,
    hint: IntArray | None = None,
    per_row: int = 3,
    per_column: float = 2.0,
    add_per_row: int = 6,
    margin: float = 0.05,
    all_edges_below: int = 200_000,
    max_iterations: int = 50,
    tol: float = 1e-9,
) -> SolveResult:
    """The maximum-value assignment, proved optimal on the full matrix (see module docstring).

    First candidates: each row's ``per_row`` best columns, each column's ``per_column × room``
    best rows, and ``hint`` (e.g. the greedy assignment, so the result is never worse than it).
    Each round then adds up to ``add_per_row`` pairs per row whose reduced value under the LP
    prices exceeds ``-margin`` (at least one of them violated). These knobs change only speed,
    never the result's value. Problems with at most ``all_edges_below`` allowed pairs skip
    pruning and solve one LP on every pair.
    """
    values = np.asarray(values, dtype=np.float64)
    room = np.asarray(room, dtype=np.int64)
    n_rows, n_cols = values.shape
    if room.shape != (n_cols,) or np.any(room < 0):
        raise ValueError("room needs one non-negative entry per column.")
    allowed_edges = int(np.isfinite(values).sum())
    if allowed_edges <= all_edges_below:
        mask = np.isfinite(values)
    else:
        mask = _initial_candidates(values, room, per_row, per_column, hint)

    best: IntArray = np.full(n_rows, -1, dtype=np.int64)
    best_total, best_bound = 0.0, math.inf
    iterations = 0
    while iterations < max_iterations:
        iterations += 1
        rows, cols = np.nonzero(mask)
        match, row_prices, col_prices = _solve_restricted(values, room, rows, cols)
        total = matching_total(values, match)
        if total >= best_total:
            best, best_total = match, total
        prices = worker_prices(values, room, match, tol)
        if prices is not None:
            best_bound = min(best_bound, dual_bound(values, room, prices))
        if best_bound - best_total <= OPTIMALITY_TOLERANCE:
            break
        # Price out the edges left out, using the LP prices.
        best_bound = min(best_bound, dual_bound(values, room, col_prices))
        if best_bound - best_total <= OPTIMALITY_TOLERANCE:
            break
        added = 0
        for start in range(0, n_rows, _BLOCK):
            stop = start + _BLOCK
            reduced = values[start:stop] - row_prices[start:stop, None] - col_prices[None, :]
            reduced[mask[start:stop]] = -np.inf
            violated = reduced.max(axis=1, initial=-np.inf) > tol
            if not violated.any():
                continue
            reduced[reduced <= -margin] = -np.inf
            k = min(add_per_row, n_cols)
            top = np.argpartition(-reduced[violated], k - 1, axis=1)[:, :k] if k < n_cols else None
            block_rows = np.flatnonzero(violated) + start
            if top is None:
                pick = np.isfinite(reduced[violated])
                r_idx, c_idx = np.nonzero(pick)
                mask[block_rows[r_idx], c_idx] = True
                added += len(r_idx)
            else:
                picked = np.take_along_axis(reduced[violated], top, axis=1)
                ok = np.isfinite(picked)
                mask[np.broadcast_to(block_rows[:, None], top.shape)[ok], top[ok]] = True
                added += int(ok.sum())
        if added == 0:
            break  # LP prices are feasible for the full matrix: the bound above is tight
    return SolveResult(
        match=best,
        total=best_total,
        upper_bound=best_bound,
        certified=best_bound - best_total <= OPTIMALITY_TOLERANCE,
        iterations=iterations,
        candidate_edges=int(mask.sum()),
        allowed_edges=allowed_edges,
    )


def greedy_matching(values: FloatArray, room: IntArray, order: IntArray) -> IntArray:
    """Rows in ``order`` each take their best allowed column with places left (ties: lowest index)."""
    values = np.asarray(values, dtype=np.float64)
    n_rows, n_cols = values.shape
    left = np.asarray(room, dtype=np.int64).copy()
    match = np.full(n_rows, -1, dtype=np.int64)
    closed = left <= 0
    if n_cols == 0:
        return match
    for r in np.asarray(order, dtype=np.int64).tolist():
        row = np.where(closed, -np.inf, values[r])
        w = int(np.argmax(row))
        if np.isfinite(row[w]):
            match[r] = w
            left[w] -= 1
            if left[w] == 0:
                closed[w] = True
    return match


def bruteforce_matching(values: FloatArray, room: IntArray) -> IntArray:
    """Try every assignment (tiny problems only: tests compare the optimiser against this)."""
    values = np.asarray(values, dtype=np.float64)
    n_rows, n_cols = values.shape
    if (n_cols + 1) ** n_rows > 2_000_000:
        raise ValueError("Brute force is for tiny problems (at most ~2 million assignments).")
    left = [int(x) for x in room]
    current = [-1] * n_rows
    best_match = [-1] * n_rows
    best_total = [-math.inf]
    table = values.tolist()

    def visit(r: int, total: float) -> None:
        if r == n_rows:
            if total > best_total[0] + 1e-12:
                best_total[0] = total
                best_match[:] = current
            return
        current[r] = -1
        visit(r + 1, total)
        for w in range(n_cols):
            v = table[r][w]
            if left[w] > 0 and v != -math.inf:
                left[w] -= 1
                current[r] = w
                visit(r + 1, total + v)
                left[w] += 1
        current[r] = -1

    visit(0, 0.0)
    return np.array(best_match, dtype=np.int64)
