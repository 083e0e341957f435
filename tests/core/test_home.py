from __future__ import annotations

import pytest
from django.urls import reverse

from peerwork.core.roles import Role

HOME_MARKERS = {
    Role.COORDINATOR: "Peer workers you follow",
    Role.SENIOR_PEER_WORKER: "Peer workers I guide",
    Role.PEER_WORKER: "You report to",
    Role.MANAGER: "Teams</caption>",
    Role.PROFESSIONAL: "taken from their own job description",
    Role.DPO: "Audit entries in the last seven days",
    Role.ADMINISTRATOR: "Roles held",
}


@pytest.mark.parametrize("role", Role.values)
def test_each_role_gets_a_home_page_of_its_own(world, role, django_assert_max_num_queries):
    client = world.client(role)
    with django_assert_max_num_queries(26):
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


def test_home_page_cost_is_flat_as_the_organisation_grows(world, django_assert_num_queries):
    """Each role's home page makes the same number of queries with one team or with ten."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import PositionFactory, UnitFactory

    counts = {}
    clients = {role: world.client(role) for role in Role.values}
    for role, client in clients.items():
        client.get("/")  # first request creates the audit chain head; measure from the second
        with CaptureQueriesContext(connection) as ctx:
            client.get("/")
        counts[role] = len(ctx.captured_queries)
    for _ in range(9):
        team = UnitFactory(organisation=world.org)
        PositionFactory.create_batch(3, organisation=world.org, unit=team, reports_to=world.users[Role.COORDINATOR])
    for role in Role.values:
        with CaptureQueriesContext(connection) as ctx:
            clients[role].get("/")
        assert len(ctx.captured_queries) <= counts[role] + 1, f"{role}: {counts[role]} → {len(ctx.captured_queries)}"


def test_english_dates_are_written_day_first(world):
    from datetime import date

    world.positions[0].start_date = date(2026, 3, 5)
    world.positions[0].save()
    body = world.client(Role.COORDINATOR).get("/").content.decode()
    assert "05/03/2026" in body
