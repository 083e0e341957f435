from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerwork.demo.generate import SCALES, generate


class Command(BaseCommand):
    help = "Fill the database with generated data for benchmarks (bulk inserts). Nothing real."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), help="a preset; the options below override it")
        parser.add_argument("--organisations", type=int)
        parser.add_argument("--peer-workers", type=int)
        parser.add_argument("--service-users", type=int)
        parser.add_argument("--contacts", type=int)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args: Any, **options: Any) -> None:
        sizes = dict(SCALES[options["scale"] or "small"])
        for key in sizes:
            if options.get(key) is not None:
                sizes[key] = options[key]
        if sizes["organisations"] < 1 or sizes["peer_workers"] < sizes["organisations"]:
            raise CommandError("Give at least one organisation and at least one peer worker per organisation.")
        if min(sizes.values()) < 0:
            raise CommandError("Counts cannot be negative.")
        started = time.perf_counter()
        result = generate(
            seed=options["seed"],
            organisations=sizes["organisations"],
            peer_workers=sizes["peer_workers"],
            service_users=sizes["service_users"],
            contacts=sizes["contacts"],
        )
        for what, seconds in result.timings.items():
            self.stdout.write(f"  {what}: {seconds:.1f} s")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {sizes['organisations']} organisations, {sizes['peer_workers']} peer workers, "
                f"{sizes['service_users']} service users and {sizes['contacts']} contacts "
                f"in {time.perf_counter() - started:.0f} s."
            )
        )
