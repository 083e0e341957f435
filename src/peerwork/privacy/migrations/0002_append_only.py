"""Make the audit trail append-only in the database itself."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SQLITE = [
    "CREATE TRIGGER IF NOT EXISTS privacy_auditentry_no_update BEFORE UPDATE ON privacy_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
]
POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION peerwork_audit_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END;
    $$ LANGUAGE plpgsql;
    """,
    "DROP TRIGGER IF EXISTS privacy_auditentry_no_change ON privacy_auditentry;",
    "CREATE TRIGGER privacy_auditentry_no_change BEFORE UPDATE OR DELETE ON privacy_auditentry "
    "FOR EACH ROW EXECUTE FUNCTION peerwork_audit_append_only();",
]


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS privacy_auditentry_no_update;")
    elif vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS privacy_auditentry_no_change ON privacy_auditentry;")


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
