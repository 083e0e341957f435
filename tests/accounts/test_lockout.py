"""Sign-in lockout: per user name and address, and per address across user names (password spraying)."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse

from peerwork.core.roles import Role
from tests.factories import PASSWORD, UserFactory


def _sign_in(client: Client, username: str, password: str, **extra: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def test_one_password_sprayed_over_many_names_pauses_the_address(world):
    names = [UserFactory(username=f"spray-{i}").username for i in range(settings.PEERWORK_ADDRESS_FAILURE_LIMIT)]
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for name in names:
        response = _sign_in(attacker, name, "Summer2026!")
    assert response.status_code == 429
    body = response.content.decode()
    assert "signing in from this address is paused" in body
    assert "No account is locked" in body
    assert "with this user name" not in body
    # The address is paused even for a name it has not tried, with the right password.
    assert _sign_in(attacker, world.users[Role.MANAGER].username, PASSWORD).status_code == 429
    # The accounts are not locked: from another address the same person signs in.
    response = _sign_in(Client(REMOTE_ADDR="198.51.100.7"), world.users[Role.MANAGER].username, PASSWORD)
    assert response.status_code == 302


def test_a_locked_user_name_is_locked_only_from_that_address(world):
    user = world.users[Role.MANAGER]
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _sign_in(client, user.username, "wrong-password")
    assert response.status_code == 429
    body = response.content.decode()
    assert "signing in with this user name from your network address is paused" in body
    assert "from this address is paused" not in body
    assert _sign_in(Client(REMOTE_ADDR="198.51.100.7"), user.username, PASSWORD).status_code == 302


def test_the_lockout_counts_the_client_behind_the_trusted_proxy(world, settings):
    settings.PEERWORK_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.PEERWORK_TRUSTED_PROXY_COUNT = 1
    user = world.users[Role.MANAGER]
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _sign_in(proxy, user.username, "wrong-password", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 429
    # The same person, through the same proxy but from their own address, is not affected.
    assert _sign_in(proxy, user.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302
