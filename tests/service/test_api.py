"""The service API: same scope and audit as the pages, clear 422s, documented in OpenAPI."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from peerwork.accounts import services as account_services
from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.service import services
from peerwork.service.models import Contact, Engagement, Referral
from tests.conftest import actor_for

from .conftest import add_peer_worker, contact_values, engage, new_referral


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def token(svc):
    def make(role=None, user=None) -> dict[str, str]:
        actor = actor_for(user, svc.org) if user is not None else svc.actor(role)
        _t, secret = account_services.create_api_token(actor, name="integration", valid_days=30)
        return bearer(secret)

    return make


def test_routes_are_documented(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/service/referrals",
        "/api/service/engagements",
        "/api/service/engagements/{engagement_id}/contacts",
        "/api/service/engagements/{engagement_id}/goals",
    ):
        assert path in paths


def test_referral_create_list_read_and_rank(svc, token):
    auth = token(Role.COORDINATOR)
    api = Client()
    bad = api.post(
        "/api/service/referrals",
        {"person": {"chosen_name": " "}, "source": "self"},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 422 and "chosen_name" in bad.json()["errors"]
    assert not Referral.objects.exists()
    created = api.post(
        "/api/service/referrals",
        {
            "person": {
                "chosen_name": "Nora",
                "languages": ["nb"],
                "wishes": [{"kind": "gender", "value": "woman", "firm": True}],
            },
            "source": "professional",
            "referrer": "DPS",
        },
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    rid = created.json()["id"]
    listing = api.get("/api/service/referrals?status=waiting", **auth).json()
    assert [r["id"] for r in listing["items"]] == [rid]
    assert api.get(f"/api/service/referrals/{rid}", **auth).json()["chosen_name"] == "Nora"
    woman = add_peer_worker(svc, "pw-woman", gender="woman")
    add_peer_worker(svc, "pw-man", gender="man")
    candidates = api.get(f"/api/service/referrals/{rid}/candidates", **auth).json()
    assert [c["peer_worker_id"] for c in candidates] == [woman.pk]
    assert candidates[0]["reasons"]
    assert candidates[0]["band"] in ("good", "some", "little", "not_known")
    assert isinstance(candidates[0]["mismatches"], list)
    reads = AuditEntry.objects.filter(action="read", subject_type="service.serviceuser", via__startswith="/api/")
    assert reads.exists() or AuditEntry.objects.filter(action="read", subject_type="service.serviceuser").exists()


def test_peer_worker_scope_and_contacts(svc, token):
    mine = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    other = add_peer_worker(svc, "pw-b")
    theirs = engage(svc, new_referral(svc, "Per"), other)
    auth = token(Role.PEER_WORKER)
    api = Client()
    listed = api.get("/api/service/engagements", **auth).json()
    assert [e["id"] for e in listed["items"]] == [mine.pk]
    assert api.get(f"/api/service/engagements/{theirs.pk}", **auth).status_code == 404
    assert api.get(f"/api/service/engagements/{theirs.pk}/contacts", **auth).status_code == 404
    values = contact_values()
    payload = {
        **values,
        "date": values["date"].isoformat(),
        "start_time": values["start_time"].strftime("%H:%M"),
    }
    ok = api.post(f"/api/service/engagements/{mine.pk}/contacts", payload, content_type="application/json", **auth)
    assert ok.status_code == 201, ok.content
    overlap = api.post(f"/api/service/engagements/{mine.pk}/contacts", payload, content_type="application/json", **auth)
    assert overlap.status_code == 422 and "start_time" in overlap.json()["errors"]
    future = {**payload, "date": (timezone.localdate() + timedelta(days=2)).isoformat()}
    assert (
        api.post(
            f"/api/service/engagements/{mine.pk}/contacts", future, content_type="application/json", **auth
        ).status_code
        == 422
    )
    forbidden = api.post(
        f"/api/service/engagements/{theirs.pk}/contacts", payload, content_type="application/json", **auth
    )
    assert forbidden.status_code in (403, 404)
    assert Contact.objects.count() == 1
    contacts = api.get(f"/api/service/engagements/{mine.pk}/contacts", **auth).json()
    assert contacts["count"] == 1


def test_private_notes_come_back_empty_to_others(svc, token):
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    services.contacts.add_contact(
        svc.actor(Role.PEER_WORKER),
        engagement_id=engagement.pk,
        **contact_values(note="PRIVATE", note_visibility="private"),
    )
    items = (
        Client().get(f"/api/service/engagements/{engagement.pk}/contacts", **token(Role.COORDINATOR)).json()["items"]
    )
    assert items[0]["note"] == "" and items[0]["note_readable"] is False


def test_goals_and_ratings(svc, token):
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    auth = token(Role.PEER_WORKER)
    api = Client()
    goal = api.post(
        f"/api/service/engagements/{engagement.pk}/goals",
        {"life_area": "housing", "words": "My own door"},
        content_type="application/json",
        **auth,
    )
    assert goal.status_code == 201
    gid = goal.json()["id"]
    assert (
        api.post(
            f"/api/service/goals/{gid}/ratings", {"rating": 12}, content_type="application/json", **auth
        ).status_code
        == 422
    )
    assert (
        api.post(
            f"/api/service/goals/{gid}/ratings", {"rating": 6}, content_type="application/json", **auth
        ).status_code
        == 201
    )
    goals = api.get(f"/api/service/engagements/{engagement.pk}/goals", **auth).json()
    assert goals[0]["ratings"][0]["rating"] == 6


def test_professional_token_gets_nothing(svc, token):
    engagement = engage(svc, new_referral(svc), svc.users[Role.PEER_WORKER])
    auth = token(Role.PROFESSIONAL)
    api = Client()
    assert api.get("/api/service/referrals", **auth).status_code == 403
    assert api.get("/api/service/engagements", **auth).status_code == 403
    assert api.get(f"/api/service/engagements/{engagement.pk}/contacts", **auth).status_code == 403


def test_proposal_and_decision_over_the_api(svc, token):
    referral = new_referral(svc)
    pw = svc.users[Role.PEER_WORKER]
    auth = token(Role.COORDINATOR)
    api = Client()
    proposal = api.post(
        f"/api/service/referrals/{referral.pk}/proposals",
        {"peer_worker_ids": [pw.pk]},
        content_type="application/json",
        **auth,
    )
    assert proposal.status_code == 201, proposal.content
    pid = proposal.json()["id"]
    assert proposal.json()["candidates"] == [
        {"peer_worker_id": pw.pk, "rank": 1, "answer": "pending", "answer_note": "", "knows_privately": False}
    ]
    # The person is asked only after the peer worker accepted.
    early = api.post(
        f"/api/service/proposals/{pid}/decision", {"peer_worker_id": pw.pk}, content_type="application/json", **auth
    )
    assert early.status_code == 422
    assert "has not accepted" in early.content.decode()
    pw_auth = token(user=pw)
    bad = api.post(
        f"/api/service/proposals/{pid}/answer", {"answer": "maybe"}, content_type="application/json", **pw_auth
    )
    assert bad.status_code == 422
    not_theirs = api.post(
        f"/api/service/proposals/{pid}/answer", {"answer": "accepted"}, content_type="application/json", **auth
    )
    assert not_theirs.status_code == 403
    answered = api.post(
        f"/api/service/proposals/{pid}/answer", {"answer": "accepted"}, content_type="application/json", **pw_auth
    )
    assert answered.status_code == 200, answered.content
    assert answered.json() == {"proposal_id": pid, "answer": "accepted", "answer_note": ""}
    decided = api.post(
        f"/api/service/proposals/{pid}/decision",
        {"peer_worker_id": pw.pk},
        content_type="application/json",
        **auth,
    )
    assert decided.status_code == 201
    twice = api.post(
        f"/api/service/proposals/{pid}/decision",
        {"peer_worker_id": pw.pk},
        content_type="application/json",
        **auth,
    )
    assert twice.status_code == 422
    assert Engagement.objects.filter(service_user=referral.service_user).count() == 1
