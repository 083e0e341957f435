"""Hypothesis strategies for matching profiles — for tests only (imports ``hypothesis``).

Vocabularies are deliberately tiny so random profiles overlap, tie and collide with conflicts
and firm wishes often; that is where matching bugs hide.
"""

from __future__ import annotations

from hypothesis import strategies as st

from peerwork.matching.profiles import PeerWorkerProfile, ReferralProfile, Weights, Wish

__all__ = ["referrals", "weights", "wishes", "workers", "worker_lists"]

KINDS = ("mental_health", "substance_use")
TAGS = ("a", "b", "c", "d")
LANGUAGES = ("nb", "en", "pl")
DISTRICTS = ("d1", "d2", "d3")
GENDERS = ("female", "male", "non_binary")
SERVICE_USERS = (1, 2, 3)

_tags = st.frozensets(st.sampled_from(TAGS), max_size=4)
_birth_year = st.none() | st.integers(1950, 2005)

_WISH_VALUES = {
    "gender": st.sampled_from((*GENDERS, "FEMALE ", "other")),
    "language": st.sampled_from((*LANGUAGES, "so")),
    "experience": st.sampled_from(KINDS),
    "district": st.sampled_from((*DISTRICTS, "d9")),
    "interest": st.sampled_from(TAGS),
    "background": st.sampled_from(TAGS),
    "service": st.sampled_from(TAGS),
    "age_max_difference": st.integers(0, 15).map(str),
    "evenings_weekends": st.just("yes"),
}


@st.composite
def wishes(draw: st.DrawFn, firm: bool | None = None) -> Wish:
    attribute = draw(st.sampled_from(sorted(_WISH_VALUES)))
    value = draw(_WISH_VALUES[attribute])
    is_firm = draw(st.booleans()) if firm is None else firm
    return Wish(attribute, value, is_firm)


@st.composite
def workers(draw: st.DrawFn, worker_id: int | None = None, max_capacity: int = 3) -> PeerWorkerProfile:
    capacity = draw(st.integers(0, max_capacity))
    return PeerWorkerProfile(
        id=draw(st.integers(1, 10_000)) if worker_id is None else worker_id,
        experience_kinds=draw(st.frozensets(st.sampled_from(KINDS))),
        services_used=draw(_tags),
        background=draw(_tags),
        interests=draw(_tags),
        languages=draw(st.frozensets(st.sampled_from(LANGUAGES))),
        districts=draw(st.frozensets(st.sampled_from(DISTRICTS))),
        birth_year=draw(_birth_year),
        gender=draw(st.none() | st.sampled_from((*GENDERS, "Female"))),
        evenings_weekends=draw(st.booleans()),
        capacity=capacity,
        active_engagements=draw(st.integers(0, capacity + 1)),
        conflicts=draw(st.frozensets(st.sampled_from(SERVICE_USERS))),
    )


@st.composite
def worker_lists(
    draw: st.DrawFn, min_size: int = 0, max_size: int = 12, max_capacity: int = 3
) -> list[PeerWorkerProfile]:
    """Peer workers with unique ids (drawn, so id order differs from list order)."""
    ids = draw(st.lists(st.integers(1, 1_000), min_size=min_size, max_size=max_size, unique=True))
    return [draw(workers(worker_id=i, max_capacity=max_capacity)) for i in ids]


@st.composite
def referrals(draw: st.DrawFn, referral_id: int | None = None, max_wishes: int = 3) -> ReferralProfile:
    return ReferralProfile(
        id=draw(st.integers(1, 10_000)) if referral_id is None else referral_id,
        service_user_id=draw(st.none() | st.sampled_from(SERVICE_USERS)),
        wanted_experience=draw(st.frozensets(st.sampled_from(KINDS))),
        services_used=draw(_tags),
        background=draw(_tags),
        interests=draw(_tags),
        languages=draw(st.frozensets(st.sampled_from(LANGUAGES))),
        district=draw(st.none() | st.sampled_from(DISTRICTS)),
        birth_year=draw(_birth_year),
        needs_evenings_weekends=draw(st.booleans()),
        wishes=tuple(draw(st.lists(wishes(), max_size=max_wishes))),
    )


def weights() -> st.SearchStrategy[Weights]:
    """Valid weights, including zeros and simple fractions that make ties likely."""
    value = st.sampled_from((0.0, 0.5, 1.0, 1.5, 2.0, 3.0)) | st.floats(0.0, 10.0, allow_subnormal=False)
    names = Weights.names()
    return (
        st.tuples(*(value for _ in names))
        .filter(lambda vs: sum(vs) > 0)
        .map(lambda vs: Weights(**dict(zip(names, vs, strict=True))))
    )
