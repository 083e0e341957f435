"""Starting templates for interview and focus-group guides, in Peerwork's own words.

The topics are the ones the sources' own studies asked about; each template names the citations it rests on
(``core/sources.py``). The questions are Peerwork's wording, for the team to change: they are a start, not a
script. A user-led evaluation in the style of "Bruker spør bruker" (people with lived experience, trained to
interview service users) is a Peerwork choice the sources do not describe, and is labelled so.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peerwork.core.sources import Cites


@dataclass(frozen=True)
class Template:
    key: str
    title: Promise
    questions: tuple[Promise, ...]
    cites: Cites


TEMPLATES: tuple[Template, ...] = (
    Template(
        "recovery",
        _("Understanding of recovery"),
        (
            _("Before we talk: write down, in a few words, what recovery means to you. Keep your own definition."),
            _("What did you write? What made you choose those words?"),
            _("How does that understanding show in the work you do, or in the help you get?"),
            _("Where do the person's own wishes and the professional view pull in different directions?"),
        ),
        ("s0-focus-groups", "s0-recovery"),
    ),
    Template(
        "preparation",
        _("Preparation and role"),
        (
            _("What did you know about the peer worker's role before it started?"),
            _("What would have helped you prepare?"),
            _("How clear is the role today, and who decided what it is?"),
        ),
        ("s0-preparation",),
    ),
    Template(
        "legitimacy",
        _("Integration and legitimacy"),
        (
            _("How is the peer worker's experience used in the team's daily work?"),
            _("When is the peer worker's view asked for, and when is it left out?"),
            _("What makes colleagues accept, or doubt, the peer role?"),
        ),
        ("s2-conditions",),
    ),
    Template(
        "power",
        _("Power and tokenism"),
        (
            _("When did what a peer worker or a service user said change a decision? Tell us about one time."),
            _("When did taking part feel like being there for show?"),
            _("Who decides what happens with what comes out of this conversation?"),
        ),
        ("s2-levels", "default-pending"),
    ),
    Template(
        "bridging",
        _("Bridging"),
        (
            _("When has a peer worker helped a service user and the service understand each other?"),
            _("What gets lost between the service user and the service, and how could it be carried across?"),
        ),
        ("s2-functions",),
    ),
    Template(
        "user_led",
        _("User-led interviews with service users"),
        (
            _("What has been most helpful in the support you get here?"),
            _("What would you change, if you could decide?"),
            _("What should the service hear from you that it does not ask about today?"),
        ),
        ("default-user-led",),
    ),
)
BY_KEY = {t.key: t for t in TEMPLATES}
