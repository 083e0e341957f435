from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerwork.core import docs, sources

SOURCES_DOC = Path(settings.BASE_DIR).parent.parent / "docs" / "sources.md"


class Command(BaseCommand):
    help = (
        "Where Peerwork's rules come from. `sources doc` writes the sources, their paraphrased sections and every "
        "catalogue entry's citations into docs/sources.md (between its markers); `sources doc --check` only says "
        "whether it is up to date; `sources check` lists entries without a citation or with an unknown one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        doc = sub.add_parser("doc", help="Write the sources into docs/sources.md.")
        doc.add_argument("--check", action="store_true", help="Fail if the document is not up to date.")
        doc.add_argument("--path", default=str(SOURCES_DOC), help=f"The document to write (default: {SOURCES_DOC}).")
        sub.add_parser("check", help="List catalogue entries without a citation or with an unknown one.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "check":
            problems = [
                f"{e.kind} {e.code}: "
                + ("no citation" if not e.cites else "unknown " + ", ".join(sources.unknown(e.cites)))
                for e in sources.catalogue()
                if not e.cites or sources.unknown(e.cites)
            ]
            if problems:
                raise CommandError("\n".join(problems))
            self.stdout.write("Every catalogue entry cites a known source or default.")
            return
        self.stdout.write(
            docs.write_section(
                options["path"],
                sources.DOC_SECTION,
                sources.doc_body(),
                check=options["check"],
                command=sources.DOC_COMMAND,
                what=f"the sources ({len(sources.CITATIONS)} citations)",
            )
        )
