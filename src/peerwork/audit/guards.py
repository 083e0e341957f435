"""Database triggers that keep the audit trail append-only, whatever writes to the database.

Entries can be neither changed nor deleted; a chain head can only move forward (its count grows, its chain
stays) and cannot be deleted. The same rules hold on SQLite and PostgreSQL. They stop the application and
anyone using its database account by mistake; someone who drops the triggers is caught by ``verify``, whose
chain heads are signed with a key kept outside the database.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

ENTRY = "privacy_auditentry"
HEAD = "privacy_audithead"

SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS privacy_auditentry_no_update BEFORE UPDATE ON {ENTRY} "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
    f"CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON {ENTRY} "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
    f"CREATE TRIGGER IF NOT EXISTS audit_head_no_delete BEFORE DELETE ON {HEAD} "
    "BEGIN SELECT RAISE(ABORT, 'an audit chain head cannot be deleted'); END;",
    f"CREATE TRIGGER IF NOT EXISTS audit_head_forward_only BEFORE UPDATE ON {HEAD} "
    "WHEN NEW.chain <> OLD.chain OR NEW.count <= OLD.count "
    "BEGIN SELECT RAISE(ABORT, 'an audit chain head only moves forward'); END;",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS privacy_auditentry_no_update;",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete;",
    "DROP TRIGGER IF EXISTS audit_head_no_delete;",
    "DROP TRIGGER IF EXISTS audit_head_forward_only;",
]

POSTGRES_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION peerwork_audit_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE OR REPLACE FUNCTION peerwork_audit_head_forward_only() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'an audit chain head cannot be deleted'; END IF;
      IF NEW.chain <> OLD.chain OR NEW.count <= OLD.count THEN
        RAISE EXCEPTION 'an audit chain head only moves forward';
      END IF;
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"DROP TRIGGER IF EXISTS privacy_auditentry_no_change ON {ENTRY};",
    f"CREATE TRIGGER privacy_auditentry_no_change BEFORE UPDATE OR DELETE ON {ENTRY} "
    "FOR EACH ROW EXECUTE FUNCTION peerwork_audit_append_only();",
    f"DROP TRIGGER IF EXISTS audit_head_forward_only ON {HEAD};",
    f"CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON {HEAD} "
    "FOR EACH ROW EXECUTE FUNCTION peerwork_audit_head_forward_only();",
]
POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS privacy_auditentry_no_change ON {ENTRY};",
    f"DROP TRIGGER IF EXISTS audit_head_forward_only ON {HEAD};",
]


def _statements(connection: BaseDatabaseWrapper, install: bool) -> list[str]:
    if connection.vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_REMOVE
    if connection.vendor == "postgresql":
        return POSTGRES_INSTALL if install else POSTGRES_REMOVE
    return []


def install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection, install=True):
            cursor.execute(sql)


def remove(connection: BaseDatabaseWrapper) -> None:
    """Lift the guards (only to empty a test database, or in a migration that replaces them)."""
    with connection.cursor() as cursor:
        for sql in _statements(connection, install=False):
            cursor.execute(sql)
