"""`peerwork backup` and `peerwork restore`, run as an operator runs them (the real command in another process):
the demo world is backed up, the database destroyed, the backup restored, and every table's row count and
every audit chain's head must be as before, with the audit trail verified intact.

The suite runs on SQLite and, when PEERWORK_DATABASE_URL is set, again on PostgreSQL (./run test): each run
tests the backend its test database is on. On SQLite the test database lives in memory, so it is first copied
into a file with ``VACUUM INTO``: that file is what is backed up and destroyed.
"""

from __future__ import annotations

import io
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.db import connection

SRC = str(Path(__file__).resolve().parents[2] / "src")
Query = Callable[[str], Sequence[Sequence[Any]]]


def peerwork(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "peerwork.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )


def snapshot(query: Query) -> dict[str, Any]:
    """Every table's row count and every audit chain's head (length, newest hash, signature)."""
    tables = sorted(
        name
        for (name,) in query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            if connection.vendor == "sqlite"
            else "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
    )
    counts = {table: query(f'SELECT COUNT(*) FROM "{table}"')[0][0] for table in tables}
    heads = [
        tuple(row) for row in query("SELECT chain, count, last_hash, key_id, mac FROM privacy_audithead ORDER BY chain")
    ]
    return {"rows": counts, "heads": heads}


def django_query(sql: str) -> Sequence[Sequence[Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PEERWORK_DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"PYTHONPATH": SRC, "PEERWORK_DATA_DIR": str(tmp_path)})
    if connection.vendor == "postgresql":  # the commands work on this test's own database
        url = urlparse(os.environ["PEERWORK_DATABASE_URL"])
        env["PEERWORK_DATABASE_URL"] = url._replace(path="/" + connection.settings_dict["NAME"]).geturl()
    return env


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_has_every_row_and_an_intact_audit_trail(tmp_path):
    call_command("demo", stdout=io.StringIO())
    before = snapshot(django_query)
    assert before["rows"]["privacy_auditentry"] > 0 and before["rows"]["accounts_user"] > 0
    env = environment(tmp_path)
    database = tmp_path / "peerwork.sqlite3"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(database)])
    connection.close()

    backup = tmp_path / "backups" / "peerwork.backup"
    backup.parent.mkdir()
    made = peerwork(env, "backup", str(backup))
    assert made.returncode == 0, made.stderr
    assert "Backed up" in made.stdout
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600, "a backup holds health data: its owner only"

    # Destroy the database.
    if connection.vendor == "sqlite":
        for leftover in tmp_path.glob("peerwork.sqlite3*"):
            leftover.unlink()
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        assert django_query("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'")[0][0] == 0
        connection.close()

    restored = peerwork(env, "restore", "--no-input", str(backup))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    chains = len(before["heads"])
    entries = before["rows"]["privacy_auditentry"]
    assert f"Audit trail intact: {chains} chain(s), {entries} entries verified." in restored.stdout
    assert "migrate" not in restored.stdout  # same version: nothing to apply

    if connection.vendor == "sqlite":
        with closing(sqlite3.connect(database)) as restored_db:
            after = snapshot(lambda sql: restored_db.execute(sql).fetchall())
    else:
        after = snapshot(django_query)
    assert after == before

    # Restored with audit keys other than those that signed its history, the trail does not verify: said loudly.
    other_keys = {**env, "PEERWORK_AUDIT_KEYS": "elsewhere:" + "e" * 40}
    unverified = peerwork(other_keys, "restore", "--no-input", str(backup))
    assert unverified.returncode != 0
    assert "Restored, but the audit check failed" in unverified.stderr
    assert "the head's signature does not match" in unverified.stderr


def test_a_backup_never_overwrites_and_restore_refuses_what_is_not_a_backup(tmp_path, transactional_db):
    env = environment(tmp_path)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(tmp_path / "peerwork.sqlite3")])
    connection.close()
    existing = tmp_path / "existing"
    existing.write_text("keep me", encoding="utf-8")
    refused = peerwork(env, "backup", str(existing))
    assert refused.returncode != 0
    assert "never overwrites" in refused.stderr
    assert existing.read_text(encoding="utf-8") == "keep me"

    not_a_backup = peerwork(env, "restore", "--no-input", str(existing))
    assert not_a_backup.returncode != 0
    assert "Nothing was restored" in not_a_backup.stderr
    missing = peerwork(env, "restore", "--no-input", str(tmp_path / "nowhere"))
    assert missing.returncode != 0
    assert "There is no file" in missing.stderr
