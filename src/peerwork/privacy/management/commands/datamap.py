from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerwork.privacy import datamap

DOC = Path(settings.BASE_DIR).parent.parent / "docs" / "data-protection.md"


class Command(BaseCommand):
    help = (
        "The data map. `datamap doc` writes the record of processing, field by field, into "
        "docs/data-protection.md (between its markers); `datamap doc --check` only says whether the document is "
        "up to date; `datamap check` lists fields that are not declared; `datamap table` prints the tables."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        doc = sub.add_parser("doc", help="Write the record of processing into docs/data-protection.md.")
        doc.add_argument("--check", action="store_true", help="Fail if the document is not up to date.")
        doc.add_argument("--path", default=str(DOC), help="The document (default: docs/data-protection.md).")
        sub.add_parser("table", help="Print the data map as Markdown tables.")
        sub.add_parser("check", help="Fail if a field is not declared or a declaration names no field.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "table":
            self.stdout.write(datamap.table_markdown())
            return
        if options["verb"] == "check":
            undeclared, unknown = datamap.gaps()
            if undeclared or unknown:
                raise CommandError(
                    "Declare these fields in peerwork/privacy/datamap.py: "
                    + ", ".join(undeclared or ["none"])
                    + ". Declared but not found: "
                    + ", ".join(unknown or ["none"])
                    + "."
                )
            self.stdout.write(f"Every field is declared ({len(datamap.MAP)} tables).")
            return
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        current = path.read_text(encoding="utf-8")
        try:
            wanted = datamap.with_table(current)
        except ValueError as exc:
            raise CommandError(f"{path}: {exc}. Add the two marker lines where the record belongs.") from exc
        if options["check"]:
            if wanted != current:
                raise CommandError(f"{path} is out of date: run `peerwork datamap doc`.")
            self.stdout.write(f"{path} is up to date ({len(datamap.MAP)} tables).")
            return
        if wanted != current:
            path.write_text(wanted, encoding="utf-8")
            self.stdout.write(f"Wrote the data map ({len(datamap.MAP)} tables) into {path}.")
        else:
            self.stdout.write(f"{path} was already up to date.")
