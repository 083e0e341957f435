from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from peerwork.audit import trail as audit
from peerwork.audit.models import AuditEntry, AuditHead
from peerwork.core.roles import Role


def _tamper(sql: str, params: list) -> None:
    """Change the trail behind the application's back, as an intruder with database access would."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # flush deferred foreign-key checks first
            cur.execute("ALTER TABLE privacy_auditentry DISABLE TRIGGER privacy_auditentry_no_change")
            cur.execute(sql, params)
            cur.execute("ALTER TABLE privacy_auditentry ENABLE TRIGGER privacy_auditentry_no_change")
        else:
            cur.execute("DROP TRIGGER privacy_auditentry_no_update")
            cur.execute(sql, params)


def test_entries_chain_per_organisation_and_verify_clean(world, other_world):
    a, b = world.actor(Role.MANAGER), other_world.actor(Role.MANAGER)
    for _ in range(3):
        audit.record(a, audit.Action.READ, world.positions[0], subject=world.users[Role.PEER_WORKER])
        audit.record(b, audit.Action.READ, other_world.positions[0])
    chain_a = list(AuditEntry.objects.filter(chain=world.org.pk).order_by("id"))
    assert len(chain_a) == 3
    assert chain_a[0].prev_hash == audit.GENESIS
    assert [e.prev_hash for e in chain_a[1:]] == [e.hash for e in chain_a[:-1]]
    assert chain_a[0].subject_id == str(world.users[Role.PEER_WORKER].pk)
    assert chain_a[0].role == Role.MANAGER
    assert AuditHead.objects.get(chain=world.org.pk).count == 3
    assert list(audit.verify()) == []


def test_the_database_refuses_to_change_an_entry(world):
    entry = audit.record(world.actor(Role.MANAGER), audit.Action.READ, world.positions[0])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(detail="changed")


def test_verify_detects_an_edited_entry(world, capsys):
    actor = world.actor(Role.MANAGER)
    entries = [audit.record(actor, audit.Action.READ, world.positions[0]) for _ in range(3)]
    _tamper("UPDATE privacy_auditentry SET actor_label = %s WHERE id = %s", ["someone-else", entries[1].pk])
    problems = list(audit.verify())
    assert [(p.entry_id, "edited" in p.problem) for p in problems] == [(entries[1].pk, True)]
    with pytest.raises(CommandError, match="tampered"):
        call_command("audit", "verify")


def test_verify_detects_a_removed_entry(world):
    actor = world.actor(Role.MANAGER)
    entries = [audit.record(actor, audit.Action.READ, world.positions[0]) for _ in range(3)]
    _tamper("DELETE FROM privacy_auditentry WHERE id = %s", [entries[1].pk])
    problems = list(audit.verify())
    assert any(p.entry_id == entries[2].pk and "predecessor" in p.problem for p in problems)


def test_verify_detects_entries_cut_from_the_end(world):
    actor = world.actor(Role.MANAGER)
    entries = [audit.record(actor, audit.Action.READ, world.positions[0]) for _ in range(3)]
    _tamper("DELETE FROM privacy_auditentry WHERE id = %s", [entries[-1].pk])
    problems = list(audit.verify())
    assert len(problems) == 1 and problems[0].entry_id is None


def test_verify_command_reports_intact_trail(world, capsys):
    audit.record(world.actor(Role.MANAGER), audit.Action.READ, world.positions[0])
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out


def test_a_failed_write_leaves_no_audit_entry(world):
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(world.actor(Role.MANAGER), audit.Action.UPDATE, world.positions[0])
        raise RuntimeError("the action failed")
    assert AuditEntry.objects.count() == before
    assert list(audit.verify()) == []


def test_dpo_browses_only_own_organisations_trail(world, other_world):
    audit.record(other_world.actor(Role.MANAGER), audit.Action.READ, other_world.positions[0], detail="beta-only")
    audit.record(world.actor(Role.MANAGER), audit.Action.READ, world.positions[0], detail="alpha-entry")
    body = world.client(Role.DPO).get("/privacy/audit/").content.decode()
    assert "alpha-entry" in body and "beta-only" not in body


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.DPO])
def test_only_the_dpo_may_browse_the_trail(world, role):
    assert world.client(role).get("/privacy/audit/").status_code == 403


def test_dpo_checks_the_chain_from_the_page(world):
    client = world.client(Role.DPO)
    response = client.post("/privacy/audit/verify/", follow=True)
    assert "intact" in response.content.decode()


def test_reading_a_position_is_audited_with_its_holder_as_subject(world):
    position = world.positions[0]
    world.client(Role.MANAGER).get(f"/organisation/positions/{position.pk}/")
    entry = AuditEntry.objects.filter(object_type="organisations.position", object_id=str(position.pk)).get()
    assert entry.subject_id == str(position.holder_id)
    assert entry.via == f"/organisation/positions/{position.pk}/"
    assert entry.actor_id == world.users[Role.MANAGER].pk
