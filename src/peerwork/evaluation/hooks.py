"""What evaluation adds to the menu, demo and scale data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from peerwork.core import hooks
from peerwork.core.actor import Actor
from peerwork.core.home import section
from peerwork.core.navigation import NavItem
from peerwork.core.roles import HOME_ORDER, Role
from peerwork.core.sources import Entry

from . import demo, generate, selectors
from .figures.cites import FIGURES
from .items import Condition


@hooks.register(hooks.SOURCE_CATALOGUE, order=50)
def source_catalogue() -> Iterable[Entry]:
    out = [Entry(_("Evaluation figure"), key, label, cites) for key, (label, cites) in FIGURES.items()]
    out += [
        Entry(_("Evaluation level"), "individual", _("Individual level"), ("s2-levels", "s2-outcomes")),
        Entry(_("Evaluation level"), "service", _("Service level"), ("s2-levels", "s2-outcomes")),
        Entry(_("Evaluation level"), "organisation", _("Organisation level"), ("s2-levels", "s2-functions")),
    ]
    out += [Entry(_("Pulse survey condition"), c.value, c.label, ("s2-conditions",)) for c in Condition]
    out.append(
        Entry(_("Setting"), "anonymity_threshold", _("Results withheld below three answers"), ("default-anonymity",))
    )
    return out


@hooks.register(hooks.NAVIGATION)
def navigation() -> Iterable[NavItem]:
    manager = frozenset({Role.MANAGER})
    return [
        NavItem("evaluation:dashboard", _("Dashboard"), manager, order=50, group="evaluation"),
        NavItem(
            "evaluation:dashboard",
            _("Evaluation"),
            frozenset(selectors.READER_ROLES) - manager,
            order=50,
            group="improve",
        ),
        NavItem("evaluation:pulse", _("Pulse survey"), manager, order=52, group="evaluation"),
        NavItem(
            "evaluation:pulse",
            _("Pulse survey"),
            frozenset({Role.PEER_WORKER, Role.SENIOR_PEER_WORKER, Role.PROFESSIONAL, Role.COORDINATOR}),
            order=52,
            group="improve",
        ),
    ]


def _figures_link(role: Role) -> None:
    """A peer worker's home page points to the evaluation figures (once, in their first peer role)."""

    def gather(actor: Actor) -> dict[str, Any]:
        first = next(r for r in HOME_ORDER if r in selectors.PEER_DASHBOARD_ROLES and actor.has(r))
        if role != first:
            return {}
        return {"evaluation_home_template": "evaluation/home_peer_worker.html"}

    gather.__name__ = f"evaluation_{role}"
    section(role)(gather)


for _role in selectors.PEER_DASHBOARD_ROLES:
    _figures_link(_role)


hooks.register(hooks.DEMO_DATA, order=50)(demo.seed_evaluation)
hooks.register(hooks.SCALE_DATA, order=50)(generate.from_generated)
