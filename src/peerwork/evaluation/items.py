"""The pulse survey on the conditions for peer workers' impact (S2 §6.3, Model 4 section III).

Five conditions, one short statement each, worded for each stakeholder group so that everyone answers about
what they themselves see. The statements are Peerwork's own words; the conditions are the thesis's. Answers
are on a five-point agreement scale, with "don't know" for someone who cannot judge (not counted).

The statements are versioned. A survey records the version of the statements it asked
(``PulseSurvey.items_version``), and a statement whose wording changed keeps its earlier wording here with the
last version that asked it, so results across a change are never silently compared: the trend breaks where the
wording changed, and the pages show each statement's wording history (``CHANGES``).

Pure data, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from peerwork.core.anonymity import ANONYMITY_THRESHOLD
from peerwork.core.roles import Role
from peerwork.core.sources import Cites

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Peerwork's default anonymity threshold: fewer answers than this in a group (or a cell) and the result is withheld
MIN_GROUP = ANONYMITY_THRESHOLD


class Group(models.TextChoices):
    PEER_WORKERS = "peer_workers", _("Peer workers")
    PROFESSIONALS = "professionals", _("Professionals")
    MANAGERS = "managers", _("Managers and coordinators")


GROUP_OF_ROLE: dict[str, str] = {
    Role.PEER_WORKER: Group.PEER_WORKERS,
    Role.SENIOR_PEER_WORKER: Group.PEER_WORKERS,
    Role.PROFESSIONAL: Group.PROFESSIONALS,
    Role.MANAGER: Group.MANAGERS,
    Role.COORDINATOR: Group.MANAGERS,
}


class Condition(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Colleagues' acceptance")
    FACILITATION = "facilitation", _("Managers' facilitation")
    FIT = "fit", _("Fit of backgrounds")
    REFLECTION = "reflection", _("Room for safe reflection")
    POSITION = "position", _("The peer worker's position")


SCALE: list[tuple[int, StrOrPromise]] = [
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, _("Neither agree nor disagree")),
    (4, _("Agree")),
    (5, _("Strongly agree")),
]
DONT_KNOW = 0


# The version of the statements asked now. Raise it, keep the earlier wording in EARLIER_ITEMS with ``until``,
# and add a line to CHANGES, whenever a statement's wording changes.
ITEMS_VERSION = 2


def current_version() -> int:
    """The default of ``PulseSurvey.items_version``: a new survey asks the statements of today."""
    return ITEMS_VERSION


@dataclass(frozen=True)
class Item:
    condition: str
    group: str
    text: StrOrPromise
    since: int = 1  # the first version that asks this wording
    until: int | None = None  # the last version that asked it (None: asked now)

    def asked_in(self, version: int) -> bool:
        return self.since <= version and (self.until is None or version <= self.until)


@dataclass(frozen=True)
class Change:
    """A change of wording: from ``version`` on, the statements of ``condition`` read differently."""

    condition: str
    version: int
    why: StrOrPromise
    cites: Cites = ()


ITEMS: list[Item] = [
    # Colleagues' acceptance
    Item(
        Condition.ACCEPTANCE,
        Group.PEER_WORKERS,
        _("My colleagues treat what I know from my own experience as real knowledge."),
    ),
    Item(
        Condition.ACCEPTANCE,
        Group.PROFESSIONALS,
        _("In my team we treat the peer workers' knowledge from experience as real knowledge."),
    ),
    Item(
        Condition.ACCEPTANCE,
        Group.MANAGERS,
        _("In the teams I lead, professionals treat peer workers' knowledge from experience as real knowledge."),
    ),
    # Managers' facilitation
    Item(
        Condition.FACILITATION,
        Group.PEER_WORKERS,
        _("My manager makes room for me to help plan and improve the service, not only to deliver it."),
    ),
    Item(
        Condition.FACILITATION,
        Group.PROFESSIONALS,
        _("Our managers make room for peer workers to help plan and improve the service."),
    ),
    Item(
        Condition.FACILITATION,
        Group.MANAGERS,
        _("I make room for peer workers to help plan and improve the service, and I follow up what they bring."),
    ),
    # Fit of backgrounds
    Item(Condition.FIT, Group.PEER_WORKERS, _("My background and experience fit the people I work with.")),
    Item(
        Condition.FIT,
        Group.PROFESSIONALS,
        _("The peer workers' backgrounds fit the people our service is for."),
    ),
    Item(
        Condition.FIT,
        Group.MANAGERS,
        _("When we recruit and match peer workers, we look for backgrounds that fit the people we serve."),
    ),
    # Room for safe reflection
    Item(
        Condition.REFLECTION,
        Group.PEER_WORKERS,
        _("I have a safe place to reflect on how I use my own experience in my work."),
    ),
    Item(
        Condition.REFLECTION,
        Group.PROFESSIONALS,
        _("In my team there is time and safety to reflect with peer workers on how we work."),
    ),
    Item(
        Condition.REFLECTION,
        Group.MANAGERS,
        _("Peer workers have regular, safe room to reflect on how they use their experience."),
    ),
    # The peer worker's position (S2: social position as the capacity to influence and bring about change).
    # Since version 2 it asks about influence on decisions, not membership of the team (see CHANGES).
    Item(
        Condition.POSITION,
        Group.PEER_WORKERS,
        _("My view from my own experience changes decisions here."),
        since=2,
    ),
    Item(
        Condition.POSITION,
        Group.PROFESSIONALS,
        _("In my team, the peer workers' view from their own experience changes decisions."),
        since=2,
    ),
    Item(
        Condition.POSITION,
        Group.MANAGERS,
        _("In the services I lead, peer workers' view from their own experience changes decisions."),
        since=2,
    ),
]

# Wordings no longer asked, kept so that earlier surveys show what they asked.
EARLIER_ITEMS: list[Item] = [
    Item(
        Condition.POSITION,
        Group.PEER_WORKERS,
        _("I am a full member of the team, and my voice counts when decisions are made."),
        until=1,
    ),
    Item(
        Condition.POSITION,
        Group.PROFESSIONALS,
        _("Peer workers are full members of our team, and their voice counts when decisions are made."),
        until=1,
    ),
    Item(
        Condition.POSITION,
        Group.MANAGERS,
        _("Peer workers hold a position here where their voice counts when decisions are made."),
        until=1,
    ),
]

CHANGES: list[Change] = [
    Change(
        Condition.POSITION,
        2,
        _(
            "Reworded to ask whether the peer worker's view changes decisions, instead of whether they are a full "
            "member of the team. Belonging measures integration, and a peer worker who fits in without friction "
            "may change nothing (encapsulation); the thesis's social position is about the power to "
            "influence and bring about change. Answers before and after the change are not compared."
        ),
        ("s1-b8", "s2-conditions"),
    ),
]


def items_for(group: str, version: int = ITEMS_VERSION) -> list[Item]:
    """The statements a group is asked in a survey of ``version``, in the order of the conditions."""
    order = list(Condition.values)
    found = [i for i in ITEMS + EARLIER_ITEMS if i.group == group and i.asked_in(version)]
    return sorted(found, key=lambda i: order.index(i.condition))


def wording_era(condition: str, version: int) -> int:
    """Which wording of ``condition`` a survey of ``version`` asked: 0 for the first, 1 after the first change…
    Results of two surveys compare only when this is the same for both."""
    return sum(1 for c in CHANGES if c.condition == condition and c.version <= version)


def wordings(condition: str) -> list[tuple[int, int | None, list[Item]]]:
    """The wording history of a condition: (first version, last version or None, the statements by group)."""
    starts = sorted({1, *(c.version for c in CHANGES if c.condition == condition)})
    out = []
    for i, since in enumerate(starts):
        until = starts[i + 1] - 1 if i + 1 < len(starts) else None
        out.append(
            (since, until, [it for it in ITEMS + EARLIER_ITEMS if it.condition == condition and it.asked_in(since)])
        )
    return out


def groups_for(roles: frozenset[str] | set[str]) -> list[str]:
    """The stakeholder groups a person may answer for, in a fixed order."""
    mine = {GROUP_OF_ROLE[r] for r in roles if r in GROUP_OF_ROLE}
    return [g for g in Group.values if g in mine]
