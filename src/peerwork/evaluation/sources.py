"""What evaluation reads from other parts of Peerwork, asked in one place.

Each source is optional: when a part is not installed (or offers no such function), the dashboard leaves
that figure out and says so, rather than failing.

* the peer recovery service (``peerwork.service``): engagements, contacts, goals, referrals;
* consent (``peerwork.privacy.consent.consented_ids``): which people agreed to use in evaluation — their
  closing words may be quoted; without the function, nobody is quoted (fail closed);
* readiness (``peerwork.readiness``): the all-groups score of the latest assessment rounds.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)
READINESS_ROUNDS = 6


def service_available() -> bool:
    try:
        from peerwork.service import models as service_models
    except ImportError:
        return False
    return all(hasattr(service_models, name) for name in ("Engagement", "Contact", "Goal", "GoalRating", "Referral"))


def evaluation_consented(organisation_id: int) -> Any:
    """A subquery of service-user ids whose consent covers evaluation, or None when consent cannot be
    checked."""
    try:
        from peerwork.privacy import consent
    except ImportError:
        return None
    fn = getattr(consent, "consented_ids", None)
    if not callable(fn):
        return None
    return fn(organisation_id, "evaluation")


def readiness_trend(organisation_id: int, unit_id: int | None) -> list[dict[str, Any]] | None:
    """The latest readiness rounds with the same scope (whole organisation, or the filtered team), oldest
    first, each with its all-groups score (0–100, the mean of the domain scores shown). One query per round,
    at most ``READINESS_ROUNDS`` rounds."""
    try:
        from peerwork.readiness.models import Round
        from peerwork.readiness.selectors import results_for
    except ImportError:
        return None
    try:
        rounds = list(
            Round.objects.filter(organisation_id=organisation_id, unit_id=unit_id)
            .prefetch_related("custom_items")
            .order_by("-opens_on", "-id")[:READINESS_ROUNDS]
        )[::-1]
        out = []
        for rnd in rounds:
            res = results_for(rnd)
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
    except (AttributeError, TypeError, ValueError):
        logger.exception("readiness results could not be read for the evaluation dashboard")
        return None
