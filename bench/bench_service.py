"""The peer recovery service's busiest pages at two data sizes: median server time as a ratio to the signed-in
floor (an empty page) and the number of queries, which should be the same at both sizes.

Data comes from ``peerwork.demo.generate`` (bulk loads, no audit trail) into a throw-away database. Default sizes
are 1× and 10× per organisation (``PEERWORK_BENCH_SERVICE_SIZES``: comma-separated names below, e.g.
``x1,x10,national``), chosen so the run stays within a few minutes. Prints only; never fails on time.
"""

from __future__ import annotations

import os
import time

from _harness import client_for, floor, measure, migrate, report
from django.db.models import Count

from peerwork.accounts.models import Membership
from peerwork.core.roles import Role
from peerwork.demo import generate as demo_generate
from peerwork.service.models import Contact, Engagement, Referral

SIZES = {
    "x1": {"organisations": 2, "peer_workers": 80, "service_users": 2_000, "contacts": 40_000},
    "x10": {"organisations": 2, "peer_workers": 800, "service_users": 20_000, "contacts": 400_000},
    "national": demo_generate.SCALES["national"],
}


def main() -> None:
    migrate()
    names = [s.strip() for s in os.environ.get("PEERWORK_BENCH_SERVICE_SIZES", "x1,x10").split(",") if s.strip()]
    summary = []
    for n, name in enumerate(names):
        spec = SIZES[name]
        t = time.perf_counter()
        generated = demo_generate.generate(**spec, seed=300 + n, audit=False)
        print(f"\nGenerated the {name} data set ({spec}) in {time.perf_counter() - t:.0f} s")
        org = max(generated.organisations, key=lambda o: len(generated.peer_workers_by_org.get(o.pk, [])))
        coordinator = Membership.objects.filter(organisation=org, role=Role.COORDINATOR).select_related("user")[0].user
        referral = Referral.objects.filter(organisation=org, status="waiting").order_by("received_on").first()
        busiest = (
            Contact.objects.filter(organisation=org, engagement__closed_on__isnull=True)
            .values("engagement_id")
            .annotate(n=Count("id"))
            .order_by("-n")
            .values_list("engagement_id", flat=True)
            .first()
        )
        engagement = Engagement.objects.get(pk=busiest)
        pw = engagement.peer_worker
        coord = client_for(coordinator)
        peer = client_for(pw)
        floor_ms = floor(coord)
        rows = []
        for label, client, path in (
            ("coordinator dashboard", coord, "/service/dashboard/"),
            ("referral page (ranked peer workers)", coord, f"/service/referrals/{referral.pk}/"),
            ("referral queue", coord, "/service/queue/"),
            ("engagement page (peer worker)", peer, f"/service/engagements/{engagement.pk}/"),
            ("quick-add contact form (peer worker)", peer, "/service/contact/"),
            ("own workload (peer worker)", peer, "/service/workload/"),
        ):
            ms, queries = measure(client, path, runs=10)
            rows.append((label, ms, queries))
        people = generated.peer_workers_by_org[org.pk]
        report(
            f"{name}: one organisation of {spec['organisations']} ({len(people)} peer workers, "
            f"{Referral.objects.filter(organisation=org).count()} referrals, "
            f"{Contact.objects.filter(organisation=org).count()} contacts)",
            rows,
            floor_ms,
        )
        summary.append((name, {label: q for label, _ms, q in rows}))
    if len(summary) > 1:
        first = summary[0][1]
        flat = all(s[1] == first for s in summary[1:])
        print(f"\nQuery counts the same at every size: {'yes' if flat else 'NO'}")


if __name__ == "__main__":
    main()
