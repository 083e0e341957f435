from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction

from peerwork.audit import guards
from peerwork.audit import trail as audit
from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry, AuditHead
from peerwork.core.roles import Role


def _tamper(sql: str, params: list) -> None:
    """Change the trail behind the application's back, as an intruder with database access would: lift the
    database's guards, change the rows, put the guards back."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # flush deferred foreign-key checks first
    guards.remove(connection)
    with connection.cursor() as cur:
        cur.execute(sql, params)
    guards.install(connection)


def _chain(organisation_id: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(chain=organisation_id).order_by("id"))


def _rehash_from(entries: list[AuditEntry], start: int) -> str:
    """Recompute the hashes of ``entries[start:]`` after a change, as a careful intruder would."""
    prev = entries[start - 1].hash if start else audit.GENESIS
    for e in entries[start:]:
        values = {name: getattr(e, name) for name in audit._HASHED_FIELDS}
        values["prev_hash"] = prev
        new = audit.entry_hash(values)
        _tamper("UPDATE privacy_auditentry SET prev_hash = %s, hash = %s WHERE id = %s", [prev, new, e.pk])
        prev = new
    return prev


def _problems(chain: int | None = None) -> list[str]:
    return [p.problem for p in audit.verify(chain)]


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


@pytest.mark.audit_tampering
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
    audit.record(
        other_world.actor(Role.MANAGER),
        audit.Action.READ,
        other_world.positions[0],
        detail=Detail("comments", count=840262),
    )
    audit.record(
        world.actor(Role.MANAGER), audit.Action.READ, world.positions[0], detail=Detail("comments", count=731591)
    )
    body = world.client(Role.DPO).get("/privacy/audit/").content.decode()
    assert "731591" in body and "840262" not in body


def test_the_trail_names_roles_and_kinds_of_record_in_words(world):
    audit.record(
        world.actor(Role.MANAGER), audit.Action.READ, world.positions[0], detail=Detail("comments", count=731591)
    )
    body = world.client(Role.DPO).get("/privacy/audit/").content.decode()
    csv = world.client(Role.DPO).get("/privacy/audit/?format=csv").content.decode("utf-8-sig")
    model = type(world.positions[0])._meta
    for text in (body, csv):
        assert "731591" in text
        assert str(Role.MANAGER.label) in text and f">{Role.MANAGER.value}<" not in text
        assert str(model.verbose_name).capitalize() in text and model.label_lower not in text


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


# --- the tampering an intruder with database access could try, each caught by verify -----------------------


def test_the_database_refuses_to_delete_an_entry_or_a_head_or_move_a_head_back(world):
    entry = audit.record(world.actor(Role.MANAGER), audit.Action.READ, world.positions[0])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditHead.objects.filter(chain=world.org.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditHead.objects.filter(chain=world.org.pk).update(count=0)
    assert list(audit.verify()) == []


@pytest.mark.audit_tampering
def test_verify_finds_a_forged_entry_in_a_chain_without_a_head(world):
    actor = world.actor(Role.MANAGER)
    real = audit.record(actor, audit.Action.READ, world.positions[0])
    values = {name: getattr(real, name) for name in audit._HASHED_FIELDS}
    values.update(chain=999_999, prev_hash=audit.GENESIS, detail="forged")
    forged_hash = audit.entry_hash(values)
    _tamper(
        "INSERT INTO privacy_auditentry (chain, organisation_id, at, actor_id, actor_label, role, action, object_type,"
        " object_id, subject_type, subject_id, via, detail, prev_hash, hash)"
        " SELECT %s, organisation_id, at, actor_id, actor_label, role, action, object_type, object_id, subject_type,"
        " subject_id, via, %s, %s, %s FROM privacy_auditentry WHERE id = %s",
        [999_999, "forged", audit.GENESIS, forged_hash, real.pk],
    )
    assert any("no head" in p for p in _problems()), "a chain with entries and no head"
    # It names the organisation, so it shows in the data protection officer's list: their check finds it too.
    assert any("forged" in p for p in _problems(world.org.pk))


def test_verify_finds_a_whole_chain_deleted_with_its_head(world):
    actor = world.actor(Role.MANAGER)
    for _ in range(3):
        audit.record(actor, audit.Action.READ, world.positions[0])
    _tamper("DELETE FROM privacy_auditentry WHERE chain = %s", [world.org.pk])
    _tamper("DELETE FROM privacy_audithead WHERE chain = %s", [world.org.pk])
    assert any("chain deleted" in p for p in _problems())
    assert any("chain deleted" in p for p in _problems(world.org.pk))


def test_verify_finds_a_truncation_with_the_head_updated_to_match(world):
    actor = world.actor(Role.MANAGER)
    for _ in range(4):
        audit.record(actor, audit.Action.READ, world.positions[0])
    entries = _chain(world.org.pk)
    _tamper("DELETE FROM privacy_auditentry WHERE id = %s", [entries[-1].pk])
    _tamper(
        "UPDATE privacy_audithead SET count = %s, last_hash = %s WHERE chain = %s",
        [3, entries[-2].hash, world.org.pk],
    )
    assert _problems() == ["the head's signature does not match: the head was rewritten or its key is unknown"]


@pytest.mark.audit_tampering
def test_verify_finds_entries_appended_with_the_head_updated_to_match(world):
    actor = world.actor(Role.MANAGER)
    audit.record(actor, audit.Action.READ, world.positions[0])
    last = _chain(world.org.pk)[-1]
    values = {name: getattr(last, name) for name in audit._HASHED_FIELDS}
    values.update(prev_hash=last.hash, detail="appended")
    new_hash = audit.entry_hash(values)
    _tamper(
        "INSERT INTO privacy_auditentry (chain, organisation_id, at, actor_id, actor_label, role, action, object_type,"
        " object_id, subject_type, subject_id, via, detail, prev_hash, hash)"
        " SELECT chain, organisation_id, at, actor_id, actor_label, role, action, object_type, object_id,"
        " subject_type, subject_id, via, %s, %s, %s FROM privacy_auditentry WHERE id = %s",
        ["appended", last.hash, new_hash, last.pk],
    )
    _tamper("UPDATE privacy_audithead SET count = count + 1, last_hash = %s WHERE chain = %s", [new_hash, world.org.pk])
    assert any("signature" in p for p in _problems())


@pytest.mark.audit_tampering
def test_verify_finds_an_edit_with_the_rest_of_the_chain_rehashed(world):
    actor = world.actor(Role.MANAGER)
    for _ in range(4):
        audit.record(actor, audit.Action.READ, world.positions[0])
    entries = _chain(world.org.pk)
    _tamper("UPDATE privacy_auditentry SET actor_label = %s WHERE id = %s", ["someone-else", entries[1].pk])
    entries = _chain(world.org.pk)
    last = _rehash_from(entries, 1)
    _tamper("UPDATE privacy_audithead SET last_hash = %s WHERE chain = %s", [last, world.org.pk])
    assert _problems() == ["the head's signature does not match: the head was rewritten or its key is unknown"]


@pytest.mark.audit_tampering
def test_a_checkpoint_catches_a_rewrite_by_someone_who_holds_the_key(world):
    actor = world.actor(Role.MANAGER)
    for _ in range(3):
        audit.record(actor, audit.Action.READ, world.positions[0])
    kept = audit.checkpoint()
    assert list(audit.verify_checkpoint(kept)) == []
    audit.record(actor, audit.Action.READ, world.positions[0])
    assert list(audit.verify_checkpoint(kept)) == [], "entries added after the checkpoint are fine"
    entries = _chain(world.org.pk)
    _tamper("UPDATE privacy_auditentry SET detail = %s WHERE id = %s", ["rewritten", entries[0].pk])
    last = _rehash_from(_chain(world.org.pk), 0)
    # Someone with the key re-signs the head: verify alone sees nothing wrong ...
    key_id = audit.current_key_id()
    _tamper(
        "UPDATE privacy_audithead SET last_hash = %s, mac = %s WHERE chain = %s",
        [last, audit.head_mac(world.org.pk, 4, last, key_id), world.org.pk],
    )
    assert _problems() == []
    # ... but the checkpoint kept outside Peerwork does.
    assert [p.problem for p in audit.verify_checkpoint(kept)] == ["its history up to the checkpoint was rewritten"]


def test_a_changed_checkpoint_file_is_refused(world):
    audit.record(world.actor(Role.MANAGER), audit.Action.READ, world.positions[0])
    kept = audit.checkpoint()
    kept["chains"][0]["count"] += 1
    assert "signature" in next(iter(audit.verify_checkpoint(kept))).problem
    assert "not a Peerwork checkpoint" in next(iter(audit.verify_checkpoint({"chains": "x"}))).problem


def test_a_rotated_key_still_verifies_old_heads(world, settings):
    audit.record(world.actor(Role.MANAGER), audit.Action.READ, world.positions[0])
    old = dict(settings.AUDIT_KEYS)
    settings.AUDIT_KEYS = {"next": "n" * 40, **old}
    assert list(audit.verify()) == [], "heads signed with the old key still verify"
    audit.record(world.actor(Role.MANAGER), audit.Action.READ, world.positions[0])
    assert AuditHead.objects.get(chain=world.org.pk).key_id == "next"
    settings.AUDIT_KEYS = {"next": "n" * 40}
    assert list(audit.verify()) != [], "a head signed with a key no longer known fails"


def test_checkpoint_command_writes_a_file_that_verify_reads(world, tmp_path, capsys):
    audit.record(world.actor(Role.MANAGER), audit.Action.READ, world.positions[0])
    target = tmp_path / "checkpoint.json"
    call_command("audit", "checkpoint", "--output", str(target))
    call_command("audit", "verify", "--checkpoint", str(target))
    assert "intact" in capsys.readouterr().out


# --- lanes: each organisation's trail is several chains, so audited actions do not queue behind one lock ----


def _row(actor, detail: str) -> dict:
    return {
        "organisation_id": actor.organisation_id,
        "actor_id": actor.user.pk,
        "actor_label": actor.user.username,
        "role": actor.primary_role,
        "action": str(audit.Action.READ),
        "object_type": "organisations.organisation",
        "object_id": str(actor.organisation_id),
        "subject_type": "",
        "subject_id": "",
        "via": "test",
        "detail": detail,
    }


def _write_in_lane(actor, lane: int, detail: str = "") -> None:
    """Append to one lane, as a transaction does when the lanes before it are held by others (PostgreSQL's
    SKIP LOCKED; SQLite runs one writer at a time, so here the test picks the lane)."""
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().get(chain=audit.chain_of(actor.organisation_id, lane))
        audit._chain_onto(head, [_row(actor, detail)])


def test_an_organisation_is_set_up_with_every_lane_signed_and_registered(world, settings):
    lanes = audit.lane_chains(world.org.pk)
    assert len(lanes) == settings.AUDIT_LANES == 32
    assert lanes[0] == world.org.pk, "lane 0 is the organisation's one chain of before"
    assert set(AuditHead.objects.filter(chain__in=lanes).values_list("chain", flat=True)) == set(lanes)
    assert set(lanes) <= set(audit._opened_chains())
    assert [(audit.organisation_of(c), audit.lane_of(c)) for c in lanes] == [(world.org.pk, k) for k in range(32)]


def test_entries_spread_over_lanes_verify_clean_and_show_in_the_organisations_list(world, other_world):
    actor = world.actor(Role.MANAGER)
    audit.record(actor, audit.Action.READ, world.positions[0], detail=Detail("comments", count=90909))
    for lane in (3, 7, 3):
        _write_in_lane(actor, lane, detail=f"count 9{lane}9{lane}9")
    audit.record(other_world.actor(Role.MANAGER), audit.Action.READ, other_world.positions[0])
    used = AuditEntry.objects.filter(organisation_id=world.org.pk).values_list("chain", flat=True)
    assert {audit.lane_of(c) for c in used} == {0, 3, 7}
    assert AuditHead.objects.get(chain=audit.chain_of(world.org.pk, 3)).count == 2
    assert list(audit.verify()) == []
    assert list(audit.verify(world.org.pk)) == []
    body = world.client(Role.DPO).get("/privacy/audit/").content.decode()
    assert all(f"9{k}9{k}9" in body for k in (0, 3, 7))
    # An entry edited in lane 7 is caught by the organisation's own check too.
    last = AuditEntry.objects.get(chain=audit.chain_of(world.org.pk, 7))
    _tamper("UPDATE privacy_auditentry SET detail = %s WHERE id = %s", ["changed", last.pk])
    assert [(p.chain, p.entry_id) for p in audit.verify(world.org.pk)] == [(last.chain, last.pk)]


def test_an_uncontended_transaction_takes_the_first_lane(world):
    """A transaction that holds lane 0 keeps it for all its entries; with nobody else writing, every entry
    goes to lane 0 on every database."""
    actor = world.actor(Role.MANAGER)
    with transaction.atomic():
        for _ in range(3):
            audit.record(actor, audit.Action.READ, world.positions[0])
    assert set(AuditEntry.objects.filter(organisation_id=world.org.pk).values_list("chain", flat=True)) == {
        world.org.pk
    }


def test_verify_reports_a_missing_lane_head(world):
    actor = world.actor(Role.MANAGER)
    _write_in_lane(actor, 2)
    lane_5 = audit.chain_of(world.org.pk, 5)
    _tamper("DELETE FROM privacy_audithead WHERE chain = %s", [lane_5])  # an unused lane
    lane_2 = audit.chain_of(world.org.pk, 2)
    _tamper("DELETE FROM privacy_audithead WHERE chain = %s", [lane_2])  # a lane with entries
    for problems in (list(audit.verify()), list(audit.verify(world.org.pk))):
        assert {(p.chain, p.problem) for p in problems} == {
            (lane_5, "was opened but its entries and its head are gone (chain deleted)"),
            (lane_2, "has entries but no head: forged, or its head was deleted"),
        }
    with pytest.raises(CommandError, match="tampered"):
        call_command("audit", "verify", "--organisation", str(world.org.pk))


def test_verify_reports_lanes_never_opened_until_they_are(world, settings, capsys):
    audit.record(world.actor(Role.MANAGER), audit.Action.READ, world.positions[0])
    lanes = settings.AUDIT_LANES
    settings.AUDIT_LANES = lanes + 2
    problems = list(audit.verify())
    assert sorted(audit.lane_of(p.chain) for p in problems) == [lanes, lanes + 1]
    assert all("never opened" in p.problem for p in problems)
    call_command("audit", "open-lanes")
    assert "2 lane(s) opened" in capsys.readouterr().out
    assert list(audit.verify()) == []


@pytest.mark.audit_tampering
def test_a_checkpoint_covers_every_lane(world):
    actor = world.actor(Role.MANAGER)
    audit.record(actor, audit.Action.READ, world.positions[0])
    for _ in range(3):
        _write_in_lane(actor, 4)
    kept = audit.checkpoint()
    assert set(audit.lane_chains(world.org.pk)) <= {c["chain"] for c in kept["chains"]}
    # Someone holding the key rewrites lane 4 and re-signs its head: verify alone sees nothing ...
    lane_4 = audit.chain_of(world.org.pk, 4)
    entries = _chain(lane_4)
    _tamper("UPDATE privacy_auditentry SET detail = %s WHERE id = %s", ["rewritten", entries[0].pk])
    last = _rehash_from(_chain(lane_4), 0)
    key_id = audit.current_key_id()
    _tamper(
        "UPDATE privacy_audithead SET last_hash = %s, mac = %s WHERE chain = %s",
        [last, audit.head_mac(lane_4, 3, last, key_id), lane_4],
    )
    assert _problems() == []
    # ... the checkpoint does, and it also misses an empty lane's head deleted since.
    lane_6 = audit.chain_of(world.org.pk, 6)
    _tamper("DELETE FROM privacy_audithead WHERE chain = %s", [lane_6])
    assert {(p.chain, p.problem) for p in audit.verify_checkpoint(kept)} == {
        (lane_4, "its history up to the checkpoint was rewritten"),
        (lane_6, "had a head at the checkpoint that is gone now"),
    }


@pytest.mark.django_db(transaction=True)
def test_two_audited_writes_in_parallel_transactions_do_not_wait_for_each_other(world):
    """Two transactions of one organisation, each on its own connection and thread: the first takes a lane
    and holds it open; the second must finish meanwhile, in another lane, instead of queueing behind it.

    This needs row locks with SKIP LOCKED (PostgreSQL). SQLite has neither row locks nor two writing
    transactions at once (its IMMEDIATE transactions queue by design), so there the scenario cannot exist: the
    test runs the two transactions one after the other instead and checks that both take the first lane by
    the same code path, and that the chains stay intact."""
    parallel = connection.features.has_select_for_update_skip_locked
    first_actor, second_actor = world.actor(Role.MANAGER), world.actor(Role.COORDINATOR)
    first_holds_its_lane, second_done = threading.Event(), threading.Event()
    chains: dict[str, int] = {}
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                chains["first"] = audit.record(first_actor, audit.Action.UPDATE, world.positions[0]).chain
                first_holds_its_lane.set()
                if parallel:
                    chains["second finished meanwhile"] = int(second_done.wait(timeout=15))
        except BaseException as exc:  # noqa: BLE001 (reported by the test below)
            errors.append(exc)
        finally:
            first_holds_its_lane.set()
            connections.close_all()

    def second() -> None:
        try:
            first_holds_its_lane.wait(timeout=15)
            with transaction.atomic():
                chains["second"] = audit.record(second_actor, audit.Action.UPDATE, world.positions[1]).chain
            second_done.set()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    if parallel:
        for t in threads:
            t.start()
    else:
        for t in threads:
            t.start()
            t.join()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    if parallel:
        assert chains["second finished meanwhile"] == 1, "the second write queued behind the first one's lock"
        assert {audit.organisation_of(chains["first"]), audit.organisation_of(chains["second"])} == {world.org.pk}
        assert chains["first"] != chains["second"]
    else:
        assert chains == {"first": world.org.pk, "second": world.org.pk}
    assert list(audit.verify()) == []
