"""Consent for any data subject: a consent is a service user's or a staff member's own (a peer worker's
consent to appear in evaluation extracts). Peer workers' consents move from their own table into ``Consent``,
kept as they were: the day given, withdrawn or not and when, given digitally by the peer worker."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.utils import timezone


def _checks_now(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """PostgreSQL checks foreign keys at commit; run those checks now, so the schema changes that follow in
    this migration's transaction do not meet pending trigger events."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def move_peer_worker_consents(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    old = apps.get_model("privacy", "PeerWorkerConsent")
    consent = apps.get_model("privacy", "Consent")
    for row in old.objects.order_by("pk").iterator():
        made = consent.objects.create(
            organisation_id=row.organisation_id,
            staff_member_id=row.peer_worker_id,
            purpose="evaluation",
            given_on=timezone.localdate(row.given_at),
            how_given="digital",
            recorded_by_id=row.peer_worker_id,
            withdrawn_at=row.withdrawn_at,
            withdrawn_by_id=row.peer_worker_id if row.withdrawn_at else None,
        )
        consent.objects.filter(pk=made.pk).update(recorded_at=row.given_at)
    _checks_now(schema_editor)


def move_back(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    old = apps.get_model("privacy", "PeerWorkerConsent")
    consent = apps.get_model("privacy", "Consent")
    for row in consent.objects.filter(staff_member__isnull=False).order_by("pk").iterator():
        made = old.objects.create(
            organisation_id=row.organisation_id, peer_worker_id=row.staff_member_id, withdrawn_at=row.withdrawn_at
        )
        old.objects.filter(pk=made.pk).update(given_at=row.recorded_at)
    consent.objects.filter(staff_member__isnull=False).delete()
    _checks_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("privacy", "0005_peer_worker_consent"),
        ("service", "0004_waiting_priority"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="consent",
            name="staff_member",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="own_consents",
                to=settings.AUTH_USER_MODEL,
                verbose_name="peer worker or staff member",
            ),
        ),
        migrations.AlterField(
            model_name="consent",
            name="service_user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="consents",
                to="service.serviceuser",
                verbose_name="person",
            ),
        ),
        migrations.AddIndex(
            model_name="consent",
            index=models.Index(
                fields=["organisation", "staff_member", "purpose"], name="privacy_con_organis_214613_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="consent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("service_user__isnull", False), ("staff_member__isnull", True)),
                    models.Q(
                        ("purpose__in", ["evaluation"]), ("service_user__isnull", True), ("staff_member__isnull", False)
                    ),
                    _connector="OR",
                ),
                name="consent_one_data_subject",
            ),
        ),
        migrations.RunPython(move_peer_worker_consents, move_back, elidable=False),
        migrations.DeleteModel(
            name="PeerWorkerConsent",
        ),
    ]
