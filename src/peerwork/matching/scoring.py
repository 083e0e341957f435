"""Fit between one referral and one peer worker, with reasons a coordinator can read.

Fit is a score, not a gate (S2): every part of it is a number in [0, 1], missing data gives 0
for that part, and the score is the weighted sum divided by the sum of the weights. Only three
things exclude a peer worker (:func:`eligible`): no room, a declared conflict with this service
user, and a firm wish that is not met.

Each part is computed with the same arithmetic, in the same order, as the vectorised code in
:mod:`peerwork.matching.encode`, so the two give bit-identical scores (tests check this).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .profiles import PeerWorkerProfile, ReferralProfile, Weights, Wish

__all__ = [
    "AGE_FULL_WITHIN",
    "AGE_ZERO_AT",
    "EXCLUSION_CODES",
    "REASON_CODES",
    "SET_SATURATION",
    "Exclusion",
    "Fit",
    "ParamValue",
    "Reason",
    "eligible",
    "score",
    "wish_status",
]

#: Sharing this many services, background tags or interests counts as a full match for that part
#: (or all of them, if the service user named fewer).
SET_SATURATION = 3
#: Age difference (years) that still counts fully, and the difference at which age adds nothing.
AGE_FULL_WITHIN = 5
AGE_ZERO_AT = 25
_AGE_SPAN = AGE_ZERO_AT - AGE_FULL_WITHIN

ParamValue = str | int | bool | tuple[str, ...]

#: Reason codes, one per part of the fit, and the parameters each carries.
REASON_CODES: Mapping[str, tuple[str, ...]] = {
    "experience": ("shared", "wanted"),
    "services": ("shared",),
    "background": ("shared",),
    "interests": ("shared",),
    "age": ("difference",),
    "language": ("shared",),
    "local_knowledge": ("district",),
    "availability": ("needed",),
    "wishes": ("attributes", "values", "met", "of"),
}

#: Why a peer worker cannot be proposed, and the parameters each carries.
EXCLUSION_CODES: Mapping[str, tuple[str, ...]] = {
    "no_room": ("capacity", "active_engagements"),
    "conflict": (),
    "firm_wish_not_met": ("attribute", "value"),
    "firm_wish_unknown": ("attribute", "value"),
}


def _words(code: str) -> str:
    return code.replace("_", " ")


def _listing(values: object) -> str:
    if isinstance(values, tuple):
        return ", ".join(_words(str(v)) for v in values)
    return _words(str(values))


@dataclass(frozen=True, slots=True)
class Reason:
    """One part of the fit that speaks for this peer worker.

    ``code`` is stable and machine-readable (see :data:`REASON_CODES`); ``params`` hold the
    details to show (shared interests, years apart…); ``contribution`` is this part's share of
    the score, so the contributions of a fit add up to its score. The Django layer translates
    ``code`` + ``params``; :meth:`describe` is the plain-English fallback.
    """

    code: str
    params: Mapping[str, ParamValue] = field(default_factory=dict, hash=False)
    contribution: float = 0.0

    def describe(self) -> str:
        p = self.params
        match self.code:
            case "experience":
                return f"Shares lived experience of {_listing(p['shared'])}"
            case "services":
                return f"Has also used {_listing(p['shared'])}"
            case "background":
                return f"Similar background: {_listing(p['shared'])}"
            case "interests":
                return f"Shared interests: {_listing(p['shared'])}"
            case "age":
                years = p["difference"]
                if years == 0:
                    return "Same age"
                return f"Close in age ({years} year{'s' if years != 1 else ''} apart)"
            case "language":
                return f"Speaks {_listing(p['shared'])}"
            case "local_knowledge":
                return f"Knows the area: {_listing(p['district'])}"
            case "availability":
                if p["needed"]:
                    return "Available evenings and weekends, as needed"
                return "Evening and weekend availability not needed"
            case "wishes":
                attributes = p["attributes"]
                values = p["values"]
                assert isinstance(attributes, tuple) and isinstance(values, tuple)
                met = "; ".join(f"{_words(a)}: {_words(v)}" for a, v in zip(attributes, values, strict=True))
                return f"Meets {p['met']} of {p['of']} wishes ({met})"
        return _words(self.code)


@dataclass(frozen=True, slots=True)
class Fit:
    """How well a peer worker fits a referral.

    ``score`` is in [0, 1]. ``reasons`` lists the parts that added to it, largest first.
    ``unknown`` names the parts that could not be judged because data is missing on either side;
    they add nothing and exclude no one.
    """

    score: float
    reasons: tuple[Reason, ...] = ()
    unknown: tuple[str, ...] = ()

    def describe(self) -> list[str]:
        return [reason.describe() for reason in self.reasons]


@dataclass(frozen=True, slots=True)
class Exclusion:
    """Which hard limit keeps a peer worker off the list (see :data:`EXCLUSION_CODES`)."""

    code: str
    params: Mapping[str, ParamValue] = field(default_factory=dict, hash=False)

    def describe(self) -> str:
        p = self.params
        match self.code:
            case "no_room":
                return f"No room: {p['active_engagements']} engagements for a capacity of {p['capacity']}"
            case "conflict":
                return "Has declared that they know this service user privately"
            case "firm_wish_not_met":
                return f"Does not meet a firm wish ({_words(str(p['attribute']))}: {p['value']})"
            case "firm_wish_unknown":
                return (
                    f"A firm wish cannot be checked ({_words(str(p['attribute']))}: {p['value']}): "
                    "this is not recorded in the peer worker's profile"
                )
        return _words(self.code)


_SET_WISHES: Mapping[str, str] = {
    "language": "languages",
    "experience": "experience_kinds",
    "district": "districts",
    "interest": "interests",
    "background": "background",
    "service": "services_used",
}


def wish_status(wish: Wish, referral: ReferralProfile, worker: PeerWorkerProfile) -> bool | None:
    """Whether ``worker`` meets ``wish``: True, False, or None when the data to tell is missing."""
    attribute = wish.attribute
    if attribute == "gender":
        if worker.gender is None:
            return None
        return worker.gender.strip().casefold() == wish.value.strip().casefold()
    if attribute == "age_max_difference":
        if referral.birth_year is None or worker.birth_year is None:
            return None
        return abs(referral.birth_year - worker.birth_year) <= int(wish.value)
    if attribute == "evenings_weekends":
        return worker.evenings_weekends
    values: frozenset[str] = getattr(worker, _SET_WISHES[attribute])
    if not values:
        return None
    return wish.value in values


def eligible(referral: ReferralProfile, worker: PeerWorkerProfile) -> Exclusion | None:
    """The hard limits, and only these: room, declared conflicts, firm wishes.

    Returns ``None`` when the peer worker may be proposed, else the first limit that applies.
    Missing data never excludes, except where the service user made it a firm wish: a firm wish
    on something not recorded gives ``firm_wish_unknown`` so the coordinator can ask.
    """
    if worker.room <= 0:
        return Exclusion(
            "no_room",
            {"capacity": worker.capacity, "active_engagements": worker.active_engagements},
        )
    if referral.service_user_id is not None and referral.service_user_id in worker.conflicts:
        return Exclusion("conflict", {})
    for wish in referral.wishes:
        if not wish.firm:
            continue
        status = wish_status(wish, referral, worker)
        if status is None:
            return Exclusion("firm_wish_unknown", {"attribute": wish.attribute, "value": wish.value})
        if not status:
            return Exclusion("firm_wish_not_met", {"attribute": wish.attribute, "value": wish.value})
    return None


def _set_part(wanted: frozenset[str], offered: frozenset[str]) -> tuple[float, tuple[str, ...]]:
    shared = wanted & offered
    if not wanted:
        return 0.0, ()
    return min(1.0, len(shared) / min(len(wanted), SET_SATURATION)), tuple(sorted(shared))


def score(referral: ReferralProfile, worker: PeerWorkerProfile, weights: Weights | None = None) -> Fit:
    """The fit of ``worker`` for ``referral``: a score in [0, 1] and the reasons behind it.

    Parts (each in [0, 1], multiplied by its weight):

    * experience — share of the wanted kinds of lived experience the peer worker has;
    * services, background, interests — shared items, full at :data:`SET_SATURATION`;
    * age — full within :data:`AGE_FULL_WITHIN` years, falling to 0 at :data:`AGE_ZERO_AT`;
    * language — 1 if they share a language;
    * local_knowledge — 1 if the peer worker knows the service user's district (S4);
    * availability — 1 if evenings/weekends are needed and offered, or not needed;
    * wishes — share of the non-firm wishes met (firm ones are limits, see :func:`eligible`).

    Eligibility is not checked here: call :func:`eligible` for the hard limits.
    """
    weights = weights or Weights()
    parts: dict[str, float] = {}
    params: dict[str, dict[str, ParamValue]] = {}
    unknown: list[str] = []

    wanted = referral.wanted_experience
    shared_kinds = wanted & worker.experience_kinds
    parts["experience"] = len(shared_kinds) / len(wanted) if wanted else 0.0
    params["experience"] = {"shared": tuple(sorted(shared_kinds)), "wanted": tuple(sorted(wanted))}
    if not wanted or not worker.experience_kinds:
        unknown.append("experience")

    for name, mine, theirs in (
        ("services", referral.services_used, worker.services_used),
        ("background", referral.background, worker.background),
        ("interests", referral.interests, worker.interests),
    ):
        parts[name], shared = _set_part(mine, theirs)
        params[name] = {"shared": shared}
        if not mine or not theirs:
            unknown.append(name)

    if referral.birth_year is None or worker.birth_year is None:
        parts["age"] = 0.0
        unknown.append("age")
    else:
        difference = abs(referral.birth_year - worker.birth_year)
        parts["age"] = max(0.0, 1.0 - max(0, difference - AGE_FULL_WITHIN) / _AGE_SPAN)
        params["age"] = {"difference": difference}

    shared_languages = referral.languages & worker.languages
    parts["language"] = 1.0 if shared_languages else 0.0
    params["language"] = {"shared": tuple(sorted(shared_languages))}
    if not referral.languages or not worker.languages:
        unknown.append("language")

    district = referral.district
    parts["local_knowledge"] = 1.0 if district is not None and district in worker.districts else 0.0
    params["local_knowledge"] = {"district": district or ""}
    if district is None or not worker.districts:
        unknown.append("local_knowledge")

    needed = referral.needs_evenings_weekends
    parts["availability"] = (1.0 if worker.evenings_weekends else 0.0) if needed else 1.0
    params["availability"] = {"needed": needed}

    soft = [wish for wish in referral.wishes if not wish.firm]
    met = [wish for wish in soft if wish_status(wish, referral, worker)]
    parts["wishes"] = len(met) / len(soft) if soft else 0.0
    params["wishes"] = {
        "attributes": tuple(w.attribute for w in met),
        "values": tuple(w.value for w in met),
        "met": len(met),
        "of": len(soft),
    }

    total_weight = weights.total()
    total = 0.0
    reasons: list[Reason] = []
    for name in Weights.names():
        weight = float(getattr(weights, name))
        total += weight * parts[name]
        contribution = weight * parts[name] / total_weight
        if contribution > 0.0:
            reasons.append(Reason(name, params[name], contribution))
    reasons.sort(key=lambda r: -r.contribution)  # stable: ties keep the fixed part order
    return Fit(total / total_weight, tuple(reasons), tuple(unknown))
