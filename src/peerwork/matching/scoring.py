"""Fit between one referral and one peer worker, with reasons and mismatches a person can read.

Fit is a score, not a gate (a Peerwork design). Every part of it is a number in [0, 1] for the parts that can be
judged; a part that cannot be judged because data is missing on either side (or that does not apply,
such as evening availability for someone who does not need it) counts as neither fit nor misfit: it
is left out of both the weighted sum and the sum of the weights (missing data is neutral). When no
part can be judged at all, the score is :data:`NEUTRAL_FIT` and the band is ``"not_known"``.
Only three things exclude a peer worker (:func:`eligible`): no room, a declared conflict with this
service user, and a firm wish that is not met.

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
    "BANDS",
    "BAND_GOOD_FROM",
    "BAND_MIN_KNOWN",
    "BAND_SOME_FROM",
    "EXCLUSION_CODES",
    "MISMATCH_CODES",
    "NEUTRAL_FIT",
    "REASON_CODES",
    "SET_SATURATION",
    "Exclusion",
    "Fit",
    "ParamValue",
    "Reason",
    "band",
    "eligible",
    "score",
    "wish_status",
]

#: Sharing this many services, background tags or interests counts as a full match for that part
#: (or all of them, if the service user named fewer).
SET_SATURATION = 3
#: Age difference (years) that still counts fully ("close in age"), and the difference at which age
#: adds nothing (listed as a mismatch from there on).
AGE_FULL_WITHIN = 5
AGE_ZERO_AT = 25
_AGE_SPAN = AGE_ZERO_AT - AGE_FULL_WITHIN
#: The score when no part of the fit can be judged (Peerwork default: halfway, neither fit nor misfit).
NEUTRAL_FIT = 0.5
#: Plain bands for the fit (Peerwork defaults): "good" from this score, "some" from the next, "little"
#: below; "not_known" when less than BAND_MIN_KNOWN of the weight of the parts that apply is known.
BAND_GOOD_FROM = 0.6
BAND_SOME_FROM = 0.3
BAND_MIN_KNOWN = 0.25
BANDS = ("good", "some", "little", "not_known")

ParamValue = str | int | bool | tuple[str, ...]

#: Reason codes (what speaks for the peer worker) and the parameters each carries.
REASON_CODES: Mapping[str, tuple[str, ...]] = {
    "experience": ("shared",),
    "services": ("shared",),
    "background": ("shared",),
    "interests": ("shared",),
    "age": ("difference",),
    "language": ("shared",),
    "local_knowledge": ("district",),
    "availability": (),
    "wishes": ("attributes", "values"),
}

#: Mismatch codes (what speaks against, though it excludes no one) and the parameters each carries.
MISMATCH_CODES: Mapping[str, tuple[str, ...]] = {
    "experience": ("missing",),
    "age": ("difference",),
    "language": ("missing",),
    "local_knowledge": ("district",),
    "availability": (),
    "wishes": ("attributes", "values"),
}

#: Why a peer worker cannot be proposed, and the parameters each carries.
EXCLUSION_CODES: Mapping[str, tuple[str, ...]] = {
    "no_room": ("capacity", "active_engagements", "pending_offers"),
    "conflict": (),
    "firm_wish_not_met": ("attribute", "value"),
    "firm_wish_unknown": ("attribute", "value"),
}


def _words(values: object) -> str:
    items = values if isinstance(values, tuple) else (values,)
    return ", ".join(str(v).replace("_", " ") for v in items)


def _pairs(p: Mapping[str, ParamValue]) -> str:
    attributes, values = p["attributes"], p["values"]
    return "; ".join(f"{_words(a)}: {_words(values[i])}" for i, a in enumerate(attributes))  # type: ignore[arg-type,index]  # both are tuples of the same length (see score)


@dataclass(frozen=True, slots=True)
class Reason:
    """One part of the fit that speaks for (a reason) or against (a mismatch) this peer worker.

    ``code`` is stable and machine-readable (see :data:`REASON_CODES`, :data:`MISMATCH_CODES`);
    ``params`` hold the details to show; ``contribution`` is this part's share of the score for a
    reason (0 for a mismatch). The Django layer translates ``code`` + ``params``;
    :meth:`describe` is the plain-English fallback (codes, not names).
    """

    code: str
    params: Mapping[str, ParamValue] = field(default_factory=dict, hash=False)
    contribution: float = 0.0
    mismatch: bool = False

    def describe(self) -> str:
        p = self.params
        if self.mismatch:
            match self.code:
                case "experience":
                    return f"No lived experience of {_words(p['missing'])}"
                case "age":
                    return f"{p['difference']} years apart in age"
                case "language":
                    return f"Does not speak {_words(p['missing'])}"
                case "local_knowledge":
                    return f"Does not know the area: {_words(p['district'])}"
                case "availability":
                    return "Cannot meet in the evenings or at weekends, which the person needs"
                case "wishes":
                    return f"Does not meet a wish: {_pairs(p)}"
        match self.code:
            case "experience":
                return f"Shares lived experience of {_words(p['shared'])}"
            case "services":
                return f"Has also used {_words(p['shared'])}"
            case "background":
                return f"Similar background: {_words(p['shared'])}"
            case "interests":
                return f"Shared interests: {_words(p['shared'])}"
            case "age":
                years = p["difference"]
                return "Same age" if years == 0 else f"Close in age ({years} years apart)"
            case "language":
                return f"Speaks {_words(p['shared'])}"
            case "local_knowledge":
                return f"Knows the area: {_words(p['district'])}"
            case "availability":
                return "Can meet in the evenings and at weekends, as the person needs"
            case "wishes":
                return f"Meets a wish: {_pairs(p)}"
        return _words(self.code)


@dataclass(frozen=True, slots=True)
class Fit:
    """How well a peer worker fits a referral.

    ``score`` is in [0, 1] (the weighted mean of the parts that could be judged). ``reasons`` lists
    what speaks for the peer worker, largest first; ``mismatches`` what speaks against. ``unknown``
    names the parts that could not be judged (data missing, or not applying); ``known`` is the share
    of the weight of the applicable parts that could be judged (0 to 1).
    """

    score: float
    reasons: tuple[Reason, ...] = ()
    unknown: tuple[str, ...] = ()
    mismatches: tuple[Reason, ...] = ()
    known: float = 1.0

    def describe(self) -> list[str]:
        return [reason.describe() for reason in (*self.reasons, *self.mismatches)]


def band(fit: Fit) -> str:
    """The fit in plain words (one of :data:`BANDS`): "good", "some", "little", or "not_known"."""
    if fit.known < BAND_MIN_KNOWN:
        return "not_known"
    if fit.score >= BAND_GOOD_FROM:
        return "good"
    if fit.score >= BAND_SOME_FROM:
        return "some"
    return "little"


@dataclass(frozen=True, slots=True)
class Exclusion:
    """Which hard limit keeps a peer worker off the list (see :data:`EXCLUSION_CODES`)."""

    code: str
    params: Mapping[str, ParamValue] = field(default_factory=dict, hash=False)

    def describe(self) -> str:
        p = self.params
        match self.code:
            case "no_room":
                return (
                    f"No room: {p['active_engagements']} engagements and {p['pending_offers']} pending offers "
                    f"for a capacity of {p['capacity']}"
                )
            case "conflict":
                return "Has declared that they know this service user privately"
            case "firm_wish_not_met":
                return f"Does not meet a firm wish ({_words(p['attribute'])}: {p['value']})"
            case "firm_wish_unknown":
                return (
                    f"A firm wish cannot be checked ({_words(p['attribute'])}: {p['value']}): "
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
            {
                "capacity": worker.capacity,
                "active_engagements": worker.active_engagements,
                "pending_offers": worker.pending_offers,
            },
        )
    if referral.service_user_id is not None and referral.service_user_id in worker.conflicts:
        return Exclusion("conflict")
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
    return min(1.0, len(shared) / min(len(wanted), SET_SATURATION)), tuple(sorted(shared))


def score(referral: ReferralProfile, worker: PeerWorkerProfile, weights: Weights | None = None) -> Fit:
    """The fit of ``worker`` for ``referral``: a score in [0, 1], reasons and mismatches.

    Parts (each in [0, 1], multiplied by its weight; a part that cannot be judged is left out):

    * experience — share of the wanted kinds of lived experience the peer worker has;
    * services, background, interests — shared items, full at :data:`SET_SATURATION`;
    * age — full within :data:`AGE_FULL_WITHIN` years, falling to 0 at :data:`AGE_ZERO_AT`;
    * language — 1 if they share a language;
    * local_knowledge — 1 if the peer worker knows the service user's district (S4);
    * availability — only when evenings/weekends are needed: 1 if the peer worker offers them;
    * wishes — share of the non-firm wishes met, among those that can be checked (firm ones are
      limits, see :func:`eligible`).

    Eligibility is not checked here: call :func:`eligible` for the hard limits.
    """
    weights = weights or Weights()
    parts: dict[str, float] = {}
    good: dict[str, dict[str, ParamValue]] = {}
    bad: dict[str, dict[str, ParamValue]] = {}
    applies = set(Weights.names())

    wanted = referral.wanted_experience
    if wanted and worker.experience_kinds:
        shared_kinds = wanted & worker.experience_kinds
        missing_kinds = wanted - worker.experience_kinds
        parts["experience"] = len(shared_kinds) / len(wanted)
        if shared_kinds:
            good["experience"] = {"shared": tuple(sorted(shared_kinds))}
        if missing_kinds:
            bad["experience"] = {"missing": tuple(sorted(missing_kinds))}

    for name, mine, theirs in (
        ("services", referral.services_used, worker.services_used),
        ("background", referral.background, worker.background),
        ("interests", referral.interests, worker.interests),
    ):
        if mine and theirs:
            parts[name], shared = _set_part(mine, theirs)
            if shared:
                good[name] = {"shared": shared}

    if referral.birth_year is not None and worker.birth_year is not None:
        difference = abs(referral.birth_year - worker.birth_year)
        parts["age"] = max(0.0, 1.0 - max(0, difference - AGE_FULL_WITHIN) / _AGE_SPAN)
        if difference <= AGE_FULL_WITHIN:
            good["age"] = {"difference": difference}
        elif difference >= AGE_ZERO_AT:
            bad["age"] = {"difference": difference}

    if referral.languages and worker.languages:
        shared_languages = referral.languages & worker.languages
        missing_languages = referral.languages - worker.languages
        parts["language"] = 1.0 if shared_languages else 0.0
        if shared_languages:
            good["language"] = {"shared": tuple(sorted(shared_languages))}
        if missing_languages:
            bad["language"] = {"missing": tuple(sorted(missing_languages))}

    district = referral.district
    if district is not None and worker.districts:
        known_area = district in worker.districts
        parts["local_knowledge"] = 1.0 if known_area else 0.0
        (good if known_area else bad)["local_knowledge"] = {"district": district}

    if referral.needs_evenings_weekends:
        parts["availability"] = 1.0 if worker.evenings_weekends else 0.0
        (good if worker.evenings_weekends else bad)["availability"] = {}
    else:
        applies.discard("availability")

    soft = [wish for wish in referral.wishes if not wish.firm]
    status = [(wish, wish_status(wish, referral, worker)) for wish in soft]
    checked = [(wish, met) for wish, met in status if met is not None]
    if not soft:
        applies.discard("wishes")
    if checked:
        met_wishes = [wish for wish, met in checked if met]
        unmet_wishes = [wish for wish, met in checked if not met]
        parts["wishes"] = len(met_wishes) / len(checked)
        for target, chosen in ((good, met_wishes), (bad, unmet_wishes)):
            if chosen:
                target["wishes"] = {
                    "attributes": tuple(w.attribute for w in chosen),
                    "values": tuple(w.value for w in chosen),
                }

    total = 0.0
    known_weight = 0.0
    applicable_weight = 0.0
    for name in Weights.names():
        weight = float(getattr(weights, name))
        if name in applies:
            applicable_weight += weight
        if name in parts:
            total += weight * parts[name]
            known_weight += weight
    if known_weight > 0.0:
        value = total / known_weight
        known = known_weight / applicable_weight
    else:
        value, known = NEUTRAL_FIT, 0.0
    reasons: list[Reason] = []
    mismatches: list[Reason] = []
    for name in Weights.names():
        weight = float(getattr(weights, name))
        if weight == 0.0:
            continue  # a part the organisation does not count is neither a reason nor a mismatch
        if name in good:
            reasons.append(Reason(name, good[name], weight * parts[name] / known_weight))
        if name in bad:
            mismatches.append(Reason(name, bad[name], mismatch=True))
    reasons.sort(key=lambda r: -r.contribution)  # stable: ties keep the fixed part order
    unknown = tuple(name for name in Weights.names() if name not in parts)
    return Fit(value, tuple(reasons), unknown, tuple(mismatches), known)
