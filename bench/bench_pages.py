"""Every page of the permission matrix, for its main role, at demo scale and at national scale, against the
signed-in floor (an empty page through the same middleware and base layout) measured in the same run.

For each page: the median server time, the number of queries, the ratio to the floor and the national/demo
ratio (of the ratios to the floor). Each page request follows a floor request and the ratio is of the two
medians, so how busy the machine was at that moment weighs on both alike. Last, the summary line
``worst page: <ratio>x floor at national scale (<page>); worst growth: <ratio>x (<page>)``, over every database
measured, and ``worst document: …`` in the same form. Documents are downloads, not pages: a file made for
one person or one report (a PDF, JSON or CSV copy, whose address ends in ``.pdf``, ``.json`` or ``.csv``),
whose size is that of the record it copies; they are timed and printed with the pages but summed up on
their own line, so the worst-page line speaks of the pages people browse.

Runs on SQLite, and also on PostgreSQL when ``PEERWORK_DATABASE_URL`` is set (each in its own process, on a
throw-away database). Demo scale is the demo world (``peerwork demo``); national scale adds the national data
set (``peerwork generate --scale national``: 50 organisations of about 40 peer workers, 2,000 people, 40,000
contacts and a year of audit trail each) and measures its largest organisation. ``PEERWORK_BENCH_ORGS=5``
generates 5 organisations of the same size instead of 50, for a run of minutes; ``PEERWORK_BENCH_RUNS``
sets the timed requests per page (default 7; a page that would take more than 20 s for them is timed once).
``PEERWORK_BENCH_PAGES=privacy:export_html,service:dashboard`` times only the pages named (route names of the
permission matrix), for a quick look at a few pages while working on them.

A page's main role is the first role, widest reach first, that may open it and gets the page (200) for an
object of the organisation; the URL's id is an object of that organisation (the busiest engagement, its
person, the longest-waiting referral, or the first of its kind), or one the role's own person holds. A page
whose object the generated organisation does not have (groups and courses, job descriptions, extracts) is
measured in the demo organisation among the national data and says so. Prints only; never fails on time.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULT = "RESULT "
PREFERENCE = ["coordinator", "peer_worker", "manager", "dpo", "senior_peer_worker", "professional", "administrator"]
LEVELS = {"none": 0, "own": 1, "team": 2, "org": 3}
BUDGET_MS = 20_000  # a page whose timed requests would take longer is timed once
# Addresses of documents (downloads), summed up apart from the pages (module docstring).
DOCUMENT_SUFFIXES = (".pdf", ".json", ".csv")
# Pages this bench does not time, and why (every other GET page of the matrix is timed).
NOT_TIMED = {
    "accounts:otp_verify": "the two-step page itself, before a person is signed in",
    "accounts:otp_setup": "the two-step page itself, before a person is signed in",
    "accounts:otp_recovery": "the two-step page itself, before a person is signed in",
}


def parent() -> None:
    """Run the bench once per database, each in its own process, and print the summary over all of them."""
    databases = [("SQLite", "1")]
    if os.environ.get("PEERWORK_DATABASE_URL"):
        databases.append(("PostgreSQL", "0"))
    results: list[dict[str, Any]] = []
    for _name, sqlite in databases:
        env = {
            **os.environ,
            "PEERWORK_BENCH_PAGES_CHILD": "1",
            "PEERWORK_BENCH_SQLITE": sqlite,
            "PYTHONUNBUFFERED": "1",
        }
        proc = subprocess.Popen(  # noqa: S603 (this same script)
            [sys.executable, str(Path(__file__).resolve())], env=env, stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(RESULT):
                results.append(json.loads(line[len(RESULT) :]))
            else:
                print(line, end="", flush=True)
        if proc.wait() != 0:
            print(f"the run on {_name} failed (exit {proc.returncode})")
    every = [r for res in results for r in res["rows"]]
    for what, rows in (
        ("page", [r for r in every if not r.get("document")]),
        ("document", [r for r in every if r.get("document")]),
    ):
        timed = [r for r in rows if r["national_ratio"] is not None]
        worst = max(timed, key=lambda r: r["national_ratio"], default=None)
        grows = max((r for r in rows if r["growth"] is not None), key=lambda r: r["growth"], default=None)
        if worst is None or grows is None:
            print(f"worst {what}: n/a; worst growth: n/a")
            continue
        print(
            f"worst {what}: {worst['national_ratio']:.1f}x floor at national scale ({worst['page']}, {worst['db']}); "
            f"worst growth: {grows['growth']:.2f}x ({grows['page']}, {grows['db']})"
        )


def child() -> None:  # noqa: C901, PLR0915 (one bench, read top to bottom)
    import logging
    import time

    from _harness import DATABASE, FLOOR_PATH, client_for, floor, migrate
    from django.apps import apps
    from django.db import connection, reset_queries
    from django.db.models import Count, Model
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from peerwork.accounts.models import Membership, User
    from peerwork.audit import matrix
    from peerwork.demo.generate import SCALES, generate
    from peerwork.demo.seed import NO_SLUG, seed_demo
    from peerwork.organisations.models import Organisation
    from peerwork.service.models import Engagement, Referral

    logging.getLogger("django.request").setLevel(logging.ERROR)  # refusals while finding a page's main role
    runs = int(os.environ.get("PEERWORK_BENCH_RUNS", "7"))
    paths = matrix.url_patterns()
    pages = [
        r for r in matrix.ROUTES if r.method == "GET" and not r.public and not r.check and not r.name.startswith("api:")
    ]
    only = {name.strip() for name in os.environ.get("PEERWORK_BENCH_PAGES", "").split(",") if name.strip()}
    if only:
        unknown = only - {r.name for r in pages}
        if unknown:
            sys.exit(f"PEERWORK_BENCH_PAGES names no page of the matrix: {', '.join(sorted(unknown))}")
        pages = [r for r in pages if r.name in only]
    clients: dict[int, Client] = {}

    def client(user: User) -> Client:
        if user.pk not in clients:
            clients[user.pk] = client_for(user)
        return clients[user.pk]

    def url(route: matrix.Route, obj: Model | None) -> str | None:
        pattern = paths[route.name]
        params = matrix_params(pattern)
        if len(params) > 1:
            return None
        if params:
            if obj is None:
                return None
            pattern = pattern.replace(params[0], str(obj.pk))
        return "/" + pattern

    def roles_of(route: matrix.Route) -> list[str]:
        return sorted(
            (r for r in PREFERENCE if route.level(r) != "none"),
            key=lambda r: (-LEVELS[route.level(r)], PREFERENCE.index(r)),
        )

    def objects(model: type[Model], org: Organisation) -> list[Model]:
        if model is User:
            return list(User.objects.filter(memberships__organisation=org, memberships__role="peer_worker")[:3])
        qs = model._default_manager.filter(organisation=org)  # type: ignore[attr-defined]
        if model is Engagement:
            qs = qs.filter(closed_on__isnull=True).annotate(n=Count("contacts")).order_by("-n")
        elif model is Referral:
            qs = qs.filter(status="waiting").order_by("received_on")
        elif model._meta.label_lower == "service.serviceuser":
            busiest = objects(Engagement, org)
            return [e.service_user for e in busiest[:3]] + list(qs.order_by("pk")[:2])  # type: ignore[attr-defined]
        else:
            qs = qs.order_by("pk")
        return list(qs[:3])

    def owners(obj: Model) -> list[int]:
        found: list[int] = []
        if isinstance(obj, User):
            found.append(obj.pk)
        for f in obj._meta.concrete_fields:
            if f.is_relation and f.related_model is User and getattr(obj, f.attname, None):
                found.append(getattr(obj, f.attname))
        engagement = getattr(obj, "engagement", None)
        if isinstance(engagement, Engagement):
            found.append(engagement.peer_worker_id)
        if obj._meta.label_lower == "service.serviceuser":
            found += list(Engagement.objects.filter(service_user=obj).values_list("peer_worker_id", flat=True)[:2])
        return found

    def status(user: User, path: str) -> int:
        """The page's status for this person; a page that fails for this object counts as a server error, so
        another object or role is tried and the run goes on (the error is logged above the table)."""
        try:
            return client(user).get(path).status_code
        except Exception:  # noqa: BLE001 (any failure of the page: the bench measures, it does not stop)
            return 500

    def choose(
        route: matrix.Route, org: Organisation, users: dict[str, User], first: str | None
    ) -> tuple[str, User, str, int] | None:
        """(role, person, path, status) for the page's main role in ``org``, or None."""
        order = roles_of(route)
        if first in order:
            order.remove(first)
            order.insert(0, first)
        candidates: list[tuple[str, User, Model | None]] = []
        if not route.obj:
            candidates = [(r, users[r], None) for r in order if r in users]
        else:
            found = objects(apps.get_model(route.obj), org)
            for r in order:
                for obj in found:
                    if route.level(r) == "org" and r in users:
                        candidates.append((r, users[r], obj))
                    else:
                        held = Membership.objects.filter(organisation=org, role=r, user_id__in=owners(obj))
                        candidates += [(r, m.user, obj) for m in held.select_related("user")[:2]]
                        if r in users:
                            candidates.append((r, users[r], obj))
        for wanted in (200, 302):
            for r, user, obj in candidates[:24]:
                path = url(route, obj)
                if path is not None and status(user, path) == wanted:
                    return r, user, path, wanted
        return None

    def timed(c: Client, path: str) -> float:
        t = time.perf_counter()
        c.get(path)
        return (time.perf_counter() - t) * 1000

    def measure(user: User, path: str, floor_client: Client) -> tuple[float, float, int]:
        """The page's median, the floor's median over the same moments (each page request right after a
        floor request, so a busy machine weighs on both alike) and the page's query count."""
        c = client(user)
        c.get(path)
        reset_queries()
        t = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            c.get(path)
        once = (time.perf_counter() - t) * 1000
        queries = len(ctx.captured_queries)
        if once * runs > BUDGET_MS:  # a page of seconds (a PDF of a long record): its one timed request
            return once, statistics.median(timed(floor_client, FLOOR_PATH) for _ in range(runs)), queries
        times, floors = [], []
        for _ in range(runs):
            floors.append(timed(floor_client, FLOOR_PATH))
            times.append(timed(c, path))
        reset_queries()
        return statistics.median(times), statistics.median(floors), queries

    def users_in(org: Organisation) -> dict[str, User]:
        users: dict[str, User] = {}
        for m in Membership.objects.filter(organisation=org).select_related("user").order_by("pk"):
            users.setdefault(m.role, m.user)
        for role in PREFERENCE:  # the generator makes no administrators or senior peer workers
            if role not in users:
                user = User.objects.create(username=f"bench-{org.slug}-{role}")
                Membership.objects.create(user=user, organisation=org, role=role)
                users[role] = user
        return users

    def run_scale(
        title: str, org: Organisation, fallback: Organisation | None, main: dict[str, str]
    ) -> dict[str, tuple[str, float, int, str, float]]:
        users = users_in(org)
        floor_client = client(users["coordinator"])
        floor_ms = floor(floor_client)
        fallback_users = users_in(fallback) if fallback else {}
        out: dict[str, tuple[str, float, int, str, float]] = {}
        print(f"\n{title} ({DATABASE})")
        print(f"  {'page':<42} {'role':<20} {'median ms':>10} {'queries':>8} {'x floor':>8}  (floor ms)")
        print(f"  {'signed-in empty page (floor)':<42} {'coordinator':<20} {floor_ms:>10.2f} {'':>8} {1:>8.1f}")
        for route in pages:
            if route.name in NOT_TIMED:
                continue
            where = ""
            picked = choose(route, org, users, main.get(route.name))
            if picked is None and fallback is not None:
                picked = choose(route, fallback, fallback_users, main.get(route.name))
                where = " *"
            if picked is None:
                print(f"  {route.name:<42} not timed: no object this page can open in the data")
                continue
            role, user, path, code = picked
            if code != 200:
                where += f" ({code})"
            main.setdefault(route.name, role)
            ms, local, queries = measure(user, path, floor_client)
            out[route.name] = (role, ms, queries, where, local)
            print(f"  {route.name + where:<42} {role:<20} {ms:>10.2f} {queries:>8} {ms / local:>8.1f}  ({local:.2f})")
        out["(floor)"] = ("coordinator", floor_ms, 0, "", floor_ms)
        return out

    migrate()
    seed_demo()
    print(f"pages bench on {DATABASE}, {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f}")
    for name, why in NOT_TIMED.items():
        print(f"  not timed: {name} ({why})")
    demo_org = Organisation.objects.get(slug=NO_SLUG)
    main: dict[str, str] = {}
    demo = run_scale("Demo scale: the demo organisation", demo_org, None, main)

    n_orgs = int(os.environ.get("PEERWORK_BENCH_ORGS", "50"))
    national = SCALES["national"]
    spec = {k: v * n_orgs // national["organisations"] for k, v in national.items()}
    t = time.perf_counter()
    generated = generate(**spec, seed=17)
    print(
        f"\nGenerated the national data set at {n_orgs} of 50 organisations ({spec}) in "
        f"{time.perf_counter() - t:.0f} s on {DATABASE}:"
    )
    for what, seconds in generated.timings.items():
        print(f"  {what}: {seconds:.1f} s")
    org = max(generated.organisations, key=lambda o: len(generated.peer_workers_by_org.get(o.pk, [])))
    big = run_scale(
        f"National scale: the largest of {n_orgs} organisations (* = the demo organisation among the national data)",
        org,
        demo_org,
        main,
    )

    rows = []
    nat_floor, demo_floor = big["(floor)"][1], demo["(floor)"][1]
    print(f"\nDemo against national ({DATABASE}); floor {demo_floor:.2f} ms at demo, {nat_floor:.2f} ms at national")
    print("  (x floor: against the floor measured alongside the page; nat/demo: of those ratios)")
    print(f"  {'page':<42} {'demo ms':>9} {'nat. ms':>9} {'q demo':>7} {'q nat.':>7} {'x floor':>8} {'nat/demo':>9}")
    for route in pages:
        if route.name not in big:
            continue
        _role, ms, queries, where, local = big[route.name]
        ratio = ms / local
        growth = None
        d = demo.get(route.name)
        if d is not None:
            growth = ratio / (d[1] / d[4])
        document = paths[route.name].endswith(DOCUMENT_SUFFIXES)
        row = {"page": route.name + where, "db": DATABASE, "national_ratio": ratio, "growth": growth}
        rows.append({**row, "document": document})
        print(
            f"  {route.name + where:<42} {d[1] if d else float('nan'):>9.2f} {ms:>9.2f} "
            f"{d[2] if d else '':>7} {queries:>7} {ratio:>8.1f} {growth if growth else float('nan'):>9.2f}"
        )
    print(RESULT + json.dumps({"db": DATABASE, "rows": rows}), flush=True)


def matrix_params(pattern: str) -> list[str]:
    import re

    return [m.group(0) for m in re.finditer(r"<(?:\w+:)?\w+>", pattern)]


if __name__ == "__main__":
    if os.environ.get("PEERWORK_BENCH_PAGES_CHILD"):
        sys.path.insert(0, str(HERE))
        child()
    else:
        parent()
