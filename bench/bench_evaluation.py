"""The evaluation dashboard's server time as a ratio to the signed-in floor (an empty page), and its query count,
at two data sizes (``PEERWORK_BENCH_SIZES``, default ``small,medium``; ``national`` works too, slowly).

The dashboard computes every figure with a fixed number of aggregate queries, so the query count should be
the same at both sizes; the time grows only with what the database does inside those queries. Also the
co-creation pages a manager opens most. Prints only; never passes or fails on time.
"""

from __future__ import annotations

import os
import time

from _harness import client_for, floor, measure, migrate, report

from peerwork.accounts.models import Membership
from peerwork.core.roles import Role
from peerwork.demo.generate import SCALES, generate

PAGES = [
    ("evaluation dashboard (last 12 months)", "/evaluation/dashboard/?period=last_12_months"),
    ("evaluation dashboard (one team, this year)", "/evaluation/dashboard/?period=this_year&unit={unit}"),
    ("evaluation CSV export", "/evaluation/export.csv?period=last_12_months"),
    ("co-creation: initiatives", "/cocreation/initiatives/"),
    ("co-creation: boards", "/cocreation/boards/"),
    ("co-creation: signals (manager)", "/cocreation/signals/"),
]


def main() -> None:
    migrate()
    sizes = [s.strip() for s in os.environ.get("PEERWORK_BENCH_SIZES", "small,medium").split(",") if s.strip()]
    for n, size in enumerate(sizes):
        spec = SCALES[size]
        t = time.perf_counter()
        generated = generate(**spec, seed=100 + n)
        print(f"\nGenerated the {size} data set ({spec}) in {time.perf_counter() - t:.0f} s")
        # The largest organisation of this data set: where a manager's dashboard has the most to count.
        org = max(generated.organisations, key=lambda o: len(generated.peer_workers_by_org.get(o.pk, [])))
        manager = Membership.objects.filter(organisation=org, role=Role.MANAGER).select_related("user").first().user
        unit = generated.units_by_org[org.pk][0].pk
        client = client_for(manager)
        floor_ms = floor(client)
        rows = []
        for name, path in PAGES:
            ms, queries = measure(client, path.format(unit=unit), runs=10)
            rows.append((name, ms, queries))
        report(
            f"{size.capitalize()} data set: one organisation of {spec['organisations']} "
            f"({len(generated.peer_workers_by_org[org.pk])} peer workers)",
            rows,
            floor_ms,
        )


if __name__ == "__main__":
    main()
