"""/health/ says the process is alive; /health/ready/ says whether it can do its work: the database answers
and every registered readiness check (the background worker's, when there is one) passes."""

from __future__ import annotations

from peerwork.core import hooks
from peerwork.core.health import Check


def test_ready_when_the_database_answers(client, db):
    response = client.get("/health/ready/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["database"] == "ok"
    assert response["Cache-Control"] == "no-store"


def test_not_ready_when_a_registered_check_fails(client, db):
    def worker() -> Check:
        return Check("worker", False, "no worker seen for 10 minutes")

    with hooks.register_temporarily(hooks.READINESS_CHECKS, worker):
        response = client.get("/health/ready/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "not ready",
        "checks": {"database": "ok", "worker": "no worker seen for 10 minutes"},
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
