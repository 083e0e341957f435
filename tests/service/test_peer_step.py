"""The peer worker's own step before the person is asked, and declared acquaintances as waivable flags.

A decline and the person's choice arriving together are serialised on the proposal row (both lock the
referral, then the proposal): whichever comes second sees the first. SQLite, which the tests use, runs one
writer at a time, so both orders are tested one after the other."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from peerwork.accounts import services as account_services
from peerwork.core.roles import Role
from peerwork.service import selectors, services
from peerwork.service.models import DeclaredConflict, Engagement, MatchProposal, ProposedCandidate, Referral
from tests.conftest import actor_for, verified_client

from .conftest import accept, add_peer_worker, engage, new_referral


def _two(svc):
    coordinator = svc.actor(Role.COORDINATOR)
    a, b = svc.users[Role.PEER_WORKER], add_peer_worker(svc, "pw-b")
    referral = new_referral(svc)
    proposal = services.proposals.propose(coordinator, referral_id=referral.pk, peer_worker_ids=[a.pk, b.pk])
    return coordinator, a, b, referral, proposal


def test_a_decline_before_the_choice_is_recorded_stops_the_choice(svc):
    coordinator, a, b, referral, proposal = _two(svc)
    accept(svc, proposal, a, b)
    services.proposals.answer(actor_for(a, svc.org), proposal_id=proposal.pk, answer="declined")  # withdraws
    with pytest.raises(ValidationError) as exc:
        services.proposals.record_choice(coordinator, proposal_id=proposal.pk, peer_worker_id=a.pk)
    assert "has not accepted" in str(exc.value)
    assert not Engagement.objects.filter(service_user=referral.service_user).exists()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.PROPOSED
    engagement = services.proposals.record_choice(coordinator, proposal_id=proposal.pk, peer_worker_id=b.pk)
    assert engagement.peer_worker == b


def test_a_decline_after_the_choice_is_recorded_is_refused(svc):
    coordinator, a, b, referral, proposal = _two(svc)
    accept(svc, proposal, a, b)
    services.proposals.record_choice(coordinator, proposal_id=proposal.pk, peer_worker_id=a.pk)
    with pytest.raises(ValidationError) as exc:
        services.proposals.answer(actor_for(a, svc.org), proposal_id=proposal.pk, answer="declined")
    assert "already decided" in str(exc.value)
    assert ProposedCandidate.objects.get(proposal=proposal, peer_worker=a).answer == "accepted"


def test_only_those_who_accepted_can_be_chosen(svc):
    coordinator, a, b, _referral, proposal = _two(svc)
    services.proposals.answer(actor_for(b, svc.org), proposal_id=proposal.pk, answer="talk")
    for who in (a, b):  # a has not answered; b wants to talk first
        with pytest.raises(ValidationError) as exc:
            services.proposals.record_choice(coordinator, proposal_id=proposal.pk, peer_worker_id=who.pk)
        assert "has not accepted" in str(exc.value)


def test_a_private_decline_shows_no_reason_unless_given(svc):
    coordinator, a, b, referral, proposal = _two(svc)
    services.proposals.answer(actor_for(a, svc.org), proposal_id=proposal.pk, answer="declined")
    services.proposals.answer(actor_for(b, svc.org), proposal_id=proposal.pk, answer="declined", note="On leave")
    rows = {c.peer_worker_id: c for c in selectors.proposal(coordinator, proposal.pk).candidates.all()}
    assert rows[a.pk].get_answer_display() == "Not available for this one" and rows[a.pk].answer_note == ""
    assert rows[b.pk].answer_note == "On leave"
    page = svc.client(Role.COORDINATOR).get(f"/service/referrals/{referral.pk}/").content.decode()
    assert page.count("Not available for this one") == 2 and "On leave" in page
    assert "No one has accepted yet" in page


def test_answers_are_the_peer_workers_own(svc):
    coordinator, a, b, _referral, proposal = _two(svc)
    outsider = add_peer_worker(svc, "pw-c")
    with pytest.raises(ValidationError):
        services.proposals.answer(actor_for(outsider, svc.org), proposal_id=proposal.pk, answer="accepted")
    with pytest.raises(PermissionDenied):
        services.proposals.answer(coordinator, proposal_id=proposal.pk, answer="accepted")
    with pytest.raises(ValidationError) as exc:
        services.proposals.answer(actor_for(a, svc.org), proposal_id=proposal.pk, answer="pending")
    assert "answer" in exc.value.message_dict
    # The proposed-to-you page lists it for a and b only, in words.
    assert [r.person for r in selectors.proposed_to_me(actor_for(a, svc.org))] == [proposal.referral.service_user]
    assert selectors.proposed_to_me(actor_for(outsider, svc.org)) == []
    assert selectors.pending_answers(actor_for(b, svc.org)) == 1


def test_withdrawing_a_proposal_returns_the_person_to_the_waiting_list(svc):
    coordinator, a, _b, referral, proposal = _two(svc)
    services.proposals.answer(actor_for(a, svc.org), proposal_id=proposal.pk, answer="declined")
    services.proposals.withdraw(coordinator, proposal_id=proposal.pk)
    referral.refresh_from_db()
    proposal.refresh_from_db()
    assert referral.status == Referral.Status.WAITING and proposal.outcome == MatchProposal.Outcome.WITHDRAWN
    assert selectors.proposed_to_me(actor_for(a, svc.org)) == []


def test_an_acquaintance_needs_both_waivers_before_an_engagement(svc):
    coordinator = svc.actor(Role.COORDINATOR)
    pw = svc.users[Role.PEER_WORKER]
    referral = new_referral(svc)
    known = services.proposals.declare_conflict(
        coordinator, peer_worker_id=pw.pk, service_user_id=referral.service_user_id
    )
    proposal = services.proposals.propose(coordinator, referral_id=referral.pk, peer_worker_ids=[pw.pk])
    me = actor_for(pw, svc.org)
    with pytest.raises(ValidationError) as exc:
        services.proposals.answer(me, proposal_id=proposal.pk, answer="accepted")
    assert "note" in exc.value.message_dict
    services.proposals.answer(me, proposal_id=proposal.pk, answer="accepted", note="Old neighbours, fine")
    with pytest.raises(PermissionDenied):  # the person's side is recorded by the coordinator
        services.proposals.waive_acquaintance(me, conflict_id=known.pk, side="person", note="Yes")
    with pytest.raises(ValidationError) as exc:
        services.proposals.record_choice(coordinator, proposal_id=proposal.pk, peer_worker_id=pw.pk)
    assert "Ask both" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.proposals.waive_acquaintance(coordinator, conflict_id=known.pk, side="someone", note="")
    assert set(exc.value.message_dict) == {"side", "note"}
    services.proposals.waive_acquaintance(coordinator, conflict_id=known.pk, side="person", note="Pleased")
    known = DeclaredConflict.objects.get(pk=known.pk)
    assert known.waived and known.person_waived_by == coordinator.user and known.peer_worker_waived_by == pw
    engagement = services.proposals.record_choice(coordinator, proposal_id=proposal.pk, peer_worker_id=pw.pk)
    assert engagement.peer_worker == pw


def test_the_api_shows_answers_and_records_waivers_and_handovers(svc):
    coordinator = svc.actor(Role.COORDINATOR)
    pw, other = svc.users[Role.PEER_WORKER], add_peer_worker(svc, "pw-b")
    engagement = engage(svc, new_referral(svc), pw)
    known = services.proposals.declare_conflict(
        coordinator, peer_worker_id=other.pk, service_user_id=engagement.service_user_id
    )

    def auth(actor):
        _t, secret = account_services.create_api_token(actor, name="t", valid_days=1)
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    coord, theirs = auth(coordinator), auth(actor_for(other, svc.org))
    api = Client()
    made = api.post(
        f"/api/service/engagements/{engagement.pk}/handover",
        {"peer_worker_ids": [other.pk]},
        content_type="application/json",
        **coord,
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["origin"] == "handover" and body["candidates"][0]["knows_privately"] is True
    blank = api.post(
        f"/api/service/acquaintances/{known.pk}/waivers", {"side": "person", "note": "  "},
        content_type="application/json", **coord,
    )  # fmt: skip
    assert blank.status_code == 422
    for side, who in (("person", coord), ("peer_worker", theirs)):
        done = api.post(
            f"/api/service/acquaintances/{known.pk}/waivers", {"side": side, "note": "Fine by me"},
            content_type="application/json", **who,
        )  # fmt: skip
        assert done.status_code == 200, done.content
    assert done.json()["peer_worker_waived"] and done.json()["person_waived"]
    pid = body["id"]
    ok = api.post(
        f"/api/service/proposals/{pid}/answer", {"answer": "accepted"}, content_type="application/json", **theirs
    )
    assert ok.status_code == 200
    decided = api.post(
        f"/api/service/proposals/{pid}/decision", {"peer_worker_id": other.pk}, content_type="application/json", **coord
    )
    assert decided.status_code == 201, decided.content
    engagement.refresh_from_db()
    assert engagement.closure_reason == "handover"
    assert Engagement.objects.get(previous=engagement).peer_worker == other


@pytest.mark.django_db
def test_the_demo_shows_the_peer_workers_step_on_first_sign_in():
    from peerwork.accounts.models import User
    from peerwork.demo.seed import NO_SLUG, seed_demo
    from peerwork.organisations.models import Organisation

    seed_demo()
    org = Organisation.objects.get(slug=NO_SLUG)
    ola = actor_for(User.objects.get(username="peerworker"), org)
    mine = selectors.proposed_to_me(ola)
    assert len(mine) == 2 and selectors.pending_answers(ola) == 2
    first = mine[0].candidate.proposal
    answers = sorted(c.answer for c in first.candidates.all())
    assert answers == ["accepted", "declined", "pending"]
    assert all(c.answer_note == "" for c in first.candidates.all())  # declined privately, no reason
    accepted = first.candidates.get(answer="accepted")
    coordinator = actor_for(User.objects.get(username="coordinator"), org)
    room = candidates_room(org.pk, accepted.peer_worker_id)
    assert room > 0, "the peer worker who accepted must have room, so the person's choice can be recorded"
    flagged = DeclaredConflict.objects.get(organisation=org)
    assert flagged.peer_worker_waived_at is not None and flagged.person_waived_at is None
    assert selectors.acquaintances_of(coordinator, flagged.service_user_id) == [flagged]


def candidates_room(organisation_id: int, user_id: int) -> int:
    from peerwork.service import candidates

    return candidates.load(organisation_id, [user_id])[0].room


def test_answering_someone_elses_proposal_on_the_page_is_answered_as_a_missing_one(svc):
    coordinator, a, b, _referral, proposal = _two(svc)
    outsider = add_peer_worker(svc, "pw-outsider")
    page = verified_client(outsider)
    answer = {f"p{proposal.pk}-answer": "accepted"}
    assert page.post(f"/service/proposals/{proposal.pk}/answer/", answer).status_code == 404
    assert page.post("/service/proposals/987654321/answer/", answer).status_code == 404
    assert ProposedCandidate.objects.get(proposal=proposal, peer_worker=a).answer == "pending"
    assert verified_client(a).post(f"/service/proposals/{proposal.pk}/answer/", answer).status_code == 302
