"""One ordered registry for Peerwork's extension points, in the spirit of Wagtail's ``hooks``.

An app adds to another part of Peerwork without that part importing it: the app's own ``hooks.py`` registers
a callable under one of the names below, and the part that offers the extension point asks
``hooks.get(name)``. The first ``get`` imports every installed app's ``hooks`` module once.

Order is explicit, never the order of INSTALLED_APPS: callables run by ``order`` (lower first) and, for equal
orders, by app then registration order. Each extension point documents what its callables take and return.
"""

from __future__ import annotations

import itertools
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

F = TypeVar("F", bound=Callable[..., Any])

# () -> Iterable[NavItem]: menu entries, each shown to the roles it names.
NAVIGATION = "navigation"
# () -> tuple[str, ninja.Router]: an API router and the prefix it is mounted under.
API_ROUTERS = "api_routers"
# (no, dk, rng) -> None: demo data for the two demo organisations, after the demo people exist.
DEMO_DATA = "demo_data"
# (generated) -> None: scale data for the benchmarks, after organisations, people and positions exist.
SCALE_DATA = "scale_data"
# (organisation_id) -> {user_id: number}: committees and working groups each person sits in.
COMMITTEE_COUNTERS = "committee_counters"
# (organisation_id) -> CommitteeHours: the hours a month each person gives to one kind of working group (a
# co-assessment's team); readiness's committee check shows them and counts hours over its limit as load.
COMMITTEE_HOURS = "committee_hours"
# (organisation_id, user_ids) -> set of user ids: the peer workers whose orientation is signed off as
# complete (readiness knows orientation; the service asks before it lets a new peer worker take people).
ORIENTATION_COMPLETE = "orientation_complete"
# () -> peerwork.core.health.Check: one readiness check for /health/ready/ (after the database's), e.g. that
# the background worker has been seen lately or that no queued job has waited too long.
READINESS_CHECKS = "readiness_checks"
# (organisation_id, user_id) -> list[OpenWork]: work a person still holds that someone must take over (the
# service's open engagements); the person page lists it for a switched-off person.
OPEN_WORK = "open_work"
# (actor, user_id) -> int: the person is being switched off, or loses their peer worker role here while keeping
# another (inside that transaction): each app flags the work
# they hold for someone to take over, tells who must act, and returns how many pieces it flagged. Leaving is
# never refused for open work: a leaver loses access at once and their work is handed over afterwards.
PERSON_LEAVING = "person_leaving"
# (actor, user_id) -> None: a switched-off person is switched on again, or is given the peer worker role again
# (inside that transaction): work flagged when they left and not yet handed over is theirs again.
PERSON_RETURNING = "person_returning"
# (actor or None, consents: list[privacy.Consent]) -> int: these consents have just been withdrawn (by the
# person, on their behalf, or by erasure or the retention run, then with no actor), inside that transaction;
# each app removes what rested on them and returns how many pieces it removed.
CONSENT_WITHDRAWN = "consent_withdrawn"


@dataclass(frozen=True)
class OpenWork:
    """One piece of open work (for the administrator: no names of the people it concerns) and where a
    coordinator hands it over."""

    label: str
    url: str


@dataclass(frozen=True)
class CommitteeHours:
    """Hours a month per person (``{user_id: hours}``) in one kind of working group, and where, in words that
    follow "12 hours a month" ("in co-assessment")."""

    where: str | Promise
    hours: dict[int, int]


# () -> Iterable[core.sources.Entry]: the app's catalogue entries (checks, items, warnings, figures, settings)
# and the citations each rests on; the Sources page and docs/sources.md list them.
SOURCE_CATALOGUE = "source_catalogue"
# () -> Iterable[peerwork.core.jobs.Scheduled]: background jobs to enqueue once a day or once a week.
SCHEDULE = "schedule"
# (peerwork.core.events.Event) -> None: something happened that a person should be told about; called
# inside the transaction of the action (notifications records and queues its messages there).
EVENTS = "events"


def home_section(role: str) -> str:
    """(actor) -> dict: what one part of Peerwork adds to the home page of ``role``. A key ending in
    ``_home_template`` names a template to include."""
    return f"home:{role}"


_registry: dict[str, list[tuple[int, int, Callable[..., Any]]]] = defaultdict(list)
_sequence = itertools.count()
_discovered = False
_lock = threading.Lock()


def register(name: str, *, order: int = 0) -> Callable[[F], F]:
    """Decorator: add the function to the extension point ``name``."""

    def decorate(fn: F) -> F:
        entries = _registry[name]
        if all(existing is not fn for _o, _s, existing in entries):
            entries.append((order, next(_sequence), fn))
        return fn

    return decorate


def get(name: str) -> list[Callable[..., Any]]:
    """The callables registered for ``name``, in order."""
    _discover()
    return [fn for _order, _seq, fn in sorted(_registry[name], key=lambda e: (e[0], e[1]))]


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    with _lock:
        if not _discovered:
            autodiscover_modules("hooks")
            _discovered = True


@contextmanager
def register_temporarily(name: str, fn: Callable[..., Any], *, order: int = 0) -> Iterator[None]:
    """Register ``fn`` for the duration of a ``with`` block (for tests)."""
    register(name, order=order)(fn)
    try:
        yield
    finally:
        _registry[name] = [entry for entry in _registry[name] if entry[2] is not fn]
