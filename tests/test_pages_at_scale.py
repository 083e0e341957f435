"""The pages whose data grows for years (the retention page, the audit trail, the evaluation dashboard) cost
the same number of queries however much data their organisation or any other holds, and, on PostgreSQL, no
query of theirs reads another organisation's rows: every plan reaches a busy tenant table through an index
condition on the organisation or by single rows' keys, never by scanning the whole table."""

from __future__ import annotations

import json
import re
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peerwork.audit import trail
from peerwork.audit.details import Detail
from peerwork.core.roles import Role
from peerwork.privacy import selectors as privacy_selectors
from peerwork.service.models import Contact, Engagement, Referral, ServiceUser

from .conftest import World, build_world

TODAY = timezone.localdate()
PERIOD = {"period": "custom", "start": (TODAY - timedelta(days=90)).isoformat(), "end": TODAY.isoformat()}
PAGES = {
    "retention": (Role.DPO, "/privacy/retention/", {}),
    "retention, second page": (Role.DPO, "/privacy/retention/", {"page": "2"}),
    "audit trail": (Role.DPO, "/privacy/audit/", {}),
    "audit trail, narrowed": (Role.DPO, "/privacy/audit/", {"action": "read", "sort": "oldest"}),
    "evaluation dashboard": (Role.MANAGER, "/evaluation/dashboard/", PERIOD),
}


def fill(world: World, n: int, tag: str) -> None:
    """``n`` people in the world's organisation, in four kinds: long closed (due for anonymisation), engaged
    now (with contacts in the period, one accompanying), waiting on a referral, and referred but declined long
    ago (due as well); and an audit entry about each, as their pages leave."""
    org, peer_worker = world.org, world.users[Role.PEER_WORKER]
    people = ServiceUser.objects.bulk_create(
        [ServiceUser(organisation=org, chosen_name=f"{tag} {i}") for i in range(n)]
    )
    long_ago = TODAY - timedelta(days=800)
    referrals = []
    for i, p in enumerate(people):
        kind = i % 4
        status = {0: Referral.Status.MATCHED, 1: Referral.Status.MATCHED, 2: Referral.Status.WAITING}.get(
            kind, Referral.Status.DECLINED
        )
        referrals.append(
            Referral(
                organisation=org,
                service_user=p,
                source="self",
                received_on=long_ago - timedelta(days=10) if kind != 2 else TODAY - timedelta(days=5),
                status=status,
                status_reason="Chose another offer" if kind == 3 else "",
                status_changed_at=timezone.make_aware(datetime.combine(long_ago, time(12))) if kind == 3 else None,
            )
        )
    Referral.objects.bulk_create(referrals)
    engagements = []
    for i, (p, referral) in enumerate(zip(people, referrals, strict=True)):
        kind = i % 4
        if kind in (0, 1):  # matched from their referral
            started = long_ago if kind == 0 else TODAY - timedelta(days=30 + i % 50)
            engagements.append(
                Engagement(
                    organisation=org,
                    service_user=p,
                    peer_worker=peer_worker,
                    referral=referral,
                    started_on=started,
                    planned_end_on=started + timedelta(days=365),
                    closed_on=started + timedelta(days=200) if kind == 0 else None,
                    closure_reason=Engagement.ClosureReason.PLANNED_END if kind == 0 else "",
                )
            )
    Engagement.objects.bulk_create(engagements)
    contacts = []
    for e in engagements:
        if e.closed_on is None:
            for day, channel in ((3, Contact.Channel.MEETING), (9, Contact.Channel.ACCOMPANYING)):
                contacts.append(
                    Contact(
                        organisation=org,
                        engagement=e,
                        peer_worker=peer_worker,
                        date=TODAY - timedelta(days=day),
                        start_time=time(10),
                        duration_minutes=45,
                        channel=channel,
                        initiated_by=Contact.Initiator.PERSON,
                    )
                )
    Contact.objects.bulk_create(contacts)
    trail.record_many(
        world.actor(Role.COORDINATOR), trail.Action.READ, [(p, p) for p in people], detail=Detail("comments", count=n)
    )


def measure(world: World) -> dict[str, int]:
    counts = {}
    clients: dict[str, Client] = {}
    for name, (role, path, query) in PAGES.items():
        client = clients.setdefault(role, world.client(role))
        client.get(path, query)  # the first page after sign-in stamps the session
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path, query).status_code == 200, name
        counts[name] = len(ctx)
    return counts


def test_the_growing_pages_cost_the_same_however_much_either_organisation_holds(world, other_world):
    fill(world, 8, "Small")
    fill(other_world, 8, "Other")
    small = measure(world)
    fill(world, 300, "Grown")
    grown = measure(world)
    fill(other_world, 300, "Other grown")
    assert measure(world) == grown == small
    # The audit trail names whose data each entry touched: up to two queries (staff, people supported) per page.
    assert small["retention"] <= 12 and small["audit trail"] <= 8 and small["evaluation dashboard"] <= 34, small


def test_the_retention_page_shows_one_page_of_due_records_and_counts_them_all(world, other_world):
    fill(world, 240, "Due")  # 60 long closed + 60 declined long ago are due
    fill(other_world, 40, "Other")
    dpo = world.client(Role.DPO)
    first = dpo.get("/privacy/retention/").content.decode()
    assert "120 records are due for anonymisation today" in first
    assert "Page 1 of 3" in first
    shown = set(re.findall(r"/privacy/people/(\d+)/", first))
    assert len(shown) == privacy_selectors.RETENTION_PAGE
    last = dpo.get("/privacy/retention/", {"page": "3"}).content.decode()
    assert "120 records are due for anonymisation today" in last and "Page 3 of 3" in last
    assert len(set(re.findall(r"/privacy/people/(\d+)/", last))) == 20
    theirs = set(ServiceUser.objects.filter(organisation=other_world.org).values_list("pk", flat=True))
    assert not {int(pk) for pk in shown} & theirs


def test_the_audit_trail_pages_by_sequence_and_counts_from_the_chain_heads(world, other_world):
    fill(world, 120, "Read")
    fill(other_world, 10, "Other")
    dpo = world.client(Role.DPO)
    total = trail.entry_count(world.org.pk)
    assert total == privacy_selectors.AuditEntry.objects.filter(organisation=world.org).count() >= 120
    first = dpo.get("/privacy/audit/").content.decode()
    assert f"{total} entries" in first and "Newer</a>" not in first
    older = re.search(r'href="\?before=(\d+)"', first)
    assert older
    second = dpo.get("/privacy/audit/", {"before": older.group(1)}).content.decode()
    assert "Newer</a>" in second and "Older</a>" in second
    newer = re.search(r'href="\?after=(\d+)"', second)
    assert newer
    assert dpo.get("/privacy/audit/", {"after": newer.group(1)}).content.decode().count("<tr>") == first.count("<tr>")
    # Narrowed: counted, and the page links keep the filter.
    narrowed = dpo.get("/privacy/audit/", {"action": "read", "sort": "oldest"}).content.decode()
    counted = privacy_selectors.AuditEntry.objects.filter(organisation=world.org, action="read").count()
    assert f"{counted} entries" in narrowed
    assert 'href="?sort=oldest&amp;action=read&amp;after=' in narrowed


# --- PostgreSQL: the plans ------------------------------------------------------------------------------

FOREIGN_ROWS = 500  # a tenant table holding at least this many rows of other organisations must not be scanned


def tenant_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.columns "
            "WHERE column_name = 'organisation_id' AND table_schema = current_schema()"
        )
        return {row[0] for row in cursor.fetchall()}


def crowded_tables(organisation_id: int) -> set[str]:
    """The tenant tables where other organisations' rows are many: scanning one whole would read them."""
    found = set()
    with connection.cursor() as cursor:
        for table in sorted(tenant_tables()):
            cursor.execute(
                f'SELECT count(*) FROM "{table}" WHERE organisation_id IS DISTINCT FROM %s',  # noqa: S608
                [organisation_id],
            )
            if cursor.fetchone()[0] >= FOREIGN_ROWS:
                found.add(table)
    return found


def foreign_reads(sql: str, tables: set[str]) -> list[str]:
    """How the plan of ``sql`` reaches the tables of ``tables`` where that could read other organisations'
    rows: a sequential scan, or an index scan whose condition neither starts from the organisation nor looks up
    single rows by their key (a parameterised lookup by a foreign key, say the people's engagements by person,
    is what a planner turns into a scan of the whole table as the table grows)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    found = []

    def condition(node: dict[str, Any]) -> str:
        own = node.get("Index Cond") or node.get("Recheck Cond") or ""
        return " ".join([own, *(condition(child) for child in node.get("Plans", []))])

    def walk(node: dict[str, Any]) -> None:
        table = node.get("Relation Name")
        kind = node.get("Node Type", "")
        if table in tables:
            cond = condition(node) if kind.startswith("Bitmap") else node.get("Index Cond", "")
            by_organisation = "organisation_id" in cond
            by_key = re.match(r"^\(id = ", cond) is not None
            if "Seq Scan" in kind or not (by_organisation or by_key):
                found.append(f"{kind} on {table} ({cond or 'no condition'})")
        for child in node.get("Plans", []):
            if not (kind == "Bitmap Heap Scan"):
                walk(child)

    walk(plan[0]["Plan"])
    return found


@pytest.mark.postgresql
def test_no_query_of_the_growing_pages_scans_another_organisations_rows(world, other_world):
    fill(world, 200, "Ours")
    fill(other_world, 2000, "Theirs")
    for i in range(3):  # more organisations, as in a region
        fill(build_world(f"Region{i}"), 1500, f"Region {i}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    crowded = crowded_tables(world.org.pk)
    expected = {
        "service_serviceuser",
        "service_engagement",
        "service_referral",
        "service_contact",
        "privacy_auditentry",
    }
    assert expected <= crowded, crowded
    # The check finds what it looks for: a count over every organisation's engagements scans the table.
    everyone = str(Engagement.objects.filter(closed_on__isnull=True).values("id").query)
    assert [r.split(" on ")[1].split()[0] for r in foreign_reads(everyone, crowded)] == ["service_engagement"]
    # ... and so does a person's engagements found through the person, not the organisation.
    through_people = str(
        ServiceUser.objects.filter(organisation=world.org).values("id").annotate(n=Count("engagements")).query
    )
    assert any("service_engagement" in r for r in foreign_reads(through_people, crowded)), through_people
    queries = []
    for _name, (role, path, query) in PAGES.items():
        client = world.client(role)
        client.get(path, query)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path, query).status_code == 200
        queries += [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(queries) > 20
    scans = {sql[:200]: found for sql in queries if (found := foreign_reads(sql, crowded))}
    assert scans == {}, json.dumps(scans, indent=1)
