"""A year of audit trail for generated organisations: the entries a year of work writes, chained and signed
exactly as ``audit.trail`` chains them, loaded in bulk (COPY on PostgreSQL) so ``peerwork audit verify``
passes on the result.

What is written per organisation, over the last 365 days, in time order:

* every contact of the year: the peer worker opens the engagement page (a read) and records the contact (a
  create), both about the person supported;
* the referral queue, opened by a coordinator each working day: one read per person waiting that day;
* coordinators' follow-up of open engagements: a read of each engagement about once every two months;
* the data protection officer's access reports: a few a week.

For a national data set this is some millions of entries, the rate a country's services would write. Entries
are spread over the organisation's lanes one after another, as busy days spread them; each lane's head is
moved and signed once at the end.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import Any

from django.db import transaction
from django.utils import timezone

from peerwork.accounts.models import Membership
from peerwork.audit import trail
from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry, AuditHead
from peerwork.core import bulkload
from peerwork.core.roles import Role
from peerwork.service.models import Contact, Engagement, Referral

FIELDS = [
    "chain",
    "organisation_id",
    "at",
    "actor_id",
    "actor_label",
    "role",
    "action",
    "object_type",
    "object_id",
    "subject_type",
    "subject_id",
    "via",
    "detail",
    "prev_hash",
    "hash",
]
PERSON = "service.serviceuser"
READ, CREATE = str(AuditEntry.Action.READ), str(AuditEntry.Action.CREATE)
# The details these entries store, structured as ``record`` stores them.
QUEUE_SEEN = Detail("shown", page="referral_queue").stored
REPORT_SEEN = Detail("shown", page="access_report").stored


# (at, actor_id, role, action, object_type, object_id, subject_id, via, detail)
Event = tuple[datetime, int, str, str, str, str, str, str, str]


def write_year(organisation_ids: list[int], rng: random.Random, today: date | None = None) -> int:
    """Append a year of entries to each organisation's lanes; returns how many were written."""
    today = today or timezone.localdate()
    total = 0
    for oid in organisation_ids:
        with transaction.atomic():
            total += _one_organisation(oid, rng, today)
    return total


def _at(day: date, minutes: int) -> datetime:
    return datetime.combine(day, clock(min(minutes // 60, 23), minutes % 60), tzinfo=UTC)


def _events(oid: int, rng: random.Random, today: date) -> list[Event]:
    since = today - timedelta(days=365)
    staff: dict[str, list[int]] = {}
    for user_id, role in Membership.objects.filter(organisation_id=oid).values_list("user_id", "role"):
        staff.setdefault(role, []).append(user_id)
    coordinators = staff.get(Role.COORDINATOR) or staff.get(Role.MANAGER) or []
    person_of = dict(Engagement.objects.filter(organisation_id=oid).values_list("id", "service_user_id"))
    events: list[Event] = []
    contacts = Contact.objects.filter(organisation_id=oid, date__gte=since).values_list(
        "id", "engagement_id", "peer_worker_id", "date", "start_time"
    )
    for cid, eid, pw, day, start in contacts.iterator(chunk_size=10_000):
        person = str(person_of[eid])
        minutes = start.hour * 60 + start.minute if start else 12 * 60
        page = f"/service/engagements/{eid}/"
        events.append(
            (_at(day, minutes + 20), pw, Role.PEER_WORKER, READ, "service.engagement", str(eid), person, page, "")
        )
        events.append(
            (_at(day, minutes + 21), pw, Role.PEER_WORKER, CREATE, "service.contact", str(cid), person, page, "")
        )
    if coordinators:
        waiting = list(
            Referral.objects.filter(organisation_id=oid, status="waiting").values_list(
                "id", "service_user_id", "received_on"
            )
        )
        day = since
        while day <= today:
            if day.weekday() < 5:
                who = rng.choice(coordinators)
                at = _at(day, 9 * 60 + rng.randint(0, 59))
                for rid, person_id, received in waiting:
                    if received <= day:
                        events.append(
                            (
                                at,
                                who,
                                Role.COORDINATOR,
                                READ,
                                "service.referral",
                                str(rid),
                                str(person_id),
                                "/service/queue/",
                                QUEUE_SEEN,
                            )
                        )
            day += timedelta(days=1)
        open_engagements = Engagement.objects.filter(organisation_id=oid, closed_on__isnull=True).values_list(
            "id", "service_user_id"
        )
        for eid, person_id in open_engagements:
            for _k in range(6):
                day = since + timedelta(days=rng.randint(0, 365))
                events.append(
                    (
                        _at(day, rng.randint(8 * 60, 16 * 60)),
                        rng.choice(coordinators),
                        Role.COORDINATOR,
                        READ,
                        "service.engagement",
                        str(eid),
                        str(person_id),
                        f"/service/engagements/{eid}/",
                        "",
                    )
                )
    people = list(person_of.values())
    for dpo in staff.get(Role.DPO, []):
        for _k in range(150 if people else 0):
            day = since + timedelta(days=rng.randint(0, 365))
            chosen = rng.choice(people)
            events.append(
                (
                    _at(day, rng.randint(8 * 60, 16 * 60)),
                    dpo,
                    Role.DPO,
                    READ,
                    PERSON,
                    str(chosen),
                    str(chosen),
                    f"/privacy/people/{chosen}/access/",
                    REPORT_SEEN,
                )
            )
    events.sort(key=lambda e: e[0])
    return events


def _one_organisation(oid: int, rng: random.Random, today: date) -> int:
    events = _events(oid, rng, today)
    if not events:
        return 0
    trail.open_lanes(oid)
    heads = list(AuditHead.objects.select_for_update().filter(chain__in=trail.lane_chains(oid)).order_by("chain"))
    labels = dict(Membership.objects.filter(organisation_id=oid).values_list("user_id", "user__username").distinct())
    hashes = {h.chain: h.last_hash for h in heads}
    counts = {h.chain: h.count for h in heads}
    chains = [h.chain for h in heads]

    stamps: dict[datetime, str] = {}

    def rows() -> Iterator[tuple[Any, ...]]:
        for i, (at, actor, role, action, otype, oid_, subject, via, detail) in enumerate(events):
            chain = chains[i % len(chains)]
            values = {
                "chain": chain,
                "organisation_id": oid,
                "at": at,
                "actor_id": actor,
                "actor_label": labels.get(actor, "")[:150],
                "role": str(role),
                "action": action,
                "object_type": otype,
                "object_id": oid_,
                "subject_type": PERSON,
                "subject_id": subject,
                "via": via,
                "detail": detail,
                "prev_hash": hashes[chain],
            }
            stamp = stamps.get(at)
            if stamp is None:
                stamp = stamps[at] = trail.format_at(at)
            digest = trail.hash_values(values, stamp)
            hashes[chain] = digest
            counts[chain] += 1
            yield (*values.values(), digest)

    n = bulkload.load(AuditEntry, FIELDS, rows())
    key_id = trail.current_key_id()
    for head in heads:
        last_hash, count = hashes[head.chain], counts[head.chain]
        if count != head.count:
            mac = trail.head_mac(head.chain, count, last_hash, key_id)
            AuditHead.objects.filter(chain=head.chain).update(last_hash=last_hash, count=count, key_id=key_id, mac=mac)
    return n
