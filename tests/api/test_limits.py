"""The API refuses what the forms refuse, with a message, and never answers 500: lengths, formats, NUL
characters, times with offsets, page bounds, huge ids, large bodies and implausible dates."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from peerwork.accounts import services as account_services
from peerwork.core import validation
from peerwork.core.roles import Role
from peerwork.privacy import services as privacy_services
from peerwork.service import services
from peerwork.service.models import ServiceUser
from tests.privacy.helpers import engage, person, share_values
from tests.service.conftest import profile_of


def _client(world, role: str) -> tuple[Client, dict[str, str]]:
    _token, secret = account_services.create_api_token(world.actor(role), name="limits", valid_days=1)
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _post(world, role: str, path: str, body) -> tuple[int, dict]:
    client, auth = _client(world, role)
    response = client.post(path, json.dumps(body), content_type="application/json", **auth)
    return response.status_code, response.json()


REFERRAL = {"person": {"chosen_name": "Kari"}, "source": "professional"}


@pytest.mark.parametrize(
    "person",
    [
        {"chosen_name": "K" * 1_000_000},
        {"chosen_name": "Kari", "email": "not-an-email"},
        {"chosen_name": "Ka\x00ri"},
        {"chosen_name": "Kari", "help_with": "x" * 10_001},
        {"chosen_name": "Kari", "wishes": [{"kind": "anything", "value": {"deep": [1, 2, 3]}}]},
    ],
    ids=["long-name", "email", "nul", "long-text", "wishes"],
)
def test_referrals_with_bad_person_details_are_refused(world, person):
    status, body = _post(world, Role.COORDINATOR, "/api/service/referrals", {**REFERRAL, "person": person})
    assert status == 422 and body["detail"]
    assert not ServiceUser.objects.exists()


def test_an_implausible_received_date_is_refused_with_how_to_fix(world):
    status, body = _post(world, Role.COORDINATOR, "/api/service/referrals", {**REFERRAL, "received_on": "0001-01-01"})
    assert status == 422
    assert "check the year" in body["errors"]["received_on"][0]


def test_the_service_refuses_what_the_form_refuses(world):
    coordinator = world.actor(Role.COORDINATOR)
    with pytest.raises(ValidationError) as caught:
        services.referrals.create_referral(coordinator, chosen_name="K" * 121, email="not-an-email", source="self")
    assert {"chosen_name", "email"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError) as caught:
        services.referrals.create_referral(coordinator, chosen_name="Ka\x00ri", source="self")
    assert "null character" in caught.value.message_dict["chosen_name"][0]


@pytest.mark.parametrize("start", ["01:30:00+05:00", "21:32:42Z"])
def test_a_contact_time_with_an_offset_is_refused_with_a_message(world, start):
    profile_of(world, world.users[Role.PEER_WORKER], capacity=5)
    kari = person(world)
    eng = engage(world, kari, world.users[Role.PEER_WORKER])
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    body = {"date": day, "start_time": start, "duration_minutes": 30, "channel": "phone", "initiated_by": "person"}
    status, answer = _post(world, Role.PEER_WORKER, f"/api/service/engagements/{eng.pk}/contacts", body)
    assert status == 422 and "time zone" in json.dumps(answer)


def test_contacts_answer_start_times_that_match_their_schema(world):
    profile_of(world, world.users[Role.PEER_WORKER], capacity=5)
    eng = engage(world, person(world), world.users[Role.PEER_WORKER])
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    body = {"date": day, "start_time": "10:00", "duration_minutes": 30, "channel": "phone", "initiated_by": "person"}
    status, answer = _post(world, Role.PEER_WORKER, f"/api/service/engagements/{eng.pk}/contacts", body)
    assert status == 201 and answer["start_time"] == "10:00:00"


@pytest.mark.parametrize(
    "path",
    [
        "/api/privacy/audit?limit=1000000",
        "/api/positions?offset=100000000000000000000",
        "/api/cocreation/initiatives?unit_id=99999999999999999999",
        "/api/service/engagements/99999999999999999999",
        "/api/positions?limit=0",
    ],
)
def test_out_of_range_pages_and_ids_answer_422(world, path):
    client, auth = _client(world, Role.DPO if "audit" in path else Role.MANAGER)
    assert client.get(path, **auth).status_code == 422


def test_a_body_over_the_limit_answers_413(world):
    client, auth = _client(world, Role.COORDINATOR)
    body = json.dumps({**REFERRAL, "referrer": "x" * (1024 * 1024 + 1)})
    response = client.post("/api/service/referrals", body, content_type="application/json", **auth)
    assert response.status_code == 413 and "limit" in response.json()["detail"]


def test_every_operation_documents_its_error_answers(client, db):
    schema = client.get("/api/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert {"400", "401", "403", "404", "413", "422", "429"} <= set(operation["responses"]), (method, path)


def test_consent_dates_must_be_plausible(world):
    kari = person(world)
    engage(world, kari, world.users[Role.PEER_WORKER])
    values = share_values(world, given_on=date(1, 1, 1), valid_until=date(9999, 12, 31))
    with pytest.raises(ValidationError) as caught:
        privacy_services.record_consent(world.actor(Role.PEER_WORKER), kari.pk, **values)
    assert {"given_on", "valid_until"} <= set(caught.value.message_dict)


def test_the_date_bounds_are_peerworks_defaults():
    today = date(2026, 6, 1)
    assert validation.date_error(date(1899, 12, 31), last=validation.latest(today))
    assert validation.date_error(date(1900, 1, 1), last=validation.latest(today)) is None
    assert validation.date_error(date(2036, 6, 1), last=validation.latest(today)) is None
    assert validation.date_error(date(2036, 6, 2), last=validation.latest(today))
