from __future__ import annotations

import pytest
from django.test import Client

from peerwork.accounts import services as account_services
from peerwork.audit.models import AuditEntry
from peerwork.cocreation import services
from peerwork.core.roles import Role

from .conftest import phase_of


@pytest.fixture
def api(world):
    def make(role, w=None):
        w = w or world
        _token, secret = account_services.create_api_token(w.actor(role), name="test", valid_days=1)
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    return make


def test_initiative_story_through_the_api(world, api):
    mgr, pw = api(Role.MANAGER), api(Role.PEER_WORKER)
    r = mgr.post(
        "/api/cocreation/initiatives",
        {"title": "Evening drop-in", "problem_statement": "Nowhere to go"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    ini = r.json()
    phases = {p["kind"]: p["id"] for p in ini["phases"]}
    r = mgr.post(
        f"/api/cocreation/phases/{phases['delivery']}/participants",
        {"kind": "peer_worker", "person_id": world.users[Role.PEER_WORKER].pk},
        content_type="application/json",
    )
    assert r.status_code == 201
    got = mgr.get(f"/api/cocreation/initiatives/{ini['id']}").json()
    assert [w["code"] for w in got["warnings"]] == ["peer_workers_only_in_delivery"]

    r = mgr.patch(
        f"/api/cocreation/phases/{phases['design']}",
        {"start_date": "2026-03-01", "end_date": "2026-02-01", "status": "active"},
        content_type="application/json",
    )
    assert r.status_code == 422 and "end_date" in r.json()["errors"]

    r = pw.post(
        f"/api/cocreation/initiatives/{ini['id']}/contributions",
        {"phase_id": phases["design"], "summary": "Open on Fridays"},
        content_type="application/json",
    )
    assert r.status_code == 201
    cid = r.json()["id"]
    r = mgr.post(
        f"/api/cocreation/contributions/{cid}/decision",
        {"outcome": "rejected"},
        content_type="application/json",
    )
    assert r.status_code == 422 and "outcome_note" in r.json()["errors"]
    r = mgr.post(
        f"/api/cocreation/contributions/{cid}/decision",
        {"outcome": "adapted", "note": "Changed opening hours"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["outcome"] == "adapted"
    mine = pw.get("/api/cocreation/contributions?mine=true").json()
    assert mine["items"][0]["outcome_note"] == "Changed opening hours"
    assert (
        pw.post(
            f"/api/cocreation/contributions/{cid}/decision",
            {"outcome": "adopted"},
            content_type="application/json",
        ).status_code
        == 403
    )


def test_signals_through_the_api_respect_anonymity(world, api):
    pw, mgr = api(Role.PEER_WORKER), api(Role.MANAGER)
    r = pw.post(
        "/api/cocreation/signals",
        {
            "kind": "gap",
            "title": "Shelter closes at 22",
            "visibility": "anonymous",
            "responsible_manager_id": world.users[Role.MANAGER].pk,
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    inbox = mgr.get("/api/cocreation/signals?box=inbox").json()["items"]
    assert inbox[0]["id"] == sid and inbox[0]["sender_id"] is None and inbox[0]["sender_name"] is None
    assert mgr.post(f"/api/cocreation/signals/{sid}/acknowledge").json()["status"] == "acknowledged"
    r = pw.get(f"/api/cocreation/signals/{sid}").json()
    assert r["status"] == "acknowledged" and r["seconds_to_acknowledge"] is not None
    r = pw.post(
        "/api/cocreation/signals",
        {
            "kind": "gap",
            "title": "x",
            "names_service_user": True,
            "responsible_manager_id": world.users[Role.MANAGER].pk,
        },
        content_type="application/json",
    )
    assert r.status_code == 422 and "names_service_user" in r.json()["errors"]
    assert api(Role.PROFESSIONAL).get(f"/api/cocreation/signals/{sid}").status_code == 404
    assert api(Role.PEER_WORKER).get("/api/cocreation/signals?box=inbox").status_code == 403


def test_boards_api_and_scoping(world, other_world, api, manager):
    board = services.create_board(manager, name="Board", kind="service_user_board")
    services.add_seat(manager, board, kind="peer_worker", holder=world.users[Role.PEER_WORKER])
    rows = api(Role.PROFESSIONAL).get("/api/cocreation/boards").json()["items"]
    assert rows[0]["warnings"][0]["code"] == "peer_workers_replace_user_org"
    assert api(Role.MANAGER).get("/api/cocreation/committee-counts").json() == {
        str(world.users[Role.PEER_WORKER].pk): 1
    }
    outsider = api(Role.MANAGER, other_world)
    assert outsider.get(f"/api/cocreation/boards/{board.pk}").status_code == 404
    assert outsider.get("/api/cocreation/boards").json()["items"] == []
    assert AuditEntry.objects.filter(object_type="cocreation.board", action="read").exists()


def test_outsider_cannot_touch_initiatives(world, other_world, api, drop_in):
    outsider = api(Role.MANAGER, other_world)
    assert outsider.get(f"/api/cocreation/initiatives/{drop_in.pk}").status_code == 404
    r = outsider.post(
        f"/api/cocreation/phases/{phase_of(drop_in, 'design').pk}/participants",
        {"kind": "manager", "person_id": other_world.users[Role.MANAGER].pk},
        content_type="application/json",
    )
    assert r.status_code == 404
