"""The pulse survey on the conditions for peer workers' impact (S2, Model 4, section III).

Five conditions, one short statement each, worded for each stakeholder group so that everyone answers about
what they themselves see. The statements are Peerwork's own words; the conditions are the thesis's. Answers
are on a five-point agreement scale, with "don't know" for someone who cannot judge (not counted).

Pure data, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from peerwork.core.anonymity import ANONYMITY_THRESHOLD
from peerwork.core.roles import Role

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


@dataclass(frozen=True)
class Item:
    condition: str
    group: str
    text: StrOrPromise


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
    # The peer worker's position
    Item(
        Condition.POSITION,
        Group.PEER_WORKERS,
        _("I am a full member of the team, and my voice counts when decisions are made."),
    ),
    Item(
        Condition.POSITION,
        Group.PROFESSIONALS,
        _("Peer workers are full members of our team, and their voice counts when decisions are made."),
    ),
    Item(
        Condition.POSITION,
        Group.MANAGERS,
        _("Peer workers hold a position here where their voice counts when decisions are made."),
    ),
]


def items_for(group: str) -> list[Item]:
    return [i for i in ITEMS if i.group == group]


def groups_for(roles: frozenset[str] | set[str]) -> list[str]:
    """The stakeholder groups a person may answer for, in a fixed order."""
    mine = {GROUP_OF_ROLE[r] for r in roles if r in GROUP_OF_ROLE}
    return [g for g in Group.values if g in mine]
