"""Two people acting at once on the same peer worker end consistent.

* Two coordinators offering the last place of one peer worker to two people: the proposal locks the peer
  workers' profiles and counts room (pending offers included) after the lock, so one offer is made and the
  other is refused with a message; never more offers than room.
* A peer worker declining while the coordinator records the person's choice of them: both lock the referral,
  then the proposal, so either the choice comes first (the decline is refused) or the decline does (the
  choice is refused); never an engagement with someone who declined.

Each side runs in its own thread with its own database connection. PostgreSQL runs them at the same time;
SQLite runs one writing transaction at a time (and the test database, in memory with a shared cache, cannot
make one connection wait for another), so there the two run one after the other and the outcome is checked
the same way."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from peerwork.core.roles import Role
from peerwork.service import candidates, services
from peerwork.service.models import Engagement, MatchProposal, ProposedCandidate
from tests.conftest import actor_for
from tests.factories import MembershipFactory, UserFactory

from .conftest import accept, add_peer_worker, new_referral


def _both(first: Callable[[], Any], second: Callable[[], Any]) -> dict[str, Any]:
    """Run the two actions in two threads, each on its own connection; each one's result or refusal."""
    together = connection.vendor == "postgresql"
    start = threading.Barrier(2) if together else None
    outcome: dict[str, Any] = {}

    def run(name: str, action: Callable[[], Any]) -> None:
        try:
            if start is not None:
                start.wait(timeout=15)
            outcome[name] = action()
        except ValidationError as exc:
            outcome[name] = exc
        except BaseException as exc:  # noqa: BLE001 (reported by the test)
            outcome[name] = RuntimeError(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n, a)) for n, a in (("first", first), ("second", second))]
    for t in threads:
        t.start()
        if not together:
            t.join()
    for t in threads:
        t.join(timeout=30)
    assert not [v for v in outcome.values() if isinstance(v, RuntimeError)], outcome
    return outcome


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_offering_the_last_place_at_once_never_over_book(world):
    last = add_peer_worker(world, "pw-last-place", capacity=1)
    other_coordinator = UserFactory(username="coordinator-two")
    MembershipFactory(organisation=world.org, user=other_coordinator, role=Role.COORDINATOR)
    one, two = new_referral(world, "Kari"), new_referral(world, "Per")
    first_actor, second_actor = world.actor(Role.COORDINATOR), actor_for(other_coordinator, world.org)

    outcome = _both(
        lambda: services.proposals.propose(first_actor, referral_id=one.pk, peer_worker_ids=[last.pk]),
        lambda: services.proposals.propose(second_actor, referral_id=two.pk, peer_worker_ids=[last.pk]),
    )

    made = [v for v in outcome.values() if isinstance(v, MatchProposal)]
    refused = [v for v in outcome.values() if isinstance(v, ValidationError)]
    assert len(made) == 1 and len(refused) == 1, outcome
    assert "offers waiting for a person's choice" in " ".join(refused[0].message_dict["peer_workers"])
    offers = ProposedCandidate.objects.filter(peer_worker=last, proposal__outcome="pending").count()
    (seen,) = candidates.load(world.org.pk, [last.pk])
    assert offers == 1 <= seen.profile.capacity and seen.room == 0
    # The refused referral is still waiting, untouched: nothing half-saved.
    loser = two if made[0].referral_id == one.pk else one
    loser.refresh_from_db()
    assert loser.status == "waiting" and not MatchProposal.objects.filter(referral=loser).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("decline_first", [True, False])
def test_a_decline_while_the_person_chooses_ends_consistent(world, decline_first):
    coordinator = world.actor(Role.COORDINATOR)
    a, b = add_peer_worker(world, "pw-a"), add_peer_worker(world, "pw-b")
    referral = new_referral(world)
    proposal = services.proposals.propose(coordinator, referral_id=referral.pk, peer_worker_ids=[a.pk, b.pk])
    accept(world, proposal, a, b)

    def choose() -> Engagement:
        return services.proposals.record_choice(coordinator, proposal_id=proposal.pk, peer_worker_id=a.pk)

    def decline() -> ProposedCandidate:
        return services.proposals.answer(actor_for(a, world.org), proposal_id=proposal.pk, answer="declined")

    actions = {"decline": decline, "choose": choose}
    order = ["decline", "choose"] if decline_first else ["choose", "decline"]
    outcome = _both(actions[order[0]], actions[order[1]])
    by_name = dict(zip(order, (outcome["first"], outcome["second"]), strict=True))

    answer = ProposedCandidate.objects.get(proposal=proposal, peer_worker=a).answer
    started = Engagement.objects.filter(service_user=referral.service_user)
    proposal.refresh_from_db()
    if isinstance(by_name["choose"], Engagement):  # the choice came first: the decline was refused
        assert isinstance(by_name["decline"], ValidationError)
        assert "already decided" in str(by_name["decline"])
        assert answer == "accepted" and started.get().peer_worker == a and proposal.outcome == "chosen"
    else:  # the decline came first: the choice was refused with a message, and nothing started
        assert isinstance(by_name["choose"], ValidationError)
        assert "has not accepted this proposal" in " ".join(by_name["choose"].message_dict["peer_worker"])
        assert answer == "declined" and not started.exists() and proposal.outcome == "pending"
    if connection.vendor != "postgresql":  # run one after the other: the order is known
        assert isinstance(by_name[order[0]], Engagement | ProposedCandidate)
