"""Chain heads are signed with a key kept outside the database, every chain is registered in the system
chain, and the database refuses deleting entries and any head change that is not a step forward."""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from peerwork.audit import guards, trail


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    connection = schema_editor.connection
    guards.remove(connection)
    trail.sign_existing_heads()
    trail.register_existing_chains()
    guards.install(connection)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    guards.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial"), ("privacy", "0004_audit_trail_moved")]

    operations = [
        migrations.AddField(model_name="audithead", name="key_id", field=models.CharField(blank=True, max_length=40)),
        migrations.AddField(model_name="audithead", name="mac", field=models.CharField(blank=True, max_length=64)),
        migrations.RunPython(forwards, backwards),
    ]
