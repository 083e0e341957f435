from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerwork.core import translations


class Command(BaseCommand):
    help = (
        "Keep the nb and da catalogues complete: `update` extracts strings, `compile` builds .mo, `check` lists gaps."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("verb", choices=["update", "compile", "check"])
        parser.add_argument("catalogues", nargs="*", help="only these (app names, or 'peerwork' for the shared layout)")

    def handle(self, *args: Any, verb: str, catalogues: list[str], **options: Any) -> None:
        if verb == "update":
            translations.update(catalogues or None)
            self.stdout.write("Catalogues updated; translate the empty msgstr entries, then run `compile`.")
        elif verb == "compile":
            translations.compile_all(catalogues or None)
            self.stdout.write("Compiled.")
        else:
            problems = translations.missing()
            for p in problems:
                self.stdout.write(p)
            if problems:
                raise CommandError(f"{len(problems)} translation problem(s).")
            self.stdout.write("Every string is translated into every language.")
