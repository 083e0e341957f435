"""Audit appends under concurrency: 20 writers in one organisation against 20 writers in 20 organisations.

Each writer is a thread with its own database connection that, for ``PEERWORK_BENCH_AUDIT_SECONDS`` (default 10),
opens a transaction, reads a person of its organisation and appends the audited read (``audit.trail.record``),
as a page that shows one person does. First 20 people of one organisation write at once, then 20 people of 20
organisations (one each). An organisation's trail is several chains ("lanes", ``PEERWORK_AUDIT_LANES``) so that
its audited actions do not queue behind one lock; the ratio shows how near one busy organisation comes to the
same number of writers spread over organisations that share no lock. Ends with
``audit: one organisation <n>/s, spread <m>/s, ratio <r>``.

PostgreSQL only (``PEERWORK_DATABASE_URL``; a throw-away database): SQLite runs one writing transaction at a
time, so there is nothing to compare. Prints only; never fails on time.
"""

from __future__ import annotations

import os
import sys
import threading
import time

if not os.environ.get("PEERWORK_DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    print("audit: n/a (the audit bench runs on PostgreSQL: set PEERWORK_DATABASE_URL)")
    sys.exit(0)
os.environ["PEERWORK_BENCH_SQLITE"] = "0"

from _harness import DATABASE, migrate  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from peerwork.accounts.models import Membership, User  # noqa: E402
from peerwork.audit.models import AuditEntry  # noqa: E402
from peerwork.audit.trail import Action, open_lanes, record, verify  # noqa: E402
from peerwork.core.actor import Actor  # noqa: E402
from peerwork.core.roles import Role  # noqa: E402
from peerwork.organisations.models import Organisation  # noqa: E402
from peerwork.service.models import ServiceUser  # noqa: E402

WRITERS = 20
SECONDS = float(os.environ.get("PEERWORK_BENCH_AUDIT_SECONDS", "") or 10)


def organisation(n: int) -> Organisation:
    org = Organisation.objects.create(
        name=f"Audit bench {n}", slug=f"audit-bench-{n}", kind="municipality", country="NO"
    )
    open_lanes(org.pk)  # as when an organisation is set up
    return org


def writer(org: Organisation, n: int) -> tuple[Actor, int]:
    user = User.objects.create(username=f"audit-bench-{org.pk}-{n}")
    membership = Membership.objects.create(user=user, organisation=org, role=Role.COORDINATOR)
    person = ServiceUser.objects.create(organisation=org, chosen_name=f"Person {org.pk}-{n}")
    actor = Actor.from_memberships(user, [membership], org.pk, via="bench")
    assert actor is not None
    return actor, person.pk


def run(writers: list[tuple[Actor, int]]) -> float:
    """Audited reads per second of ``writers`` writing at once for SECONDS."""
    counts = [0] * len(writers)
    errors: list[str] = []
    start = threading.Barrier(len(writers) + 1)
    until = [0.0]

    def work(i: int, actor: Actor, person_id: int) -> None:
        try:
            start.wait()
            while time.monotonic() < until[0]:
                with transaction.atomic():
                    person = ServiceUser.objects.get(pk=person_id, organisation_id=actor.organisation_id)
                    record(actor, Action.READ, person, subject=person, detail="audit bench")
                counts[i] += 1
        except Exception as exc:  # noqa: BLE001 (a writer's failure is reported, not hidden)
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, a, p)) for i, (a, p) in enumerate(writers)]
    for t in threads:
        t.start()
    until[0] = time.monotonic() + SECONDS
    t0 = time.perf_counter()
    start.wait()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    for e in errors[:5]:
        print(f"  error: {e}")
    return sum(counts) / elapsed


def main() -> None:
    migrate()
    one = organisation(0)
    together = [writer(one, n) for n in range(WRITERS)]
    spread = [writer(organisation(n + 1), 0) for n in range(WRITERS)]
    print(f"audit bench on {DATABASE}, {os.cpu_count()} CPU(s), {settings.AUDIT_LANES} lanes per organisation")
    print(f"  {WRITERS} writers for {SECONDS:g} s each run, load average {os.getloadavg()[0]:.1f}")
    run(spread[:4])  # warm-up, not counted
    one_rate = run(together)
    spread_rate = run(spread)
    print(f"  one organisation: {one_rate:.0f} audited reads/s")
    print(f"  spread over {WRITERS} organisations: {spread_rate:.0f} audited reads/s")
    broken = list(verify())
    print(f"  trail verified: {'intact' if not broken else broken}; {AuditEntry.objects.count()} entries")
    print(f"audit: one organisation {one_rate:.0f}/s, spread {spread_rate:.0f}/s, ratio {one_rate / spread_rate:.2f}")


if __name__ == "__main__":
    main()
