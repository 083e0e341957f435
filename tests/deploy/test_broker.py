"""The broker-backed switch for background jobs: with ``PEERWORK_TASKS_BACKEND=django_tasks_rq.RQBackend`` a
real Peerwork job (the welcome e-mail) is queued in Redis once its transaction commits, and RQ's worker
(``peerwork rqworker``) runs it. Marked ``broker``: deselected, with the reason in the summary, when no Redis
answers at ``PEERWORK_TEST_REDIS_URL`` (default redis://127.0.0.1:6379/11; the test empties that database
first, so give it one of its own) — tests/deploy/conftest.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
import redis
from django.db import connection

from peerwork.accounts.models import User
from peerwork.core.roles import Role
from tests.conftest import build_world

from .conftest import REDIS_URL

SRC = Path(__file__).resolve().parents[2] / "src"

ENQUEUE = """
from django.db import transaction
from peerwork.accounts.tasks import welcome
from peerwork.core import jobs
with transaction.atomic():
    jobs.enqueue(welcome, organisation_id={org}, user_id={user}, role="peer_worker", contact_id={contact})
print("queued")
"""

# After the worker: the job's result as the tasks API reports it, found through RQ's registry of finished jobs.
RESULT = """
import django_rq
from rq.registry import FinishedJobRegistry
from peerwork.accounts.tasks import welcome
ids = FinishedJobRegistry(queue=django_rq.get_queue("default")).get_job_ids()
mine = [r for r in (welcome.get_result(i) for i in ids) if r.kwargs.get("user_id") == {user}]
print(len(mine), mine[0].status, mine[0].return_value, type(welcome.get_backend()).__name__)
"""


def _peerwork(env: dict[str, str], cwd: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "peerwork.cli", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return done.stdout


@pytest.mark.broker
def test_a_job_queued_through_redis_is_run_by_the_rq_worker(tmp_path, transactional_db):
    redis.Redis.from_url(REDIS_URL).flushdb()  # the test's own Redis database: nothing left from an earlier run
    world = build_world("Alpha")
    person = User.objects.create(username="new-one", email="new@example.invalid", language="nb")
    person.set_unusable_password()
    person.save()
    person.memberships.create(organisation=world.org, role=Role.PEER_WORKER)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERWORK_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        {
            "PYTHONPATH": str(SRC),
            "PEERWORK_DATA_DIR": str(tmp_path),
            "PEERWORK_TASKS_BACKEND": "django_tasks_rq.RQBackend",
            "PEERWORK_TASKS_REDIS_URL": REDIS_URL,
        }
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(tmp_path / "peerwork.sqlite3")])
    else:
        url = urlparse(os.environ["PEERWORK_DATABASE_URL"])
        env["PEERWORK_DATABASE_URL"] = url._replace(path="/" + connection.settings_dict["NAME"]).geturl()
    connection.close()

    contact = world.users[Role.ADMINISTRATOR].pk
    script = ENQUEUE.format(org=world.org.pk, user=person.pk, contact=contact)
    assert _peerwork(env, tmp_path, "shell", "--no-imports", "-c", script).strip() == "queued"
    mail_dir = tmp_path / "mail"
    assert not mail_dir.exists() or not any(mail_dir.iterdir())  # queued in Redis, not run yet

    _peerwork(env, tmp_path, "rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default")

    files = sorted(mail_dir.iterdir())
    assert len(files) == 1, [(f.name, f.read_text()[:600]) for f in files]
    [sent] = files
    text = sent.read_text()
    assert "new@example.invalid" in text and "/account/password/reset/" in text
    assert "Alpha service" in text  # the organisation's name, in the person's language (Norwegian)
    count, status, value, backend = _peerwork(
        env, tmp_path, "shell", "--no-imports", "-c", RESULT.format(user=person.pk)
    ).split()
    assert (count, status, value, backend) == ("1", "SUCCESSFUL", "sent", "RQBackend")
