"""The co-assessment API: the same scoping, validation and audit as the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from peerwork.accounts import services as account_services
from peerwork.api.main import api as ninja_api
from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry
from peerwork.coassessment import services
from peerwork.coassessment.models import Code, Coding, TeamMember
from peerwork.core.roles import Role

from .conftest import plan, ready_for_material, start_analysis

BASE = "/api/coassessment"
TEXT = "P1: guidance came late. P2: it helped me plan."


@pytest.fixture
def api(world):
    def make(role, w=None):
        w = w or world
        _token, secret = account_services.create_api_token(w.actor(role), name="test", valid_days=1)
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    return make


def _analysing(world):
    manager = world.actor(Role.MANAGER)
    ca = plan(manager)
    group, participants = ready_for_material(world, ca)
    material = services.add_material(manager, ca, kind="transcript", title="Group 1", text=TEXT, group=group)
    start = TEXT.index("guidance")
    segment = services.add_segment(manager, material, participant=participants[0], start=start, end=start + 19)
    start_analysis(world, ca)
    return ca, segment


def test_the_routes_are_in_the_openapi_description():
    paths = ninja_api.get_openapi_schema()["paths"]
    assert "/api/coassessment/coassessments" in paths
    assert "/api/coassessment/coassessments/{coassessment_id}/report" in paths
    assert "/api/coassessment/codings/{coding_id}" in paths


def test_plan_a_co_assessment_and_read_it(world, api):
    peer = api(Role.PEER_WORKER)
    body = {
        "title": "Evenings",
        "question": "How do evenings go?",
        "method": "thematic",
        "retention_until": str(timezone.localdate() + timedelta(days=200)),
    }
    r = peer.post(f"{BASE}/coassessments", body, content_type="application/json")
    assert r.status_code == 201, r.content
    created = r.json()
    assert created["status"] == "planning" and created["team"][0]["role"] == "lead"
    assert AuditEntry.objects.filter(action="create", object_type="coassessment.coassessment").exists()
    listed = peer.get(f"{BASE}/coassessments").json()["items"]
    assert [c["id"] for c in listed] == [created["id"]]
    got = peer.get(f"{BASE}/coassessments/{created['id']}")
    assert got.status_code == 200 and got.json()["title"] == "Evenings"
    assert AuditEntry.objects.filter(
        action="read", object_id=str(created["id"]), detail=Detail("shown", page="overview").stored
    ).exists()


def test_bad_input_answers_422_with_the_services_message(world, api):
    r = api(Role.MANAGER).post(
        f"{BASE}/coassessments",
        {"title": "X", "question": "Y", "method": "guesswork", "retention_until": "2001-01-01"},
        content_type="application/json",
    )
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert errors["method"] == ["Choose thematic analysis or systematic text condensation."]
    assert "retention_until" in errors


def test_a_role_outside_co_assessment_is_refused(world, api):
    assert api(Role.ADMINISTRATOR).get(f"{BASE}/coassessments").status_code == 403
    r = api(Role.DPO).post(
        f"{BASE}/coassessments",
        {"title": "X", "question": "Y", "method": "thematic", "retention_until": "2030-01-01"},
        content_type="application/json",
    )
    assert r.status_code == 403


def test_scoped_to_the_organisation_and_the_team(world, other_world, api):
    ca = plan(world.actor(Role.MANAGER))
    assert api(Role.MANAGER, other_world).get(f"{BASE}/coassessments/{ca.pk}").status_code == 404
    assert api(Role.MANAGER, other_world).get(f"{BASE}/coassessments").json()["items"] == []
    # a peer worker outside the team does not see it; a coordinator sees every plan
    assert api(Role.PEER_WORKER).get(f"{BASE}/coassessments/{ca.pk}").status_code == 404
    assert api(Role.COORDINATOR).get(f"{BASE}/coassessments/{ca.pk}").status_code == 200


def test_add_a_team_member(world, api):
    ca = plan(world.actor(Role.MANAGER))
    pw = world.users[Role.PEER_WORKER]
    r = api(Role.MANAGER).post(
        f"{BASE}/coassessments/{ca.pk}/team",
        {"person_id": pw.pk, "role": "co_researcher", "is_peer_co_researcher": True, "hours_per_month": 6},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert TeamMember.objects.get(coassessment=ca, person=pw).is_peer_co_researcher
    assert AuditEntry.objects.filter(action="create", object_type="coassessment.teammember").exists()
    # the same rule as the form: only a peer worker can be the peer co-researcher
    r = api(Role.MANAGER).post(
        f"{BASE}/coassessments/{ca.pk}/team",
        {"person_id": world.users[Role.PROFESSIONAL].pk, "role": "coder", "is_peer_co_researcher": True},
        content_type="application/json",
    )
    assert r.status_code == 422 and "is_peer_co_researcher" in r.json()["errors"]
    # a peer worker in the team but not its lead cannot add people
    r = api(Role.PEER_WORKER).post(
        f"{BASE}/coassessments/{ca.pk}/team",
        {"person_id": world.users[Role.PROFESSIONAL].pk, "role": "coder"},
        content_type="application/json",
    )
    assert r.status_code == 403


def test_codebook_code_and_undo(world, api):
    ca, segment = _analysing(world)
    peer = api(Role.PEER_WORKER)
    r = peer.post(f"{BASE}/coassessments/{ca.pk}/codes", {"name": "Timing"}, content_type="application/json")
    assert r.status_code == 201
    code_id = r.json()["id"]
    r = peer.post(f"{BASE}/coassessments/{ca.pk}/codes", {"name": "timing"}, content_type="application/json")
    assert r.status_code == 422
    assert r.json()["errors"]["name"] == ["The codebook already has this code. Choose it from the list."]
    assert [c["name"] for c in peer.get(f"{BASE}/coassessments/{ca.pk}/codes").json()] == ["Timing"]

    r = peer.post(f"{BASE}/segments/{segment.pk}/codings", {"code_id": code_id}, content_type="application/json")
    assert r.status_code == 201, r.content
    coding_id = r.json()["id"]
    assert AuditEntry.objects.filter(action="create", object_type="coassessment.coding").exists()
    r = peer.post(f"{BASE}/segments/{segment.pk}/codings", {"code_id": code_id}, content_type="application/json")
    assert r.status_code == 422 and r.json()["errors"]["code"] == ["You have already given this segment this code."]

    # someone else's coding cannot be undone; one's own can
    assert api(Role.MANAGER).delete(f"{BASE}/codings/{coding_id}").status_code == 404
    assert peer.delete(f"{BASE}/codings/{coding_id}").status_code == 204
    assert not Coding.objects.filter(pk=coding_id).exists()
    assert AuditEntry.objects.filter(action="delete", object_type="coassessment.coding").exists()


def test_coding_is_for_the_team_only(world, api):
    _ca, segment = _analysing(world)
    code = Code.objects.create(organisation=world.org, coassessment=segment.material.coassessment, name="A")
    body = {"code_id": code.pk}
    # outside the team and the co-assessment's scope: as if it did not exist
    r = api(Role.PROFESSIONAL).post(f"{BASE}/segments/{segment.pk}/codings", body, content_type="application/json")
    assert r.status_code == 404
    # a coordinator sees the plan but does not code outside the team
    r = api(Role.COORDINATOR).post(f"{BASE}/segments/{segment.pk}/codings", body, content_type="application/json")
    assert r.status_code == 403
    assert not Coding.objects.exists()


def test_the_report_as_json(world, api):
    ca, segment = _analysing(world)
    manager = world.actor(Role.MANAGER)
    code = services.add_code(manager, ca, name="Timing")
    services.code_segment(manager, segment, code=code)
    r = api(Role.PEER_WORKER).get(f"{BASE}/coassessments/{ca.pk}/report")
    assert r.status_code == 200
    data = r.json()
    assert data["draft"] is True and data["coders"] == 1
    assert {i["key"] for i in data["checklist"]} >= {"facilitators", "recruitment", "limits", "member_check"}
    assert next(i for i in data["checklist"] if i["key"] == "recruitment")["answer"] == ""
    assert AuditEntry.objects.filter(action="read", detail=Detail("shown", page="report").stored).exists()
    # a draft is for the team only
    assert api(Role.DPO).get(f"{BASE}/coassessments/{ca.pk}/report").status_code == 403
    services.advance(manager, ca)
    services.advance(manager, ca)
    assert api(Role.DPO).get(f"{BASE}/coassessments/{ca.pk}/report").status_code == 200
