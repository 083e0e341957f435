"""What peer workers and senior peer workers see of the dashboard (a Peerwork rule: peer workers
take part in judging their work, not only in being judged; S2 §3.3 counts assessment among the phases of
co-creation).

They read the service and organisation levels, never anyone's individual data:

* the individual level (engagements, goal ratings, contacts and closing words of the people supported) is
  left out: it is the record of named people's support;
* a figure that is one peer worker's own number (the most boards held by one peer worker) is left out;
* every figure that rests on fewer records than the anonymity threshold (a count under three, a share or a
  median of fewer than three, an average over fewer than three peer workers) is withheld, and so is every
  chart row under three; the page says in words why;
* the scope is the whole organisation or a team with at least three peer workers (``peer_worker_count``):
  with fewer, a team's figures would be the work of one or two known colleagues.

Pure: no database. ``peer_worker_count`` is the only query.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from peerwork.accounts.models import Membership
from peerwork.core.anonymity import ANONYMITY_THRESHOLD
from peerwork.core.roles import PEER_ROLES

from .base import Bar, Dashboard

PEER_WORKER_LEVELS = ("service", "organisation")
ONE_PERSONS_NUMBER = frozenset({"committees_most"})


def peer_worker_count(organisation_id: int, unit_id: int | None) -> int:
    """Peer workers and senior peer workers in the organisation, or in one unit."""
    scope = Q(organisation_id=organisation_id, role__in=PEER_ROLES)
    if unit_id:
        scope &= Q(unit_id=unit_id)
    return Membership.objects.filter(scope).values("user_id").distinct().count()


def small(n: int | float | None) -> bool:
    """Under the anonymity threshold but not nothing (a zero counts no one)."""
    return n is not None and 0 < n < ANONYMITY_THRESHOLD


def for_peer_workers(d: Dashboard) -> Dashboard:
    """The dashboard as peer workers see it (see the module text). Changes ``d`` and returns it."""
    d.audience = "peer_workers"
    d.levels_shown = PEER_WORKER_LEVELS
    d.figures = [f for f in d.figures if f.level in PEER_WORKER_LEVELS and f.key not in ONE_PERSONS_NUMBER]
    d.charts = [c for c in d.charts if c.level in PEER_WORKER_LEVELS]
    d.quotes = []
    for f in d.figures:
        if small(f.rests_on):
            f.withheld, f.value, f.display = True, None, _("withheld")
    for c in d.charts:
        if any(small(r.value) for r in c.rows):
            c.rows = [Bar(r.label, None, _("withheld")) if small(r.value) else r for r in c.rows]
            c.render()
    for r in d.readiness or []:
        r["responses_withheld"] = small(r["responses"])
    return d
