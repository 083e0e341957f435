"""Tests marked ``broker`` queue jobs in a real Redis (PEERWORK_TEST_REDIS_URL, default
redis://127.0.0.1:6379/11); Redis is an external service a large deployment runs, not a part of Peerwork, so
when none answers they are deselected and the summary says why.

Tests marked ``container`` build and start the image with a container engine. The engine is an external
tool, not a part of Peerwork, so these tests are conditioned on it: when ``docker info`` finds no running
engine they are deselected (pytest reports them as deselected, and this file says why in the summary).
Everything that can be checked without an engine (tests/deploy/test_container.py) always runs."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from urllib.parse import urlparse

import pytest

_deselected: list[str] = []
_no_redis: list[str] = []

REDIS_URL = os.environ.get("PEERWORK_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


def redis_answers() -> bool:
    """A PING to the Redis at REDIS_URL is answered with PONG."""
    url = urlparse(REDIS_URL)
    try:
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), timeout=3) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def engine_running() -> bool:
    docker = shutil.which("docker")
    if docker is None:
        return False
    try:
        info = subprocess.run([docker, "info"], capture_output=True, timeout=30)
        compose = subprocess.run([docker, "compose", "version"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return info.returncode == 0 and compose.returncode == 0


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    brokered = [item for item in items if item.get_closest_marker("broker")]
    if brokered and not redis_answers():
        _no_redis.extend(item.nodeid for item in brokered)
        config.hook.pytest_deselected(items=brokered)
        items[:] = [item for item in items if not item.get_closest_marker("broker")]
    marked = [item for item in items if item.get_closest_marker("container")]
    if not marked or engine_running():
        return
    _deselected.extend(item.nodeid for item in marked)
    config.hook.pytest_deselected(items=marked)
    items[:] = [item for item in items if not item.get_closest_marker("container")]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _no_redis:
        terminalreporter.write_line(
            f"{len(_no_redis)} broker test(s) deselected: no Redis answers at {REDIS_URL} "
            "(set PEERWORK_TEST_REDIS_URL to one that does)."
        )
    if _deselected:
        terminalreporter.write_line(
            f"{len(_deselected)} container test(s) deselected: no running container engine with compose "
            "(`docker info`, `docker compose version`)."
        )
