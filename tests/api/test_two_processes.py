"""The API's rate-limit counters are shared by every server process: two real servers, one SQLite file.

On SQLite the database is the test database (migrated, with a token), copied into a file with ``VACUUM INTO``
so that the servers start at once instead of migrating again; on PostgreSQL they use the test database.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.db import connection

from peerwork.accounts import services
from peerwork.api.auth import FAILED_LIMIT
from peerwork.core.roles import Role

SRC = str(Path(__file__).resolve().parents[2] / "src")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, token: str | None = None) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _wait_until_up(port: int, server: subprocess.Popen[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"server on port {port} stopped: {server.stderr.read().decode()[-2000:]}")
        try:
            if _get(port, "/health/") == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"server on port {port} did not start")


@pytest.fixture
def servers(tmp_path, transactional_db, world):
    """Two `runserver --noreload` processes on free loopback ports, sharing one migrated SQLite file."""
    _token, secret = services.create_api_token(world.actor(Role.MANAGER), name="two processes", valid_days=30)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERWORK_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"PYTHONPATH": SRC, "PEERWORK_DATA_DIR": str(tmp_path), "PEERWORK_DEBUG": "1"})
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(tmp_path / "peerwork.sqlite3")])
        # A deployment's file is in WAL mode from its first migration on; the copy starts there too, so the two
        # servers starting at once do not both try to switch it (which needs the whole file to themselves).
        copy = sqlite3.connect(tmp_path / "peerwork.sqlite3")
        copy.execute("PRAGMA journal_mode=WAL")
        copy.close()
    else:  # the PostgreSQL run: both servers use the test database itself
        url = urlparse(os.environ["PEERWORK_DATABASE_URL"])
        env["PEERWORK_DATABASE_URL"] = url._replace(path="/" + connection.settings_dict["NAME"]).geturl()
    ports = [_free_port(), _free_port()]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "peerwork.cli", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        deadline = time.monotonic() + 60
        for port, proc in zip(ports, procs, strict=True):
            _wait_until_up(port, proc, deadline)
        yield ports, secret
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_wrong_tokens_are_counted_across_processes_and_valid_tokens_pass(servers):
    (first, second), secret = servers
    for i in range(FAILED_LIMIT):
        assert _get(first, "/api/me", f"pw_guess-{i}") == 401
    # The other process reads the same counter: it also refuses further wrong tokens from this address.
    assert _get(second, "/api/me", "pw_another-guess") == 429
    assert _get(first, "/api/me", "pw_another-guess") == 429
    # A valid token is never refused because of the failures.
    assert _get(first, "/api/me", secret) == 200
    assert _get(second, "/api/me", secret) == 200
