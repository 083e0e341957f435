"""`peerwork serve` (what `./run serve` and the container run) with production settings: it applies migrations,
collects static files and passes `check --deploy`, then gunicorn answers /health/ and /health/ready/ and serves
static files under hashed names with a year-long cache, and stops cleanly on SIGTERM.

The database is the test database: on SQLite copied into a file with ``VACUUM INTO`` (so serve's migrate has
nothing left to do), on PostgreSQL the test database itself.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from django.db import connection

from peerwork.core.management.commands.serve import supervise, worker_command

SRC = Path(__file__).resolve().parents[2] / "src"
HOST = "peerwork.example.org"
PRODUCTION = {
    "PEERWORK_SECRET_KEY": "s" * 20 + "-a-long-random-production-secret-from-the-vault-0123456789",
    "PEERWORK_DEBUG": "0",
    "PEERWORK_ALLOWED_HOSTS": HOST,
    "PEERWORK_AUDIT_KEYS": "2026-11:" + "k" * 40,
    "PEERWORK_EMAIL_URL": "smtp://peerwork:secret@smtp.example.org:587",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # the test looks at redirects itself
        return None


def _get(port: int, path: str, *, https: bool = False) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": HOST})
    if https:  # as the TLS-terminating proxy in front says
        request.add_header("X-Forwarded-Proto", "https")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_serve_runs_gunicorn_with_static_files_and_production_settings(tmp_path, transactional_db):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERWORK_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"PYTHONPATH": str(SRC), "PEERWORK_DATA_DIR": str(tmp_path), **PRODUCTION})
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(tmp_path / "peerwork.sqlite3")])
    else:
        url = urlparse(os.environ["PEERWORK_DATABASE_URL"])
        env["PEERWORK_DATABASE_URL"] = url._replace(path="/" + connection.settings_dict["NAME"]).geturl()
    connection.close()
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "peerwork.cli", "serve", "--bind", f"127.0.0.1:{port}", "--processes", "1"],
            env=env,
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 300  # collecting and compressing the static files takes a while once
        while True:
            assert server.poll() is None, f"serve stopped:\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"serve did not start:\n{log.read_text()[-3000:]}"
            try:
                status, _headers, body = _get(port, "/health/")
                break
            except OSError:
                time.sleep(0.2)
        # Liveness and readiness over plain HTTP, as a load balancer inside the network probes them.
        assert (status, body) == (200, b"ok")
        # Ready once the worker started beside gunicorn has said it is alive.
        while True:
            status, headers, body = _get(port, "/health/ready/")
            if status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert status == 200, body
        assert json.loads(body)["checks"] == {"database": "ok", "worker": "ok"}
        assert headers["Cache-Control"] == "no-store"

        # Pages are HTTPS only: plain HTTP is redirected, and HTTPS answers carry HSTS.
        status, headers, _body = _get(port, "/account/sign-in/")
        assert status == 301 and headers["Location"] == f"https://{HOST}/account/sign-in/"
        status, headers, _body = _get(port, "/account/sign-in/", https=True)
        assert status == 200
        assert "max-age=31536000" in headers["Strict-Transport-Security"]
        assert "Secure" in headers["Set-Cookie"]

        # Static files: collected with hashed names, served by WhiteNoise with a year-long immutable cache.
        manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text(encoding="utf-8"))["paths"]
        source = "peerwork/vendor/htmx.min.js"
        status, headers, body = _get(port, f"/static/{manifest[source]}", https=True)
        assert status == 200
        assert "max-age=315360000" in headers["Cache-Control"] and "immutable" in headers["Cache-Control"]
        assert body == (SRC / "peerwork" / "static" / source).read_bytes()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
    output = log.read_text()
    assert code == 0, output[-3000:]
    assert "Applying migrations" in output and "System check identified no issues" in output
    assert worker_command() == "worker"
    assert "Starting the background worker (peerwork worker) beside it." in output


def _waits_for_sigterm(mark: Path) -> list[str]:
    """A long-running process that notes in ``mark`` that it was asked to stop."""
    code = (
        "import signal, sys, time\n"
        f"def stop(*_): open({str(mark)!r}, 'w').write('stopped'); sys.exit(0)\n"
        "signal.signal(signal.SIGTERM, stop)\n"
        f"open({str(mark)!r}, 'w').write('running')\n"
        "time.sleep(120)\n"
    )
    return [sys.executable, "-c", code]


def test_when_the_worker_ends_serve_stops_gunicorn_too(tmp_path):
    """The supervision `serve` runs when there is a worker: one process ending stops the other, and the exit
    code tells a supervisor to restart both (a worker that ends, even with 0, is not a normal stop)."""
    said: list[str] = []
    mark = tmp_path / "web"
    wait_for_web = f"import os, time\nwhile not os.path.exists({str(mark)!r}): time.sleep(0.05)\n"
    ended_badly = [sys.executable, "-c", wait_for_web + "raise SystemExit(3)"]
    assert supervise({"gunicorn": _waits_for_sigterm(mark), "worker": ended_badly}, said.append) == 3
    assert mark.read_text() == "stopped"
    assert said == ["The worker process stopped (exit code 3); stopping the others."]

    mark.unlink()
    ended_quietly = [sys.executable, "-c", wait_for_web]
    assert supervise({"gunicorn": _waits_for_sigterm(mark), "worker": ended_quietly}, said.append) == 1
    assert mark.read_text() == "stopped"
