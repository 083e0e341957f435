from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from peerwork.accounts import services
from peerwork.accounts.models import ApiToken
from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def token_for(world):
    def make(role: str, w=None) -> str:
        w = w or world
        _token, secret = services.create_api_token(w.actor(role), name="integration", valid_days=30)
        return secret

    return make


def test_openapi_schema_is_published(client, db):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Peerwork API"
    assert "/api/me" in schema["paths"]
    assert any("BearerAuth" in k or "TokenAuth" in k for k in schema["components"]["securitySchemes"])


def test_no_token_no_data(client, db):
    assert client.get("/api/positions").status_code == 401
    assert client.get("/api/positions", **bearer("pw_not-a-real-token")).status_code == 401


def test_me_tells_who_the_token_acts_as(world, token_for):
    data = Client().get("/api/me", **bearer(token_for(Role.COORDINATOR))).json()
    assert data["organisation_id"] == world.org.pk
    assert data["roles"] == [Role.COORDINATOR]


def test_only_a_hash_of_the_secret_is_stored(world, token_for):
    secret = token_for(Role.MANAGER)
    token = ApiToken.objects.get()
    assert secret not in (token.key_hash, token.hint) and token.key_hash == ApiToken.hash_secret(secret)


def test_positions_are_scoped_like_the_pages(world, other_world, token_for):
    manager = Client().get("/api/positions", **bearer(token_for(Role.MANAGER))).json()
    assert {p["id"] for p in manager["items"]} == {p.pk for p in world.positions}
    peer = Client().get("/api/positions", **bearer(token_for(Role.PEER_WORKER))).json()
    assert [p["id"] for p in peer["items"]] == [world.positions[0].pk]
    foreign = other_world.positions[0].pk
    assert Client().get(f"/api/positions/{foreign}", **bearer(token_for(Role.MANAGER))).status_code == 404


def test_api_reads_are_audited_with_the_route(world, token_for):
    secret = token_for(Role.MANAGER)
    pk = world.positions[0].pk
    Client().get(f"/api/positions/{pk}", **bearer(secret))
    entry = AuditEntry.objects.get(object_type="organisations.position", object_id=str(pk))
    assert entry.via == f"API GET /api/positions/{pk}"


def test_revoked_and_expired_tokens_stop_working(world, token_for):
    secret = token_for(Role.MANAGER)
    token = ApiToken.objects.get()
    services.revoke_api_token(world.actor(Role.MANAGER), token.pk)
    assert Client().get("/api/me", **bearer(secret)).status_code == 401
    secret2 = token_for(Role.MANAGER)
    ApiToken.objects.filter(revoked_at__isnull=True).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get("/api/me", **bearer(secret2)).status_code == 401


def test_token_stops_when_the_role_is_removed(world, token_for):
    secret = token_for(Role.MANAGER)
    world.users[Role.MANAGER].memberships.all().delete()
    assert Client().get("/api/me", **bearer(secret)).status_code == 401


def test_audit_api_is_for_the_dpo_only(world, token_for):
    assert Client().get("/api/privacy/audit", **bearer(token_for(Role.MANAGER))).status_code == 403
    response = Client().get("/api/privacy/audit", **bearer(token_for(Role.DPO)), HTTP_ACCEPT_LANGUAGE="nb")
    assert response.status_code == 200 and "items" in response.json()
    shown = [e for e in response.json()["items"] if e["detail"] == Detail("shown", page="list").stored]
    assert shown and shown[0]["detail_words"] == "Sett i listen."  # the detail as a sentence, in Norwegian


def test_positions_query_count_is_flat(world, token_for, django_assert_max_num_queries):
    from tests.factories import PositionFactory

    secret = token_for(Role.MANAGER)
    client = Client()
    # 12 for the page itself and 4 for the per-token rate counter in the shared (database) cache.
    with django_assert_max_num_queries(16):
        client.get("/api/positions", **bearer(secret))
    PositionFactory.create_batch(30, organisation=world.org, unit=world.team)
    with django_assert_max_num_queries(16):
        assert len(client.get("/api/positions", **bearer(secret)).json()["items"]) == 32


def test_tokens_page_creates_shows_once_and_revokes(world):
    client = world.client(Role.PEER_WORKER)
    body = client.post("/account/tokens/", {"name": "my phone app", "valid_days": 30}).content.decode()
    assert "Copy your new token now" in body
    token = ApiToken.objects.get(user=world.users[Role.PEER_WORKER])
    assert "Copy your new token now" not in client.get("/account/tokens/").content.decode()
    client.post("/account/tokens/", {"revoke": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_tokens_form_says_how_to_fix_bad_input(world):
    body = world.client(Role.PEER_WORKER).post("/account/tokens/", {"name": "", "valid_days": 999}).content.decode()
    assert "There is a problem" in body
    assert ApiToken.objects.count() == 0


def test_cannot_revoke_someone_elses_token(world, token_for):
    token_for(Role.MANAGER)
    token = ApiToken.objects.get()
    response = world.client(Role.PEER_WORKER).post("/account/tokens/", {"revoke": token.pk})
    assert response.status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_guessing_tokens_is_rate_limited(world, token_for):
    from peerwork.api.auth import FAILED_LIMIT

    good = token_for(Role.MANAGER)
    client = Client()
    for i in range(FAILED_LIMIT):
        assert client.get("/api/me", **bearer(f"pw_guess-{i}")).status_code == 401
    assert client.get("/api/me", **bearer("pw_one-more-guess")).status_code == 429
    assert client.get("/api/me").status_code == 429  # no token at all is refused too while blocked
    # A valid token is checked first and never refused because of someone else's wrong guesses.
    assert client.get("/api/me", **bearer(good)).status_code == 200


def test_only_wrong_tokens_count_towards_the_address_limit(world, token_for):
    from peerwork.api.auth import FAILED_LIMIT

    good = token_for(Role.MANAGER)
    client = Client()
    for _ in range(FAILED_LIMIT + 5):
        assert client.get("/api/me", **bearer(good)).status_code == 200
        assert client.get("/api/me").status_code == 401  # a missing token is not a failed credential
    assert client.get("/api/me", **bearer("pw_a-first-guess")).status_code == 401


def test_the_address_comes_from_the_trusted_proxy_header(world, settings):
    from peerwork.api.auth import FAILED_LIMIT

    settings.PEERWORK_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.PEERWORK_TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="10.0.0.1")  # every request comes through the proxy
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    for i in range(FAILED_LIMIT):
        client.get("/api/me", **attacker, **bearer(f"pw_guess-{i}"))
    assert client.get("/api/me", **attacker, **bearer("pw_again")).status_code == 429
    # Someone else behind the same proxy is not blocked, even if the attacker forges the header's first entry.
    assert client.get("/api/me", HTTP_X_FORWARDED_FOR="198.51.100.7", **bearer("pw_typo")).status_code == 401
    forged = {"HTTP_X_FORWARDED_FOR": "198.51.100.7, 203.0.113.9"}
    assert client.get("/api/me", **forged, **bearer("pw_again")).status_code == 429


@pytest.mark.parametrize("bad", ["abc", "", " ", "1.5", "-1", "²", "9" * 40, "1; DROP TABLE"])
def test_revoking_with_bad_input_says_so_instead_of_failing(world, token_for, bad):
    token_for(Role.PEER_WORKER)
    client = world.client(Role.PEER_WORKER)
    response = client.post("/account/tokens/", {"revoke": bad}, follow=True)
    assert response.status_code == 200
    assert "That is not one of your tokens" in response.content.decode()
    assert ApiToken.objects.get().revoked_at is None


def test_every_token_expires_with_peerworks_default(world):
    client = world.client(Role.PEER_WORKER)
    page = client.get("/account/tokens/").content.decode()
    assert 'value="90"' in page and "default is 90 days" in page
    body = client.post("/account/tokens/", {"name": "no expiry please", "valid_days": ""}).content.decode()
    assert "Enter how many days the token is valid" in body
    assert not ApiToken.objects.exists()
    client.post("/account/tokens/", {"name": "too long", "valid_days": 366})
    assert not ApiToken.objects.exists()
    token, _secret = services.create_api_token(world.actor(Role.PEER_WORKER), name="service default")
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)
    for days in (None, 0, 366):
        with pytest.raises(ValidationError):
            services.create_api_token(world.actor(Role.PEER_WORKER), name="bad", valid_days=days)
