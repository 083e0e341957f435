"""Every service write runs the model's validation, bulk writes included, whatever calls it; dates are held
to Peerwork's plausible range by the model's own validator."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from peerwork.core.roles import Role
from peerwork.service import services
from peerwork.service.models import Engagement, GuidanceSession, MatchProposal, ProposedCandidate, Referral

from .conftest import accept, new_referral


def test_proposed_candidates_are_validated_before_the_bulk_insert(svc):
    coordinator = svc.actor(Role.COORDINATOR)
    referral = new_referral(svc)
    pw = svc.users[Role.PEER_WORKER]
    with pytest.raises(ValidationError) as exc:
        services.proposals.propose(
            coordinator, referral_id=referral.pk, peer_worker_ids=[pw.pk], ranking={pw.pk: (0.9, ["knows\x00"])}
        )
    assert "reasons" in exc.value.message_dict
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WAITING
    assert not MatchProposal.objects.exists() and not ProposedCandidate.objects.exists()


@pytest.mark.parametrize("reason", ["x" * 10_001, "Wants\x00 to wait"])
def test_a_refusal_reason_is_validated_and_nothing_is_saved(svc, reason):
    coordinator = svc.actor(Role.COORDINATOR)
    referral = new_referral(svc)
    proposal = services.proposals.propose(
        coordinator, referral_id=referral.pk, peer_worker_ids=[svc.users[Role.PEER_WORKER].pk]
    )
    with pytest.raises(ValidationError) as exc:
        services.proposals.record_refusal(coordinator, proposal_id=proposal.pk, reason=reason)
    assert "refusal_reason" in exc.value.message_dict
    proposal.refresh_from_db()
    referral.refresh_from_db()
    assert (proposal.outcome, proposal.refusal_reason, referral.status) == (
        MatchProposal.Outcome.PENDING,
        "",
        Referral.Status.PROPOSED,
    )


def test_a_choice_with_an_implausible_start_is_refused_and_nothing_is_saved(svc):
    coordinator = svc.actor(Role.COORDINATOR)
    referral = new_referral(svc)
    pw = svc.users[Role.PEER_WORKER]
    proposal = services.proposals.propose(coordinator, referral_id=referral.pk, peer_worker_ids=[pw.pk])
    accept(svc, proposal, pw)
    with pytest.raises(ValidationError) as exc:
        services.proposals.record_choice(
            coordinator, proposal_id=proposal.pk, peer_worker_id=pw.pk, started_on=date(1026, 3, 1)
        )
    assert "started_on" in exc.value.message_dict
    proposal.refresh_from_db()
    assert proposal.outcome == MatchProposal.Outcome.PENDING
    assert not Engagement.objects.exists()


@pytest.mark.parametrize(
    ("field", "day"),
    [("meets_on", date(1, 1, 1)), ("next_on", date(9999, 12, 31))],
)
def test_guidance_dates_outside_the_plausible_range_are_refused(svc, field, day):
    values = {"meets_on": timezone.localdate(), "next_on": timezone.localdate() + timedelta(days=14), field: day}
    with pytest.raises(ValidationError) as exc:
        services.guidance.add_guidance(
            svc.actor(Role.COORDINATOR), peer_worker_id=svc.users[Role.PEER_WORKER].pk, topics="Boundaries", **values
        )
    assert "check the year" in " ".join(exc.value.message_dict[field])
    assert not GuidanceSession.objects.exists()
