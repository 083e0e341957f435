"""The data the matcher works on: who the peer workers are, who is waiting, and what counts.

These are plain frozen dataclasses so the matcher can be tested and benchmarked without Django.
The Django layer builds them from its models (``service`` app) and never passes ORM objects in.

Set-valued attributes are free tags (``"fishing"``, ``"nb"``, ``"grunerlokka"``); the matcher
only compares them for equality, so the caller decides the vocabulary (codes are best: they
survive translation). An empty set means "not recorded": it never excludes anyone, it simply
adds nothing to the fit (fit is a score, not a gate: a Peerwork design).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

__all__ = [
    "EXPERIENCE_KINDS",
    "WISH_ATTRIBUTES",
    "PeerWorkerProfile",
    "ReferralProfile",
    "Weights",
    "Wish",
]

#: The kinds of lived experience the sources name (S3, S1). Other codes are accepted too.
EXPERIENCE_KINDS = frozenset({"mental_health", "substance_use"})

#: What a service user may ask for in a wish, and how each is checked against a peer worker:
#: ``gender`` equals the worker's gender (case-insensitive); ``language``, ``experience``,
#: ``district``, ``interest``, ``background`` and ``service`` are in the worker's matching set;
#: ``age_max_difference`` is a whole number of years between birth years;
#: ``evenings_weekends`` (value ``"yes"``) means the worker is available outside office hours.
WISH_ATTRIBUTES = frozenset(
    {
        "gender",
        "language",
        "experience",
        "district",
        "interest",
        "background",
        "service",
        "age_max_difference",
        "evenings_weekends",
    }
)

_SET_FIELDS_WORKER = (
    "experience_kinds",
    "services_used",
    "background",
    "interests",
    "languages",
    "districts",
)
_SET_FIELDS_REFERRAL = ("wanted_experience", "services_used", "background", "interests", "languages")


def _freeze(obj: object, names: Iterable[str]) -> None:
    """Turn any iterable given for a set field into a frozenset (callers often pass sets/lists)."""
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, str):
            raise TypeError(f"{name} must be a collection of strings, not a single string {value!r}")
        if not isinstance(value, frozenset):
            object.__setattr__(obj, name, frozenset(value))


@dataclass(frozen=True, slots=True)
class PeerWorkerProfile:
    """A peer worker as the matcher sees them.

    ``capacity`` is how many engagements they have agreed to carry at once;
    ``active_engagements`` how many they carry now and ``pending_offers`` how many people they are
    offered to who have not chosen yet (each could choose them), so the room left is capacity minus both.
    ``conflicts`` holds ids of service users this peer worker must never be proposed to (a hard
    exclusion). The service passes none: a declared private acquaintance is a flag both sides can
    waive, not an exclusion (``peerwork.service.candidates``).
    """

    id: int
    experience_kinds: frozenset[str] = frozenset()
    services_used: frozenset[str] = frozenset()
    background: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    districts: frozenset[str] = frozenset()
    birth_year: int | None = None
    gender: str | None = None
    evenings_weekends: bool = False
    capacity: int = 0
    active_engagements: int = 0
    conflicts: frozenset[int] = frozenset()
    pending_offers: int = 0

    def __post_init__(self) -> None:
        _freeze(self, (*_SET_FIELDS_WORKER, "conflicts"))
        if self.capacity < 0:
            raise ValueError(f"Peer worker {self.id}: capacity must be zero or more, got {self.capacity}.")
        if self.active_engagements < 0:
            raise ValueError(
                f"Peer worker {self.id}: active engagements must be zero or more, got {self.active_engagements}."
            )
        if self.pending_offers < 0:
            raise ValueError(f"Peer worker {self.id}: pending offers must be zero or more, got {self.pending_offers}.")

    @property
    def room(self) -> int:
        """How many more engagements this peer worker can take (never negative)."""
        return max(self.capacity - self.active_engagements - self.pending_offers, 0)


@dataclass(frozen=True, slots=True)
class Wish:
    """Something the service user asked for, in their own terms.

    ``firm=True`` makes it a requirement (a hard limit: S3, the service user's explicit wants);
    otherwise it is a preference that adds to the fit when met and never excludes anyone.
    """

    attribute: str
    value: str
    firm: bool = False

    def __post_init__(self) -> None:
        if self.attribute not in WISH_ATTRIBUTES:
            known = ", ".join(sorted(WISH_ATTRIBUTES))
            raise ValueError(f"Unknown wish {self.attribute!r}. Use one of: {known}.")
        if self.attribute == "age_max_difference":
            try:
                years = int(self.value)
            except ValueError:
                raise ValueError(
                    f"Wish age_max_difference needs a whole number of years, got {self.value!r}."
                ) from None
            if years < 0:
                raise ValueError(f"Wish age_max_difference must be zero or more years, got {years}.")
        if self.attribute == "evenings_weekends" and self.value.strip().lower() not in {"yes", "true", "1"}:
            raise ValueError(f"Wish evenings_weekends takes the value 'yes', got {self.value!r}.")


@dataclass(frozen=True, slots=True)
class ReferralProfile:
    """A referral waiting for a peer worker: what the service user told us about themselves.

    ``service_user_id`` is checked against the peer workers' declared conflicts.
    """

    id: int
    service_user_id: int | None = None
    wanted_experience: frozenset[str] = frozenset()
    services_used: frozenset[str] = frozenset()
    background: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    district: str | None = None
    birth_year: int | None = None
    needs_evenings_weekends: bool = False
    wishes: tuple[Wish, ...] = ()

    def __post_init__(self) -> None:
        _freeze(self, _SET_FIELDS_REFERRAL)
        if not isinstance(self.wishes, tuple):
            object.__setattr__(self, "wishes", tuple(self.wishes))


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each part of the fit counts. Scores are normalised by the sum, so only ratios matter.

    Defaults follow the sources' "common denominators" (S3: experience, background, interests,
    age, the service user's wants and needs; S4: local knowledge; S3/S2: contact outside office
    hours): the kind of lived experience counts most; being able to talk in a shared language
    and the service user's own wishes come next; availability is weighted for those who need it.
    """

    experience: float = 3.0
    services: float = 1.0
    background: float = 1.0
    interests: float = 1.5
    age: float = 1.0
    language: float = 2.0
    local_knowledge: float = 1.0
    availability: float = 1.5
    wishes: float = 2.0

    def __post_init__(self) -> None:
        for f in fields(self):
            _check_weight(f.name, getattr(self, f.name))
        if self.total() <= 0.0:
            raise ValueError("At least one weight must be above zero; all weights are zero.")

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Weight names in the fixed order used for summing (so every code path adds alike)."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> Weights:
        """Build weights from e.g. an organisation's settings; missing names keep their default.

        Raises ``ValueError`` naming the offending key and how to fix it.
        """
        known = cls.names()
        unknown = sorted(str(k) for k in values if k not in known)
        if unknown:
            raise ValueError(
                f"Unknown weight {', '.join(repr(k) for k in unknown)}. Known weights are: {', '.join(known)}."
            )
        checked: dict[str, float] = {}
        for name, value in values.items():
            checked[name] = _check_weight(name, value)
        return cls(**checked)

    def as_dict(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in self.names()}

    def total(self) -> float:
        """The sum of the weights, added in the fixed order of :meth:`names`."""
        total = 0.0
        for name in self.names():
            total += float(getattr(self, name))
        return total


def _check_weight(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"Weight {name!r} must be a number, got {value!r}.")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"Weight {name!r} must be a finite number, got {value!r}.")
    if number < 0:
        raise ValueError(f"Weight {name!r} must be zero or more, got {value!r}.")
    return number
