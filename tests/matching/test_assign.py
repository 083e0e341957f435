"""Batch assignment: hard limits always hold, and the optimum is really optimal.

Pure Python/NumPy/SciPy — no Django, no database.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from peerwork.matching import (
    Assignment,
    PeerWorkerProfile,
    ReferralProfile,
    Weights,
    Wish,
    assign,
    assign_bruteforce,
    assign_greedy,
    eligible,
    encode_workers,
    priority_bonus,
)
from peerwork.matching.solver import (
    bruteforce_matching,
    greedy_matching,
    matching_total,
    optimal_matching,
    worker_prices,
)
from tests.matching.strategies import referrals, weights, worker_lists

EXAMPLES = settings(max_examples=80, deadline=None)


@st.composite
def instances(
    draw: st.DrawFn, max_referrals: int = 6, max_workers: int = 4
) -> tuple[list[ReferralProfile], list[PeerWorkerProfile], Weights, dict[int, int], float]:
    ids = draw(st.lists(st.integers(1, 500), max_size=max_referrals, unique=True))
    batch = [draw(referrals(referral_id=i)) for i in ids]
    pool = draw(worker_lists(max_size=max_workers, max_capacity=2))
    waiting = {i: draw(st.integers(0, 400)) for i in ids if draw(st.booleans())}
    priority = draw(st.sampled_from((0.0, 0.5, 2.0)))
    return batch, pool, draw(weights()), waiting, priority


def _check_limits(result: Assignment, batch: list[ReferralProfile], pool: list[PeerWorkerProfile]) -> None:
    by_id = {w.id: w for w in pool}
    referral = {r.id: r for r in batch}
    for worker_id, count in result.load().items():
        assert count <= by_id[worker_id].room, "capacity exceeded"
    assert len({m.referral_id for m in result.matches}) == len(result.matches), "a referral placed twice"
    for match in result.matches:
        # eligible() covers room, declared conflicts and firm wishes.
        assert eligible(referral[match.referral_id], by_id[match.worker_id]) is None
    placed = {m.referral_id for m in result.matches}
    assert placed | {u.referral_id for u in result.unassigned} == set(referral)
    assert not placed & {u.referral_id for u in result.unassigned}


@EXAMPLES
@given(instances())
def test_assign_equals_the_brute_force_optimum_and_respects_every_limit(
    instance: tuple[list[ReferralProfile], list[PeerWorkerProfile], Weights, dict[int, int], float],
) -> None:
    batch, pool, w, waiting, priority = instance
    best = assign(batch, pool, w, waiting, priority)
    brute = assign_bruteforce(batch, pool, w, waiting, priority)
    greedy = assign_greedy(batch, pool, w, waiting, priority)
    assert best.total == pytest.approx(brute.total, abs=1e-9)
    assert best.total >= greedy.total - 1e-9
    assert best.certificate is not None and best.certificate.optimal
    assert best.certificate.upper_bound >= brute.total - 1e-9
    for result in (best, brute, greedy):
        _check_limits(result, batch, pool)
        for match in result.matches:
            assert match.value == pytest.approx(match.fit + match.bonus, abs=1e-12)
            assert 0.0 <= match.fit <= 1.0


@EXAMPLES
@given(instances())
def test_nobody_is_left_waiting_while_an_eligible_peer_worker_has_room(
    instance: tuple[list[ReferralProfile], list[PeerWorkerProfile], Weights, dict[int, int], float],
) -> None:
    batch, pool, w, waiting, priority = instance
    result = assign(batch, pool, w, waiting, priority)
    load = result.load()
    referral = {r.id: r for r in batch}
    for left in result.unassigned:
        for worker in pool:
            if eligible(referral[left.referral_id], worker) is None:
                assert load.get(worker.id, 0) >= worker.room
                assert left.code == "room_given_to_others"
        if left.code == "no_eligible_worker":
            assert all(eligible(referral[left.referral_id], worker) is not None for worker in pool)
        assert left.describe()


@settings(max_examples=50, deadline=None)
@given(instances(max_referrals=8, max_workers=5), st.randoms(use_true_random=False))
def test_assign_is_deterministic_and_ignores_input_order(
    instance: tuple[list[ReferralProfile], list[PeerWorkerProfile], Weights, dict[int, int], float],
    rnd: random.Random,
) -> None:
    batch, pool, w, waiting, priority = instance
    first = assign(batch, pool, w, waiting, priority)
    batch2, pool2 = batch[:], pool[:]
    rnd.shuffle(batch2)
    rnd.shuffle(pool2)
    assert assign(batch2, pool2, w, waiting, priority) == first
    assert assign(batch, encode_workers(pool), w, waiting, priority) == first
    assert [m.referral_id for m in first.matches] == sorted(m.referral_id for m in first.matches)


# --- the solver itself, with pruning forced so column generation has work to do -----------------


@st.composite
def matrices(draw: st.DrawFn, max_rows: int = 7, max_cols: int = 4) -> tuple[np.ndarray, np.ndarray]:
    rows = draw(st.integers(0, max_rows))
    cols = draw(st.integers(0, max_cols))
    # Few distinct values: ties everywhere, like real fit scores.
    cell = st.sampled_from((-np.inf, 0.0, 0.25, 0.5, 0.5, 0.75, 1.0, 1.25))
    values = np.array([[draw(cell) for _ in range(cols)] for _ in range(rows)], dtype=np.float64)
    values = values.reshape(rows, cols)
    room = np.array([draw(st.integers(0, 2)) for _ in range(cols)], dtype=np.int64)
    return values, room


@settings(max_examples=100, deadline=None)
@given(matrices())
def test_column_generation_reaches_the_brute_force_optimum(problem: tuple[np.ndarray, np.ndarray]) -> None:
    values, room = problem
    brute = matching_total(values, bruteforce_matching(values, room))
    for options in ({}, {"per_row": 1, "per_column": 0.0, "add_per_row": 1, "all_edges_below": 0}):
        solved = optimal_matching(values, room, **options)  # type: ignore[arg-type]
        assert solved.total == pytest.approx(brute, abs=1e-9)
        assert solved.certified
        assert solved.upper_bound == pytest.approx(brute, abs=1e-6)
        load = np.bincount(solved.match[solved.match >= 0], minlength=len(room))
        assert np.all(load <= room)
        assert np.all(np.isfinite(values[np.flatnonzero(solved.match >= 0), solved.match[solved.match >= 0]]))


def _milp_optimum(values: np.ndarray, room: np.ndarray) -> float:
    rows, cols = np.nonzero(np.isfinite(values))
    m = len(rows)
    a = np.zeros((values.shape[0] + values.shape[1], m))
    a[rows, np.arange(m)] = 1
    a[values.shape[0] + cols, np.arange(m)] = 1
    b = np.concatenate([np.ones(values.shape[0]), room])
    res = milp(
        -values[rows, cols],
        constraints=LinearConstraint(a, -np.inf, b),
        integrality=np.ones(m),
        bounds=Bounds(0, 1),
    )
    assert res.status == 0
    return float(-res.fun)


@pytest.mark.parametrize("seed", range(4))
def test_pruned_solver_matches_an_integer_programme_on_a_larger_tie_heavy_instance(seed: int) -> None:
    rng = np.random.default_rng(seed)
    values = rng.choice([0.0, 0.1, 0.2, 0.3, 0.5, 0.8], size=(120, 30)) + rng.choice([0.0, 0.25], size=(120, 1))
    values[rng.random(values.shape) < 0.2] = -np.inf
    room = rng.integers(0, 5, size=30)
    solved = optimal_matching(values, room, per_row=1, per_column=0.5, all_edges_below=0)
    assert solved.certified and solved.iterations >= 2  # the pruned start really was pruned
    assert solved.candidate_edges < solved.allowed_edges
    assert solved.total == pytest.approx(_milp_optimum(values, room), abs=1e-9)


def test_prices_refuse_to_certify_a_suboptimal_assignment() -> None:
    # Greedy gives row 0 the only column row 1 can use; swapping is worth more.
    values = np.array([[1.0, 0.9], [1.0, -np.inf]])
    room = np.array([1, 1])
    greedy = greedy_matching(values, room, np.array([0, 1]))
    assert greedy.tolist() == [0, -1]
    assert worker_prices(values, room, greedy) is None
    best = optimal_matching(values, room)
    assert best.match.tolist() == [1, 0] and best.total == pytest.approx(1.9)
    prices = worker_prices(values, room, best.match)
    assert prices is not None


def test_solver_handles_empty_problems() -> None:
    for shape in ((0, 0), (3, 0), (0, 3)):
        solved = optimal_matching(np.zeros(shape), np.ones(shape[1], dtype=np.int64))
        assert solved.total == 0.0 and solved.certified and len(solved.match) == shape[0]


# --- behaviour in domain terms ---------------------------------------------------------------------


def _worker(worker_id: int, **changes: object) -> PeerWorkerProfile:
    base: dict[str, object] = {
        "id": worker_id,
        "experience_kinds": {"substance_use"},
        "interests": {"fishing"},
        "languages": {"nb"},
        "gender": "male",
        "capacity": 1,
    }
    base.update(changes)
    return PeerWorkerProfile(**base)  # type: ignore[arg-type]


def _referral(referral_id: int, **changes: object) -> ReferralProfile:
    base: dict[str, object] = {
        "id": referral_id,
        "service_user_id": 100 + referral_id,
        "wanted_experience": {"substance_use"},
        "interests": {"fishing"},
        "languages": {"nb"},
    }
    base.update(changes)
    return ReferralProfile(**base)  # type: ignore[arg-type]


def test_the_longer_wait_gets_the_last_place_when_fit_is_equal() -> None:
    pool = [_worker(1)]
    batch = [_referral(1), _referral(2)]
    result = assign(batch, pool, waiting_days={1: 10, 2: 90})
    assert result.worker_for(2) == 1 and result.worker_for(1) is None
    assert result.unassigned[0].code == "room_given_to_others"
    assert result.matches[0].bonus == pytest.approx(priority_bonus(90))


def test_optimal_beats_first_come_first_served() -> None:
    # Referral 1 waited longest and would take worker 1 first, leaving referral 2 with nobody
    # who speaks Polish. The optimum gives each the peer worker they need.
    pool = [_worker(1, languages={"nb", "pl"}), _worker(2, languages={"nb"})]
    batch = [
        _referral(1, languages={"nb"}),
        _referral(2, languages={"pl"}, wishes=(Wish("language", "pl", firm=True),)),
    ]
    waiting = {1: 100, 2: 5}
    greedy = assign_greedy(batch, pool, waiting_days=waiting)
    best = assign(batch, pool, waiting_days=waiting)
    assert greedy.worker_for(1) == 1 and greedy.worker_for(2) is None
    assert best.worker_for(1) == 2 and best.worker_for(2) == 1
    assert best.total > greedy.total
    assert best.certificate is not None and best.certificate.optimal and best.certificate.gap <= 1e-9


def test_conflicts_and_firm_wishes_are_never_overridden() -> None:
    pool = [_worker(1, conflicts={101}), _worker(2, gender="female", capacity=3)]
    batch = [
        _referral(1),  # service user 101: worker 1 knows them privately
        _referral(2, wishes=(Wish("gender", "male", firm=True),)),
        _referral(3),
    ]
    result = assign(batch, pool)
    assert result.worker_for(1) == 2
    assert result.worker_for(2) == 1
    assert result.worker_for(3) == 2


def test_soft_wishes_and_missing_data_never_exclude() -> None:
    pool = [PeerWorkerProfile(id=1, capacity=1)]  # nothing recorded at all
    batch = [_referral(1, wishes=(Wish("gender", "female"), Wish("age_max_difference", "3")))]
    result = assign(batch, pool)
    assert result.worker_for(1) == 1
    assert result.matches[0].fit >= 0.0


def test_no_eligible_worker_is_explained() -> None:
    result = assign([_referral(1)], [_worker(1, capacity=1, active_engagements=1)])
    assert result.matches == () and result.unassigned[0].code == "no_eligible_worker"
    assert assign([], []).total == 0.0


def test_bad_input_is_rejected_with_clear_messages() -> None:
    with pytest.raises(ValueError, match="Waiting days must be zero or more; referral 1"):
        assign([_referral(1)], [_worker(1)], waiting_days={1: -3})
    with pytest.raises(ValueError, match="priority_weight must be a finite number"):
        assign([_referral(1)], [_worker(1)], priority_weight=-1.0)
    with pytest.raises(ValueError, match="Referral id 1 appears more than once"):
        assign([_referral(1), _referral(1)], [_worker(1)])
    with pytest.raises(ValueError, match="waiting_horizon_days must be at least 1"):
        assign([_referral(1)], [_worker(1)], waiting_horizon_days=0)
    with pytest.raises(ValueError, match="tiny problems"):
        bruteforce_matching(np.zeros((12, 6)), np.ones(6, dtype=np.int64))


def test_priority_bonus_is_linear_up_to_the_horizon() -> None:
    assert priority_bonus(0) == 0.0
    assert priority_bonus(90, 0.5, 180) == pytest.approx(0.25)
    assert priority_bonus(1000, 0.5, 180) == pytest.approx(0.5)
    with pytest.raises(ValueError):
        priority_bonus(-1)
