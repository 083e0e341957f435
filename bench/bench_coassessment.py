"""The co-assessment coding page and compare-coders page of a big workspace against a demo-sized one.

The big workspace is the national data set's (``peerwork.coassessment.generate.BIG``: 200 transcripts of
about 5,000 words, ~40 segments each, coded by 5 coders); the demo-sized one has a few transcripts of a few
hundred words coded by 3 coders (``SMALL``). Both are generated in the same organisation, so both are read by
the same signed-in team lead. For each page: the median server time, the query count, the ratio to the
signed-in floor measured alongside it (each page request right after a floor request) and the growth (the big
workspace's ratio over the demo-sized one's). ``PEERWORK_BENCH_RUNS`` sets the timed requests (default 15).
Last, the first visit of the compare page after the codings changed, when the stored figures are computed
again: after a change to every code, and after a change to one code alone.

Runs on SQLite, or on a throw-away PostgreSQL database with ``PEERWORK_BENCH_SQLITE=0`` and
``PEERWORK_DATABASE_URL`` set. Prints only; never fails on time.
"""

from __future__ import annotations

import os
import random
import statistics
import time

from _harness import DATABASE, FLOOR_PATH, client_for, migrate
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from peerwork.accounts.models import User
from peerwork.coassessment import generate as coassessment_generate
from peerwork.coassessment import services
from peerwork.coassessment.models import CoAssessment, Code, Material, TeamMember
from peerwork.core import bulkload
from peerwork.demo.generate import generate

RUNS = int(os.environ.get("PEERWORK_BENCH_RUNS", "15"))


def _timed(client: Client, path: str) -> float:
    t = time.perf_counter()
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)  # noqa: S101
    return (time.perf_counter() - t) * 1000


def measure(client: Client, path: str) -> tuple[float, float, int]:
    """The page's median, the floor's median over the same moments, and the page's query count."""
    _timed(client, path)  # warm-up
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        _timed(client, path)
    queries = len(ctx.captured_queries)
    pages, floors = [], []
    for _ in range(RUNS):
        floors.append(_timed(client, FLOOR_PATH))
        pages.append(_timed(client, path))
    reset_queries()
    return statistics.median(pages), statistics.median(floors), queries


def main() -> None:
    migrate()
    t = time.perf_counter()
    g = generate(organisations=1, peer_workers=24, service_users=400, contacts=2000, seed=23, audit=False)
    org = g.organisations[0]
    print(f"co-assessment bench on {DATABASE}, {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f}")
    print(f"  an organisation with demo-sized co-assessments generated in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    big = coassessment_generate.build(
        org.pk, rng=random.Random(5), title="Peer support across the region", **coassessment_generate.BIG
    )
    bulkload.analyze()  # as ``peerwork generate`` does after its bulk loads
    print(
        f"  the big workspace ({big.materials} transcripts, {big.segments:,} segments, {big.codings:,} codings, "
        f"{big.participants} participants) bulk-loaded in {time.perf_counter() - t:.1f} s"
    )
    small = CoAssessment.objects.get(organisation=org, status=CoAssessment.Status.ANALYSING, title__startswith="Co-")
    lead_id = TeamMember.objects.get(coassessment=big.coassessment, role=TeamMember.Role.LEAD).person_id
    assert TeamMember.objects.filter(coassessment=small, person_id=lead_id).exists()  # noqa: S101
    client = client_for(User.objects.get(pk=lead_id))

    def pages(ca: CoAssessment) -> dict[str, str]:
        material = Material.objects.filter(coassessment=ca).order_by("pk").values_list("pk", flat=True)[0]
        return {
            "coding page (one transcript)": f"/coassessment/material/{material}/",
            "compare coders": f"/coassessment/{ca.pk}/compare/",
            "where coders differ": f"/coassessment/{ca.pk}/compare/differences/",
        }

    results: dict[str, dict[str, tuple[float, float, int]]] = {"demo": {}, "big": {}}
    for scale, ca in (("demo", small), ("big", big.coassessment)):
        for name, path in pages(ca).items():
            results[scale][name] = measure(client, path)

    print(f"\nCo-assessment pages, demo-sized against big workspace ({DATABASE}, {RUNS} runs)")
    print("  (x floor: against the signed-in empty page measured alongside; growth: big x floor / demo x floor)")
    print(
        f"  {'page':<30} {'demo ms':>9} {'big ms':>9} {'q demo':>7} {'q big':>7} "
        f"{'x floor demo':>13} {'x floor big':>12} {'growth':>7}"
    )
    for name in results["big"]:
        d_ms, d_floor, d_q = results["demo"][name]
        b_ms, b_floor, b_q = results["big"][name]
        d_ratio, b_ratio = d_ms / d_floor, b_ms / b_floor
        print(
            f"  {name:<30} {d_ms:>9.2f} {b_ms:>9.2f} {d_q:>7} {b_q:>7} "
            f"{d_ratio:>13.1f} {b_ratio:>12.1f} {b_ratio / d_ratio:>7.2f}"
        )
    floors = [f for scale in results.values() for _ms, f, _q in scale.values()]
    print(f"  signed-in floor: median {statistics.median(floors):.2f} ms")
    recompute(client, big.coassessment)


def recompute(client: Client, ca: CoAssessment) -> None:
    """The first visit of the compare page after the codings changed, when the stored figures are computed
    again: after a change to every code, and after a change to one code's codings (where the figures are
    computed again per code)."""
    path = f"/coassessment/{ca.pk}/compare/"
    code = Code.objects.filter(coassessment=ca).order_by("pk").values_list("pk", flat=True)[0]

    def first_visit(code_ids: list[int] | None) -> tuple[float, int]:
        times, queries = [], 0
        for _ in range(max(RUNS // 2, 2)):
            with transaction.atomic():
                if code_ids is None:
                    services.codings_changed(ca.pk)
                else:
                    try:
                        services.codings_changed(ca.pk, code_ids)
                    except TypeError:  # a version that computes every code again: only the co-assessment's count
                        services.codings_changed(ca.pk)
            with CaptureQueriesContext(connection) as ctx:
                times.append(_timed(client, path))
            queries = len(ctx.captured_queries)
        return statistics.median(times), queries

    print("\nCompare coders, first visit after the codings changed (big workspace)")
    for name, code_ids in (("every code changed", None), ("one code changed", [code])):
        ms, queries = first_visit(code_ids)
        print(f"  {name:<30} {ms:>9.1f} ms {queries:>4} queries")


if __name__ == "__main__":
    main()
