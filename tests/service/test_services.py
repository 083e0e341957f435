"""The referral → proposal → choice → engagement → contacts → goals → closure lifecycle, and bad input."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.service import services
from peerwork.service.models import Contact, Engagement, GoalRating, MatchProposal, Referral, ServiceUser
from tests.conftest import actor_for

from .conftest import accept, add_peer_worker, contact_values, engage, new_referral, profile_of


def test_referral_to_engagement_audits_every_write(svc):
    coordinator = svc.actor(Role.COORDINATOR)
    pw = svc.users[Role.PEER_WORKER]
    other = add_peer_worker(svc, "pw-b")
    referral = new_referral(svc)
    assert referral.status == Referral.Status.WAITING
    proposal = services.proposals.propose(
        coordinator, referral_id=referral.pk, peer_worker_ids=[pw.pk, other.pk], ranking={pw.pk: (7.5, [{"code": "x"}])}
    )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.PROPOSED
    assert [c.rank for c in proposal.candidates.all()] == [1, 2]
    accept(svc, proposal, pw, other)
    engagement = services.proposals.record_choice(coordinator, proposal_id=proposal.pk, peer_worker_id=other.pk)
    referral.refresh_from_db()
    proposal.refresh_from_db()
    assert referral.status == Referral.Status.MATCHED
    assert proposal.outcome == MatchProposal.Outcome.CHOSEN and proposal.chosen_id == other.pk
    assert engagement.peer_worker_id == other.pk and engagement.closed_on is None
    assert engagement.planned_end_on <= engagement.started_on + timedelta(days=731)
    subjects = set(
        AuditEntry.objects.filter(
            subject_type="service.serviceuser", subject_id=str(referral.service_user_id)
        ).values_list("action", flat=True)
    )
    assert {"create", "update"} <= subjects


def test_refusal_returns_referral_to_waiting(svc):
    coordinator = svc.actor(Role.COORDINATOR)
    referral = new_referral(svc)
    proposal = services.proposals.propose(
        coordinator, referral_id=referral.pk, peer_worker_ids=[svc.users[Role.PEER_WORKER].pk]
    )
    services.proposals.record_refusal(
        coordinator, proposal_id=proposal.pk, reason="Wants to wait for a woman peer worker"
    )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WAITING
    with pytest.raises(ValidationError) as exc:
        services.proposals.record_choice(
            coordinator, proposal_id=proposal.pk, peer_worker_id=svc.users[Role.PEER_WORKER].pk
        )
    assert "already recorded" in str(exc.value)


def test_decline_needs_reason_and_withdraws_proposal(svc):
    coordinator = svc.actor(Role.COORDINATOR)
    referral = new_referral(svc)
    services.proposals.propose(coordinator, referral_id=referral.pk, peer_worker_ids=[svc.users[Role.PEER_WORKER].pk])
    with pytest.raises(ValidationError) as exc:
        services.referrals.close_referral(
            coordinator, referral_id=referral.pk, status=Referral.Status.DECLINED, reason="  "
        )
    assert "reason" in exc.value.message_dict
    services.referrals.close_referral(
        coordinator, referral_id=referral.pk, status=Referral.Status.DECLINED, reason="Moved to another municipality"
    )
    assert MatchProposal.objects.get(referral=referral).outcome == MatchProposal.Outcome.WITHDRAWN


def test_propose_refuses_more_than_three_and_hard_limits(svc):
    coordinator = svc.actor(Role.COORDINATOR)
    referral = new_referral(svc, wishes=[{"kind": "gender", "value": "woman", "firm": True}])
    pws = [add_peer_worker(svc, f"pw-{i}", gender="woman") for i in range(4)]
    with pytest.raises(ValidationError):
        services.proposals.propose(coordinator, referral_id=referral.pk, peer_worker_ids=[p.pk for p in pws])
    man = add_peer_worker(svc, "pw-man", gender="man")
    with pytest.raises(ValidationError) as exc:
        services.proposals.propose(coordinator, referral_id=referral.pk, peer_worker_ids=[man.pk])
    assert "firm requirements" in str(exc.value)
    profile_of(svc, pws[1], capacity=0)
    with pytest.raises(ValidationError) as exc:
        services.proposals.propose(coordinator, referral_id=referral.pk, peer_worker_ids=[pws[1].pk])
    assert "no room" in str(exc.value)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WAITING  # nothing half-saved
    assert not MatchProposal.objects.filter(referral=referral).exists()


def test_capacity_exceeded_at_choice_saves_nothing(svc):
    coordinator = svc.actor(Role.COORDINATOR)
    pw = svc.users[Role.PEER_WORKER]
    profile_of(svc, pw, capacity=2)
    first, second = new_referral(svc, "A"), new_referral(svc, "B")
    p2 = services.proposals.propose(
        coordinator, referral_id=second.pk, peer_worker_ids=[pw.pk]
    )  # proposed while there was room (the pending offer holds one place)
    accept(svc, p2, pw)
    engage(svc, first, pw)
    profile_of(svc, pw, capacity=1)  # the agreed capacity went down before the person chose
    with pytest.raises(ValidationError) as exc:
        services.proposals.record_choice(coordinator, proposal_id=p2.pk, peer_worker_id=pw.pk)
    assert "capacity" in str(exc.value)
    second.refresh_from_db()
    p2.refresh_from_db()
    assert second.status == Referral.Status.PROPOSED and p2.outcome == MatchProposal.Outcome.PENDING
    assert Engagement.objects.filter(peer_worker=pw, closed_on__isnull=True).count() == 1


def test_a_pending_offer_holds_a_place(svc):
    coordinator = svc.actor(Role.COORDINATOR)
    pw = svc.users[Role.PEER_WORKER]
    profile_of(svc, pw, capacity=1)
    first, second = new_referral(svc, "A"), new_referral(svc, "B")
    services.proposals.propose(coordinator, referral_id=first.pk, peer_worker_ids=[pw.pk])
    with pytest.raises(ValidationError) as exc:
        services.proposals.propose(coordinator, referral_id=second.pk, peer_worker_ids=[pw.pk])
    assert "has no room for another engagement" in str(exc.value)
    second.refresh_from_db()
    assert second.status == Referral.Status.WAITING


def test_referral_assigned_twice_from_two_browsers(svc):
    """Both coordinators loaded the page while the proposal was pending; the second gets a clear message."""
    coordinator = svc.actor(Role.COORDINATOR)
    pw = svc.users[Role.PEER_WORKER]
    other = add_peer_worker(svc, "pw-b")
    referral = new_referral(svc)
    proposal = services.proposals.propose(coordinator, referral_id=referral.pk, peer_worker_ids=[pw.pk, other.pk])
    accept(svc, proposal, pw, other)
    services.proposals.record_choice(coordinator, proposal_id=proposal.pk, peer_worker_id=pw.pk)
    with pytest.raises(ValidationError) as exc:
        services.proposals.record_choice(coordinator, proposal_id=proposal.pk, peer_worker_id=other.pk)
    assert "already recorded" in str(exc.value)
    assert Engagement.objects.filter(service_user=referral.service_user).count() == 1
    # A stale status check: the conditional UPDATE refuses to move a referral that is no longer waiting.
    with pytest.raises(ValidationError) as exc:
        services.proposals.propose(coordinator, referral_id=referral.pk, peer_worker_ids=[other.pk])
    assert "no longer waiting" in str(exc.value)


def test_move_referral_is_conditional(svc):
    referral = new_referral(svc)
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.MATCHED)
    with pytest.raises(ValidationError) as exc:
        services.referrals.move_referral(referral, (Referral.Status.WAITING,), Referral.Status.PROPOSED)
    assert "Someone else changed this referral" in str(exc.value)


def test_contacts_outside_hours_overlap_and_future(svc):
    pw = svc.users[Role.PEER_WORKER]
    engagement = engage(svc, new_referral(svc), pw)
    actor = svc.actor(Role.PEER_WORKER)
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 7)
    inside = services.contacts.add_contact(actor, engagement_id=engagement.pk, **contact_values(monday, time(9, 0), 60))
    assert not inside.outside_agreed_hours
    late = services.contacts.add_contact(actor, engagement_id=engagement.pk, **contact_values(monday, time(22, 0), 30))
    assert late.outside_agreed_hours
    saturday = monday + timedelta(days=5)
    assert services.contacts.add_contact(
        actor, engagement_id=engagement.pk, **contact_values(saturday, time(10, 0), 30)
    ).outside_agreed_hours
    with pytest.raises(ValidationError) as exc:
        services.contacts.add_contact(actor, engagement_id=engagement.pk, **contact_values(monday, time(9, 30), 15))
    assert "09:00 to 10:00" in str(exc.value)
    future = timezone.localtime() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.contacts.add_contact(actor, engagement_id=engagement.pk, **contact_values(future.date(), time(10, 0)))
    assert "future" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.contacts.add_contact(actor, engagement_id=engagement.pk, **contact_values(monday, time(12, 0), 0))
    assert "duration_minutes" in exc.value.message_dict
    assert Contact.objects.filter(engagement=engagement).count() == 3


def test_only_the_engagements_peer_worker_logs_contacts(svc):
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    other = add_peer_worker(svc, "pw-b")
    from tests.conftest import actor_for

    with pytest.raises(PermissionDenied):
        services.contacts.add_contact(actor_for(other, svc.org), engagement_id=engagement.pk, **contact_values())


def test_closed_engagement_cannot_be_changed(svc):
    pw = svc.users[Role.PEER_WORKER]
    engagement = engage(svc, new_referral(svc), pw)
    actor = svc.actor(Role.PEER_WORKER)
    goal = services.goals.add_goal(
        actor, engagement_id=engagement.pk, life_area="housing", words="A place of my own", visibility="coordinator"
    )
    contact = services.contacts.add_contact(actor, engagement_id=engagement.pk, **contact_values())
    with pytest.raises(ValidationError) as exc:
        services.engagements.close_engagement(
            actor, engagement_id=engagement.pk, closed_on=timezone.localdate(), reason=""
        )
    assert "reason" in exc.value.message_dict
    services.engagements.close_engagement(
        actor,
        engagement_id=engagement.pk,
        closed_on=timezone.localdate(),
        reason="goals_reached",
        words="I have my own door key now",
    )
    for attempt in (
        lambda: services.contacts.add_contact(
            actor, engagement_id=engagement.pk, **contact_values(timezone.localdate() - timedelta(days=1), time(6, 0))
        ),
        lambda: services.contacts.update_contact(actor, contact_id=contact.pk, **contact_values(minutes=45)),
        lambda: services.goals.rate_goal(actor, goal_id=goal.pk, rating=8),
        lambda: services.goals.add_goal(
            actor, engagement_id=engagement.pk, life_area="family", words="x", visibility="private"
        ),
        lambda: services.engagements.close_engagement(
            actor, engagement_id=engagement.pk, closed_on=timezone.localdate(), reason="other"
        ),
    ):
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert "closed on" in str(exc.value)
    contact.refresh_from_db()
    assert contact.duration_minutes == 30
    assert not GoalRating.objects.filter(goal=goal).exists()


def test_goal_ratings_in_range_and_one_per_day(svc):
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    actor = svc.actor(Role.PEER_WORKER)
    goal = services.goals.add_goal(
        actor, engagement_id=engagement.pk, life_area="work_education", words="Finish school", visibility="coordinator"
    )
    with pytest.raises(ValidationError):
        services.goals.rate_goal(actor, goal_id=goal.pk, rating=11)
    services.goals.rate_goal(actor, goal_id=goal.pk, rating=3)
    services.goals.rate_goal(actor, goal_id=goal.pk, rating=4)
    assert list(goal.ratings.values_list("rating", flat=True)) == [4]


def test_handover_keeps_history_and_goals(svc):
    coordinator = svc.actor(Role.COORDINATOR)
    pw = svc.users[Role.PEER_WORKER]
    other = add_peer_worker(svc, "pw-b")
    engagement = engage(svc, new_referral(svc), pw)
    goal = services.goals.add_goal(
        svc.actor(Role.PEER_WORKER),
        engagement_id=engagement.pk,
        life_area="social",
        words="See friends",
        visibility="coordinator",
    )
    third = add_peer_worker(svc, "pw-c")
    proposal = services.proposals.propose_handover(
        coordinator, engagement_id=engagement.pk, peer_worker_ids=[other.pk, third.pk]
    )
    assert proposal.origin == MatchProposal.Origin.HANDOVER
    # Until the person has chosen, the engagement runs on with the peer worker the person has.
    engagement.refresh_from_db()
    assert engagement.closed_on is None
    services.proposals.answer(actor_for(third, svc.org), proposal_id=proposal.pk, answer="declined")
    accept(svc, proposal, other)
    with pytest.raises(ValidationError) as exc:
        services.proposals.record_choice(coordinator, proposal_id=proposal.pk, peer_worker_id=third.pk)
    assert "has not accepted" in str(exc.value)
    new = services.proposals.record_choice(coordinator, proposal_id=proposal.pk, peer_worker_id=other.pk)
    engagement.refresh_from_db()
    goal.refresh_from_db()
    assert engagement.closure_reason == "handover" and engagement.closed_on is not None
    assert engagement.referral.status == Referral.Status.MATCHED
    assert new.previous_id == engagement.pk and new.planned_end_on == engagement.planned_end_on
    assert goal.engagement_id == new.pk


def test_profile_validation(svc):
    actor = svc.actor(Role.PEER_WORKER)
    profile = services.profiles.save_profile(actor, peer_worker_id=actor.user.pk, interests=["Fishing", " hiking "])
    assert profile.interests == ["fishing", "hiking"]
    with pytest.raises(ValidationError):
        services.profiles.save_profile(actor, peer_worker_id=actor.user.pk, birth_year=1800)
    with pytest.raises(PermissionDenied):
        services.profiles.save_profile(actor, peer_worker_id=svc.users[Role.COORDINATOR].pk, interests=["chess"])


def test_guidance_rules(svc):
    coordinator = svc.actor(Role.COORDINATOR)
    pw = svc.users[Role.PEER_WORKER]
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.guidance.add_guidance(coordinator, peer_worker_id=pw.pk, meets_on=today, topics="", next_on=today)
    assert {"topics", "next_on"} <= set(exc.value.message_dict)
    session = services.guidance.add_guidance(
        coordinator, peer_worker_id=pw.pk, meets_on=today, topics="Boundaries", next_on=today + timedelta(days=21)
    )
    assert session.guide_id == coordinator.user.pk
    assert session.kind == "follow_up" and not session.planned and not session.is_group_session
    with pytest.raises(PermissionDenied):
        services.guidance.add_guidance(svc.actor(Role.PEER_WORKER), peer_worker_id=pw.pk, meets_on=today, topics="x")


def test_list_reads_audit_each_person_and_keep_the_chain_intact(svc):
    from peerwork.audit.trail import verify
    from peerwork.service import selectors

    referrals = [new_referral(svc, f"P{i}") for i in range(70)]  # more than one SQLite statement's worth
    coordinator = svc.actor(Role.COORDINATOR)
    before = AuditEntry.objects.filter(action="read").count()
    shown = selectors.queue(coordinator)
    assert len(shown) == 70
    reads = AuditEntry.objects.filter(action="read", subject_type="service.serviceuser")
    assert reads.count() - before == 70
    assert {int(s) for s in reads.values_list("subject_id", flat=True)} == {r.service_user_id for r in referrals}
    assert list(verify()) == []


def test_the_model_field_rules_hold_for_pages_and_api_alike(svc):
    """The service runs the model's own field validation, so a caller without a form (the API) gets the same
    answer a form would give, and nothing is saved."""
    coordinator = svc.actor(Role.COORDINATOR)
    with pytest.raises(ValidationError) as exc:
        services.referrals.create_referral(coordinator, chosen_name="Unsaved", source="self", email="not-an-address")
    assert "email" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.referrals.create_referral(coordinator, chosen_name="Unsaved", source="self", referrer="x" * 201)
    assert "referrer" in exc.value.message_dict
    assert not ServiceUser.objects.filter(chosen_name="Unsaved").exists()
