"""Backing up and restoring Peerwork's database: ``peerwork backup FILE`` and ``peerwork restore FILE``.

SQLite: SQLite's online backup API (a consistent copy while Peerwork runs), written as one self-contained file.
PostgreSQL: ``pg_dump`` in its custom format and ``pg_restore`` in one transaction; the client must be at least
as new as the server (``./run`` installs Debian's ``postgresql-client`` for the server's major version).

A backup holds special-category health data: the file is created readable by its owner only (0600), and a
backup never overwrites an existing file. After a restore the audit trail is verified (``peerwork restore``).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump and pg_restore, with fixed arguments and no shell
from contextlib import closing
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Tables every Peerwork database has: a file without them is not a backup of Peerwork.
REQUIRED_TABLES = ("django_migrations", "privacy_auditentry", "privacy_audithead")


class BackupError(Exception):
    """Something the operator can fix; the message says how."""


def describe_database() -> str:
    """The database in words for the operator: the SQLite file, or PostgreSQL's host and database name."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"the SQLite database {settings['NAME']}"
    return f"the PostgreSQL database {settings['NAME']} on {settings.get('HOST') or 'the local socket'}"


def backup(path: Path) -> None:
    """Write a consistent copy of the whole database to ``path`` (which must not exist yet)."""
    if path.exists():
        raise BackupError(f"{path} exists already: a backup never overwrites a file. Choose a new file name.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist: create it first, or choose another.")
    partial = path.with_name(path.name + ".partial")
    _create_private(partial)
    try:
        if connection.vendor == "sqlite":
            _sqlite_backup(partial)
        elif connection.vendor == "postgresql":
            _run(["pg_dump", "--format=custom", f"--file={partial}"], dbname=True)
        else:
            raise BackupError(f"Peerwork cannot back up a {connection.vendor} database; use SQLite or PostgreSQL.")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def restore(path: Path) -> None:
    """Replace everything in the database with the backup at ``path``, all at once or not at all."""
    if not path.is_file():
        raise BackupError(f"There is no file {path}: give the path of a file made by `peerwork backup`.")
    if connection.vendor == "sqlite":
        _sqlite_restore(path)
    elif connection.vendor == "postgresql":
        listing = _run(["pg_restore", "--list", str(path)], dbname=False, check=False)
        if listing.returncode != 0:
            raise BackupError(f"{path} is not a PostgreSQL backup made by `peerwork backup` (pg_dump's custom format).")
        connection.close()  # hold no lock while pg_restore replaces the tables
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                str(path),
            ],
            dbname=True,
        )
    else:
        raise BackupError(f"Peerwork cannot restore into a {connection.vendor} database; use SQLite or PostgreSQL.")
    connection.close()


def unapplied_migrations() -> list[str]:
    """Migrations the restored database lacks (a backup from an older version of Peerwork)."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _create_private(path: Path) -> None:
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))


def _sqlite_backup(target_path: Path) -> None:
    connection.ensure_connection()
    source: Any = connection.connection
    with closing(sqlite3.connect(target_path)) as target:
        source.backup(target)
        # One file, readable alone: no write-ahead log beside it.
        target.execute("PRAGMA journal_mode=DELETE")


def _sqlite_restore(path: Path) -> None:
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as backup_db:
            tables = {row[0] for row in backup_db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            intact = backup_db.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not an SQLite backup made by `peerwork backup` ({exc}).") from exc
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        raise BackupError(f"{path} is not a backup of Peerwork: it lacks the tables {', '.join(missing)}.")
    if not intact or intact[0] != "ok":
        raise BackupError(f"{path} is damaged (SQLite's check says: {intact[0] if intact else 'nothing'}).")
    connection.ensure_connection()
    target: Any = connection.connection
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as backup_db:
        backup_db.backup(target)  # page by page, in one step: readers see the old or the new database


def _run(argv: list[str], *, dbname: bool, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL client with the connection from Django's settings, the password in the environment."""
    program = shutil.which(argv[0])
    if program is None:
        raise BackupError(
            f"{argv[0]} is not installed: install PostgreSQL's client programs (Debian: postgresql-client-<the "
            "server's major version>; `./run manage backup …` installs them)."
        )
    settings = connection.settings_dict
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if settings.get(key):
            env[variable] = str(settings[key])
    if settings.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(settings["OPTIONS"]["sslmode"])
    command = [program, *([f"--dbname={settings['NAME']}"] if dbname else []), *argv[1:]]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if check and result.returncode != 0:
        raise BackupError(f"{argv[0]} failed (exit code {result.returncode}): {result.stderr.strip()[-2000:]}")
    return result
