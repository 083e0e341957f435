"""The move of peer workers' own consents into the one consent model keeps every consent as it was."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("privacy", "0005_peer_worker_consent")]
AFTER = [("privacy", "0006_consent_for_any_data_subject")]


@pytest.mark.django_db(transaction=True)
def test_existing_peer_worker_consents_are_kept(world):
    pw = world.users["peer_worker"]
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    old = old_apps.get_model("privacy", "PeerWorkerConsent")
    withdrawn_at = timezone.now() - timedelta(days=3)
    first = old.objects.create(organisation_id=world.org.pk, peer_worker_id=pw.pk)
    given_at = timezone.now() - timedelta(days=40)
    old.objects.filter(pk=first.pk).update(given_at=given_at)
    old.objects.filter(pk=first.pk).update(withdrawn_at=withdrawn_at)
    old.objects.create(organisation_id=world.org.pk, peer_worker_id=pw.pk)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("privacy", "Consent")
    moved = list(new.objects.filter(staff_member_id=pw.pk).order_by("pk"))
    assert [(c.purpose, c.how_given, c.service_user_id, c.recorded_by_id) for c in moved] == [
        ("evaluation", "digital", None, pw.pk)
    ] * 2
    assert moved[0].given_on == timezone.localdate(given_at) and moved[0].recorded_at == given_at
    assert moved[0].withdrawn_at == withdrawn_at and moved[0].withdrawn_by_id == pw.pk
    assert moved[1].withdrawn_at is None and moved[1].valid_until is None

    from peerwork.privacy.consent import consented_staff_ids

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert list(consented_staff_ids(world.org.pk, "evaluation")) == [pw.pk]
