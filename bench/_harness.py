"""Shared bench set-up: a throw-away SQLite database, signed-in clients, medians and query counts.

Benchmarks print; they never pass or fail on time. Ratios compare with the framework floor (a trivial view,
``/health/``) measured in the same run, so they mean the same on a fast or a slow machine.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
if "PEERWORK_DATABASE_URL" not in os.environ or os.environ.get("PEERWORK_BENCH_SQLITE", "1") == "1":
    os.environ["PEERWORK_DATABASE_URL"] = ""
    os.environ["PEERWORK_DATA_DIR"] = tempfile.mkdtemp(prefix="peerwork-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")
os.environ["PEERWORK_DEBUG"] = "1"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

SCALE = os.environ.get("PEERWORK_BENCH_SCALE", "national")


def migrate() -> None:
    call_command("migrate", verbosity=0)


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def measure(client: Client, path: str, runs: int = 25) -> tuple[float, int]:
    """Median server time in ms (in-process, through the whole middleware stack) and the query count."""
    response = client.get(path)  # warm-up
    assert response.status_code == 200, (path, response.status_code)
    reset_queries()  # with DEBUG on the query log is a bounded deque; start it empty so the count is right
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - t) * 1000)
    reset_queries()
    return statistics.median(times), queries


def report(title: str, rows: list[tuple[str, float, int]], floor: float) -> None:
    print(f"\n{title}")
    print(f"  {'page':<44} {'median ms':>10} {'× floor':>9} {'queries':>8}")
    print(f"  {'framework floor (/health/)':<44} {floor:>10.2f} {1:>9.1f} {'':>8}")
    for name, ms, queries in rows:
        print(f"  {name:<44} {ms:>10.2f} {ms / floor:>9.1f} {queries:>8}")
