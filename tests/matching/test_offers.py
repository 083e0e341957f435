"""Offers for a whole waiting list: up to three per person, choices can always be honoured, and the
lexicographic objective is really optimal (brute force on small instances, certificates checked).

Pure Python — no Django, no database.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerwork.matching import PeerWorkerProfile, ReferralProfile, Weights, eligible
from peerwork.matching.flow import FlowNetwork, check_certificate
from peerwork.matching.offers import (
    OFFERS_PER_PERSON,
    OfferPlan,
    objective_key,
    plan_offers,
    plan_offers_bruteforce,
    plan_offers_greedy,
)
from tests.matching.strategies import referrals, weights, worker_lists

EXAMPLES = settings(max_examples=60, deadline=None)


@st.composite
def instances(
    draw: st.DrawFn, max_referrals: int = 3, max_workers: int = 3
) -> tuple[list[ReferralProfile], list[PeerWorkerProfile], Weights, dict[int, int], float]:
    ids = draw(st.lists(st.integers(1, 500), max_size=max_referrals, unique=True))
    batch = [draw(referrals(referral_id=i, max_wishes=1)) for i in ids]
    pool = draw(worker_lists(max_size=max_workers, max_capacity=2))
    waiting = {i: draw(st.sampled_from((0, 30, 90, 200))) for i in ids if draw(st.booleans())}
    priority = draw(st.sampled_from((0.0, 0.5, 2.0)))
    return batch, pool, draw(weights()), waiting, priority


def _check_limits(plan: OfferPlan, batch: list[ReferralProfile], pool: list[PeerWorkerProfile]) -> None:
    by_id = {w.id: w for w in pool}
    referral = {r.id: r for r in batch}
    for worker_id, count in plan.load().items():
        assert count <= by_id[worker_id].room, "a peer worker is offered to more people than they have room for"
    for rid, offers in plan.offers.items():
        assert 1 <= len(offers) <= OFFERS_PER_PERSON
        assert len({o.worker_id for o in offers}) == len(offers), "the same peer worker offered twice"
        assert [o.fit for o in offers] == sorted((o.fit for o in offers), reverse=True)
        for offer in offers:
            assert eligible(referral[rid], by_id[offer.worker_id]) is None
    assert set(plan.offers) | set(plan.waiting) == set(referral)
    assert not set(plan.offers) & set(plan.waiting)


@EXAMPLES
@given(instances())
def test_offers_are_the_lexicographic_optimum_of_brute_force(instance) -> None:
    batch, pool, w, waiting, priority = instance
    best = plan_offers(batch, pool, w, waiting, priority)
    brute = plan_offers_bruteforce(batch, pool, w, waiting, priority)
    _check_limits(best, batch, pool)
    _check_limits(brute, batch, pool)
    assert objective_key(best, waiting, priority_weight=priority) == objective_key(
        brute, waiting, priority_weight=priority
    )
    assert best.certificate is not None and best.certificate.optimal


@EXAMPLES
@given(instances(max_referrals=8, max_workers=5))
def test_greedy_is_never_better_and_choices_can_be_honoured(instance) -> None:
    batch, pool, w, waiting, priority = instance
    best = plan_offers(batch, pool, w, waiting, priority)
    greedy = plan_offers_greedy(batch, pool, w, waiting, priority)
    _check_limits(best, batch, pool)
    _check_limits(greedy, batch, pool)
    key = objective_key(best, waiting, priority_weight=priority)
    assert key >= objective_key(greedy, waiting, priority_weight=priority)
    assert best.certificate is not None and best.certificate.optimal
    # Whatever each person chooses (here: every one picks the same position), no one is over their room.
    by_id = {p.id: p for p in pool}
    for position in range(OFFERS_PER_PERSON):
        picked: dict[int, int] = {}
        for offers in best.offers.values():
            choice = offers[min(position, len(offers) - 1)].worker_id
            picked[choice] = picked.get(choice, 0) + 1
        assert all(n <= by_id[wid].room for wid, n in picked.items())


def _worker(i: int, room: int, **kw: object) -> PeerWorkerProfile:
    return PeerWorkerProfile(id=i, capacity=room, **kw)  # type: ignore[arg-type]


def test_places_go_to_as_many_people_as_possible_before_more_offers() -> None:
    # Two peer workers with one place each, three people: two people get one offer each rather than one
    # person getting two, and the two who waited longest are the ones covered.
    pool = [_worker(1, 1, languages={"nb"}), _worker(2, 1, languages={"nb"})]
    batch = [ReferralProfile(id=i, languages={"nb"}) for i in (10, 11, 12)]
    plan = plan_offers(batch, pool, waiting_days={10: 5, 11: 100, 12: 50})
    assert sorted(plan.offers) == [11, 12]
    assert plan.waiting == (10,)
    assert plan.load() == {1: 1, 2: 1}
    greedy = plan_offers_greedy(batch, pool, waiting_days={10: 5, 11: 100, 12: 50})
    assert sorted(greedy.offers) == [11] and len(greedy.offers[11]) == 2


def test_the_worst_best_offer_is_raised_before_the_total() -> None:
    # Person 1 fits both peer workers; person 2 fits only worker 1 well. Total fit alone would give person 1
    # worker 1 and person 2 worker 2 as well; the plan gives person 2 the good fit.
    good_for_both = _worker(1, 1, languages={"nb", "so"}, interests={"a", "b"})
    only_for_one = _worker(2, 1, languages={"nb"}, interests={"a", "b"})
    one = ReferralProfile(id=1, languages={"nb"}, interests={"a", "b"})
    two = ReferralProfile(id=2, languages={"so"}, interests={"c"})
    plan = plan_offers([one, two], [good_for_both, only_for_one])
    assert [o.worker_id for o in plan.offers[2]] == [1]
    assert [o.worker_id for o in plan.offers[1]] == [2]
    assert plan.certificate is not None and plan.certificate.threshold == pytest.approx(plan.lowest_best_fit)


def test_pending_offers_count_against_room() -> None:
    pool = [PeerWorkerProfile(id=1, capacity=2, active_engagements=1, pending_offers=1)]
    plan = plan_offers([ReferralProfile(id=1)], pool)
    assert plan.offers == {} and plan.waiting == (1,)


def test_up_to_three_offers_each_when_there_is_room() -> None:
    pool = [_worker(i, 2) for i in range(1, 6)]
    plan = plan_offers([ReferralProfile(id=1, languages={"nb"}), ReferralProfile(id=2)], pool)
    assert [len(plan.offers[1]), len(plan.offers[2])] == [3, 3]
    assert all(n <= 2 for n in plan.load().values())


def test_an_empty_waiting_list_or_no_room_gives_no_offers() -> None:
    assert plan_offers([], [_worker(1, 1)]).offers == {}
    plan = plan_offers([ReferralProfile(id=3)], [_worker(1, 0)])
    assert plan.waiting == (3,) and plan.certificate is not None and plan.certificate.optimal


def test_a_flow_certificate_rejects_a_flow_that_is_not_cheapest() -> None:
    net = FlowNetwork(4)
    net.add_arc(0, 1, 1, -5)
    net.add_arc(0, 2, 1, -3)
    cheap = net.add_arc(1, 3, 1, 0)
    net.add_arc(2, 3, 1, 0)
    net.solve(0, 3)
    assert net.total_cost() == -8
    assert check_certificate(net, 0, 3, net.certificate(0, 3))
    net.arcs[cheap].flow = 0
    net.arcs[0].flow = 0  # a valid but worse flow: only the -3 path
    assert net.certificate(0, 3) is None
    assert not check_certificate(net, 0, 3, [0, 0, 0, 0])
    with pytest.raises(ValueError, match="capacity"):
        net.add_arc(0, 1, -1, 0)
