"""Between the service's models and the pure matching module (``peerwork.matching``).

Loads the organisation's peer workers, the referral and the weights in a fixed number of queries, turns them
into the module's dataclasses, and turns the module's reason and exclusion codes into plain, translated words:
reasons and mismatches as sentences, language names instead of codes, the fit as a band ("good fit", "some
fit", "little fit", "fit not known") rather than a number. The hard limits (room, declared conflicts, firm
requirements) are the module's ``eligible``; the services apply them again at write time, so a proposal never
depends on the ranking having been shown. A peer worker who is not open to new engagements is left out before
the module sees them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language_info, gettext_lazy, ngettext, pgettext_lazy
from django.utils.translation import gettext as _

from peerwork.accounts.models import User
from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record_many
from peerwork.core.actor import Actor
from peerwork.core.roles import Role
from peerwork.matching import profiles as mp
from peerwork.matching.encode import encode_workers
from peerwork.matching.offers import OfferPlan, plan_offers
from peerwork.matching.ranking import rank as module_rank
from peerwork.matching.scoring import AGE_FULL_WITHIN, Fit, band, eligible
from peerwork.matching.scoring import score as module_score

from . import candidates as cands
from .models import ExperienceKind, Gender, MatchingSettings, Referral, ServiceUsed, ServiceUser


@dataclass
class Ranked:
    """A peer worker as shown for one person: the fit as a band in words, reasons and mismatches."""

    user: User
    score: float
    reasons: list[dict[str, Any]]
    texts: list[str]
    active: int
    capacity: int
    room: int
    band: str = "not_known"
    mismatches: list[str] = field(default_factory=list)

    @property
    def band_label(self) -> str:
        return band_label(self.band)


@dataclass
class Excluded:
    user: User
    texts: list[str]


@dataclass
class OfferRow:
    """One waiting person with the peer workers offered to them (best fit first, up to three)."""

    referral: Referral
    offers: list[Ranked]
    waiting_days: int


@dataclass
class OfferList:
    """Offers for the whole waiting list; ``waiting`` are the people left without an offer this time,
    each with why (``outranked``: the places went to people who waited longer)."""

    rows: list[OfferRow] = field(default_factory=list)
    waiting: list[tuple[Referral, bool]] = field(default_factory=list)
    optimal: bool = True
    places: int = 0
    offered: int = 0  # people with offers in the whole plan (``rows`` may be one page of them)
    page: Page[int] | None = None


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
        pending_offers=c.pending,
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
    return _weights_of(MatchingSettings.objects.filter(organisation_id=organisation_id).first())


def _weights_of(found: MatchingSettings | None) -> tuple[mp.Weights, float]:
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

    out: list[dict[str, Any]] = [
        {"code": r.code, "params": {k: plain(v) for k, v in r.params.items()}, "share": round(r.contribution, 4)}
        for r in fit.reasons
    ]
    out += [
        {"code": r.code, "params": {k: plain(v) for k, v in r.params.items()}, "mismatch": True} for r in fit.mismatches
    ]
    return out


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
    if kind == "language":
        return language_name(str(value))
    return str(value)


def limit_text(code: str, params: dict[str, Any] | None = None) -> str:
    """Why a peer worker cannot be proposed, in words."""
    p = params or {}
    if code == "not_accepting":
        return _("Not taking new engagements at the moment")
    if code == "on_hold":
        return _("New: not open to new people until profile and orientation are complete")
    if code == "no_room":
        return _("No room: %(active)s engagements and %(pending)s pending offers for a capacity of %(capacity)s") % {
            "active": p.get("active_engagements", "?"),
            "pending": p.get("pending_offers", 0),
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


#: Language names for the codes people's profiles use, in the context "language" (apart from Django's own
#: catalogue); other codes fall back to Django's list of languages, then to the code itself.
LANGUAGE_NAMES: dict[str, Promise] = {
    "nb": pgettext_lazy("language", "Norwegian"),
    "no": pgettext_lazy("language", "Norwegian"),
    "nn": pgettext_lazy("language", "Norwegian Nynorsk"),
    "da": pgettext_lazy("language", "Danish"),
    "sv": pgettext_lazy("language", "Swedish"),
    "en": pgettext_lazy("language", "English"),
    "se": pgettext_lazy("language", "Northern Sami"),
    "so": pgettext_lazy("language", "Somali"),
    "ar": pgettext_lazy("language", "Arabic"),
    "pl": pgettext_lazy("language", "Polish"),
    "ur": pgettext_lazy("language", "Urdu"),
    "ti": pgettext_lazy("language", "Tigrinya"),
    "fa": pgettext_lazy("language", "Persian"),
    "prs": pgettext_lazy("language", "Dari"),
    "ku": pgettext_lazy("language", "Kurdish"),
    "tr": pgettext_lazy("language", "Turkish"),
    "uk": pgettext_lazy("language", "Ukrainian"),
    "ru": pgettext_lazy("language", "Russian"),
    "lt": pgettext_lazy("language", "Lithuanian"),
    "es": pgettext_lazy("language", "Spanish"),
    "de": pgettext_lazy("language", "German"),
    "vi": pgettext_lazy("language", "Vietnamese"),
    "th": pgettext_lazy("language", "Thai"),
    "am": pgettext_lazy("language", "Amharic"),
    "sw": pgettext_lazy("language", "Swahili"),
}


def language_name(code: str) -> str:
    """A language code in words, in the reader's language ("so" → "Somali")."""
    code = str(code).strip().lower()
    if code in LANGUAGE_NAMES:
        return str(LANGUAGE_NAMES[code])
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def language_names(codes: Any) -> str:
    if isinstance(codes, str):
        codes = [codes]
    return ", ".join(language_name(c) for c in codes or [])


BAND_LABELS: dict[str, Promise] = {
    "good": gettext_lazy("good fit"),
    "some": gettext_lazy("some fit"),
    "little": gettext_lazy("little fit"),
    "not_known": gettext_lazy("fit not known"),
}


def band_label(code: str) -> str:
    """The fit band in words ("good fit", "some fit", "little fit", "fit not known")."""
    return str(BAND_LABELS.get(code, BAND_LABELS["not_known"]))


def reason_text(code: str, params: dict[str, Any]) -> str:
    """One reason code of the matching module in plain words ("" for a stored reason that no longer holds)."""
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
            if years > AGE_FULL_WITHIN:  # stored before reasons were limited to close ages: say what is true
                return age_apart(years)
            return ngettext("Close in age (%(n)d year apart)", "Close in age (%(n)d years apart)", years) % {"n": years}
        if code == "language":
            return _("Speaks %(what)s") % {"what": language_names(p["shared"])}
        if code == "local_knowledge":
            return _("Knows the area: %(what)s") % {"what": _listing(p["district"])}
        if code == "availability":
            if p.get("needed") is False:
                return ""
            return _("Can meet in the evenings and at weekends, as the person needs")
        if code == "wishes":
            return _("Meets the person's wishes: %(which)s") % {"which": _wish_pairs(p)}
    except (KeyError, TypeError, ValueError):
        pass
    return code.replace("_", " ")


def age_apart(years: int) -> str:
    return ngettext("%(n)d year apart in age", "%(n)d years apart in age", years) % {"n": years}


def _wish_pairs(p: dict[str, Any]) -> str:
    return "; ".join(
        f"{wish_kind_label(a)}: {_wish_value(a, v)}" for a, v in zip(p["attributes"], p["values"], strict=False)
    )


def mismatch_text(code: str, params: dict[str, Any]) -> str:
    """What speaks against a peer worker, in plain words ("Does not speak Somali")."""
    p = params or {}
    try:
        if code == "experience":
            return _("No lived experience of %(what)s") % {"what": _listing(p["missing"], ExperienceKind)}
        if code == "age":
            return age_apart(int(p["difference"]))
        if code == "language":
            return _("Does not speak %(what)s") % {"what": language_names(p["missing"])}
        if code == "local_knowledge":
            return _("Does not know the area: %(what)s") % {"what": _listing(p["district"])}
        if code == "availability":
            return _("Cannot meet in the evenings or at weekends, which the person needs")
        if code == "wishes":
            return _("Does not meet the person's wishes: %(which)s") % {"which": _wish_pairs(p)}
    except (KeyError, TypeError, ValueError):
        pass
    return code.replace("_", " ")


def reason_texts(reasons: list[dict[str, Any]] | None) -> list[str]:
    """The reasons (what speaks for) of a stored or fresh list, in words."""
    texts = (reason_text(str(r.get("code", "")), r.get("params") or {}) for r in reasons or [] if not r.get("mismatch"))
    return [t for t in texts if t]


def mismatch_texts(reasons: list[dict[str, Any]] | None) -> list[str]:
    """The mismatches (what speaks against) of a stored or fresh list, in words."""
    return [mismatch_text(str(r.get("code", "")), r.get("params") or {}) for r in reasons or [] if r.get("mismatch")]


def _ranked(c: cands.Candidate, fit: Fit) -> Ranked:
    return _shown(c.user, fit, c.active, c.profile.capacity, c.room)


def _shown(user: User, fit: Fit, active: int, capacity: int, room: int) -> Ranked:
    reasons = _reason_dicts(fit)
    return Ranked(
        user, fit.score, reasons, reason_texts(reasons), active, capacity, room, band(fit), mismatch_texts(reasons)
    )


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
    out = [_ranked(by_id[worker_id], fit) for worker_id, fit in ranked]
    return out, excluded


#: People with offers shown on one page of the waiting list (the plan always covers the whole list).
OFFERS_PER_PAGE = 20


@dataclass(frozen=True)
class _Planned:
    """The whole list's plan and what the page needs of its inputs to show any page of it: the people offered
    (longest waiting first) and those left, the days waited, the profiles the fits are worded from, and each
    peer worker's engagements and room. Nothing in it is a name: names are read with the page."""

    plan: OfferPlan
    offered: list[int]
    left: list[tuple[int, bool]]
    days: dict[int, int]
    referrals: dict[int, mp.ReferralProfile]
    workers: dict[int, mp.PeerWorkerProfile]
    counts: dict[int, tuple[int, int, int]]  # peer worker → (active engagements, capacity, room)
    weights: mp.Weights
    places: int


_PLANS: OrderedDict[tuple[int, int, Any], _Planned] = OrderedDict()
_PLANS_LOCK = threading.Lock()
_PLANS_KEPT = 64


def _plan_whole_list(
    organisation_id: int, settings: MatchingSettings | None, today: Any
) -> tuple[_Planned, dict[int, Referral], dict[int, User]]:
    """Load every input and plan (``plan_offers``); also the waiting referrals and the peer workers loaded."""
    waiting = list(
        Referral.objects.filter(organisation_id=organisation_id, status=Referral.Status.WAITING)
        .select_related("service_user")
        .order_by("received_on", "id")
    )
    pool = cands.load(organisation_id) if waiting else []
    # By id: the plan is a function of the inputs ``plan_version`` stands for, never of how the names sort.
    workers = sorted((to_worker(c) for c in pool), key=lambda w: w.id)
    profiles = {r.pk: to_referral(r) for r in waiting}
    weights, priority = _weights_of(settings)
    days = {r.pk: max(0, (today - r.received_on).days) for r in waiting}
    plan = plan_offers(list(profiles.values()), encode_workers(workers), weights, days, priority)
    planned = _Planned(
        plan=plan,
        offered=sorted(plan.offers, key=lambda rid: (-days[rid], rid)),
        left=sorted(((rid, rid in plan.outranked) for rid in plan.waiting), key=lambda item: (-days[item[0]], item[0])),
        days=days,
        referrals=profiles,
        workers={w.id: w for w in workers},
        counts={c.user.pk: (c.active, c.profile.capacity, c.room) for c in pool},
        weights=weights,
        places=sum(c.room for c in pool),
    )
    return planned, {r.pk: r for r in waiting}, {c.user.pk: c.user for c in pool}


def _planned(
    organisation_id: int, today: Any, *, afresh: bool = False
) -> tuple[_Planned, dict[int, Referral] | None, dict[int, User] | None]:
    """The whole list's plan, remembered per process under the organisation's ``plan_version`` and the day.

    Every service that changes an input of the plan gives ``plan_version`` a new value in its transaction
    (``services.plan_inputs_changed``), and the value is read before any input is, so a remembered plan is
    always the plan of the inputs it was made from and a change is seen at the next opening. Opening the page
    again without a change (the common case: a coordinator going through the list) reads that value and the
    shown page's people and peer workers only. With the plan made now, the referrals and peer workers loaded
    for it come back too (``None`` when remembered). ``afresh`` plans again whatever is remembered."""
    settings = MatchingSettings.objects.filter(organisation_id=organisation_id).first()
    version = settings.plan_version if settings is not None else 0
    key = (organisation_id, version, today)
    if version and not afresh:  # 0: inputs never stamped (written before the stamp existed): planned afresh
        with _PLANS_LOCK:
            found = _PLANS.get(key)
            if found is not None:
                _PLANS.move_to_end(key)
                return found, None, None
    planned, referrals, users = _plan_whole_list(organisation_id, settings, today)
    if version:
        with _PLANS_LOCK:
            _PLANS[key] = planned
            while len(_PLANS) > _PLANS_KEPT:
                _PLANS.popitem(last=False)
    return planned, referrals, users


def _page_of(planned: _Planned, page: Any) -> tuple[list[int], Page[int] | None]:
    if page is None:
        return planned.offered, None
    shown = Paginator(planned.offered, OFFERS_PER_PAGE).get_page(page)
    return list(shown.object_list), shown


def _shown_rows(
    organisation_id: int, planned: _Planned, offered: list[int]
) -> tuple[dict[int, Referral] | None, dict[int, User] | None]:
    """The shown people's waiting referrals and their offered peer workers: two queries. ``None`` when one of
    them is no longer there (a change made past the services): the caller plans afresh."""
    ids = [*offered, *(rid for rid, _outranked in planned.left)]
    referrals = {
        r.pk: r
        for r in Referral.objects.filter(
            organisation_id=organisation_id, status=Referral.Status.WAITING, pk__in=ids
        ).select_related("service_user")
    }
    worker_ids = {o.worker_id for rid in offered for o in planned.plan.offers[rid]}
    users = (
        {
            u.pk: u
            for u in User.objects.filter(
                pk__in=worker_ids, is_active=True, memberships__organisation_id=organisation_id
            ).only("username", "first_name", "last_name", "display_name")
        }
        if worker_ids
        else {}
    )
    if len(referrals) < len(set(ids)) or len(users) < len(worker_ids):
        return None, None
    return referrals, users


def forget_plans() -> None:
    """Forget every remembered plan (tests that write inputs past the services)."""
    with _PLANS_LOCK:
        _PLANS.clear()


def offer_waiting_list(actor: Actor, page: Any = None) -> OfferList:
    """Offers for the whole waiting list (the module's ``plan_offers``): up to three peer workers for each
    person, no peer worker offered to more people than they have room for (pending offers counted), so every
    choice can be honoured; as many people as possible get an offer, longest waiting first, then the worst
    best offer as good as possible, then the most fit in total. The coordinator sends each person's offers
    one by one.

    The plan always covers the whole list; with ``page`` (a page number, as in ``?page=``) only that page of
    :data:`OFFERS_PER_PAGE` people with offers is shown, longest waiting first, so the page costs the same
    however long the list is; without it every person with offers is shown. Each person shown is audited.
    With the plan remembered (``_planned``): three queries plus the audit; planned afresh: eight."""
    actor.require(Role.COORDINATOR)
    today = timezone.localdate()
    planned, referrals, users = _planned(actor.organisation_id, today)
    offered, shown_page = _page_of(planned, page)
    if referrals is None or users is None:  # remembered: read the shown people and peer workers only
        referrals, users = _shown_rows(actor.organisation_id, planned, offered)
        if referrals is None or users is None:  # changed past the services: plan afresh
            planned, referrals, users = _planned(actor.organisation_id, today, afresh=True)
            offered, shown_page = _page_of(planned, page)
    if not planned.days:
        return OfferList()
    assert referrals is not None and users is not None  # planned afresh: the ones loaded for the plan
    plan = planned.plan
    rows = []
    for referral_id in offered:
        shown = []
        for o in plan.offers[referral_id]:
            fit = module_score(planned.referrals[referral_id], planned.workers[o.worker_id], planned.weights)
            active, capacity, room = planned.counts[o.worker_id]
            shown.append(_shown(users[o.worker_id], fit, active, capacity, room))
        rows.append(OfferRow(referrals[referral_id], shown, planned.days[referral_id]))
    left = [(referrals[rid], outranked) for rid, outranked in planned.left]
    audited = [row.referral for row in rows] + [r for r, _outranked in left]
    record_many(
        actor, Action.READ, [(r, r.service_user) for r in audited], detail=Detail("shown", page="waiting_list_offers")
    )
    return OfferList(
        rows=rows,
        waiting=left,
        optimal=bool(plan.certificate and plan.certificate.optimal),
        places=planned.places,
        offered=len(plan.offers),
        page=shown_page,
    )


def today() -> Any:
    return timezone.localdate()
