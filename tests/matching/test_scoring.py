"""Fit scores, reasons, hard limits and ranking — pure Python, no Django, no database."""

from __future__ import annotations

import math
import os
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerwork.matching import (
    EXCLUSION_CODES,
    MISMATCH_CODES,
    NEUTRAL_FIT,
    REASON_CODES,
    PeerWorkerProfile,
    ReferralProfile,
    Weights,
    Wish,
    eligible,
    encode_workers,
    rank,
    rank_plain,
    score,
)
from peerwork.matching.encode import fit_block
from peerwork.matching.scoring import BANDS, Exclusion, Fit, Reason, band
from tests.matching.strategies import referrals, weights, worker_lists, workers

# PEERWORK_HYPOTHESIS_EXAMPLES lowers the number of examples for the mutation run (docs/service.md).
FAST = settings(max_examples=int(os.environ.get("PEERWORK_HYPOTHESIS_EXAMPLES", "80")), deadline=None)


def _worker(**changes: object) -> PeerWorkerProfile:
    base: dict[str, object] = {
        "id": 7,
        "experience_kinds": {"mental_health"},
        "services_used": {"fact_team"},
        "background": {"parent"},
        "interests": {"fishing"},
        "languages": {"nb"},
        "districts": {"grunerlokka"},
        "birth_year": 1980,
        "gender": "female",
        "evenings_weekends": True,
        "capacity": 3,
        "active_engagements": 1,
    }
    base.update(changes)
    return PeerWorkerProfile(**base)  # type: ignore[arg-type]


def _referral(**changes: object) -> ReferralProfile:
    base: dict[str, object] = {
        "id": 1,
        "service_user_id": 42,
        "wanted_experience": {"mental_health"},
        "services_used": {"fact_team"},
        "background": {"parent"},
        "interests": {"fishing"},
        "languages": {"nb"},
        "district": "grunerlokka",
        "birth_year": 1982,
        "needs_evenings_weekends": True,
        "wishes": (Wish("gender", "Female"),),
    }
    base.update(changes)
    return ReferralProfile(**base)  # type: ignore[arg-type]


# --- weights -----------------------------------------------------------------------------------


def test_default_weights_are_valid_and_ordered() -> None:
    w = Weights()
    assert Weights.names() == (
        "experience",
        "services",
        "background",
        "interests",
        "age",
        "language",
        "local_knowledge",
        "availability",
        "wishes",
    )
    assert w.total() == pytest.approx(sum(w.as_dict().values()))
    assert all(v > 0 for v in w.as_dict().values())


def test_from_mapping_keeps_defaults_for_missing_names() -> None:
    w = Weights.from_mapping({"age": 0, "interests": 4})
    assert w.age == 0.0 and w.interests == 4.0 and w.experience == Weights().experience


def test_from_mapping_rejects_unknown_names_and_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"Unknown weight 'hobbies'\. Known weights are: experience, "):
        Weights.from_mapping({"hobbies": 1.0})


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, r"Weight 'age' must be zero or more, got -1\."),
        ("high", r"Weight 'age' must be a number, got 'high'\."),
        (True, r"Weight 'age' must be a number, got True\."),
        (None, r"Weight 'age' must be a number, got None\."),
        (math.nan, r"Weight 'age' must be a finite number"),
        (math.inf, r"Weight 'age' must be a finite number"),
    ],
)
def test_from_mapping_rejects_bad_values_with_a_clear_message(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Weights.from_mapping({"age": value})


def test_all_zero_weights_are_rejected() -> None:
    with pytest.raises(ValueError, match="At least one weight must be above zero"):
        Weights.from_mapping(dict.fromkeys(Weights.names(), 0))


def test_direct_construction_is_validated_too() -> None:
    with pytest.raises(ValueError, match="Weight 'wishes' must be zero or more"):
        Weights(wishes=-0.5)


# --- profiles ------------------------------------------------------------------------------------


def test_profiles_accept_plain_sets_and_lists() -> None:
    worker = PeerWorkerProfile(id=1, interests={"chess"}, languages=["nb"], capacity=1)  # type: ignore[arg-type]
    assert worker.interests == frozenset({"chess"}) and worker.languages == frozenset({"nb"})
    referral = ReferralProfile(id=1, wishes=[Wish("language", "nb")])  # type: ignore[arg-type]
    assert isinstance(referral.wishes, tuple)
    assert hash(worker) == hash(PeerWorkerProfile(id=1, interests={"chess"}, languages={"nb"}, capacity=1))  # type: ignore[arg-type]


def test_a_single_string_is_not_taken_for_a_set_of_letters() -> None:
    with pytest.raises(TypeError, match="collection of strings"):
        PeerWorkerProfile(id=1, languages="nb")  # type: ignore[arg-type]


def test_negative_capacity_is_rejected() -> None:
    with pytest.raises(ValueError, match="capacity must be zero or more"):
        PeerWorkerProfile(id=1, capacity=-1)
    with pytest.raises(ValueError, match="active engagements must be zero or more"):
        PeerWorkerProfile(id=1, capacity=1, active_engagements=-2)


@pytest.mark.parametrize(
    ("attribute", "value", "message"),
    [
        ("shoe_size", "42", "Unknown wish 'shoe_size'. Use one of: age_max_difference, background"),
        ("age_max_difference", "ten", "needs a whole number of years"),
        ("age_max_difference", "-3", "must be zero or more years"),
        ("evenings_weekends", "no", "takes the value 'yes'"),
    ],
)
def test_bad_wishes_are_rejected(attribute: str, value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Wish(attribute, value)


# --- score -----------------------------------------------------------------------------------------


def test_a_match_on_everything_scores_one_with_a_reason_per_part() -> None:
    fit = score(_referral(), _worker(), Weights())
    assert fit.score == 1.0
    assert {r.code for r in fit.reasons} == set(REASON_CODES)
    assert fit.unknown == ()
    assert sum(r.contribution for r in fit.reasons) == pytest.approx(1.0)
    contributions = [r.contribution for r in fit.reasons]
    assert contributions == sorted(contributions, reverse=True)


def test_reasons_carry_codes_and_params_for_translation() -> None:
    fit = score(_referral(interests={"fishing", "chess"}, birth_year=1984), _worker(interests={"fishing", "music"}))
    by_code = {r.code: r for r in fit.reasons}
    assert by_code["interests"].params == {"shared": ("fishing",)}
    assert by_code["age"].params == {"difference": 4}
    assert by_code["wishes"].params == {"attributes": ("gender",), "values": ("Female",)}
    assert by_code["experience"].params == {"shared": ("mental_health",)}
    for reason in fit.reasons:
        assert set(reason.params) == set(REASON_CODES[reason.code])
    assert fit.mismatches == ()


def test_every_reason_in_exact_words() -> None:
    referral = _referral(
        wanted_experience={"mental_health", "substance_use"},
        services_used={"fact_team", "crisis_team"},
        background={"parent", "migrant"},
        interests={"fishing", "music_making"},
        languages={"nb", "so"},
        birth_year=1980,
        wishes=(Wish("gender", "Female"), Wish("language", "nb")),
    )
    worker = _worker(
        experience_kinds={"mental_health", "substance_use"},
        services_used={"fact_team", "crisis_team"},
        background={"parent", "migrant"},
        interests={"fishing", "music_making"},
        languages={"nb", "so"},
    )
    fit = score(referral, worker)
    assert fit.describe() == [
        "Shares lived experience of mental health, substance use",
        "Speaks nb, so",
        "Meets a wish: gender: Female; language: nb",
        "Shared interests: fishing, music making",
        "Can meet in the evenings and at weekends, as the person needs",
        "Has also used crisis team, fact team",
        "Similar background: migrant, parent",
        "Same age",
        "Knows the area: grunerlokka",
    ]
    assert score(_referral(birth_year=1985), _worker()).reasons[-1].describe() == "Knows the area: grunerlokka"
    ages = {r.code: r.describe() for r in score(_referral(birth_year=1985), _worker()).reasons}
    assert ages["age"] == "Close in age (5 years apart)"


def test_every_mismatch_in_exact_words() -> None:
    referral = _referral(
        wanted_experience={"mental_health", "substance_use"},
        languages={"nb", "so"},
        birth_year=2005,
        district="sagene",
        wishes=(Wish("gender", "male"), Wish("language", "pl")),
    )
    worker = _worker(evenings_weekends=False)
    fit = score(referral, worker)
    assert [m.describe() for m in fit.mismatches] == [
        "No lived experience of substance use",
        "25 years apart in age",
        "Does not speak so",
        "Does not know the area: sagene",
        "Cannot meet in the evenings or at weekends, which the person needs",
        "Does not meet a wish: gender: male; language: pl",
    ]
    for mismatch in fit.mismatches:
        assert mismatch.mismatch and mismatch.contribution == 0.0
        assert set(mismatch.params) == set(MISMATCH_CODES[mismatch.code])
    assert [r.describe() for r in fit.reasons] == [
        "Speaks nb",
        "Shares lived experience of mental health",
        "Shared interests: fishing",
        "Has also used fact team",
        "Similar background: parent",
    ]
    # Between "close" and "far apart" the age is neither a reason nor a mismatch.
    middle = score(_referral(birth_year=1980 + 24), _worker())
    assert "age" not in {r.code for r in (*middle.reasons, *middle.mismatches)}
    assert middle.describe()[-1] == "Knows the area: grunerlokka"


def test_no_contradictions_between_reasons_and_mismatches() -> None:
    fit = score(_referral(needs_evenings_weekends=False, birth_year=2003, wishes=()), _worker())
    words = fit.describe()
    assert "Can meet in the evenings and at weekends, as the person needs" not in words
    assert not any("evening" in w.lower() for w in words)  # not needed: not a reason, not a mismatch
    assert not any(w.startswith("Close in age") for w in words)
    assert "23 years" not in " ".join(words)
    assert "wishes" in fit.unknown and "availability" in fit.unknown


def test_a_part_with_weight_zero_is_neither_reason_nor_mismatch() -> None:
    w = Weights.from_mapping({"language": 0})
    fit = score(_referral(languages={"so"}), _worker(), w)
    assert "language" not in {r.code for r in (*fit.reasons, *fit.mismatches)}
    # The parts after it are still listed.
    assert [r.code for r in fit.reasons] == [
        "experience",
        "wishes",
        "interests",
        "availability",
        "services",
        "background",
        "age",
        "local_knowledge",
    ]


def test_reason_and_exclusion_fallback_for_unknown_codes() -> None:
    assert Reason("some_code").describe() == "some code"
    assert Reason("other_code", mismatch=True).describe() == "other code"
    assert Exclusion("odd_limit").describe() == "odd limit"


def test_bands_in_words() -> None:
    assert band(Fit(0.6, known=1.0)) == "good"
    assert band(Fit(0.5999, known=1.0)) == "some"
    assert band(Fit(0.3, known=0.25)) == "some"
    assert band(Fit(0.2999, known=1.0)) == "little"
    assert band(Fit(0.0, known=1.0)) == "little"
    assert band(Fit(1.0, known=0.2499)) == "not_known"
    assert set(BANDS) == {"good", "some", "little", "not_known"}
    assert band(score(ReferralProfile(id=1), _worker())) == "not_known"
    assert band(score(_referral(), _worker())) == "good"


def test_partial_overlap_and_age_scale_as_documented() -> None:
    only = Weights.from_mapping({name: 0 for name in Weights.names() if name != "interests"})
    three = _referral(interests={"a", "b", "c", "d"})
    assert score(three, _worker(interests={"a"}), only).score == pytest.approx(1 / 3)
    assert score(three, _worker(interests={"a", "b", "c"}), only).score == 1.0
    age = Weights.from_mapping({name: 0 for name in Weights.names() if name != "age"})
    assert score(_referral(birth_year=1985), _worker(birth_year=1980), age).score == 1.0
    assert score(_referral(birth_year=1995), _worker(birth_year=1980), age).score == pytest.approx(0.5)
    assert score(_referral(birth_year=2010), _worker(birth_year=1980), age).score == 0.0


def test_missing_data_is_neutral_and_is_named() -> None:
    empty = ReferralProfile(id=1)
    fit = score(empty, _worker())
    assert fit.score == NEUTRAL_FIT == 0.5
    assert fit.known == 0.0
    assert fit.reasons == () and fit.mismatches == ()
    assert fit.unknown == Weights.names()
    # A part that cannot be judged leaves the rest as it is: same score with or without it.
    w = Weights()
    full = score(_referral(), _worker(), w).score
    assert score(_referral(languages=set()), _worker(), w).score == full == 1.0
    assert score(_referral(), _worker(birth_year=None, districts=set()), w).score == 1.0
    partial = score(_referral(languages={"so"}), _worker(), w)
    assert partial.score == pytest.approx(1.0 - w.language / w.total())
    sparse = score(_referral(languages=set(), birth_year=None), _worker())
    assert sparse.known == pytest.approx((w.total() - w.language - w.age) / w.total())
    # A wish that cannot be checked is left out too; one that can is counted.
    unknown_wish = score(_referral(wishes=(Wish("gender", "male"),)), _worker(gender=None))
    assert unknown_wish.score == 1.0 and "wishes" in unknown_wish.unknown


@FAST
@given(referrals(), workers(), weights())
def test_score_is_between_zero_and_one_and_reasons_add_up(
    referral: ReferralProfile, worker: PeerWorkerProfile, w: Weights
) -> None:
    fit = score(referral, worker, w)
    assert 0.0 <= fit.score <= 1.0
    assert 0.0 <= fit.known <= 1.0
    assert sum(r.contribution for r in fit.reasons) <= fit.score + 1e-12
    for reason in fit.reasons:
        assert reason.code in REASON_CODES
        assert set(reason.params) == set(REASON_CODES[reason.code])
        assert reason.contribution > 0 and not reason.mismatch
        assert reason.describe()
    for mismatch in fit.mismatches:
        assert mismatch.code in MISMATCH_CODES and mismatch.mismatch
    assert not {r.code for r in fit.reasons} & {m.code for m in fit.mismatches} - {"experience", "language", "wishes"}


# --- eligibility: the only hard limits -------------------------------------------------------------


def test_no_room_excludes() -> None:
    exclusion = eligible(_referral(), _worker(capacity=2, active_engagements=2))
    assert exclusion is not None and exclusion.code == "no_room"
    assert exclusion.params == {"capacity": 2, "active_engagements": 2, "pending_offers": 0}
    assert exclusion.describe() == "No room: 2 engagements and 0 pending offers for a capacity of 2"
    pending = eligible(_referral(), _worker(capacity=3, active_engagements=1, pending_offers=2))
    assert (
        pending is not None and pending.describe() == "No room: 1 engagements and 2 pending offers for a capacity of 3"
    )
    assert eligible(_referral(), _worker(capacity=3, active_engagements=1, pending_offers=1)) is None


def test_declared_conflict_excludes() -> None:
    exclusion = eligible(_referral(service_user_id=42), _worker(conflicts={42}))
    assert exclusion is not None and exclusion.code == "conflict"
    assert exclusion.describe() == "Has declared that they know this service user privately"
    assert eligible(_referral(service_user_id=43), _worker(conflicts={42})) is None
    assert eligible(_referral(service_user_id=None), _worker(conflicts={42})) is None


def test_firm_wish_not_met_excludes_but_a_soft_one_does_not() -> None:
    firm = _referral(wishes=(Wish("gender", "male", firm=True),))
    exclusion = eligible(firm, _worker(gender="female"))
    assert exclusion is not None and exclusion.code == "firm_wish_not_met"
    assert exclusion.params == {"attribute": "gender", "value": "male"}
    assert exclusion.describe() == "Does not meet a firm wish (gender: male)"
    assert eligible(_referral(wishes=(Wish("gender", "male"),)), _worker(gender="female")) is None
    assert eligible(_referral(wishes=(Wish("gender", " FEMALE", firm=True),)), _worker(gender="female")) is None


def test_firm_wish_on_something_not_recorded_says_so() -> None:
    firm = _referral(wishes=(Wish("language", "pl", firm=True),))
    exclusion = eligible(firm, _worker(languages=set()))
    assert exclusion is not None and exclusion.code == "firm_wish_unknown"
    assert exclusion.describe() == (
        "A firm wish cannot be checked (language: pl): this is not recorded in the peer worker's profile"
    )
    assert set(exclusion.params) == set(EXCLUSION_CODES["firm_wish_unknown"])


def test_firm_age_wish() -> None:
    firm = _referral(birth_year=1990, wishes=(Wish("age_max_difference", "5", firm=True),))
    assert eligible(firm, _worker(birth_year=1986)) is None
    assert eligible(firm, _worker(birth_year=1984)) is not None


@FAST
@given(referrals(), workers())
def test_only_room_conflicts_and_firm_wishes_exclude(referral: ReferralProfile, worker: PeerWorkerProfile) -> None:
    exclusion = eligible(referral, worker)
    no_room = worker.active_engagements >= worker.capacity
    conflict = referral.service_user_id is not None and referral.service_user_id in worker.conflicts
    if not no_room and not conflict and not any(w.firm for w in referral.wishes):
        assert exclusion is None  # missing data and soft wishes never exclude
    if exclusion is not None:
        assert exclusion.code in EXCLUSION_CODES
        assert set(exclusion.params) == set(EXCLUSION_CODES[exclusion.code])
        assert exclusion.describe()
    else:
        assert not no_room and not conflict


@FAST
@given(referrals(), workers(), st.data())
def test_dropping_data_from_a_peer_worker_never_excludes_without_a_firm_wish(
    referral: ReferralProfile, worker: PeerWorkerProfile, data: st.DataObject
) -> None:
    referral = ReferralProfile(**{**_fields(referral), "wishes": tuple(w for w in referral.wishes if not w.firm)})
    blank = data.draw(st.sampled_from(["experience_kinds", "interests", "languages", "districts", "background"]))
    stripped = PeerWorkerProfile(**{**_fields(worker), blank: frozenset(), "birth_year": None, "gender": None})
    assert (eligible(referral, stripped) is None) == (eligible(referral, worker) is None)


def _fields(obj: object) -> dict[str, object]:
    return {name: getattr(obj, name) for name in obj.__slots__}  # type: ignore[attr-defined]


# --- ranking ---------------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(referrals(), worker_lists(max_size=15), weights(), st.none() | st.integers(0, 6))
def test_rank_equals_rank_plain(
    referral: ReferralProfile, pool: list[PeerWorkerProfile], w: Weights, limit: int | None
) -> None:
    fast = rank(referral, pool, w, limit=limit)
    plain = rank_plain(referral, pool, w, limit=limit)
    assert [wid for wid, _ in fast] == [wid for wid, _ in plain]
    assert [f.score for _, f in fast] == [f.score for _, f in plain]  # bit-identical
    assert fast == plain


@FAST
@given(st.lists(referrals(), min_size=1, max_size=4), worker_lists(max_size=10), weights())
def test_vectorised_scores_are_bit_identical(
    batch: list[ReferralProfile], pool: list[PeerWorkerProfile], w: Weights
) -> None:
    enc = encode_workers(pool)
    scores, ok = fit_block(batch, enc, w)
    for i, referral in enumerate(batch):
        for j, worker in enumerate(enc.workers):
            assert scores[i, j] == score(referral, worker, w).score
            assert ok[i, j] == (eligible(referral, worker) is None)


@FAST
@given(referrals(), worker_lists(max_size=12), st.randoms(use_true_random=False))
def test_rank_is_deterministic_and_ignores_input_order(
    referral: ReferralProfile, pool: list[PeerWorkerProfile], rnd: random.Random
) -> None:
    shuffled = pool[:]
    rnd.shuffle(shuffled)
    first = rank(referral, pool, limit=None)
    assert first == rank(referral, shuffled, limit=None) == rank(referral, encode_workers(pool), limit=None)
    ordered = [(-fit.score, wid) for wid, fit in first]
    assert ordered == sorted(ordered)  # best first, ties by lower id


def test_rank_lists_eligible_peer_workers_only_and_breaks_ties_by_id() -> None:
    pool = [
        _worker(id=5),
        _worker(id=3),
        _worker(id=4, capacity=1, active_engagements=1),
        _worker(id=9, conflicts={42}),
        _worker(id=2, interests={"chess"}),
    ]
    ranked = rank(_referral(), pool, limit=None)
    assert [wid for wid, _ in ranked] == [3, 5, 2]
    assert rank(_referral(), pool, limit=1)[0][0] == 3
    assert rank(_referral(), [], limit=5) == []


def test_rank_rejects_duplicate_ids_and_negative_limits() -> None:
    with pytest.raises(ValueError, match="more than once"):
        rank(_referral(), [_worker(id=1), _worker(id=1)])
    with pytest.raises(ValueError, match="unique"):
        rank_plain(_referral(), [_worker(id=1), _worker(id=1)])
    with pytest.raises(ValueError, match="limit must be zero or more"):
        rank(_referral(), [_worker()], limit=-1)


def test_encoded_workers_can_be_reused_across_referrals() -> None:
    pool = [_worker(id=i, birth_year=1950 + 3 * i, interests={"fishing"} if i % 2 else {"chess"}) for i in range(1, 30)]
    enc = encode_workers(pool)
    for referral in (_referral(), _referral(interests={"chess"}, birth_year=2000), ReferralProfile(id=9)):
        assert rank(referral, enc) == rank_plain(referral, pool)
    assert np.all(enc.ids[:-1] < enc.ids[1:])


def test_what_is_known_is_measured_against_the_parts_that_apply() -> None:
    w = Weights()
    only_language = ReferralProfile(id=1, languages={"nb"})
    fit = score(only_language, _worker())
    # Evening availability (not needed) and wishes (none) do not apply: they are not "unknown".
    assert fit.known == pytest.approx(w.language / (w.total() - w.availability - w.wishes))
    needs = score(ReferralProfile(id=1, languages={"nb"}, needs_evenings_weekends=True), _worker())
    assert needs.known == pytest.approx((w.language + w.availability) / (w.total() - w.wishes))
    wishing = score(ReferralProfile(id=1, languages={"nb"}, wishes=(Wish("gender", "male"),)), _worker(gender=None))
    assert wishing.known == pytest.approx(w.language / (w.total() - w.availability))


def test_local_knowledge_scores_only_a_known_area() -> None:
    only = Weights.from_mapping({name: 0 for name in Weights.names() if name != "local_knowledge"})
    assert score(_referral(district="sagene"), _worker(districts={"grunerlokka"}), only).score == 0.0
    assert score(_referral(district="sagene"), _worker(districts={"sagene"}), only).score == 1.0


def test_firm_age_wish_includes_the_limit_itself() -> None:
    firm = _referral(birth_year=1990, wishes=(Wish("age_max_difference", "5", firm=True),))
    assert eligible(firm, _worker(birth_year=1985)) is None
    assert eligible(firm, _worker(birth_year=1995)) is None


def test_a_firm_wish_after_a_soft_one_still_excludes() -> None:
    wishes = (Wish("gender", "male"), Wish("language", "pl", firm=True))
    exclusion = eligible(_referral(wishes=wishes), _worker(languages={"nb"}))
    assert exclusion is not None and exclusion.code == "firm_wish_not_met"


def test_evening_availability_scores_only_when_offered() -> None:
    only = Weights.from_mapping({name: 0 for name in Weights.names() if name != "availability"})
    assert score(_referral(needs_evenings_weekends=True), _worker(evenings_weekends=False), only).score == 0.0
    assert score(_referral(needs_evenings_weekends=True), _worker(evenings_weekends=True), only).score == 1.0


def test_an_evenings_wish_is_checked_against_availability() -> None:
    firm = _referral(wishes=(Wish("evenings_weekends", "yes", firm=True),))
    assert eligible(firm, _worker(evenings_weekends=True)) is None
    exclusion = eligible(firm, _worker(evenings_weekends=False))
    assert exclusion is not None and exclusion.code == "firm_wish_not_met"


def test_sharing_more_than_enough_still_counts_fully() -> None:
    only = Weights.from_mapping({name: 0 for name in Weights.names() if name != "interests"})
    four = {"a", "b", "c", "d"}
    assert score(_referral(interests=four), _worker(interests=four), only).score == 1.0


def test_a_soft_age_wish_is_met_within_the_difference() -> None:
    only = Weights.from_mapping({name: 0 for name in Weights.names() if name != "wishes"})
    wish = (Wish("age_max_difference", "3"),)
    assert score(_referral(birth_year=1982, wishes=wish), _worker(birth_year=1980), only).score == 1.0
    assert score(_referral(birth_year=1990, wishes=wish), _worker(birth_year=1980), only).score == 0.0
