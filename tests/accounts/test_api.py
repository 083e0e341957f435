"""People's lifecycle over the API: the same services, the same refusals, the same messages as the page."""

from __future__ import annotations

import json

from django.test import Client

from peerwork.accounts import services
from peerwork.core.roles import Role


def _api(world, role: str = Role.ADMINISTRATOR) -> dict[str, str]:
    _token, secret = services.create_api_token(world.actor(role), name="integration")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_api_refuses_what_the_page_refuses_with_the_same_message(world):
    person = world.users[Role.PEER_WORKER]
    auth = _api(world)
    response = Client().put(
        f"/api/accounts/people/{person.pk}",
        json.dumps({"first_name": "Ola", "last_name": "", "email": "o@h.no"}),
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 422
    response = Client().put(
        f"/api/accounts/people/{person.pk}",
        json.dumps({"first_name": "Ola", "last_name": " ", "email": "o@h.no"}),
        content_type="application/json",
        **auth,
    )
    assert response.status_code in (400, 422)
    assert "Enter both the first name and the last name." in response.content.decode()
    admin = world.users[Role.ADMINISTRATOR]
    response = Client().post(f"/api/accounts/people/{admin.pk}/deactivate", **auth)
    assert "You cannot switch off your own account" in response.content.decode()


def test_an_administrator_edits_and_switches_off_through_the_api(world, other_world):
    person = world.users[Role.PROFESSIONAL]
    auth = _api(world)
    body = (
        Client()
        .put(
            f"/api/accounts/people/{person.pk}",
            json.dumps({"first_name": "Ola", "last_name": "Hansen", "email": "o@h.no"}),
            content_type="application/json",
            **auth,
        )
        .json()
    )
    assert (body["first_name"], body["email"], body["is_active"]) == ("Ola", "o@h.no", True)
    role = Client().post(
        f"/api/accounts/people/{person.pk}/roles",
        json.dumps({"role": "manager", "unit_id": other_world.team.pk}),
        content_type="application/json",
        **auth,
    )
    assert role.status_code in (400, 422) and "Choose a team of your own organisation." in role.content.decode()
    their_token = _api(world, Role.PROFESSIONAL)
    assert Client().get("/api/me", **their_token).status_code == 200
    body = Client().post(f"/api/accounts/people/{person.pk}/deactivate", **auth).json()
    assert body["is_active"] is False
    assert Client().get("/api/me", **their_token).status_code == 401
    stranger = other_world.users[Role.PEER_WORKER]
    assert Client().post(f"/api/accounts/people/{stranger.pk}/deactivate", **auth).status_code == 404
    assert Client().get(f"/api/accounts/people/{person.pk}", **_api(world, Role.MANAGER)).status_code == 403
