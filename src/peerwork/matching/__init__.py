"""Matching referrals with peer workers — pure Python/NumPy/SciPy, no Django.

Fit is a score with reasons, not a gate (a Peerwork design; S2 §6.3 warns, about recruitment, against
demanding an "ideal experiential match");
the only hard limits are room, declared conflicts and the service user's firm wishes.

* :func:`score` / :func:`eligible` — one referral and one peer worker, with reasons;
* :func:`rank` (vectorised) / :func:`rank_plain` (reference loop) — a short list to choose from;
* :func:`plan_offers` — offers of up to three peer workers per person for a whole waiting list,
  so that every choice can be honoured (exact, with a certificate); :func:`plan_offers_greedy`;
* :func:`assign` — an optimal proposal for a whole waiting list, with a certificate;
  :func:`assign_greedy` and :func:`assign_bruteforce` for comparison and tests.
"""

from .assign import (
    UNASSIGNED_CODES,
    Assignment,
    Certificate,
    Match,
    Unassigned,
    assign,
    assign_bruteforce,
    assign_greedy,
    priority_bonus,
)
from .encode import EncodedWorkers, encode_workers
from .offers import OFFERS_PER_PERSON, Offer, OfferCertificate, OfferPlan, plan_offers, plan_offers_greedy
from .profiles import EXPERIENCE_KINDS, WISH_ATTRIBUTES, PeerWorkerProfile, ReferralProfile, Weights, Wish
from .ranking import rank, rank_plain
from .scoring import (
    BANDS,
    EXCLUSION_CODES,
    MISMATCH_CODES,
    NEUTRAL_FIT,
    REASON_CODES,
    Exclusion,
    Fit,
    Reason,
    band,
    eligible,
    score,
    wish_status,
)

__all__ = [
    "BANDS",
    "EXCLUSION_CODES",
    "MISMATCH_CODES",
    "NEUTRAL_FIT",
    "OFFERS_PER_PERSON",
    "EXPERIENCE_KINDS",
    "REASON_CODES",
    "UNASSIGNED_CODES",
    "WISH_ATTRIBUTES",
    "Assignment",
    "Certificate",
    "EncodedWorkers",
    "Exclusion",
    "Fit",
    "Match",
    "Offer",
    "OfferCertificate",
    "OfferPlan",
    "PeerWorkerProfile",
    "Reason",
    "ReferralProfile",
    "Unassigned",
    "Weights",
    "Wish",
    "assign",
    "assign_bruteforce",
    "assign_greedy",
    "band",
    "eligible",
    "encode_workers",
    "plan_offers",
    "plan_offers_greedy",
    "priority_bonus",
    "rank",
    "rank_plain",
    "score",
    "wish_status",
]
