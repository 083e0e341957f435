"""Pseudonymised extracts for evaluation and research partners (DOMAIN.md §5, §7; S2 appendices).

Only people with a valid consent to *use in evaluation* are included. Each person and each peer worker
appears under a pseudonym made with HMAC-SHA256 and a random key drawn for this export alone: stable within
the export (the same person is the same pseudonym in every row), unrelated across exports, and impossible to
link back without the key. The key is stored apart (``PseudonymKey``), readable only by the data protection
officer, never written into the extract; deleting it makes the extract anonymous for good.

The extract holds no names, contact details or free text: life areas, dates, counts, durations, channels,
closure reasons and the person's own ratings. Age is given as a ten-year band.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Count, Q, Sum

from peerwork.service.models import Contact, Engagement, Goal, GoalRating, ServiceUser

from .consent import consented_ids
from .models import Consent

FORMAT_VERSION = 1


def pseudonym(key: bytes, kind: str, pk: int) -> str:
    digest = hmac.new(key, f"{kind}:{pk}".encode(), hashlib.sha256).hexdigest()
    return f"{'P' if kind == 'person' else 'W'}-{digest[:12]}"


def age_band(birth_year: int | None, today: date) -> str | None:
    if not birth_year:
        return None
    low = (today.year - birth_year) // 10 * 10
    return f"{low}-{low + 9}"


def included_ids(organisation_id: int, today: date) -> list[int]:
    """The people an extract made today includes: a valid evaluation consent, not anonymised."""
    ids = consented_ids(organisation_id, Consent.Purpose.EVALUATION, today)
    return list(
        ServiceUser.objects.filter(organisation_id=organisation_id, pk__in=ids, anonymised_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def build_extract(organisation_id: int, key: bytes, today: date) -> dict[str, Any]:
    """The extract for one organisation, with a fixed number of queries however many people it holds."""
    ids = consented_ids(organisation_id, Consent.Purpose.EVALUATION, today)
    people = list(
        ServiceUser.objects.filter(organisation_id=organisation_id, pk__in=ids, anonymised_at__isnull=True)
        .values("pk", "birth_year", "gender", "municipality", "help_areas", "created_at")
        .order_by("pk")
    )
    included = [p["pk"] for p in people]
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
        ratings[r["goal_id"]].append({"rated_on": r["rated_on"].isoformat(), "rating": r["rating"]})

    by_person: dict[int, dict[str, Any]] = {}
    for p in people:
        by_person[p["pk"]] = {
            "person": pseudonym(key, "person", p["pk"]),
            "age_band": age_band(p["birth_year"], today),
            "gender": p["gender"] or None,
            "municipality": p["municipality"] or None,
            "life_areas": p["help_areas"],
            "engagements": [],
            "goals": [],
        }
    engagement_pseudonyms = {e["pk"]: f"E{i + 1}" for i, e in enumerate(engagements)}
    for e in engagements:
        by_person[e["service_user_id"]]["engagements"].append(
            {
                "engagement": engagement_pseudonyms[e["pk"]],
                "handed_over_from": engagement_pseudonyms.get(e["previous_id"]),
                "peer_worker": pseudonym(key, "peer_worker", e["peer_worker_id"]),
                "started_on": e["started_on"].isoformat(),
                "planned_end_on": e["planned_end_on"].isoformat(),
                "closed_on": e["closed_on"].isoformat() if e["closed_on"] else None,
                "closure_reason": e["closure_reason"] or None,
                "frequency": e["frequency"],
                "contacts": e["contact_count"],
                "contact_minutes": e["contact_minutes"] or 0,
                "contacts_outside_agreed_hours": e["outside_hours"],
                "contacts_by_channel": channels.get(e["pk"], {}),
            }
        )
    for g in goals:
        by_person[g["service_user_id"]]["goals"].append(
            {
                "life_area": g["life_area"],
                "set_on": g["created_at"].date().isoformat(),
                "achieved_on": g["achieved_on"].isoformat() if g["achieved_on"] else None,
                "set_aside_on": g["closed_on"].isoformat() if g["closed_on"] else None,
                "ratings": ratings.get(g["pk"], []),
            }
        )
    return {
        "format": FORMAT_VERSION,
        "made_on": today.isoformat(),
        "people": [by_person[pk] for pk in included],
        "about": (
            "Pseudonymised extract. Pseudonyms are stable within this extract only. "
            "No names, contact details or free text. "
            "Only people who consented to use in evaluation are included."
        ),
    }
