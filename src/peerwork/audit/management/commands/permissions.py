from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerwork.audit import matrix

DOC = Path(settings.BASE_DIR).parent.parent / "docs" / "data-protection.md"


class Command(BaseCommand):
    help = (
        "The permission matrix. `permissions doc` writes who may see what into docs/data-protection.md "
        "(between its markers); `permissions doc --check` only says whether the document is up to date; "
        "`permissions table` prints the table."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        doc = sub.add_parser("doc", help="Write the matrix into docs/data-protection.md.")
        doc.add_argument("--check", action="store_true", help="Fail if the document is not up to date.")
        doc.add_argument("--path", default=str(DOC), help="The document (default: docs/data-protection.md).")
        sub.add_parser("table", help="Print the matrix as a Markdown table.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "table":
            self.stdout.write(matrix.table())
            return
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        current = path.read_text(encoding="utf-8")
        try:
            wanted = matrix.with_table(current)
        except ValueError as exc:
            raise CommandError(f"{path}: {exc}. Add the two marker lines where the table belongs.") from exc
        if options["check"]:
            if wanted != current:
                raise CommandError(f"{path} is out of date: run `peerwork permissions doc`.")
            self.stdout.write(f"{path} is up to date ({len(matrix.ROUTES)} routes).")
            return
        if wanted != current:
            path.write_text(wanted, encoding="utf-8")
            self.stdout.write(f"Wrote the permission matrix ({len(matrix.ROUTES)} routes) into {path}.")
        else:
            self.stdout.write(f"{path} was already up to date.")
