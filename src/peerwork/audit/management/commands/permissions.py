from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from peerwork.audit import matrix
from peerwork.core import docs


class Command(BaseCommand):
    help = (
        "The permission matrix. `permissions doc` writes who may see what into docs/data-protection.md "
        "(between its markers); `permissions doc --check` only says whether the document is up to date; "
        "`permissions table` prints the table."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        doc = sub.add_parser("doc", help="Write the matrix into docs/data-protection.md.")
        docs.add_doc_arguments(doc, "the permission matrix")
        sub.add_parser("table", help="Print the matrix as a Markdown table.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "table":
            self.stdout.write(matrix.table())
            return
        self.stdout.write(
            docs.write_section(
                options["path"],
                matrix.DOC_SECTION,
                matrix.doc_body(),
                check=options["check"],
                command=matrix.DOC_COMMAND,
                what=f"the permission matrix ({len(matrix.ROUTES)} routes)",
            )
        )
