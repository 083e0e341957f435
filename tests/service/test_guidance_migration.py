"""Existing guidance keeps working when relationships become explicit: the data migration turns each current
reporting line and each guide who held a session into a guidance relationship, and each session's peer
worker into its participant, with the kind its guide's role implies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("service", "0004_waiting_priority"), ("accounts", "0003_api_tokens_expire")]
AFTER = [("service", "0007_guidance_session_participants")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_inferred_guidance_becomes_explicit_relationships():
    old = migrate(BEFORE)
    today = timezone.localdate()
    Org = old.get_model("organisations", "Organisation")
    Unit = old.get_model("organisations", "Unit")
    User = old.get_model("accounts", "User")
    Membership = old.get_model("accounts", "Membership")
    Position = old.get_model("organisations", "Position")
    Session = old.get_model("service", "GuidanceSession")
    org = Org.objects.create(name="Old", slug="old", kind="municipal", country="NO", language="nb")
    unit = Unit.objects.create(organisation=org, name="Team", kind="peer_team")
    coordinator, senior, pw, left = (User.objects.create(username=n) for n in ("c", "s", "p", "l"))
    Membership.objects.create(organisation=org, user=coordinator, role="coordinator", unit=unit)
    Membership.objects.create(organisation=org, user=senior, role="senior_peer_worker", unit=unit)
    Membership.objects.create(organisation=org, user=pw, role="peer_worker", unit=unit)
    start = today - timedelta(days=300)
    Position.objects.create(
        organisation=org, title="PW", unit=unit, holder=pw, role_form="peer_team", hours_per_week=20,
        reports_to=coordinator, start_date=start,
    )  # fmt: skip
    Position.objects.create(
        organisation=org, title="Old", unit=unit, holder=left, role_form="peer_team", hours_per_week=20,
        reports_to=coordinator, start_date=start, end_date=today - timedelta(days=10),
    )  # fmt: skip
    first = today - timedelta(days=90)
    Session.objects.create(organisation=org, peer_worker=pw, guide=senior, held_on=first, topics="a")
    Session.objects.create(organisation=org, peer_worker=pw, guide=senior, held_on=today, topics="b")
    Session.objects.create(organisation=org, peer_worker=pw, guide=coordinator, held_on=today, topics="c")

    new = migrate(AFTER)
    try:
        Relationship = new.get_model("service", "GuidanceRelationship")
        rows = {(r.guide_id, r.starts_on, r.ends_on) for r in Relationship.objects.filter(peer_worker_id=pw.pk)}
        # the reporting line (from the position's start; the coordinator's session came later) and the senior
        # peer worker who held sessions (from the first one); the ended position makes nobody a guide
        assert rows == {(coordinator.pk, start, None), (senior.pk, first, None)}
        assert not Relationship.objects.filter(peer_worker_id=left.pk).exists()
        NewSession = new.get_model("service", "GuidanceSession")
        kinds = {s.topics: s.kind for s in NewSession.objects.all()}
        assert kinds == {"a": "supervision", "b": "supervision", "c": "follow_up"}
        Participant = new.get_model("service", "GuidanceParticipant")
        assert Participant.objects.filter(peer_worker_id=pw.pk).count() == 3
        assert all(s.status == "held" and not s.is_group_session for s in NewSession.objects.all())
    finally:
        migrate(migrate_targets_latest())


def migrate_targets_latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
