"""What peer workers read of the derived checks: figures of at least three people, and what is about them.

The checks name people (the single peer worker of a team, someone without supervision). A peer worker reads
them as a partner, not as a manager: for each check, how many findings there are in the organisation and in
their own team(s), each count shown only when it reaches the anonymity threshold (so a team with one peer
worker never exposes that person), and the findings about themselves in full.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from peerwork.core.actor import Actor
from peerwork.organisations.models import Position

from . import checks
from .models import ANONYMITY_THRESHOLD


@dataclass(frozen=True)
class Count:
    """A count as a partner sees it: the number, or withheld when it is between one and the threshold."""

    n: int

    @property
    def withheld(self) -> bool:
        return 0 < self.n < ANONYMITY_THRESHOLD

    @property
    def shown(self) -> int | None:
        return None if self.withheld else self.n


@dataclass
class SharedCheck:
    check: checks.Check
    available: bool
    organisation: Count
    teams: Count
    mine: list[checks.Finding] = field(default_factory=list)

    @property
    def counts(self) -> tuple[Count, Count]:
        return self.organisation, self.teams


@dataclass
class SharedReport:
    results: list[SharedCheck]
    interval_days: int
    committee_limit: int
    threshold: int = ANONYMITY_THRESHOLD

    @property
    def mine(self) -> list[tuple[checks.Check, checks.Finding]]:
        return [(r.check, f) for r in self.results for f in r.mine]


def shared_checks(actor: Actor) -> SharedReport:
    report = checks.run(actor)
    own_positions = set(
        Position.objects.filter(organisation_id=actor.organisation_id, holder=actor.user).values_list("pk", flat=True)
    )
    results = []
    for r in report.results:
        if r.check.code == "placement_conflict" and not actor.has(*checks.PLACEMENT_READERS):
            continue  # only for those the peer worker was told would see it (the placement page says who)
        results.append(
            SharedCheck(
                check=r.check,
                available=r.available,
                organisation=Count(len(r.findings)),
                teams=Count(sum(1 for f in r.findings if f.unit_id in actor.unit_ids)),
                mine=[f for f in r.findings if f.position_id in own_positions],
            )
        )
    return SharedReport(results, report.interval_days, report.committee_limit)
