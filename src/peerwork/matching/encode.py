"""Peer workers encoded as NumPy arrays, and the fit of many referrals × peer workers at once.

Set attributes become 0/1 matrices (peer worker × tag); the number of shared tags between a
block of referrals and all peer workers is then one matrix product. Encode once with
:func:`encode_workers` and reuse the result for every referral of a session or a batch.

Every part of the fit uses the same floating-point operations, in the same order, as
:func:`peerwork.matching.scoring.score`, so vectorised and plain scores are bit-identical.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .profiles import PeerWorkerProfile, ReferralProfile, Weights, Wish
from .scoring import _AGE_SPAN, _SET_WISHES, AGE_FULL_WITHIN, NEUTRAL_FIT, SET_SATURATION

__all__ = ["EncodedWorkers", "TagMatrix", "encode_workers", "fit_block"]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]

# Referral attribute -> peer worker attribute, for the parts that compare sets.
_SET_PARTS: tuple[tuple[str, str, str], ...] = (
    ("experience", "wanted_experience", "experience_kinds"),
    ("services", "services_used", "services_used"),
    ("background", "background", "background"),
    ("interests", "interests", "interests"),
    ("language", "languages", "languages"),
)
_WORKER_SETS = (
    "experience_kinds",
    "services_used",
    "background",
    "interests",
    "languages",
    "districts",
)


@dataclass(frozen=True, eq=False, slots=True)
class TagMatrix:
    """One set attribute of all peer workers: ``matrix[i, vocab[tag]] == 1`` if worker i has it."""

    vocab: Mapping[str, int]
    matrix: FloatArray
    empty: BoolArray  # worker has no tag at all (not recorded)

    def encode(self, tags: Iterable[str]) -> FloatArray:
        row = np.zeros(len(self.vocab), dtype=np.float64)
        for tag in tags:
            column = self.vocab.get(tag)
            if column is not None:
                row[column] = 1.0
        return row

    def has(self, tag: str) -> FloatArray:
        column = self.vocab.get(tag)
        if column is None:
            return np.zeros(self.matrix.shape[0], dtype=np.float64)
        return self.matrix[:, column]


@dataclass(frozen=True, eq=False, slots=True)
class EncodedWorkers:
    """Peer workers, sorted by id, as arrays. Build with :func:`encode_workers`."""

    workers: tuple[PeerWorkerProfile, ...]
    ids: IntArray
    index: Mapping[int, int]
    tags: Mapping[str, TagMatrix]
    birth_year: FloatArray  # NaN when not recorded
    gender: NDArray[np.int64]  # code into gender_vocab, -1 when not recorded
    gender_vocab: Mapping[str, int]
    evenings_weekends: FloatArray  # 1.0 / 0.0
    room: IntArray
    conflicts: Mapping[int, NDArray[np.intp]]  # service user id -> worker positions

    def __len__(self) -> int:
        return len(self.workers)


def encode_workers(workers: Iterable[PeerWorkerProfile] | EncodedWorkers) -> EncodedWorkers:
    """Encode peer workers once; pass the result to ``rank``/``assign`` for every referral."""
    if isinstance(workers, EncodedWorkers):
        return workers
    ordered = tuple(sorted(workers, key=lambda w: w.id))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.id == after.id:
            raise ValueError(f"Peer worker id {after.id} appears more than once; ids must be unique.")
    n = len(ordered)
    tags: dict[str, TagMatrix] = {}
    for name in _WORKER_SETS:
        vocab: dict[str, int] = {}
        for worker in ordered:
            for tag in sorted(getattr(worker, name)):
                vocab.setdefault(tag, len(vocab))
        matrix = np.zeros((n, len(vocab)), dtype=np.float64)
        for i, worker in enumerate(ordered):
            for tag in getattr(worker, name):
                matrix[i, vocab[tag]] = 1.0
        tags[name] = TagMatrix(vocab, matrix, matrix.sum(axis=1) == 0)
    gender_vocab: dict[str, int] = {}
    gender = np.full(n, -1, dtype=np.int64)
    for i, worker in enumerate(ordered):
        if worker.gender is not None:
            gender[i] = gender_vocab.setdefault(worker.gender.strip().casefold(), len(gender_vocab))
    conflicts: dict[int, list[int]] = {}
    for i, worker in enumerate(ordered):
        for service_user in worker.conflicts:
            conflicts.setdefault(service_user, []).append(i)
    return EncodedWorkers(
        workers=ordered,
        ids=np.array([w.id for w in ordered], dtype=np.int64),
        index={w.id: i for i, w in enumerate(ordered)},
        tags=tags,
        birth_year=np.array(
            [np.nan if w.birth_year is None else float(w.birth_year) for w in ordered], dtype=np.float64
        ),
        gender=gender,
        gender_vocab=gender_vocab,
        evenings_weekends=np.array([1.0 if w.evenings_weekends else 0.0 for w in ordered], dtype=np.float64),
        room=np.array([w.room for w in ordered], dtype=np.int64),
        conflicts={k: np.array(v, dtype=np.intp) for k, v in conflicts.items()},
    )


def _wish_status(wish: Wish, referral: ReferralProfile, enc: EncodedWorkers) -> tuple[BoolArray, BoolArray]:
    """(met, unknown) for every peer worker; mirrors ``scoring.wish_status``."""
    n = len(enc)
    attribute = wish.attribute
    if attribute == "gender":
        unknown = enc.gender < 0
        code = enc.gender_vocab.get(wish.value.strip().casefold(), -2)
        return enc.gender == code, unknown
    if attribute == "age_max_difference":
        if referral.birth_year is None:
            return np.zeros(n, dtype=bool), np.ones(n, dtype=bool)
        unknown = np.isnan(enc.birth_year)
        with np.errstate(invalid="ignore"):
            met = np.abs(enc.birth_year - float(referral.birth_year)) <= float(int(wish.value))
        return met & ~unknown, unknown
    if attribute == "evenings_weekends":
        return enc.evenings_weekends > 0.0, np.zeros(n, dtype=bool)
    matrix = enc.tags[_SET_WISHES[attribute]]
    return matrix.has(wish.value) > 0.0, matrix.empty


def fit_block(
    referrals: Sequence[ReferralProfile], enc: EncodedWorkers, weights: Weights
) -> tuple[FloatArray, BoolArray]:
    """Scores and eligibility of each referral (rows) against every peer worker (columns).

    Returns ``(scores, eligible)``, both of shape ``(len(referrals), len(enc))``; scores are
    bit-identical to :func:`peerwork.matching.scoring.score` (same operations, same order;
    parts with weight 0 are skipped, which adds exactly 0.0 either way). Memory is a few arrays
    of that shape, so callers score large batches in blocks of rows.
    """
    b, n = len(referrals), len(enc)
    total = np.zeros((b, n), dtype=np.float64)
    known_weight = np.zeros((b, n), dtype=np.float64)
    ok = np.broadcast_to(enc.room > 0, (b, n)).copy()
    if b == 0 or n == 0:
        return total, ok

    def add(name: str, part: FloatArray, known: BoolArray) -> None:
        weight = float(getattr(weights, name))
        np.multiply(part, weight, out=part)
        part[~np.broadcast_to(known, (b, n))] = 0.0  # a part that cannot be judged adds nothing
        np.add(total, part, out=total)
        np.add(known_weight, np.where(known, weight, 0.0), out=known_weight)

    def wanted(name: str) -> bool:
        return float(getattr(weights, name)) != 0.0

    for name, mine, theirs in _SET_PARTS[:4]:
        if wanted(name):
            add(name, *_set_part(name, referrals, mine, enc.tags[theirs]))

    if wanted("age"):
        birth = np.array([np.nan if r.birth_year is None else float(r.birth_year) for r in referrals], dtype=np.float64)
        age = np.abs(birth[:, None] - enc.birth_year[None, :])
        known_age = ~np.isnan(age)
        np.subtract(age, float(AGE_FULL_WITHIN), out=age)
        np.maximum(age, 0.0, out=age)  # NaN (unknown) stays NaN
        np.divide(age, float(_AGE_SPAN), out=age)
        np.subtract(1.0, age, out=age)
        np.maximum(age, 0.0, out=age)
        np.nan_to_num(age, copy=False, nan=0.0)
        add("age", age, known_age)

    if wanted("language"):
        add("language", *_set_part("language", referrals, "languages", enc.tags["languages"]))

    if wanted("local_knowledge"):
        districts = enc.tags["districts"]
        column = np.array([districts.vocab.get(r.district or "", -1) for r in referrals], dtype=np.int64)
        given = np.array([r.district is not None for r in referrals], dtype=bool)
        local = np.zeros((b, n), dtype=np.float64)
        found = column >= 0
        if found.any():
            local[found] = districts.matrix[:, column[found]].T
        add("local_knowledge", local, given[:, None] & ~districts.empty[None, :])

    if wanted("availability"):
        needs = np.array([r.needs_evenings_weekends for r in referrals], dtype=bool)
        add("availability", np.where(needs[:, None], enc.evenings_weekends[None, :], 1.0), needs[:, None])

    score_wishes = wanted("wishes")
    wishes = np.zeros((b, n), dtype=np.float64)
    checked = np.zeros((b, n), dtype=np.float64)
    for i, r in enumerate(referrals):
        if r.service_user_id is not None:
            conflicted = enc.conflicts.get(r.service_user_id)
            if conflicted is not None:
                ok[i, conflicted] = False
        for wish in r.wishes:
            if not wish.firm and not score_wishes:
                continue
            met, unknown = _wish_status(wish, r, enc)
            if wish.firm:
                ok[i] &= met
            else:
                checked[i] += ~unknown
                wishes[i] += met & ~unknown
    if score_wishes:
        judged = checked > 0.0
        np.divide(wishes, np.maximum(checked, 1.0), out=wishes)
        add("wishes", wishes, judged)

    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where(known_weight > 0.0, total / known_weight, NEUTRAL_FIT)
    return scores, ok


def _set_part(
    name: str, referrals: Sequence[ReferralProfile], mine: str, tag: TagMatrix
) -> tuple[FloatArray, BoolArray]:
    """Shared-tag part for a block of referrals and where it can be judged; mirrors ``scoring``."""
    wanted = np.stack([tag.encode(getattr(r, mine)) for r in referrals])
    sizes = np.array([float(len(getattr(r, mine))) for r in referrals], dtype=np.float64)
    known = (sizes > 0.0)[:, None] & ~tag.empty[None, :]
    shared: FloatArray = wanted @ tag.matrix.T  # small whole numbers: exact in float64
    if name == "language":
        return (shared > 0.0).astype(np.float64), known
    if name == "experience":
        np.divide(shared, np.maximum(sizes, 1.0)[:, None], out=shared)
        return shared, known
    denominator = np.maximum(np.minimum(sizes, float(SET_SATURATION)), 1.0)
    np.divide(shared, denominator[:, None], out=shared)
    np.minimum(shared, 1.0, out=shared)
    return shared, known
