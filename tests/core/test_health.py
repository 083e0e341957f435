"""/health/ says the process is alive; /health/ready/ says whether it can do its work: the database answers
and every registered readiness check (the background worker's, when there is one) passes."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from peerwork.core import hooks, jobs
from peerwork.core.health import Check
from peerwork.core.models import WorkerHeartbeat


def test_ready_when_the_database_answers_and_a_worker_was_seen(client, db):
    jobs.heartbeat("worker-1")
    response = client.get("/health/ready/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"] == {"database": "ok", "worker": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_not_ready_when_no_worker_was_seen_lately(client, db, settings):
    settings.PEERWORK_WORKER_STALE_SECONDS = 120
    WorkerHeartbeat.objects.create(worker_id="gone", seen_at=timezone.now() - timedelta(minutes=5))
    response = client.get("/health/ready/")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "no background worker seen in the last 120 seconds"


def test_not_ready_when_a_registered_check_fails(client, db):
    jobs.heartbeat("worker-1")

    def queue() -> Check:
        return Check("queue", False, "jobs have waited 10 minutes")

    with hooks.register_temporarily(hooks.READINESS_CHECKS, queue):
        response = client.get("/health/ready/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "not ready",
        "checks": {"database": "ok", "worker": "ok", "queue": "jobs have waited 10 minutes"},
    }


def test_a_check_that_breaks_counts_as_not_ready(client, db):
    def queue_age() -> Check:
        raise ZeroDivisionError

    with hooks.register_temporarily(hooks.READINESS_CHECKS, queue_age):
        response = client.get("/health/ready/")
    assert response.status_code == 503
    assert response.json()["checks"]["queue_age"] == "the check failed: ZeroDivisionError"


def test_liveness_stays_plain(client, db):
    response = client.get("/health/")
    assert response.status_code == 200 and response.content == b"ok"
