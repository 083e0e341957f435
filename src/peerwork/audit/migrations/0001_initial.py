"""The audit trail moves here from the privacy app. Its tables already exist (created by privacy's migrations
0001 and 0002, with their triggers), so this only takes them over in Django's model state."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("organisations", "0001_initial"),
        ("privacy", "0002_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="AuditHead",
                    fields=[
                        ("chain", models.BigIntegerField(primary_key=True, serialize=False)),
                        ("last_hash", models.CharField(max_length=64)),
                        ("count", models.BigIntegerField(default=0)),
                    ],
                    options={"db_table": "privacy_audithead"},
                ),
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("chain", models.BigIntegerField(db_index=True)),
                        ("at", models.DateTimeField(db_index=True)),
                        ("actor_label", models.CharField(blank=True, max_length=150)),
                        ("role", models.CharField(blank=True, max_length=30)),
                        (
                            "action",
                            models.CharField(
                                choices=[
                                    ("read", "Read"),
                                    ("create", "Create"),
                                    ("update", "Update"),
                                    ("delete", "Delete"),
                                    ("export", "Export"),
                                    ("sign_in", "Sign-in"),
                                    ("sign_in_failed", "Failed sign-in"),
                                    ("sign_out", "Sign-out"),
                                    ("security", "Security change"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("object_type", models.CharField(blank=True, max_length=60)),
                        ("object_id", models.CharField(blank=True, max_length=40)),
                        ("subject_type", models.CharField(blank=True, max_length=60)),
                        ("subject_id", models.CharField(blank=True, max_length=40)),
                        ("via", models.CharField(blank=True, max_length=200, verbose_name="page or API call")),
                        ("detail", models.CharField(blank=True, max_length=300)),
                        ("prev_hash", models.CharField(max_length=64)),
                        ("hash", models.CharField(max_length=64, unique=True)),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="organisations.organisation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "audit entry",
                        "verbose_name_plural": "audit entries",
                        "ordering": ["-id"],
                        "db_table": "privacy_auditentry",
                        "indexes": [
                            models.Index(fields=["organisation", "-at"], name="privacy_aud_organis_19ea94_idx"),
                            models.Index(
                                fields=["organisation", "subject_type", "subject_id"],
                                name="privacy_aud_organis_569ba1_idx",
                            ),
                        ],
                    },
                ),
            ],
        ),
    ]
