"""No job is lost when its worker stops: a worker killed half-way through a job leaves it to the next."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from tests.core.slow_job import remember

ROOT = Path(__file__).resolve().parents[2]


def _wait_for(path: Path, seconds: float = 90) -> None:
    end = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < end, f"{path.name} never appeared"
        time.sleep(0.2)


def _status(db: Path | None, job_id: str) -> str:
    if db is None:  # PostgreSQL: the workers share the test database itself
        return str(DBTaskResult.objects.get(pk=job_id).status)
    with sqlite3.connect(db) as c:
        sql = "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?"
        [(status,)] = c.execute(sql, [uuid.UUID(job_id).hex]).fetchall()
    return str(status)


def _database_for_workers(tmp_path: Path) -> tuple[Path | None, str]:
    """Where the worker processes find the test's database: a copy of SQLite's (it lives in this process's
    memory), or the PostgreSQL test database by its address."""
    if connection.vendor == "sqlite":
        db = tmp_path / "peerwork.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(db) as copy:
            connection.connection.backup(copy)
        return db, ""
    s = connection.settings_dict
    url = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"
    return None, url


@pytest.mark.django_db(transaction=True)
def test_a_job_survives_its_worker_being_killed_half_way(tmp_path):
    job_id = remember.enqueue(organisation_id=0, folder=str(tmp_path)).id
    db, url = _database_for_workers(tmp_path)
    env = {
        **os.environ,
        "PEERWORK_DATA_DIR": str(tmp_path),
        "PEERWORK_DATABASE_URL": url,
        "PEERWORK_WORKER_STALE_SECONDS": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }
    command = [sys.executable, "-m", "peerwork.cli", "worker", "--heartbeat", "0.3", "--interval", "0.2"]

    first = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(tmp_path / "started")
    finally:
        first.send_signal(signal.SIGKILL)  # no chance to tidy up
        first.wait(timeout=30)
    assert _status(db, job_id) == "RUNNING" and not (tmp_path / "done").exists()

    second = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait_for(tmp_path / "done")
        end = time.monotonic() + 30
        while _status(db, job_id) != "SUCCESSFUL" and time.monotonic() < end:
            time.sleep(0.2)
    finally:
        second.send_signal(signal.SIGTERM)
        output = second.communicate(timeout=30)[0].decode()
    assert _status(db, job_id) == "SUCCESSFUL"
    assert "1 job(s) left by a stopped worker are queued again." in output
