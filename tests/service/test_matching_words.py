"""The matching module's codes in words a person understands: every reason, mismatch, exclusion and band,
with language names instead of codes, in English and in Norwegian. No database needed."""

from __future__ import annotations

from django.utils import translation

from peerwork.matching import PeerWorkerProfile, ReferralProfile, Wish, score
from peerwork.service import matching_adapter as ma


def test_every_reason_in_exact_words() -> None:
    with translation.override("en"):
        assert ma.reason_text("experience", {"shared": ["mental_health", "substance_use"]}) == (
            "Shares lived experience of mental health, substance use"
        )
        assert ma.reason_text("services", {"shared": ["inpatient"]}) == "Has also used inpatient care"
        assert ma.reason_text("background", {"shared": ["parent"]}) == "Similar background: parent"
        assert ma.reason_text("interests", {"shared": ["fishing", "music"]}) == "Shared interests: fishing, music"
        assert ma.reason_text("age", {"difference": 0}) == "Same age"
        assert ma.reason_text("age", {"difference": 1}) == "Close in age (1 year apart)"
        assert ma.reason_text("age", {"difference": 5}) == "Close in age (5 years apart)"
        # A reason stored before reasons were limited to close ages says only what is true.
        assert ma.reason_text("age", {"difference": 23}) == "23 years apart in age"
        assert ma.reason_text("language", {"shared": ["nb", "so"]}) == "Speaks Norwegian, Somali"
        assert ma.reason_text("local_knowledge", {"district": "sagene"}) == "Knows the area: sagene"
        assert ma.reason_text("availability", {}) == "Can meet in the evenings and at weekends, as the person needs"
        assert ma.reason_text("availability", {"needed": False}) == ""
        assert ma.reason_text("wishes", {"attributes": ["gender", "language"], "values": ["woman", "so"]}) == (
            "Meets the person's wishes: gender: woman; language: Somali"
        )
        assert ma.reason_text("room", {}) == "room"
        assert ma.reason_text("age", {}) == "age"


def test_every_mismatch_in_exact_words() -> None:
    with translation.override("en"):
        assert ma.mismatch_text("experience", {"missing": ["substance_use"]}) == "No lived experience of substance use"
        assert ma.mismatch_text("age", {"difference": 25}) == "25 years apart in age"
        assert ma.mismatch_text("language", {"missing": ["so"]}) == "Does not speak Somali"
        assert ma.mismatch_text("local_knowledge", {"district": "sagene"}) == "Does not know the area: sagene"
        assert ma.mismatch_text("availability", {}) == (
            "Cannot meet in the evenings or at weekends, which the person needs"
        )
        assert ma.mismatch_text("wishes", {"attributes": ["gender"], "values": ["man"]}) == (
            "Does not meet the person's wishes: gender: man"
        )
        assert ma.mismatch_text("language", {}) == "language"


def test_every_exclusion_in_exact_words() -> None:
    with translation.override("en"):
        assert ma.limit_text("not_accepting") == "Not taking new engagements at the moment"
        assert ma.limit_text("no_room", {"capacity": 3, "active_engagements": 2, "pending_offers": 1}) == (
            "No room: 2 engagements and 1 pending offers for a capacity of 3"
        )
        assert ma.limit_text("conflict") == "Has declared knowing the person privately"
        assert ma.limit_text("firm_wish_not_met", {"attribute": "language", "value": "so"}) == (
            "Does not meet a firm requirement (language: Somali)"
        )
        assert ma.limit_text("firm_wish_unknown", {"attribute": "gender", "value": "woman"}) == (
            "A firm requirement cannot be checked (gender: woman): not in the peer worker's profile"
        )


def test_bands_and_language_names_are_words_in_the_reader_s_language() -> None:
    with translation.override("en"):
        assert [ma.band_label(b) for b in ("good", "some", "little", "not_known", "odd")] == [
            "good fit",
            "some fit",
            "little fit",
            "fit not known",
            "fit not known",
        ]
        assert ma.language_names(["nb", "so"]) == "Norwegian, Somali"
        assert ma.language_names("fr") == "French"  # not in our list: Django's names
        assert ma.language_name("xx") == "xx"
    with translation.override("nb"):
        assert ma.language_names(["nb", "so"]) == "norsk, somali"
        assert ma.band_label("good") == "godt samsvar"
        assert ma.mismatch_text("language", {"missing": ["so"]}) == "Snakker ikke somali"
    with translation.override("da"):
        assert ma.language_names(["da", "ar"]) == "dansk, arabisk"
        assert ma.band_label("not_known") == "match ukendt"


def test_a_fresh_fit_in_words_has_no_contradictions() -> None:
    referral = ReferralProfile(
        id=1, languages={"nb", "so"}, birth_year=2001, wishes=(Wish("gender", "woman"),), needs_evenings_weekends=False
    )
    worker = PeerWorkerProfile(id=2, languages={"nb"}, birth_year=1978, gender="man", capacity=1)
    reasons = ma._reason_dicts(score(referral, worker))
    with translation.override("en"):
        assert ma.reason_texts(reasons) == ["Speaks Norwegian"]
        assert ma.mismatch_texts(reasons) == [
            "Does not speak Somali",
            "Does not meet the person's wishes: gender: woman",
        ]
