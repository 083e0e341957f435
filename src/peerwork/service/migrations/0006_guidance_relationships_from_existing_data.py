"""Existing guidance keeps working: every session's peer worker becomes its one participant, a session's kind
follows its guide's role (a senior peer worker's is supervision, a coordinator's a follow-up), and the
guidance that used to be inferred becomes explicit relationships: a current position's reporting line, and
each guide who has held a session with a peer worker (from the first such session). A coordinator can end
any of them on the guidance relationships page."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import Min
from django.utils import timezone

SENIOR = "senior_peer_worker"


def forwards(apps: Any, schema_editor: Any) -> None:
    Session = apps.get_model("service", "GuidanceSession")
    Participant = apps.get_model("service", "GuidanceParticipant")
    Relationship = apps.get_model("service", "GuidanceRelationship")
    Membership = apps.get_model("accounts", "Membership")
    Position = apps.get_model("organisations", "Position")
    today = timezone.localdate()

    seniors = set(Membership.objects.filter(role=SENIOR).values_list("organisation_id", "user_id"))
    participants = []
    for s in Session.objects.filter(peer_worker__isnull=False).iterator():
        participants.append(
            Participant(organisation_id=s.organisation_id, session_id=s.pk, peer_worker_id=s.peer_worker_id)
        )
        kind = "supervision" if (s.organisation_id, s.guide_id) in seniors else "follow_up"
        if kind != s.kind:
            Session.objects.filter(pk=s.pk).update(kind=kind)
    Participant.objects.bulk_create(participants, batch_size=1000)

    pairs: dict[tuple[int, int, int], Any] = {}
    rows = (
        Session.objects.filter(peer_worker__isnull=False)
        .values("organisation_id", "peer_worker_id", "guide_id")
        .annotate(first=Min("meets_on"))
    )
    for r in rows:
        pairs[(r["organisation_id"], r["peer_worker_id"], r["guide_id"])] = r["first"]
    positions = Position.objects.filter(holder__isnull=False, reports_to__isnull=False).exclude(end_date__lt=today)
    for p in positions.values("organisation_id", "holder_id", "reports_to_id", "start_date"):
        key = (p["organisation_id"], p["holder_id"], p["reports_to_id"])
        start = p["start_date"] or today
        pairs[key] = min(pairs[key], start) if key in pairs else start
    Relationship.objects.bulk_create(
        [
            Relationship(organisation_id=org, peer_worker_id=pw, guide_id=guide, starts_on=start)
            for (org, pw, guide), start in pairs.items()
            if pw != guide
        ],
        batch_size=1000,
    )


def backwards(apps: Any, schema_editor: Any) -> None:
    Participant = apps.get_model("service", "GuidanceParticipant")
    Session = apps.get_model("service", "GuidanceSession")
    for p in Participant.objects.all().iterator():
        Session.objects.filter(pk=p.session_id, peer_worker__isnull=True).update(peer_worker_id=p.peer_worker_id)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_api_tokens_expire"),
        ("organisations", "0001_initial"),
        ("service", "0005_guidance_relationship"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
