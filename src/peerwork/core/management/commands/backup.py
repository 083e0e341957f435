from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerwork.core.backup import BackupError, backup, describe_database


class Command(BaseCommand):
    help = (
        "Back up the whole database into FILE, a new file readable only by you: SQLite through its online backup "
        "(Peerwork may keep running), PostgreSQL with pg_dump's custom format. `peerwork restore FILE` puts it back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The backup file to write (it must not exist yet).")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up {describe_database()} into {path} ({path.stat().st_size:,} bytes).")
        self.stdout.write("It holds health data: keep it encrypted, with as few people able to read it as possible.")
