"""Between the service's models and the pure matching module (``peerwork.matching``).

Loads the organisation's peer workers, the referral and the weights in a fixed number of queries, turns them
into the module's dataclasses, and turns the module's reason and exclusion codes into plain, translated
words. The hard limits (room, declared conflicts, firm requirements) are the module's ``eligible``; the
services apply them again at write time, so a proposal never depends on the ranking having been shown.
A peer worker who is not open to new engagements is left out before the module sees them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerwork.accounts.models import User
from peerwork.audit.trail import Action, record_many
from peerwork.core.actor import Actor
from peerwork.core.roles import Role
from peerwork.matching import profiles as mp
from peerwork.matching.assign import assign
from peerwork.matching.encode import encode_workers
from peerwork.matching.ranking import rank as module_rank
from peerwork.matching.scoring import Fit, eligible
from peerwork.matching.scoring import score as module_score

from . import candidates as cands
from .models import ExperienceKind, Gender, MatchingSettings, Referral, ServiceUsed, ServiceUser


@dataclass
class Ranked:
    user: User
    score: float
    reasons: list[dict[str, Any]]
    texts: list[str]
    active: int
    capacity: int
    room: int

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass
class Excluded:
    user: User
    texts: list[str]


@dataclass
class Suggestion:
    referral: Referral
    ranked: Ranked
    waiting_days: int


@dataclass
class Plan:
    suggestions: list[Suggestion] = field(default_factory=list)
    unassigned: list[Referral] = field(default_factory=list)
    total: float = 0.0
    optimal: bool = True


# --- models → the module's dataclasses ------------------------------------------------------------------


def _tags(values: Any) -> frozenset[str]:
    return frozenset(str(v).strip().lower() for v in values or [] if str(v).strip())


def to_wishes(wishes: list[dict[str, Any]] | None) -> tuple[mp.Wish, ...]:
    """The person's wishes as the module's ``Wish``; a malformed one is skipped (it could exclude no one)."""
    out = []
    for w in wishes or []:
        try:
            value = str(w.get("value", "")).strip()
            if w.get("kind") not in ("gender", "age_max_difference", "evenings_weekends"):
                value = value.lower()
            out.append(mp.Wish(str(w.get("kind")), value, bool(w.get("firm"))))
        except (ValueError, TypeError, AttributeError):
            continue
    return tuple(out)


def to_referral(referral: Referral, person: ServiceUser | None = None) -> mp.ReferralProfile:
    person = person or referral.service_user
    return mp.ReferralProfile(
        id=referral.pk,
        service_user_id=person.pk,
        wanted_experience=_tags(referral.wanted_experience),
        services_used=_tags(person.services_used),
        background=_tags(person.background),
        interests=_tags(person.interests),
        languages=_tags(person.languages),
        district=(person.district or "").strip().lower() or None,
        birth_year=person.birth_year,
        needs_evenings_weekends=bool(referral.needs_evenings or referral.needs_weekends),
        wishes=to_wishes(person.wishes),
    )


def to_worker(c: cands.Candidate) -> mp.PeerWorkerProfile:
    p = c.profile
    return mp.PeerWorkerProfile(
        id=c.user.pk,
        experience_kinds=_tags(p.experience_kinds),
        services_used=_tags(p.services_used),
        background=_tags(p.background),
        interests=_tags(p.interests),
        languages=_tags(p.languages),
        districts=_tags(p.districts),
        birth_year=p.birth_year,
        gender=p.gender or None,
        evenings_weekends=bool(p.evenings or p.weekends),
        capacity=p.capacity if c.open_to_new else 0,
        active_engagements=c.active,
        conflicts=frozenset(c.conflicts),
    )


WEIGHT_FIELDS = {
    "experience": "experience",
    "services": "services",
    "background": "background",
    "interests": "interests",
    "age": "age",
    "language": "language",
    "local_knowledge": "district",
    "availability": "availability",
    "wishes": "wishes",
}


def weights_for(organisation_id: int) -> tuple[mp.Weights, float]:
    """The organisation's weights (module defaults when none are saved) and the waiting-time weight."""
    found = MatchingSettings.objects.filter(organisation_id=organisation_id).first()
    if found is None:
        return mp.Weights(), MatchingSettings._meta.get_field("waiting").default
    try:
        weights = mp.Weights.from_mapping({k: float(getattr(found, v)) for k, v in WEIGHT_FIELDS.items()})
    except ValueError:  # every weight zero: fall back to the defaults rather than rank nobody
        weights = mp.Weights()
    return weights, float(found.waiting)


def unmet_limits(candidate: cands.Candidate, referral: Referral) -> list[dict[str, Any]]:
    """The hard limit this peer worker fails for this referral (empty when they may be proposed)."""
    if candidate.closed_code:
        return [{"code": candidate.closed_code, "params": {}}]
    exclusion = eligible(to_referral(referral), to_worker(candidate))
    if exclusion is None:
        return []
    return [{"code": exclusion.code, "params": dict(exclusion.params)}]


def _reason_dicts(fit: Fit) -> list[dict[str, Any]]:
    def plain(value: Any) -> Any:
        return list(value) if isinstance(value, tuple) else value

    return [
        {
            "code": r.code,
            "params": {k: plain(v) for k, v in r.params.items()},
            "share": round(r.contribution, 4),
        }
        for r in fit.reasons
    ]


# --- codes → words ----------------------------------------------------------------------------------------


def _label(choices: Any, value: Any) -> str:
    return str(dict(choices.choices).get(value, value))


def _listing(values: Any, choices: Any = None) -> str:
    if isinstance(values, str):
        values = [values]
    return ", ".join(_label(choices, v).lower() if choices else str(v) for v in values or [])


def wish_kind_label(kind: str) -> str:
    return {
        "gender": _("gender"),
        "language": _("language"),
        "experience": _("kind of lived experience"),
        "district": _("local knowledge"),
        "interest": _("interest"),
        "background": _("background"),
        "service": _("services used"),
        "age_max_difference": _("age difference"),
        "evenings_weekends": _("evenings and weekends"),
    }.get(kind, kind.replace("_", " "))


def _wish_value(kind: str, value: Any) -> str:
    if kind == "gender":
        return _label(Gender, value).lower()
    if kind == "experience":
        return _label(ExperienceKind, value).lower()
    if kind == "service":
        return _label(ServiceUsed, value).lower()
    if kind == "age_max_difference":
        return ngettext("at most %(n)s year", "at most %(n)s years", int(value)) % {"n": value}
    if kind == "evenings_weekends":
        return _("yes")
    return str(value)


def limit_text(code: str, params: dict[str, Any] | None = None) -> str:
    """Why a peer worker cannot be proposed, in words."""
    p = params or {}
    if code == "not_accepting":
        return _("Not taking new engagements at the moment")
    if code == "on_hold":
        return _("New: not open to new people until profile and orientation are complete")
    if code == "no_room":
        return _("No room: %(active)s engagements for a capacity of %(capacity)s") % {
            "active": p.get("active_engagements", "?"),
            "capacity": p.get("capacity", "?"),
        }
    if code == "conflict":
        return _("Has declared knowing the person privately")
    if code in ("firm_wish_not_met", "firm_wish_unknown"):
        kind = str(p.get("attribute", ""))
        values = {"what": wish_kind_label(kind), "value": _wish_value(kind, p.get("value", ""))}
        if code == "firm_wish_unknown":
            msg = _("A firm requirement cannot be checked (%(what)s: %(value)s): not in the peer worker's profile")
            return msg % values
        return _("Does not meet a firm requirement (%(what)s: %(value)s)") % values
    return code.replace("_", " ")


def wish_texts(wishes: list[dict[str, Any]] | None) -> list[tuple[str, bool]]:
    """The person's wishes in words, each with whether it is a firm requirement."""
    out = []
    for w in to_wishes(wishes):
        text = _("%(what)s: %(value)s") % {
            "what": wish_kind_label(w.attribute).capitalize(),
            "value": _wish_value(w.attribute, w.value),
        }
        out.append((text, w.firm))
    return out


def reason_text(code: str, params: dict[str, Any]) -> str:
    """One reason code of the matching module in plain words."""
    p = params or {}
    try:
        if code == "experience":
            return _("Shares lived experience of %(what)s") % {"what": _listing(p["shared"], ExperienceKind)}
        if code == "services":
            return _("Has also used %(what)s") % {"what": _listing(p["shared"], ServiceUsed)}
        if code == "background":
            return _("Similar background: %(what)s") % {"what": _listing(p["shared"])}
        if code == "interests":
            return _("Shared interests: %(what)s") % {"what": _listing(p["shared"])}
        if code == "age":
            years = int(p["difference"])
            if years == 0:
                return _("Same age")
            return ngettext("Close in age (%(n)d year apart)", "Close in age (%(n)d years apart)", years) % {"n": years}
        if code == "language":
            return _("Speaks %(what)s") % {"what": _listing(p["shared"])}
        if code == "local_knowledge":
            return _("Knows the area: %(what)s") % {"what": _listing(p["district"])}
        if code == "availability":
            if p.get("needed"):
                return _("Can meet in the evenings and at weekends, as the person needs")
            return _("Evening and weekend contact is not needed")
        if code == "wishes":
            met = "; ".join(
                f"{wish_kind_label(a)}: {_wish_value(a, v)}" for a, v in zip(p["attributes"], p["values"], strict=False)
            )
            return ngettext(
                "Meets %(met)d of %(of)d wish (%(which)s)",
                "Meets %(met)d of %(of)d wishes (%(which)s)",
                int(p["of"]),
            ) % {"met": int(p["met"]), "of": int(p["of"]), "which": met}
        if code == "room":
            return _("Has room for %(n)s more") % {"n": p.get("room", "?")}
    except (KeyError, TypeError, ValueError):
        pass
    return code.replace("_", " ")


def reason_texts(reasons: list[dict[str, Any]] | None) -> list[str]:
    return [reason_text(str(r.get("code", "")), r.get("params") or {}) for r in reasons or []]


# --- ranking and whole-list assignment ----------------------------------------------------------------


def rank(
    actor: Actor, referral: Referral, limit: int | None = 10, *, pool: list[cands.Candidate] | None = None
) -> tuple[list[Ranked], list[Excluded]]:
    """Every eligible peer worker, best fit first (the module's ``rank``), and the excluded ones with why.

    Five queries whatever the number of peer workers (four to load them, one for the weights); pass ``pool``
    when the page has loaded the peer workers already."""
    pool = cands.load(actor.organisation_id) if pool is None else pool
    by_id = {c.user.pk: c for c in pool}
    ref = to_referral(referral)
    workers = [to_worker(c) for c in pool]
    excluded = []
    for c, w in zip(pool, workers, strict=True):
        if c.closed_code:
            excluded.append(Excluded(c.user, [limit_text(c.closed_code)]))
            continue
        exclusion = eligible(ref, w)
        if exclusion is not None:
            excluded.append(Excluded(c.user, [limit_text(exclusion.code, dict(exclusion.params))]))
    weights, _waiting = weights_for(actor.organisation_id)
    ranked = module_rank(ref, encode_workers(workers), weights, limit=limit) if workers else []
    out = []
    for worker_id, fit in ranked:
        c = by_id[worker_id]
        reasons = _reason_dicts(fit)
        out.append(Ranked(c.user, fit.score, reasons, reason_texts(reasons), c.active, c.profile.capacity, c.room))
    return out, excluded


def assign_waiting_list(actor: Actor) -> Plan:
    """An optimal assignment of the whole waiting list (the module's ``assign``: the greatest total of fit
    plus a bonus for waiting, within every peer worker's room and the hard limits), as suggestions the
    coordinator accepts one by one. Each person shown is audited. Seven queries plus the audit."""
    actor.require(Role.COORDINATOR)
    today = timezone.localdate()
    waiting = list(
        Referral.objects.filter(organisation_id=actor.organisation_id, status=Referral.Status.WAITING)
        .select_related("service_user")
        .order_by("received_on", "id")
    )
    if not waiting:
        return Plan()
    pool = cands.load(actor.organisation_id)
    by_worker = {c.user.pk: c for c in pool}
    workers = [to_worker(c) for c in pool]
    profiles = {r.pk: to_referral(r) for r in waiting}
    weights, priority = weights_for(actor.organisation_id)
    days = {r.pk: max(0, (today - r.received_on).days) for r in waiting}
    result = assign(list(profiles.values()), encode_workers(workers), weights, days, priority)
    by_referral = {r.pk: r for r in waiting}
    worker_profiles = {w.id: w for w in workers}
    suggestions = []
    for m in result.matches:
        c = by_worker[m.worker_id]
        fit = module_score(profiles[m.referral_id], worker_profiles[m.worker_id], weights)
        reasons = _reason_dicts(fit)
        ranked = Ranked(c.user, fit.score, reasons, reason_texts(reasons), c.active, c.profile.capacity, c.room)
        suggestions.append(Suggestion(by_referral[m.referral_id], ranked, days[m.referral_id]))
    suggestions.sort(key=lambda s: (-s.waiting_days, s.referral.pk))
    unassigned = [by_referral[u.referral_id] for u in result.unassigned]
    record_many(actor, Action.READ, [(r, r.service_user) for r in waiting], detail="waiting-list assignment")
    certificate = result.certificate
    return Plan(
        suggestions=suggestions,
        unassigned=unassigned,
        total=result.total_fit,
        optimal=bool(certificate and certificate.optimal),
    )


def today() -> Any:
    return timezone.localdate()
