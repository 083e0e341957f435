from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerwork.audit.models import AuditHead
from peerwork.audit.trail import checkpoint, verify, verify_checkpoint


class Command(BaseCommand):
    help = (
        "Work with the audit trail. `audit verify` recomputes every hash chain, checks every chain head's "
        "signature and reports any break; `audit checkpoint` writes a signed checkpoint to keep outside "
        "Peerwork, which `audit verify --checkpoint FILE` later checks the history against."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        v = sub.add_parser("verify", help="Check that no audit entry was changed, removed, added or reordered.")
        v.add_argument("--chain", type=int, help="Only this chain (an organisation's id; 0 for system events).")
        v.add_argument("--checkpoint", help="Also check the history against a checkpoint file kept outside.")
        c = sub.add_parser("checkpoint", help="Write a signed checkpoint of every chain (JSON).")
        c.add_argument("--output", help="The file to write (default: standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "checkpoint":
            text = json.dumps(checkpoint(), indent=2) + "\n"
            if options.get("output"):
                Path(options["output"]).write_text(text, encoding="utf-8")
                self.stdout.write(f"Checkpoint written to {options['output']}; keep it outside Peerwork.")
            else:
                sys.stdout.write(text)
            return
        problems = list(verify(options.get("chain")))
        if options.get("checkpoint"):
            try:
                data = json.loads(Path(options["checkpoint"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"Cannot read the checkpoint {options['checkpoint']}: {exc}") from exc
            problems += list(verify_checkpoint(data))
        heads = (
            AuditHead.objects.all()
            if options.get("chain") is None
            else AuditHead.objects.filter(chain=options["chain"])
        )
        total = sum(h.count for h in heads)
        if problems:
            for p in problems:
                where = f"entry {p.entry_id}" if p.entry_id else "whole chain"
                self.stderr.write(f"chain {p.chain}, {where}: {p.problem}")
            raise CommandError(f"The audit trail has been tampered with: {len(problems)} problem(s) found.")
        self.stdout.write(f"Audit trail intact: {heads.count()} chain(s), {total} entries verified.")
