"""Pseudonymised extracts for evaluation and research partners (docs/data-protection.md; S2 §4.6 and
Appendices II–III: purpose-bound consent, withdrawal, a separate name key, deletion at the end).

Only people with a valid consent to *use in evaluation* are included, and a peer worker only with their own
valid consent to it (a ``Consent`` with them as the data subject, under the same rules: no consent on record,
a withdrawn one or one that has run out leaves them out): without it, the engagements they hold show no peer
worker and no count that rests on their agreed working hours. Each person and each peer worker appears under a
pseudonym made with HMAC-SHA256 and a random key drawn for this export alone: stable within the export (the
same person is the same pseudonym in every row), unrelated across exports, and impossible to link back without
the key. The key is stored apart (``PseudonymKey``), readable only by the data protection officer, never
written into the extract; deleting it makes the extract anonymous for good.

The extract holds no names, contact details or free text: life areas, months, counts, durations, channels,
closure reasons and the person's own ratings. Against re-identification (``generalise``): every date is given
as its month, age as a ten-year band, and the description of a person (age band, gender, municipality, life
areas) is generalised until at least ``ANONYMITY_THRESHOLD`` people in the extract share it; the few who
cannot be hidden even with every field suppressed are left out. The extract's ``re_identification_check``
says what was done.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, Sum

from peerwork.core.anonymity import ANONYMITY_THRESHOLD
from peerwork.service.models import Contact, Engagement, Goal, GoalRating, ServiceUser

from .consent import consented_ids, consented_staff_ids
from .generalise import QUASI_IDENTIFIERS, SUPPRESSED, k_anonymise, month, smallest_group
from .models import Consent

FORMAT_VERSION = 2


@dataclass
class Extract:
    """An extract's content and who is in it (for the audit trail; never written into the content)."""

    content: dict[str, Any]
    people: list[int]
    peer_workers: list[int]


def pseudonym(key: bytes, kind: str, pk: int) -> str:
    digest = hmac.new(key, f"{kind}:{pk}".encode(), hashlib.sha256).hexdigest()
    return f"{'P' if kind == 'person' else 'W'}-{digest[:12]}"


def age_band(birth_year: int | None, today: date) -> str | None:
    if not birth_year:
        return None
    low = (today.year - birth_year) // 10 * 10
    return f"{low}-{low + 9}"


def consenting_peer_workers(organisation_id: int, today: date | None = None) -> set[int]:
    """The peer workers whose own consent to use in evaluation is valid in the organisation today."""
    return set(consented_staff_ids(organisation_id, Consent.Purpose.EVALUATION, today))


def _check(released: Any, k: int, people: int) -> dict[str, Any]:
    return {
        "threshold": k,
        "threshold_is": "Peerwork's default anonymity threshold, the same as for readiness and pulse survey results",
        "quasi_identifiers": list(QUASI_IDENTIFIERS),
        "dates": "every date is given as its month (YYYY-MM); age as a ten-year band",
        "method": (
            "Each combination of the quasi-identifiers is shared by at least the threshold number of people in "
            f"this extract. Where fewer shared one, fields were replaced by '{SUPPRESSED}' in this order until "
            "enough did: " + ", ".join(QUASI_IDENTIFIERS) + ". People who could not be hidden even with every "
            "field suppressed were left out."
        ),
        "suppressed": released.suppressed,
        "people_left_out": released.left_out,
        "smallest_group": smallest_group(released.records),
        "people": people,
        "peer_workers": (
            "Only peer workers who consented themselves to use in evaluation appear; for the others "
            "'peer_worker' and 'contacts_outside_agreed_hours' are null."
        ),
    }


def build_extract(organisation_id: int, key: bytes, today: date, k: int = ANONYMITY_THRESHOLD) -> Extract:
    """The extract for one organisation, with a fixed number of queries however many people it holds."""
    ids = consented_ids(organisation_id, Consent.Purpose.EVALUATION, today)
    consented = list(
        ServiceUser.objects.filter(organisation_id=organisation_id, pk__in=ids, anonymised_at__isnull=True)
        .values("pk", "birth_year", "gender", "municipality", "help_areas")
        .order_by("pk")
    )
    released = k_anonymise(
        [
            {
                "age_band": age_band(p["birth_year"], today),
                "gender": p["gender"] or None,
                "municipality": p["municipality"] or None,
                "life_areas": sorted(p["help_areas"] or []),
            }
            for p in consented
        ],
        k,
    )
    descriptions = {p["pk"]: r for p, r in zip(consented, released.records, strict=True) if r is not None}
    included = list(descriptions)
    peer_workers = consenting_peer_workers(organisation_id, today)
    engagements = list(
        Engagement.objects.filter(organisation_id=organisation_id, service_user_id__in=included)
        .annotate(
            contact_count=Count("contacts"),
            contact_minutes=Sum("contacts__duration_minutes"),
            outside_hours=Count("contacts", filter=Q(contacts__outside_agreed_hours=True)),
        )
        .values(
            "pk",
            "service_user_id",
            "peer_worker_id",
            "started_on",
            "planned_end_on",
            "closed_on",
            "closure_reason",
            "frequency",
            "previous_id",
            "contact_count",
            "contact_minutes",
            "outside_hours",
        )
        .order_by("started_on", "pk")
    )
    channels: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Contact.objects.filter(organisation_id=organisation_id, engagement__service_user_id__in=included)
        .values("engagement_id", "channel")
        .annotate(n=Count("pk"))
    ):
        channels[row["engagement_id"]][row["channel"]] = row["n"]
    goals = list(
        Goal.objects.filter(organisation_id=organisation_id, service_user_id__in=included)
        .values("pk", "service_user_id", "life_area", "created_at", "achieved_on", "closed_on")
        .order_by("created_at", "pk")
    )
    ratings: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in (
        GoalRating.objects.filter(organisation_id=organisation_id, goal__service_user_id__in=included)
        .values("goal_id", "rated_on", "rating")
        .order_by("rated_on")
    ):
        ratings[r["goal_id"]].append({"rated_on": month(r["rated_on"]), "rating": r["rating"]})

    by_person: dict[int, dict[str, Any]] = {}
    for pk, description in descriptions.items():
        by_person[pk] = {
            "person": pseudonym(key, "person", pk),
            **{field: description[field] for field in ("age_band", "gender", "municipality", "life_areas")},
            "engagements": [],
            "goals": [],
        }
    engagement_pseudonyms = {e["pk"]: f"E{i + 1}" for i, e in enumerate(engagements)}
    shown_peer_workers: set[int] = set()
    for e in engagements:
        consenting = e["peer_worker_id"] in peer_workers
        if consenting:
            shown_peer_workers.add(e["peer_worker_id"])
        by_person[e["service_user_id"]]["engagements"].append(
            {
                "engagement": engagement_pseudonyms[e["pk"]],
                "handed_over_from": engagement_pseudonyms.get(e["previous_id"]),
                "peer_worker": pseudonym(key, "peer_worker", e["peer_worker_id"]) if consenting else None,
                "started_on": month(e["started_on"]),
                "planned_end_on": month(e["planned_end_on"]),
                "closed_on": month(e["closed_on"]),
                "closure_reason": e["closure_reason"] or None,
                "frequency": e["frequency"],
                "contacts": e["contact_count"],
                "contact_minutes": e["contact_minutes"] or 0,
                "contacts_outside_agreed_hours": e["outside_hours"] if consenting else None,
                "contacts_by_channel": channels.get(e["pk"], {}),
            }
        )
    for g in goals:
        by_person[g["service_user_id"]]["goals"].append(
            {
                "life_area": g["life_area"],
                "set_on": month(g["created_at"]),
                "achieved_on": month(g["achieved_on"]),
                "set_aside_on": month(g["closed_on"]),
                "ratings": ratings.get(g["pk"], []),
            }
        )
    content = {
        "format": FORMAT_VERSION,
        "made_on": today.isoformat(),
        "people": [by_person[pk] for pk in included],
        "about": (
            "Pseudonymised extract. Pseudonyms are stable within this extract only. "
            "No names, contact details or free text. "
            "Only people who consented to use in evaluation are included, and peer workers only with their own "
            f"consent. Dates are months; every description of a person is shared by at least {k} people, the "
            "anonymity threshold (see re_identification_check)."
        ),
        "re_identification_check": _check(released, k, len(included)),
    }
    return Extract(content=content, people=included, peer_workers=sorted(shown_peer_workers))
