from __future__ import annotations

import pytest
from django.urls import reverse

from peerwork.accounts.models import Role

HOME_MARKERS = {
    Role.COORDINATOR: "Peer workers you follow",
    Role.SENIOR_PEER_WORKER: "Peer workers you follow",
    Role.PEER_WORKER: "You report to",
    Role.MANAGER: "Teams</caption>",
    Role.PROFESSIONAL: "What the peer role is",
    Role.DPO: "Audit entries in the last seven days",
    Role.ADMINISTRATOR: "Roles held",
}


@pytest.mark.parametrize("role", Role.values)
def test_each_role_gets_a_home_page_of_its_own(world, role, django_assert_max_num_queries):
    client = world.client(role)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("core:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert HOME_MARKERS[role] in body
    assert f'id="section-{role}"' in body
    for other in Role.values:
        if other != role:
            assert f'id="section-{other}"' not in body, f"{role} home shows the {other} section"


def test_peer_worker_home_shows_own_position_and_supervisor(world):
    body = world.client(Role.PEER_WORKER).get("/").content.decode()
    assert str(world.users[Role.COORDINATOR]) in body
    assert world.team.name in body


def test_home_redirects_to_sign_in_when_signed_out(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_home_needs_two_factor_after_password(world, client):
    client.force_login(world.users[Role.MANAGER])
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))


def test_language_switch_translates_the_page(world):
    client = world.client(Role.MANAGER)
    client.post(reverse("set_language"), {"language": "nb", "next": "/"})
    body = client.get("/").content.decode()
    assert 'lang="nb"' in body
    client.post(reverse("set_language"), {"language": "da", "next": "/"})
    assert 'lang="da"' in client.get("/").content.decode()


def test_health_is_public(client, db):
    assert client.get("/health/").content == b"ok"
