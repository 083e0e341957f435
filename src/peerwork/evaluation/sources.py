"""What evaluation reads from other parts of Peerwork besides the service's own tables, asked in one place.

* consent (``peerwork.privacy.consent.consented_ids``): which people agreed to use in evaluation — only
  their closing words may be quoted;
* readiness (``peerwork.readiness``): the all-groups score of the latest assessment rounds.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from peerwork.privacy import consent
from peerwork.readiness.models import Round
from peerwork.readiness.selectors import results_for_rounds

READINESS_ROUNDS = 6


def evaluation_consented(organisation_id: int) -> QuerySet[Any]:
    """A subquery of the ids of service users whose consent covers use in evaluation."""
    return consent.consented_ids(organisation_id, "evaluation")


def readiness_trend(organisation_id: int, unit_id: int | None) -> list[dict[str, Any]]:
    """The latest readiness rounds with the same scope (whole organisation, or the filtered team), oldest
    first, each with its all-groups score (0–100, the mean of the domain scores shown). Three queries: the
    rounds, their own statements, and the answers of all of them."""
    rounds = list(
        Round.objects.filter(organisation_id=organisation_id, unit=unit_id)
        .prefetch_related("custom_items")
        .order_by("-opens_on", "-id")[:READINESS_ROUNDS]
    )[::-1]
    results = results_for_rounds(organisation_id, rounds)
    out = []
    for rnd in rounds:
        res = results[rnd.pk]
        scores = [c.score for c in res.overall.values() if c.score is not None and not res.too_few]
        out.append(
            {
                "title": rnd.title,
                "opens_on": rnd.opens_on,
                "responses": res.total_responses,
                "score": round(sum(scores) / len(scores), 1) if scores else None,
            }
        )
    return out
