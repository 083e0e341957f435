from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerwork.audit.models import AuditHead
from peerwork.audit.trail import verify


class Command(BaseCommand):
    help = "Work with the audit trail. `audit verify` recomputes every hash chain and reports any break."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        v = sub.add_parser("verify", help="Check that no audit entry was changed, removed or reordered.")
        v.add_argument("--chain", type=int, help="Only this chain (an organisation's id; 0 for system events).")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = list(verify(options.get("chain")))
        heads = (
            AuditHead.objects.all()
            if options.get("chain") is None
            else AuditHead.objects.filter(chain=options["chain"])
        )
        total = sum(h.count for h in heads)
        if problems:
            for p in problems:
                where = f"entry {p.entry_id}" if p.entry_id else "end of chain"
                self.stderr.write(f"chain {p.chain}, {where}: {p.problem}")
            raise CommandError(f"The audit trail has been tampered with: {len(problems)} problem(s) found.")
        self.stdout.write(f"Audit trail intact: {heads.count()} chain(s), {total} entries verified.")
