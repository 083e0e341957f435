from __future__ import annotations

import pytest

from peerwork.accounts.models import User
from peerwork.cocreation import selectors
from peerwork.cocreation.models import Board, Contribution, Initiative, Signal
from peerwork.cocreation.warnings import NO_PEER_WORKER, PEER_WORKERS_ONLY_IN_DELIVERY
from peerwork.core.roles import Role
from peerwork.demo.seed import DK_SLUG, NO_SLUG, seed_demo
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
    assert selectors.committee_counts(no.pk)[ola.pk] == 3  # two boards, and the local board he leads

    assert selectors.inbox(manager, waiting_only=True)  # something for the manager's home page
    assert selectors.pending_too_long(manager)[0]
    assert [b.name for b in selectors.proposed_boards(manager)] == ["Arbeidsgruppe for samarbeid med NAV"]
    ola_actor = actor_for(ola, no)
    assert Role.PEER_WORKER in ola_actor.roles
    assert selectors.you_said_we_did(ola_actor)[0].outcome == "adapted"
    seed_demo()  # idempotent
    assert Initiative.objects.filter(organisation=no).count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "peer", "manager"), [(NO_SLUG, "peerworker", "manager"), (DK_SLUG, "dk-peerworker1", "dk-manager")]
)
def test_demo_shows_peer_workers_as_partners_in_both_organisations(slug, peer, manager):
    seed_demo()
    org = Organisation.objects.get(slug=slug)
    pw = User.objects.get(username=peer)
    pw_actor, mgr = actor_for(pw, org), actor_for(User.objects.get(username=manager), org)

    owned = selectors.owned_initiatives(pw_actor)
    assert owned and owned[0].owner == pw  # a peer-worker-owned initiative, on the peer worker's home page
    view = selectors.initiative(pw_actor, owned[0].pk)
    assert len(view.owners) >= 2  # co-owned

    local = Board.objects.get(organisation=org, kind=Board.Kind.PEER_LED_USER_BOARD)
    bv = selectors.board(pw_actor, local.pk)
    assert bv.leader.holder == pw and {"user_org_rep", "service_user"} <= {r.seat.kind for r in bv.seats}
    assert not bv.warnings

    joint = Contribution.objects.get(organisation=org, decided_with=local)
    assert joint.participants.count() >= 3
    assert {"peer_worker", "user_org_rep", "service_user"} <= set(joint.participants.values_list("kind", flat=True))

    warned = [v for v in selectors.initiatives(mgr) if NO_PEER_WORKER in {w.code for w in v.warnings}]
    assert warned  # the manager sees the warning on the list of initiatives
