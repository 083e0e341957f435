"""Made-up peer workers and referrals for benchmarks and demos (never real people).

The shapes follow the sources loosely (S3: a municipal peer recovery service; Norwegian and
migrant languages, districts of one city, mental health and substance use experience), so the
matcher sees realistic overlaps and ties. Deterministic for a given seed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .profiles import PeerWorkerProfile, ReferralProfile, Wish

__all__ = ["random_referrals", "random_workers"]

SERVICES = (
    "community_mental_health",
    "inpatient_psychiatry",
    "fact_team",
    "crisis_team",
    "detox",
    "opioid_substitution",
    "residential_rehab",
    "housing_support",
    "day_centre",
    "prison_health",
)
BACKGROUND = (
    "parent",
    "migrant",
    "care_leaver",
    "homelessness",
    "prison",
    "unemployment",
    "student",
    "lgbtq",
    "veteran",
    "rural",
    "sami",
    "single_parent",
)
INTERESTS = (
    "fishing",
    "hiking",
    "football",
    "music",
    "guitar",
    "cooking",
    "gaming",
    "reading",
    "art",
    "photography",
    "gardening",
    "gym",
    "running",
    "cycling",
    "dogs",
    "films",
    "knitting",
    "chess",
    "skiing",
    "dancing",
    "religion",
    "volunteering",
    "cars",
    "history",
)
LANGUAGES_OTHER = ("pl", "ar", "so", "ur", "da", "sv", "ti", "fa", "lt")
DISTRICTS = tuple(f"district_{i:02d}" for i in range(1, 16))
GENDERS = ("female", "male", "non_binary")


def _pick(rng: np.random.Generator, pool: Sequence[str], low: int, high: int) -> frozenset[str]:
    k = int(rng.integers(low, high + 1))
    return frozenset(str(x) for x in rng.choice(pool, size=min(k, len(pool)), replace=False))


def _experience(rng: np.random.Generator) -> frozenset[str]:
    roll = rng.random()
    if roll < 0.4:
        return frozenset({"mental_health"})
    if roll < 0.65:
        return frozenset({"substance_use"})
    return frozenset({"mental_health", "substance_use"})


def _languages(rng: np.random.Generator) -> frozenset[str]:
    languages = set()
    if rng.random() < 0.9:
        languages.add("nb")
    if rng.random() < 0.5:
        languages.add("en")
    if rng.random() < 0.15:
        languages.add(str(rng.choice(LANGUAGES_OTHER)))
    return frozenset(languages)


def random_workers(
    n: int,
    seed: int = 0,
    *,
    capacity: tuple[int, int] = (1, 8),
    busy: float = 0.0,
    conflict_pool: int = 0,
) -> list[PeerWorkerProfile]:
    """``n`` peer workers with capacities drawn from ``capacity`` (inclusive).

    ``busy`` is the share of capacity already taken by active engagements (on average);
    with ``conflict_pool > 0`` some declare conflicts with service users ``0..conflict_pool-1``.
    """
    rng = np.random.default_rng(seed)
    workers = []
    for i in range(n):
        cap = int(rng.integers(capacity[0], capacity[1] + 1))
        active = int(rng.binomial(cap, busy)) if busy > 0 else 0
        conflicts: frozenset[int] = frozenset()
        if conflict_pool > 0 and rng.random() < 0.3:
            conflicts = frozenset(int(x) for x in rng.integers(0, conflict_pool, size=int(rng.integers(1, 3))))
        workers.append(
            PeerWorkerProfile(
                id=i + 1,
                experience_kinds=_experience(rng),
                services_used=_pick(rng, SERVICES, 0, 3),
                background=_pick(rng, BACKGROUND, 0, 3),
                interests=_pick(rng, INTERESTS, 1, 6),
                languages=_languages(rng),
                districts=_pick(rng, DISTRICTS, 1, 3),
                birth_year=None if rng.random() < 0.05 else int(rng.integers(1955, 2001)),
                gender=None if rng.random() < 0.03 else str(rng.choice(GENDERS, p=[0.52, 0.45, 0.03])),
                evenings_weekends=bool(rng.random() < 0.4),
                capacity=cap,
                active_engagements=active,
                conflicts=conflicts,
            )
        )
    return workers


def random_referrals(n: int, seed: int = 0, *, firm_share: float = 0.1) -> list[ReferralProfile]:
    """``n`` referrals; about ``firm_share`` of them carry a firm wish."""
    rng = np.random.default_rng(seed + 1_000_003)
    referrals = []
    for i in range(n):
        wishes: list[Wish] = []
        if rng.random() < 0.3:
            kind = rng.random()
            if kind < 0.5:
                wishes.append(Wish("gender", str(rng.choice(GENDERS[:2]))))
            elif kind < 0.8:
                wishes.append(Wish("age_max_difference", str(int(rng.integers(5, 16)))))
            else:
                wishes.append(Wish("interest", str(rng.choice(INTERESTS))))
        if rng.random() < firm_share:
            if rng.random() < 0.7:
                wishes.append(Wish("gender", str(rng.choice(GENDERS[:2])), firm=True))
            else:
                wishes.append(Wish("language", str(rng.choice(("nb", "en", *LANGUAGES_OTHER[:3]))), firm=True))
        referrals.append(
            ReferralProfile(
                id=i + 1,
                service_user_id=i,
                wanted_experience=frozenset() if rng.random() < 0.05 else _experience(rng),
                services_used=_pick(rng, SERVICES, 0, 3),
                background=_pick(rng, BACKGROUND, 0, 2),
                interests=_pick(rng, INTERESTS, 0, 5),
                languages=_languages(rng),
                district=None if rng.random() < 0.1 else str(rng.choice(DISTRICTS)),
                birth_year=None if rng.random() < 0.1 else int(rng.integers(1955, 2006)),
                needs_evenings_weekends=bool(rng.random() < 0.25),
                wishes=tuple(wishes),
            )
        )
    return referrals
