from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerwork.audit.models import AuditHead
from peerwork.audit.trail import (
    SYSTEM_CHAIN,
    checkpoint,
    describe,
    open_lanes,
    organisation_of,
    verify,
    verify_checkpoint,
)


class Command(BaseCommand):
    help = (
        "Work with the audit trail. `audit verify` recomputes every hash chain (every lane of every "
        "organisation), checks every chain head's signature and that no lane is missing, and reports any break; "
        "`audit checkpoint` writes a signed checkpoint to keep outside Peerwork, which `audit verify "
        "--checkpoint FILE` later checks the history against; `audit open-lanes` opens the lanes each "
        "organisation should have after PEERWORK_AUDIT_LANES was raised."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        v = sub.add_parser("verify", help="Check that no audit entry was changed, removed, added or reordered.")
        v.add_argument("--organisation", type=int, help="Only this organisation's lanes (its id; 0 for system events).")
        v.add_argument("--checkpoint", help="Also check the history against a checkpoint file kept outside.")
        c = sub.add_parser("checkpoint", help="Write a signed checkpoint of every chain (JSON).")
        c.add_argument("--output", help="The file to write (default: standard output).")
        sub.add_parser("open-lanes", help="Open the audit lanes every organisation should have and lacks.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "checkpoint":
            text = json.dumps(checkpoint(), indent=2) + "\n"
            if options.get("output"):
                Path(options["output"]).write_text(text, encoding="utf-8")
                self.stdout.write(f"Checkpoint written to {options['output']}; keep it outside Peerwork.")
            else:
                sys.stdout.write(text)
            return
        if options["verb"] == "open-lanes":
            chains = AuditHead.objects.exclude(chain=SYSTEM_CHAIN).values_list("chain", flat=True)
            organisations = sorted({organisation_of(c) for c in chains})
            opened = sum(open_lanes(o) for o in organisations)
            self.stdout.write(f"{opened} lane(s) opened in {len(organisations)} organisation(s).")
            return
        organisation = options.get("organisation")
        problems = list(verify(organisation))
        if options.get("checkpoint"):
            try:
                data = json.loads(Path(options["checkpoint"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"Cannot read the checkpoint {options['checkpoint']}: {exc}") from exc
            problems += list(verify_checkpoint(data))
        heads = [h for h in AuditHead.objects.all() if organisation is None or organisation_of(h.chain) == organisation]
        total = sum(h.count for h in heads)
        if problems:
            for p in problems:
                where = f"entry {p.entry_id}" if p.entry_id else "whole chain"
                self.stderr.write(f"{describe(p.chain)}, {where}: {p.problem}")
            raise CommandError(f"The audit trail has been tampered with: {len(problems)} problem(s) found.")
        self.stdout.write(f"Audit trail intact: {len(heads)} chain(s), {total} entries verified.")
