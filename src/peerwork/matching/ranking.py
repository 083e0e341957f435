"""A short ranked list of peer workers for one referral, so the service user can choose (a Peerwork
design choice, ``default-choice`` in docs/sources.md).

:func:`rank` is vectorised over all peer workers; :func:`rank_plain` is the same thing as a
plain loop over :func:`~peerwork.matching.scoring.score` — the reference the tests and the
benchmark compare against. Both return eligible peer workers only, best first, ties broken by
the lower peer worker id.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .encode import EncodedWorkers, encode_workers, fit_block
from .profiles import PeerWorkerProfile, ReferralProfile, Weights
from .scoring import Fit, eligible, score

__all__ = ["rank", "rank_plain"]


def _check_limit(limit: int | None) -> None:
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be zero or more (or None for everyone), got {limit}.")


def rank(
    referral: ReferralProfile,
    workers: Iterable[PeerWorkerProfile] | EncodedWorkers,
    weights: Weights | None = None,
    limit: int | None = 5,
) -> list[tuple[int, Fit]]:
    """The ``limit`` best-fitting eligible peer workers for ``referral`` as ``(worker id, Fit)``.

    Pass ``encode_workers(workers)`` when ranking many referrals against the same peer workers.
    ``limit=None`` returns every eligible peer worker.
    """
    _check_limit(limit)
    weights = weights or Weights()
    enc = encode_workers(workers)
    if len(enc) == 0 or limit == 0:
        return []
    scores, ok = fit_block([referral], enc, weights)
    candidates = np.flatnonzero(ok[0])
    values = scores[0, candidates]
    if limit is not None and limit < len(candidates):
        # Keep everything tied with the limit-th best, then order exactly.
        threshold = np.partition(values, len(values) - limit)[len(values) - limit]
        keep = values >= threshold
        candidates, values = candidates[keep], values[keep]
    # Workers are encoded in id order, so the position breaks ties by id.
    order = np.lexsort((candidates, -values))
    chosen = candidates[order][:limit]
    return [(enc.workers[i].id, score(referral, enc.workers[i], weights)) for i in chosen.tolist()]


def rank_plain(
    referral: ReferralProfile,
    workers: Iterable[PeerWorkerProfile] | EncodedWorkers,
    weights: Weights | None = None,
    limit: int | None = 5,
) -> list[tuple[int, Fit]]:
    """Same result as :func:`rank`, computed one peer worker at a time (the reference)."""
    _check_limit(limit)
    weights = weights or Weights()
    pool = workers.workers if isinstance(workers, EncodedWorkers) else tuple(workers)
    ids = [w.id for w in pool]
    if len(set(ids)) != len(ids):
        raise ValueError("Peer worker ids must be unique.")
    ranked = [(w.id, score(referral, w, weights)) for w in pool if eligible(referral, w) is None]
    ranked.sort(key=lambda item: (-item[1].score, item[0]))
    return ranked if limit is None else ranked[:limit]
