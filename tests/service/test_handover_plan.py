"""A handover can set a new plan: the new engagement's planned end, checked by the rules of an extension
(after today, a plausible date, and a reason past the typical two years from the new start)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from peerwork.accounts import services as account_services
from peerwork.core.roles import Role
from peerwork.service import services
from peerwork.service.models import Engagement, EngagementExtension, MatchProposal
from peerwork.service.services._common import add_years
from tests.conftest import actor_for, verified_client

from .conftest import accept, add_peer_worker, engage, new_referral


def _engaged(svc):
    pw = svc.users[Role.PEER_WORKER]
    engagement = engage(svc, new_referral(svc), pw)
    return engagement, add_peer_worker(svc, "pw-next")


def _choose(svc, proposal, who):
    accept(svc, proposal, who)
    return services.proposals.record_choice(svc.actor(Role.COORDINATOR), proposal_id=proposal.pk, peer_worker_id=who.pk)


def test_without_a_new_plan_the_handover_keeps_the_old_planned_end(svc):
    engagement, other = _engaged(svc)
    proposal = services.proposals.propose_handover(
        svc.actor(Role.COORDINATOR), engagement_id=engagement.pk, peer_worker_ids=[other.pk], planned_end_reason="x"
    )
    assert proposal.planned_end_on is None and proposal.planned_end_reason == ""
    new = _choose(svc, proposal, other)
    assert new.planned_end_on == engagement.planned_end_on
    assert not EngagementExtension.objects.exists()


def test_a_new_plan_within_two_years_needs_no_reason_and_is_applied(svc):
    engagement, other = _engaged(svc)
    end = timezone.localdate() + timedelta(days=200)
    proposal = services.proposals.propose_handover(
        svc.actor(Role.COORDINATOR), engagement_id=engagement.pk, peer_worker_ids=[other.pk], planned_end_on=end
    )
    assert proposal.planned_end_on == end
    new = _choose(svc, proposal, other)
    engagement.refresh_from_db()
    assert new.planned_end_on == end and engagement.closure_reason == "handover"
    assert not EngagementExtension.objects.exists()


def test_a_new_plan_past_two_years_with_a_reason_is_recorded_as_an_agreed_extension(svc):
    engagement, other = _engaged(svc)
    today = timezone.localdate()
    end = add_years(today, 3)
    proposal = services.proposals.propose_handover(
        svc.actor(Role.COORDINATOR),
        engagement_id=engagement.pk,
        peer_worker_ids=[other.pk],
        planned_end_on=end,
        planned_end_reason="  A new start with someone who knows the housing office  ",
    )
    assert proposal.planned_end_reason == "A new start with someone who knows the housing office"
    new = _choose(svc, proposal, other)
    assert new.planned_end_on == end
    extension = EngagementExtension.objects.get(engagement=new)
    assert extension.previous_end_on == add_years(today, 2) and extension.new_end_on == end
    assert extension.person_agreed and extension.peer_worker_agreed
    assert extension.reason == "A new start with someone who knows the housing office"


@pytest.mark.parametrize(
    ("days", "reason", "field", "words"),
    [
        (0, "", "planned_end_on", "after today"),
        (-30, "", "planned_end_on", "after today"),
        (3 * 366, "", "planned_end_reason", "more than two years"),
        (3 * 366, "   ", "planned_end_reason", "more than two years"),
        (40 * 366, "Long", "planned_end_on", "check the year"),
    ],
)
def test_a_bad_new_plan_is_refused_with_a_message_and_nothing_is_saved(svc, days, reason, field, words):
    engagement, other = _engaged(svc)
    end = timezone.localdate() + timedelta(days=days)
    with pytest.raises(ValidationError) as exc:
        services.proposals.propose_handover(
            svc.actor(Role.COORDINATOR),
            engagement_id=engagement.pk,
            peer_worker_ids=[other.pk],
            planned_end_on=end,
            planned_end_reason=reason,
        )
    assert words in " ".join(exc.value.message_dict[field])
    assert not MatchProposal.objects.filter(handover_from=engagement).exists()


def test_a_plan_past_two_years_from_an_earlier_start_without_a_reason_is_refused_at_the_choice(svc):
    engagement, other = _engaged(svc)
    today = timezone.localdate()
    end = add_years(today, 2)  # exactly two years from today: no reason needed when proposed
    proposal = services.proposals.propose_handover(
        svc.actor(Role.COORDINATOR), engagement_id=engagement.pk, peer_worker_ids=[other.pk], planned_end_on=end
    )
    accept(svc, proposal, other)
    with pytest.raises(ValidationError) as exc:
        services.proposals.record_choice(
            svc.actor(Role.COORDINATOR),
            proposal_id=proposal.pk,
            peer_worker_id=other.pk,
            started_on=today - timedelta(days=10),
        )
    assert "no reason was given" in str(exc.value)
    engagement.refresh_from_db()
    assert engagement.closed_on is None and not Engagement.objects.filter(previous=engagement).exists()
    assert _choose(svc, proposal, other).planned_end_on == end  # from today it is within two years


def test_the_handover_page_sets_a_new_plan_and_shows_a_bad_one(svc):
    engagement, other = _engaged(svc)
    client = svc.client(Role.COORDINATOR)
    url = f"/service/engagements/{engagement.pk}/handover/"
    page = client.get(url).content.decode()
    assert "New planned end (optional)" in page and "stays the same unless you set a new one" in page
    far = add_years(timezone.localdate(), 3).isoformat()
    bad = client.post(url, {"peer_worker": other.pk, "planned_end_on": far, "planned_end_reason": ""})
    assert bad.status_code == 200
    assert "more than two years after the start" in bad.content.decode()
    assert not MatchProposal.objects.filter(handover_from=engagement).exists()
    done = client.post(url, {"peer_worker": other.pk, "planned_end_on": far, "planned_end_reason": "Moving town"})
    assert done.status_code == 302
    proposal = MatchProposal.objects.get(handover_from=engagement)
    assert proposal.planned_end_on.isoformat() == far
    referral_page = client.get(done["Location"]).content.decode()
    assert "New planned end with the handover:" in referral_page and "Moving town" in referral_page
    theirs = svc.client(Role.PEER_WORKER)  # not the one proposed: nothing shown to them
    assert "Moving town" not in theirs.get("/service/proposed-to-me/").content.decode()
    other_client = verified_client(other)
    assert "Moving town" in other_client.get("/service/proposed-to-me/").content.decode()


def test_the_api_sets_a_new_plan_and_refuses_a_bad_one_saving_nothing(svc):
    engagement, other = _engaged(svc)
    _t, secret = account_services.create_api_token(svc.actor(Role.COORDINATOR), name="t", valid_days=1)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    api, url = Client(), f"/api/service/engagements/{engagement.pk}/handover"
    far = add_years(timezone.localdate(), 3).isoformat()
    for payload, field, words in (
        ({"peer_worker_ids": [other.pk], "planned_end_on": far}, "planned_end_reason", "more than two years"),
        (
            {"peer_worker_ids": [other.pk], "planned_end_on": timezone.localdate().isoformat()},
            "planned_end_on",
            "after",
        ),
        ({"peer_worker_ids": [other.pk], "planned_end_on": "not a date"}, "planned_end_on", "date"),
    ):
        bad = api.post(url, payload, content_type="application/json", **auth)
        assert bad.status_code == 422, bad.content
        body = bad.json()
        said = body["errors"][field] if "errors" in body else [d["msg"] for d in body["detail"] if field in d["loc"]]
        assert words in " ".join(said), body
        assert not MatchProposal.objects.filter(handover_from=engagement).exists()
    made = api.post(
        url,
        {"peer_worker_ids": [other.pk], "planned_end_on": far, "planned_end_reason": "Moving town"},
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201, made.content
    assert made.json()["planned_end_on"] == far and made.json()["planned_end_reason"] == "Moving town"
    proposal = MatchProposal.objects.get(pk=made.json()["id"])
    services.proposals.answer(actor_for(other, svc.org), proposal_id=proposal.pk, answer="accepted")
    new = services.proposals.record_choice(
        svc.actor(Role.COORDINATOR), proposal_id=proposal.pk, peer_worker_id=other.pk
    )
    assert new.planned_end_on.isoformat() == far
