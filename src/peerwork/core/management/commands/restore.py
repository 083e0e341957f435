from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerwork.core.backup import BackupError, describe_database, restore, unapplied_migrations


class Command(BaseCommand):
    help = (
        "Replace everything in the database with a backup made by `peerwork backup`, all at once or not at all, "
        "then verify the audit trail (`peerwork audit verify`) and report. Stop Peerwork (pages and worker) first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The backup file to restore.")
        parser.add_argument("--no-input", action="store_false", dest="interactive", help="Do not ask for confirmation.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        target = describe_database()
        if options["interactive"]:
            answer = input(f"This replaces everything in {target} with {path}. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing restored.")
        try:
            restore(path)
        except BackupError as exc:
            raise CommandError(f"{exc} Nothing was restored.") from exc
        self.stdout.write(f"Restored {target} from {path}.")
        # The audit trail's hash chains and signed heads show whether the restored history is whole.
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command("audit", "verify", stdout=out, stderr=err)
        except CommandError as exc:
            self.stderr.write(err.getvalue().rstrip())
            raise CommandError(
                f"Restored, but the audit check failed: {exc} Check that PEERWORK_AUDIT_KEYS holds the keys that "
                "were in use when the backup was made; do not serve this database before you know why."
            ) from exc
        self.stdout.write(out.getvalue().rstrip())
        pending = unapplied_migrations()
        if pending:
            self.stdout.write(
                f"The backup is from an older version of Peerwork ({len(pending)} migration(s) to apply): "
                "run `peerwork migrate` before serving."
            )
