"""Tests marked ``container`` build and start the image with a container engine. The engine is an external
tool, not a part of Peerwork, so these tests are conditioned on it: when ``docker info`` finds no running
engine they are deselected (pytest reports them as deselected, and this file says why in the summary).
Everything that can be checked without an engine (tests/deploy/test_container.py) always runs."""

from __future__ import annotations

import shutil
import subprocess

import pytest

_deselected: list[str] = []


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
    marked = [item for item in items if item.get_closest_marker("container")]
    if not marked or engine_running():
        return
    _deselected.extend(item.nodeid for item in marked)
    config.hook.pytest_deselected(items=marked)
    items[:] = [item for item in items if not item.get_closest_marker("container")]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _deselected:
        terminalreporter.write_line(
            f"{len(_deselected)} container test(s) deselected: no running container engine with compose "
            "(`docker info`, `docker compose version`)."
        )
