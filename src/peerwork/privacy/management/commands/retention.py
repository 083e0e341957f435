from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from peerwork.organisations.models import Organisation
from peerwork.privacy import services
from peerwork.privacy.retention import months_for


class Command(BaseCommand):
    help = (
        "Anonymise records whose retention period has passed. "
        "`retention run --dry-run` lists what would change "
        "(numbers and dates only, never names); `retention run` does it, one transaction and one audit entry "
        "per person."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        run = sub.add_parser("run", help="Anonymise every record that is due (or list them with --dry-run).")
        run.add_argument("--dry-run", action="store_true", help="List what would change; change nothing.")
        run.add_argument("--organisation", help="Only this organisation (its id or slug).")
        run.add_argument("--today", help="Act as if today were this day (YYYY-MM-DD), for checks and tests.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options.get("today"):
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today must be a date like 2026-03-31.") from None
        orgs = Organisation.objects.order_by("pk")
        if options.get("organisation"):
            key = options["organisation"]
            orgs = orgs.filter(pk=int(key)) if key.isdigit() else orgs.filter(slug=key)
            if not orgs.exists():
                raise CommandError(f"No organisation with id or slug {key!r}.")
        dry = options["dry_run"]
        total = 0
        for org in orgs:
            handled = services.run_retention(None, org.pk, today, dry_run=dry)
            months = months_for(org.pk)
            for item in handled:
                verb = "would be anonymised" if dry else "anonymised"
                self.stdout.write(
                    f"organisation {org.pk}: person {item.service_user_id} {verb} "
                    f"(last engagement ended {item.last_closed_on.isoformat()}, "
                    f"due {item.due_on.isoformat()}, "
                    f"policy {months} months)"
                )
            total += len(handled)
        if dry:
            self.stdout.write(f"Dry run: {total} record(s) would be anonymised. Nothing was changed.")
        else:
            self.stdout.write(f"{total} record(s) anonymised; each has an entry in the audit trail.")
