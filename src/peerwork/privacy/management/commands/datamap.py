from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerwork.core import docs
from peerwork.privacy import datamap


class Command(BaseCommand):
    help = (
        "The data map. `datamap doc` writes the record of processing, field by field, into "
        "docs/data-protection.md (between its markers); `datamap doc --check` only says whether the document is "
        "up to date; `datamap check` lists fields that are not declared; `datamap table` prints the tables."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        doc = sub.add_parser("doc", help="Write the record of processing into docs/data-protection.md.")
        docs.add_doc_arguments(doc, "the record of processing")
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
        self.stdout.write(
            docs.write_section(
                options["path"],
                datamap.DOC_SECTION,
                datamap.doc_body(),
                check=options["check"],
                command=datamap.DOC_COMMAND,
                what=f"the data map ({len(datamap.MAP)} tables)",
            )
        )
