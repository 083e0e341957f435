# ruff: noqa: E501  (translatable sentences and demo text read better unbroken)
"""Points of attention (S1 B1–B13, the Erasmus+ recommendations): risks a team keeps an eye on once peer
workers are in place. Each point's citation is ``s1-b<n>`` on the Sources page.

Each has a short title and a prompt: a question the team can discuss when it reviews its register.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PointOfAttention:
    code: str
    title: str | Promise
    prompt: str | Promise

    @property
    def source(self) -> tuple[str, ...]:
        return (f"s1-{self.code.lower()}",)


POINTS: list[PointOfAttention] = [
    PointOfAttention(
        "B1",
        _("Workload"),
        _(
            "Is there room for the peer worker's own tasks and free time with service users, or are they pulled into too many working groups?"
        ),
    ),
    PointOfAttention(
        "B2",
        _("Wearing two hats"),
        _(
            "Does a peer worker feel torn between loyalty to service users and loyalty to the team? Is this taken up in intervision or supervision?"
        ),
    ),
    PointOfAttention(
        "B3",
        _("Client files"),
        _("Is it clear whether the role reads clinical files? A peer worker in a peer team does not."),
    ),
    PointOfAttention(
        "B4",
        _("Trust and privacy"),
        _("Is information from a service user shared with the team only with that person's consent?"),
    ),
    PointOfAttention(
        "B5",
        _("Coercion and pressure"),
        _(
            "Is the peer worker kept out of carrying out coercive measures, and involved in preventing them and in the follow-up?"
        ),
    ),
    PointOfAttention(
        "B6",
        _("Distance and proximity"),
        _("Can the peer worker talk about how close to come to service users without being judged?"),
    ),
    PointOfAttention(
        "B7",
        _("Living world and institutional world"),
        _("Does the team listen when the peer worker shows where the service does not fit people's lives?"),
    ),
    PointOfAttention(
        "B8",
        _("Encapsulation"),
        _("Has the peer role been absorbed into business as usual? No friction at all can mean no change."),
    ),
    PointOfAttention(
        "B9",
        _("Resistance and loneliness"),
        _("Does the peer worker have a peer colleague in the team, or are they alone facing resistance?"),
    ),
    PointOfAttention(
        "B10",
        _("Expertise"),
        _("Is the team drawing on a project group's expertise, or experimenting on its own?"),
    ),
    PointOfAttention(
        "B11",
        _("Insecurity"),
        _("Is the peer worker trying too hard to prove themselves, at the cost of giving critical feedback?"),
    ),
    PointOfAttention(
        "B12",
        _("Personal skills and pecking order"),
        _("Does the peer worker get the room to take their proper place in the team's hierarchy?"),
    ),
    PointOfAttention(
        "B13",
        _("An open attitude"),
        _("Does the team stay curious about what a good peer worker is, rather than holding fixed ideas?"),
    ),
]
POINT_BY_CODE = {p.code: p for p in POINTS}
