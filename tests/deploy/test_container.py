"""The container image and the compose file: what can be read from them is checked on every run; building and
starting them needs a running container engine, an external tool, and is deselected without one
(tests/deploy/conftest.py)."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "compose.yaml"
REQUIRED = {
    "PEERWORK_SECRET_KEY",
    "PEERWORK_AUDIT_KEYS",
    "PEERWORK_DEBUG",
    "PEERWORK_ALLOWED_HOSTS",
    "PEERWORK_DATABASE_URL",
    "PEERWORK_EMAIL_URL",
}


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined, comments left out."""
    joined = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _space, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def test_the_base_image_is_pinned_by_version():
    bases = [args.split()[0] for keyword, args in instructions() if keyword == "FROM"]
    assert bases, "the Dockerfile has no FROM"
    for base in bases:
        assert re.search(r":\d+\.\d+\.\d+(-[\w.-]+)?$|@sha256:[0-9a-f]{64}$", base), (
            f"{base}: pin the base image by its full version (e.g. python:3.11.13-slim-bookworm) or digest"
        )


def test_the_image_runs_as_a_user_other_than_root():
    users = [args for keyword, args in instructions() if keyword == "USER"]
    assert users, "the Dockerfile never leaves root: add a USER"
    last = users[-1].split(":")[0]
    assert last not in {"root", "0"}
    # The user is made in the image, and the last USER comes after the last RUN (nothing runs as root after).
    keywords = [keyword for keyword, _args in instructions()]
    assert max(i for i, k in enumerate(keywords) if k == "USER") > max(i for i, k in enumerate(keywords) if k == "RUN")
    assert any("useradd" in args and last in args for keyword, args in instructions() if keyword == "RUN")


def test_the_image_checks_its_health_and_serves_with_peerwork_serve():
    checks = [args for keyword, args in instructions() if keyword == "HEALTHCHECK"]
    assert len(checks) == 1 and "/health/" in checks[0]
    cmd = [args for keyword, args in instructions() if keyword == "CMD"][-1]
    assert json.loads(cmd) == ["peerwork", "serve"]
    # The static files are collected at build time, into the STATIC_ROOT the image sets.
    assert any("serve --collect-only" in args for keyword, args in instructions() if keyword == "RUN")
    env = " ".join(args for keyword, args in instructions() if keyword == "ENV")
    assert "PEERWORK_STATIC_ROOT=" in env and "PEERWORK_DATA_DIR=" in env


def test_compose_runs_peerwork_its_worker_and_postgresql_with_a_volume():
    services = compose()["services"]
    assert set(services) == {"db", "peerwork", "worker"}
    db = services["db"]
    assert re.fullmatch(r"postgres:15\.\d+(-[\w.-]+)?", db["image"]), "PostgreSQL pinned to a 15.x version"
    assert {"POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"} <= set(db["environment"])
    volume = next(v.split(":")[0] for v in db["volumes"] if v.endswith(":/var/lib/postgresql/data"))
    assert volume in compose()["volumes"], "the database lives in a named volume"

    web, worker = services["peerwork"], services["worker"]
    assert web["command"] == ["peerwork", "serve", "--no-worker"]
    assert worker["command"] == ["peerwork", "serve", "--worker-only"]
    assert worker["image"] == web["image"]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert worker["depends_on"]["peerwork"]["condition"] == "service_healthy", "the worker waits for migrations"
    for service in (web, worker):
        env = service["environment"]
        assert REQUIRED <= set(env), f"missing: {REQUIRED - set(env)}"
        assert env["PEERWORK_DEBUG"] == "0"
        assert "@db:5432/" in env["PEERWORK_DATABASE_URL"]
        for name in ("PEERWORK_SECRET_KEY", "PEERWORK_AUDIT_KEYS"):
            assert env[name].startswith("${" + name + ":?"), f"{name} comes from the operator, never a default"
    assert web["ports"] == ["127.0.0.1:${PEERWORK_PORT:-8000}:8000"], "only a local TLS proxy reaches gunicorn"


def test_every_setting_compose_passes_is_read_by_peerwork_and_documented():
    settings_source = (ROOT / "src" / "peerwork" / "settings.py").read_text(encoding="utf-8")
    operations = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    header = COMPOSE.read_text(encoding="utf-8").split("\nx-peerwork-environment")[0]
    names = set(compose()["services"]["peerwork"]["environment"])
    for name in sorted(names):
        assert f'"{name}"' in settings_source, f"{name} is passed but settings.py never reads it"
        assert f"`{name}`" in operations, f"{name} is not in docs/operations.md"
        assert name in header or name in {"PEERWORK_DEBUG", "PEERWORK_DATABASE_URL"}, f"{name}: explain it on top"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.container
def test_the_composed_service_builds_starts_and_is_ready(tmp_path):
    """Needs a running container engine (an external tool); deselected without one (tests/deploy/conftest.py)."""
    docker = shutil.which("docker")
    assert docker
    port = _free_port()
    env = {
        **os.environ,
        "COMPOSE_PROJECT_NAME": f"peerwork-test-{port}",
        "PEERWORK_SECRET_KEY": "container-test-" + "s" * 50,
        "PEERWORK_AUDIT_KEYS": "test:" + "k" * 40,
        "POSTGRES_PASSWORD": "container-test-password",
        "PEERWORK_ALLOWED_HOSTS": "localhost",
        "PEERWORK_EMAIL_URL": "smtp://peerwork:secret@127.0.0.1:2525",
        "PEERWORK_PORT": str(port),
    }
    base = [docker, "compose", "--file", str(COMPOSE)]
    try:
        built = subprocess.run([*base, "build"], env=env, capture_output=True, text=True, timeout=1800)
        assert built.returncode == 0, built.stderr[-3000:]
        up = subprocess.run([*base, "up", "--detach", "--wait"], env=env, capture_output=True, text=True, timeout=900)
        assert up.returncode == 0, up.stderr[-3000:]
        request = urllib.request.Request(f"http://127.0.0.1:{port}/health/ready/", headers={"Host": "localhost"})
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    body = json.loads(response.read())
                    break
            except (OSError, urllib.error.HTTPError):
                assert time.monotonic() < deadline, "the container never became ready"
                time.sleep(2)
        assert body["status"] == "ready"
        user = subprocess.run([*base, "exec", "-T", "peerwork", "id", "-u"], env=env, capture_output=True, text=True)
        assert user.stdout.strip() not in {"", "0"}
    finally:
        subprocess.run([*base, "down", "--volumes"], env=env, capture_output=True, timeout=300)
