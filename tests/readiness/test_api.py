"""/api/readiness: results respect the anonymity threshold, checks, actions; scoped by the token."""

from __future__ import annotations

import pytest
from django.test import Client

from peerwork.accounts import services as account_services
from peerwork.core.roles import Role
from peerwork.readiness.models import ActionItem, Group

from .helpers import TODAY, add_responses, open_round, team_with

pytestmark = pytest.mark.django_db


def api(world, role: str) -> Client:
    _token, secret = account_services.create_api_token(world.actor(role), name="test", valid_days=1)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_round_results_withhold_small_groups(world, django_assert_max_num_queries):
    rnd = open_round(world)
    add_responses(rnd, Group.MANAGER, 3, value=4)
    add_responses(rnd, Group.PROFESSIONAL, 2, value=1)
    client = api(world, Role.MANAGER)
    assert [r["id"] for r in client.get("/api/readiness/rounds").json()] == [rnd.pk]
    with django_assert_max_num_queries(16):
        data = client.get(f"/api/readiness/rounds/{rnd.pk}/results").json()
    groups = {g["group"]: g for g in data["groups"]}
    assert groups["professional"]["withheld"] and groups["professional"]["domains"] == {}
    assert groups["manager"]["domains"]["A6"]["score"] == 100.0
    assert data["overall"]["A6"]["score"] == 100.0 and data["threshold"] == 3


def test_an_open_round_and_named_checks_stay_with_those_who_run_readiness(world, other_world):
    rnd = open_round(world)
    add_responses(rnd, Group.MANAGER, 3)
    # Results are shared with the invited once the round is closed, not while answers come in.
    assert api(world, Role.PEER_WORKER).get(f"/api/readiness/rounds/{rnd.pk}/results").status_code == 404
    assert api(world, Role.PROFESSIONAL).get("/api/readiness/checks").status_code == 403
    assert api(world, Role.PEER_WORKER).get("/api/readiness/checks").status_code == 403
    stranger = api(other_world, Role.MANAGER)
    assert stranger.get(f"/api/readiness/rounds/{rnd.pk}/results").status_code == 404
    assert stranger.get("/api/readiness/rounds").json() == []


def test_checks_name_their_sources(world):
    unit, _ = team_with(world, 1, experience_days=30)
    data = api(world, Role.COORDINATOR).get("/api/readiness/checks").json()
    by_code = {r["code"]: r for r in data["results"]}
    # Readable citations, the rule's source and the Peerwork default behind its threshold.
    assert by_code["inexperienced_alone"]["source"] == (
        "Erasmus+ recommendations, A7; Peerwork default: under twelve months is inexperienced"
    )
    assert unit.pk in {f["unit_id"] for f in by_code["single_peer_worker"]["findings"]}


def test_actions_need_an_owner_and_a_date(world):
    client = api(world, Role.MANAGER)
    response = client.post("/api/readiness/actions", {"title": "Brief the team"}, content_type="application/json")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"owner", "due_on"}
    assert not ActionItem.objects.exists()
    response = client.post(
        "/api/readiness/actions",
        {"title": "Brief the team", "owner_id": world.users[Role.MANAGER].pk, "due_on": TODAY.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert [a["title"] for a in client.get("/api/readiness/actions").json()] == ["Brief the team"]
