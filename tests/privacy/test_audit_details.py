"""A Norwegian data protection officer reads audit details in Norwegian: the trail, its file and the access
report."""

from __future__ import annotations

from datetime import date

from peerwork.core.roles import Role
from peerwork.privacy import services as privacy_services
from peerwork.readiness import services as readiness_services
from peerwork.readiness.models import ActionItem

from .helpers import engage, goal, person, share_values


def _norwegian_dpo(world):
    dpo = world.users[Role.DPO]
    dpo.language = "nb"
    dpo.save(update_fields=["language"])
    return world.client(Role.DPO)


def test_the_trail_and_its_file_show_a_progress_update_in_norwegian(world):
    manager = world.actor(Role.MANAGER)
    action = readiness_services.create_action(
        manager, title="Plan the briefing", owner_id=world.users[Role.MANAGER].pk, due_on=date(2026, 12, 1)
    )
    readiness_services.update_action_progress(manager, action.pk, status=ActionItem.Status.IN_PROGRESS)
    client = _norwegian_dpo(world)
    body = client.get("/privacy/audit/").content.decode()
    assert "Fremdrift: Pågår." in body
    assert "in_progress" not in body and "progress:" not in body and '"k"' not in body
    csv = client.get("/privacy/audit/?format=csv").content.decode("utf-8-sig")
    assert "Fremdrift: Pågår." in csv and '"k"' not in csv and "in_progress" not in csv


def test_the_access_report_says_what_was_done_in_norwegian(world):
    kari = person(world, "Kari Nordmann")
    g = goal(world, engage(world, kari, world.users[Role.PEER_WORKER]), "A flat of my own")
    privacy_services.record_consent(world.actor(Role.PEER_WORKER), kari.pk, **share_values(world, goal_ids=[g.pk]))
    client = _norwegian_dpo(world)
    body = client.get(f"/privacy/people/{kari.pk}/access/").content.decode()
    assert "Hva som ble gjort" in body and "Samtykke gitt, til:" in body
    assert "purpose" not in body and '"k"' not in body
    csv = client.get(f"/privacy/people/{kari.pk}/access.csv").content.decode("utf-8-sig")
    assert "Samtykke gitt, til:" in csv


def test_an_english_reader_sees_the_same_entry_in_english(world):
    manager = world.actor(Role.MANAGER)
    action = readiness_services.create_action(
        manager, title="Plan the briefing", owner_id=world.users[Role.MANAGER].pk, due_on=date(2026, 12, 1)
    )
    readiness_services.update_action_progress(manager, action.pk, status=ActionItem.Status.DONE)
    dpo = world.users[Role.DPO]
    dpo.language = "en"
    dpo.save(update_fields=["language"])
    assert "Progress: Done." in world.client(Role.DPO).get("/privacy/audit/").content.decode()
