"""The privacy API: same consent check at the moment of the call, same audit, same refusals."""

from __future__ import annotations

import pytest
from django.test import Client

from peerwork.accounts import services as account_services
from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.privacy import services
from peerwork.service.models import Visibility

from .helpers import contact, engage, goal, person, share_values


def api(world, role) -> Client:
    _token, secret = account_services.create_api_token(world.actor(role), name="t", valid_days=1)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def kari(world):
    k = person(world)
    eng = engage(world, k, world.users[Role.PEER_WORKER])
    housing = goal(world, eng, "A flat of my own", ratings=[4])
    goal(world, eng, "Family words", area="family", visibility=Visibility.CARE_TEAM)
    contact(world, eng)
    c = services.record_consent(
        world.actor(Role.PEER_WORKER),
        k.pk,
        **share_values(world, goal_ids=[housing.pk], contact_summaries=True),
    )
    return k, c


def test_shared_follows_consent_at_call_time(world, kari):
    k, c = kari
    nurse = api(world, Role.PROFESSIONAL)
    data = nurse.get("/api/privacy/shared").json()
    assert data["total"] == 1
    person = data["people"][0]
    assert [g["words"] for g in person["goals"]] == ["A flat of my own"] and person["goals"][0]["ratings"][0][
        "rating"
    ] == 4
    assert person["contact_count"] == 1 and len(person["contacts"]) == 1 and person["notes"] == []
    assert AuditEntry.objects.filter(subject_id=str(k.pk), via="API GET /api/privacy/shared").exists()
    services.withdraw_consent(world.actor(Role.PEER_WORKER), c.pk)
    assert nurse.get("/api/privacy/shared").json() == {"total": 0, "page": 1, "people": []}
    assert api(world, Role.COORDINATOR).get("/api/privacy/shared").status_code == 403


def test_consents_access_report_and_export(world, other_world, kari):
    k, _c = kari
    consents = api(world, Role.PEER_WORKER).get(f"/api/privacy/people/{k.pk}/consents").json()
    assert consents[0]["purpose"] == "share" and consents[0]["status"] == "active"
    dpo = api(world, Role.DPO)
    report = dpo.get(f"/api/privacy/people/{k.pk}/access-report").json()
    assert report["count"] >= 2 and {"at", "role", "action", "via"} <= set(report["items"][0])
    export = dpo.get(f"/api/privacy/people/{k.pk}/export").json()
    assert export["person"]["chosen_name"] == "Kari Nordmann"
    for path in ("consents", "access-report", "export"):
        assert api(world, Role.MANAGER).get(f"/api/privacy/people/{k.pk}/{path}").status_code == 403
        assert api(other_world, Role.DPO).get(f"/api/privacy/people/{k.pk}/{path}").status_code == 404
