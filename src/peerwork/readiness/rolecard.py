# ruff: noqa: E501  (translatable sentences read better unbroken)
"""The role card of a peer-worker position: what the team needs to know to work with this peer worker.

It is built from the position's current job description version, its orientation and its role form, not
from generic text: the two role forms of the European recommendations (S1 §3.1) differ exactly where
colleagues most often go wrong. A peer support worker in a peer team does not use the client file and
passes on what a person said only with that person's consent (S1 B3, B4); a care provider with
experiential expertise uses the client file and shares within the care team like any colleague.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peerwork.core.sources import Cites
from peerwork.organisations.models import Position

from .models import JobDescriptionVersion, Orientation

RoleForm = Position.RoleForm


@dataclass(frozen=True)
class Line:
    """One statement of the role card and the citations it rests on (shown as links beside it)."""

    text: str | Promise
    cites: Cites = ()


@dataclass(frozen=True)
class FormText:
    """What follows from a role form, whatever the job description says."""

    place: Line
    does: list[Line]
    does_not: list[Line]
    confidentiality: Line


FORM_TEXT: dict[str, FormText] = {
    RoleForm.PEER_TEAM: FormText(
        place=Line(
            _(
                "A peer support worker with a role of their own, apart from clinical care, answering to the leader of the peer team."
            ),
            ("s1-roles",),
        ),
        does=[
            Line(
                _(
                    "Offers recovery support and self-help, and brings back to the team how the people they support experience the service."
                ),
                ("s1-roles",),
            )
        ],
        does_not=[
            Line(
                _("Does not read or write in the client file, so that people can speak openly with them."), ("s1-b3",)
            ),
            Line(_("Does not take over treatment or nursing tasks."), ("s4-nursing",)),
        ],
        confidentiality=Line(
            _(
                "Bound by the duty of confidentiality like every employee. What a person tells them reaches the team only if that person agrees: ask the person, or invite them to the meeting, rather than asking the peer worker to pass it on."
            ),
            ("s1-b4",),
        ),
    ),
    RoleForm.CARE_PROVIDER: FormText(
        place=Line(
            _(
                "A care provider in this team who also uses their own experience in the work, answering to the team's manager."
            ),
            ("s1-roles",),
        ),
        does=[
            Line(_("Uses the client file, like the other care providers in the team."), ("s1-b3",)),
            Line(
                _("Coaches colleagues from both the professional's and the service user's point of view."),
                ("s1-roles",),
            ),
        ],
        does_not=[],
        confidentiality=Line(
            _(
                "Part of the care team: shares what is needed about the people they support within the team, under the same duty of confidentiality as every care provider."
            ),
            ("s1-b4",),
        ),
    ),
}

OWN_STORY = _(
    "Their own experience is theirs: they decide what to share of it, with whom and when. Do not ask colleagues or service users about it."
)


@dataclass
class RoleCard:
    position: Position
    version: JobDescriptionVersion | None
    orientation: Orientation | None
    form: FormText = field(init=False)

    def __post_init__(self) -> None:
        self.form = FORM_TEXT.get(self.role_form, FORM_TEXT[RoleForm.PEER_TEAM])

    @property
    def role_form(self) -> str:
        """The job description's role form when there is one: it is what the team was told."""
        return self.version.role_form if self.version is not None else self.position.role_form

    @property
    def role_form_label(self) -> str:
        return str(RoleForm(self.role_form).label)

    @property
    def holder(self) -> str:
        return str(self.position.holder) if self.position.holder_id else ""

    @property
    def team(self) -> str:
        return self.position.unit.name

    @property
    def starts_on(self) -> date | None:
        return self.position.start_date

    @property
    def own_story(self) -> str | Promise:
        return OWN_STORY

    @property
    def ask(self) -> list[tuple[str | Promise, str]]:
        """Whom to ask, and about what, by name where Peerwork knows the person."""
        out: list[tuple[str | Promise, str]] = []
        if self.position.holder_id:
            out.append((_("About their work with a person"), self.holder))
        about_role = str(self.position.reports_to) if self.position.reports_to_id else ""
        if self.version is not None and self.version.reporting_line:
            about_role = f"{about_role} ({self.version.reporting_line})" if about_role else self.version.reporting_line
        if about_role:
            out.append((_("About the role and its limits"), about_role))
        o = self.orientation
        if o is not None and o.contact_person_id:
            out.append((_("Contact person during the start"), str(o.contact_person)))
        if o is not None and o.buddy_id:
            out.append((_("Buddy or mentor"), str(o.buddy)))
        return out


def card(position: Position) -> RoleCard:
    """The card of a position fetched with ``job_description_link__version``, ``orientation`` (and their
    people), ``unit``, ``holder`` and ``reports_to``: no further query."""
    link = getattr(position, "job_description_link", None)
    return RoleCard(
        position=position,
        version=link.version if link is not None else None,
        orientation=getattr(position, "orientation", None),
    )
