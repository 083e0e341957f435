"""Shared bench set-up: a throw-away database, signed-in clients, medians and query counts.

The database is a new SQLite file, or, with ``PEERWORK_BENCH_SQLITE=0`` and ``PEERWORK_DATABASE_URL`` set, a
new PostgreSQL database on that server, created for the run and dropped after it.

Benchmarks print; they never pass or fail on time. Ratios compare with the signed-in floor measured in the
same run, so they mean the same on a fast or a slow machine: ``FLOOR_PATH``, an empty page rendered for a
signed-in person through the same middleware and base layout as every page (``urls_floor.py``, a URL
configuration only the benches use), so a ratio shows what the page itself costs.
"""

from __future__ import annotations

import atexit
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
_throwaway: tuple[str, str] | None = None
if not os.environ.get("PEERWORK_DATABASE_URL") or os.environ.get("PEERWORK_BENCH_SQLITE", "1") == "1":
    os.environ["PEERWORK_DATABASE_URL"] = ""
    os.environ["PEERWORK_DATA_DIR"] = tempfile.mkdtemp(prefix="peerwork-bench-")
else:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    _server = urlsplit(os.environ["PEERWORK_DATABASE_URL"])
    _name = f"peerwork_bench_{os.getpid()}"
    _admin = urlunsplit(_server._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(_admin, autocommit=True) as _c:
        _c.execute(f'CREATE DATABASE "{_name}"')
    os.environ["PEERWORK_DATABASE_URL"] = urlunsplit(_server._replace(path=f"/{_name}"))
    _throwaway = (_admin, _name)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")
os.environ["PEERWORK_DEBUG"] = "1"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402

settings.ROOT_URLCONF = "urls_floor"  # the product's pages and the floor page, for the benches only
FLOOR_PATH = "/bench/floor/"
DATABASE = "PostgreSQL" if _throwaway else "SQLite"


def _drop_throwaway() -> None:
    if _throwaway is None:
        return
    connections.close_all()
    admin, name = _throwaway
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


atexit.register(_drop_throwaway)

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


def measure(client: Client, path: str, runs: int = 25, ok: frozenset[int] = frozenset({200})) -> tuple[float, int]:
    """Median server time in ms (in-process, through the whole middleware stack) and the query count."""
    response = client.get(path)  # warm-up
    assert response.status_code in ok, (path, response.status_code)
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


def floor(client: Client, runs: int = 100) -> float:
    """Median time of the signed-in empty page for ``client`` (signed in with ``client_for``)."""
    ms, _queries = measure(client, FLOOR_PATH, runs=runs)
    return ms


def report(title: str, rows: list[tuple[str, float, int]], floor: float) -> None:
    print(f"\n{title}")
    print(f"  {'page':<44} {'median ms':>10} {'× floor':>9} {'queries':>8}")
    print(f"  {'signed-in empty page (floor)':<44} {floor:>10.2f} {1:>9.1f} {'':>8}")
    for name, ms, queries in rows:
        print(f"  {name:<44} {ms:>10.2f} {ms / floor:>9.1f} {queries:>8}")
