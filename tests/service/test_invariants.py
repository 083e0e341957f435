"""Invariants of matching through the adapter and the services (hypothesis): whatever the peer workers,
wishes, declared acquaintances and the order of actions, capacity is never exceeded, no engagement starts
between people who know each other privately until both have said it is fine, no engagement starts with a
peer worker who has not accepted, and every proposed peer worker meets the person's firm requirements."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerwork.core.roles import Role
from peerwork.service import matching_adapter, services
from peerwork.service.models import DeclaredConflict, Engagement, PeerWorkerProfile, Referral, ServiceUser
from tests.conftest import actor_for

from .conftest import add_peer_worker

SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

worker = st.fixed_dictionaries(
    {
        "capacity": st.integers(0, 3),
        "gender": st.sampled_from(["", "woman", "man"]),
        "languages": st.lists(st.sampled_from(["nb", "en", "pl"]), max_size=2, unique=True),
        "accepting": st.booleans(),
        "on_hold": st.booleans(),
        "resumes_in": st.sampled_from([None, -3, 0, 5]),  # days from today to open again after a pause
    }
)
person = st.fixed_dictionaries(
    {
        "firm_gender": st.sampled_from([None, "woman", "man"]),
        "firm_language": st.sampled_from([None, "en", "pl"]),
        "conflicts": st.lists(st.integers(0, 5), max_size=2, unique=True),
        "pick": st.integers(0, 2),
        "close_one": st.booleans(),
    }
)


class Rollback(Exception):
    pass


def _run(world, workers, people):
    coordinator = world.actor(Role.COORDINATOR)
    users = []
    for i, w in enumerate(workers):
        user = add_peer_worker(world, f"h-{i}-{len(people)}-{w['capacity']}-{timezone.now().timestamp()}")
        PeerWorkerProfile.objects.filter(user=user).update(
            capacity=w["capacity"],
            gender=w["gender"],
            languages=w["languages"],
            accepting=w["accepting"],
            on_hold=w["on_hold"],
            resumes_on=None if w["resumes_in"] is None else timezone.localdate() + timedelta(days=w["resumes_in"]),
        )
        users.append(user)
    # The world's own peer worker takes no part.
    PeerWorkerProfile.objects.update_or_create(
        organisation=world.org, user=world.users[Role.PEER_WORKER], defaults={"capacity": 0}
    )
    for k, p in enumerate(people):
        wishes = []
        if p["firm_gender"]:
            wishes.append({"kind": "gender", "value": p["firm_gender"], "firm": True})
        if p["firm_language"]:
            wishes.append({"kind": "language", "value": p["firm_language"], "firm": True})
        referral = services.referrals.create_referral(
            coordinator,
            chosen_name=f"P{k}",
            wishes=wishes,
            languages=["nb"],
            source="self",
            received_on=timezone.localdate() - timedelta(days=k),
        )
        for c in p["conflicts"]:
            if c < len(users):
                services.proposals.declare_conflict(
                    coordinator, peer_worker_id=users[c].pk, service_user_id=referral.service_user_id
                )
        ranked, _excluded = matching_adapter.rank(coordinator, referral, limit=3)
        conflicted = set(
            DeclaredConflict.objects.filter(service_user=referral.service_user).values_list(
                "profile__user_id", flat=True
            )
        )
        for r in ranked:
            profile = PeerWorkerProfile.objects.get(organisation=world.org, user=r.user)
            assert profile.open_to_new(timezone.localdate())  # never anyone paused or on hold
            if p["firm_gender"]:
                assert profile.gender == p["firm_gender"]
            if p["firm_language"]:
                assert p["firm_language"] in profile.languages
        # Proposing anyone outside the ranking (conflict, full, firm requirement unmet) is refused.
        outside = [
            u for u in users if u.pk not in {r.user.pk for r in matching_adapter.rank(coordinator, referral, None)[0]}
        ]
        for u in outside[:2]:
            try:
                services.proposals.propose(coordinator, referral_id=referral.pk, peer_worker_ids=[u.pk])
            except ValidationError:
                pass
            else:
                raise AssertionError("a peer worker outside the eligible list was proposed")
        if ranked:
            proposal = services.proposals.propose(
                coordinator, referral_id=referral.pk, peer_worker_ids=[r.user.pk for r in ranked]
            )
            chosen = ranked[min(p["pick"], len(ranked) - 1)].user
            for r in ranked[1:]:  # the first never answers: choosing them must fail
                # A peer worker who knows the person accepts with their waiver; the person's is never given.
                services.proposals.answer(
                    actor_for(r.user, world.org), proposal_id=proposal.pk, answer="accepted", note="Fine by me"
                )
            try:
                services.proposals.record_choice(coordinator, proposal_id=proposal.pk, peer_worker_id=chosen.pk)
            except ValidationError:
                pass
        if p["close_one"]:
            active = Engagement.objects.filter(organisation=world.org, closed_on__isnull=True).first()
            if active:
                services.engagements.close_engagement(
                    coordinator, engagement_id=active.pk, closed_on=timezone.localdate(), reason="person_ended"
                )
        for u in users:
            cap = PeerWorkerProfile.objects.get(organisation=world.org, user=u).capacity
            assert Engagement.objects.filter(peer_worker=u, closed_on__isnull=True).count() <= cap
        engaged = Engagement.objects.filter(service_user=referral.service_user, closed_on__isnull=True).first()
        if engaged is not None:
            assert engaged.peer_worker_id not in conflicted, "started without the acquaintance being waived"
            assert engaged.peer_worker_id != ranked[0].user.pk, "started with a peer worker who never answered"
    # Stale proposals: propose the same peer worker to everyone still waiting, then accept all of them.
    waiting = list(Referral.objects.filter(organisation=world.org, status="waiting"))
    for u in users:
        proposals = []
        for r in waiting:
            try:
                proposals.append(services.proposals.propose(coordinator, referral_id=r.pk, peer_worker_ids=[u.pk]))
                services.proposals.answer(
                    actor_for(u, world.org), proposal_id=proposals[-1].pk, answer="accepted", note="Fine by me"
                )
            except ValidationError:
                continue
        for prop in proposals:
            try:
                services.proposals.record_choice(coordinator, proposal_id=prop.pk, peer_worker_id=u.pk)
            except ValidationError:
                pass
        cap = PeerWorkerProfile.objects.get(organisation=world.org, user=u).capacity
        assert Engagement.objects.filter(peer_worker=u, closed_on__isnull=True).count() <= cap
        for prop in proposals:
            try:
                services.proposals.record_refusal(coordinator, proposal_id=prop.pk, reason="")
            except ValidationError:
                pass
        waiting = list(Referral.objects.filter(organisation=world.org, status="waiting"))


@SETTINGS
@given(workers=st.lists(worker, min_size=1, max_size=5), people=st.lists(person, min_size=1, max_size=6))
def test_hard_limits_hold_through_the_services(svc, workers, people):
    try:
        with transaction.atomic():
            _run(svc, workers, people)
            raise Rollback
    except Rollback:
        pass
    assert not ServiceUser.objects.filter(chosen_name__startswith="P").exists()


def _assignment_case(world, workers, people):
    coordinator = world.actor(Role.COORDINATOR)
    PeerWorkerProfile.objects.update_or_create(
        organisation=world.org, user=world.users[Role.PEER_WORKER], defaults={"capacity": 0}
    )
    users = []
    for i, w in enumerate(workers):
        user = add_peer_worker(world, f"a-{i}-{timezone.now().timestamp()}")
        PeerWorkerProfile.objects.filter(user=user).update(
            capacity=w["capacity"],
            gender=w["gender"],
            languages=w["languages"],
            accepting=w["accepting"],
            on_hold=w["on_hold"],
            resumes_on=None if w["resumes_in"] is None else timezone.localdate() + timedelta(days=w["resumes_in"]),
        )
        users.append(user)
    for k, p in enumerate(people):
        wishes = []
        if p["firm_gender"]:
            wishes.append({"kind": "gender", "value": p["firm_gender"], "firm": True})
        if p["firm_language"]:
            wishes.append({"kind": "language", "value": p["firm_language"], "firm": True})
        referral = services.referrals.create_referral(
            coordinator,
            chosen_name=f"A{k}",
            wishes=wishes,
            languages=["nb"],
            source="self",
            received_on=timezone.localdate() - timedelta(days=7 * k),
        )
        for c in p["conflicts"]:
            if c < len(users):
                services.proposals.declare_conflict(
                    coordinator, peer_worker_id=users[c].pk, service_user_id=referral.service_user_id
                )
    plan = matching_adapter.offer_waiting_list(coordinator)
    load: dict[int, int] = {}
    for row in plan.rows:
        person = row.referral.service_user
        assert 1 <= len(row.offers) <= 3
        ids = []
        for offer in row.offers:
            profile = PeerWorkerProfile.objects.get(organisation=world.org, user=offer.user)
            load[profile.user_id] = load.get(profile.user_id, 0) + 1
            ids.append(profile.user_id)
            assert profile.open_to_new(timezone.localdate())  # never anyone paused or on hold
            for wish in person.wishes:
                if wish["kind"] == "gender":
                    assert profile.gender == wish["value"]
                if wish["kind"] == "language":
                    assert wish["value"] in profile.languages
        # Sending the offers is a proposal the services accept: the hard limits, pending offers included,
        # agree with the plan, whatever order the coordinator sends them in.
        services.proposals.propose(coordinator, referral_id=row.referral.pk, peer_worker_ids=ids, origin="waiting_list")
    for user_id, n in load.items():
        assert n <= PeerWorkerProfile.objects.get(organisation=world.org, user_id=user_id).capacity
    assert len(plan.rows) + len(plan.waiting) == len(people)
    assert plan.optimal


@SETTINGS
@given(workers=st.lists(worker, min_size=1, max_size=5), people=st.lists(person, min_size=1, max_size=7))
def test_whole_list_assignment_respects_the_hard_limits(svc, workers, people):
    try:
        with transaction.atomic():
            _assignment_case(svc, workers, people)
            raise Rollback
    except Rollback:
        pass
