from __future__ import annotations

import pytest

from peerwork.accounts.models import User
from peerwork.cocreation import selectors
from peerwork.cocreation.models import Board, Contribution, Initiative, Signal
from peerwork.cocreation.warnings import PEER_WORKERS_ONLY_IN_DELIVERY
from peerwork.core.roles import Role
from peerwork.demo.seed import NO_SLUG, seed_demo
from peerwork.organisations.models import Organisation
from tests.conftest import actor_for


@pytest.mark.django_db
def test_demo_tells_the_story():
    seed_demo()
    no = Organisation.objects.get(slug=NO_SLUG)
    manager = actor_for(User.objects.get(username="manager"), no)
    ola = User.objects.get(username="peerworker")

    drop_in = Initiative.objects.get(organisation=no, title="Kveldsåpent for unge voksne")
    view = selectors.initiative(manager, drop_in.pk)
    assert PEER_WORKERS_ONLY_IN_DELIVERY in {w.code for w in view.warnings}

    proposal = Contribution.objects.get(initiative=drop_in, contributor=ola)
    assert proposal.phase.kind == "design" and proposal.outcome == "adapted"
    assert "åpningstid" in proposal.outcome_note

    shelter = Signal.objects.get(organisation=no, raised_by=ola)
    assert "22" in shelter.title and shelter.acknowledged_at is not None

    board = Board.objects.get(organisation=no, kind=Board.Kind.SERVICE_USER_BOARD)
    bv = selectors.board(manager, board.pk)
    assert bv.leader.kind == "peer_worker" and not bv.warnings
    assert {r.seat.kind for r in bv.seats} >= {"peer_worker", "user_org_rep"}
    assert selectors.committee_counts(no.pk)[ola.pk] == 2

    assert selectors.inbox(manager, waiting_only=True)  # something for the manager's home page
    assert selectors.pending_too_long(manager)[0]
    ola_actor = actor_for(ola, no)
    assert Role.PEER_WORKER in ola_actor.roles
    assert selectors.you_said_we_did(ola_actor)[0].outcome == "adapted"
    seed_demo()  # idempotent
    assert Initiative.objects.filter(organisation=no).count() == 2
