"""What the privacy part adds to the menu, the API and the demo."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _
from ninja import Router

from peerwork.core import hooks
from peerwork.core.actor import Actor
from peerwork.core.home import section
from peerwork.core.jobs import Scheduled
from peerwork.core.navigation import ACCOUNT, NavItem
from peerwork.core.roles import HOME_ORDER, Role
from peerwork.organisations.models import Organisation

from . import demo, generate, tasks
from .access import PEER_WORKER_ROLES
from .api import router


@hooks.register(hooks.NAVIGATION)
def navigation() -> Iterable[NavItem]:
    return [
        NavItem("privacy:shared", _("Shared with me"), frozenset({Role.PROFESSIONAL}), order=20),
        NavItem("privacy:consents", _("Consent"), frozenset({Role.PEER_WORKER, Role.COORDINATOR}), order=35),
        NavItem("privacy:people", _("People's rights"), frozenset({Role.DPO}), order=75),
        NavItem("privacy:evaluation", _("Evaluation extracts"), frozenset({Role.DPO}), order=77),
        NavItem(
            "privacy:evaluation", _("Evaluation extracts"), frozenset({Role.MANAGER}), order=77, group="evaluation"
        ),
        NavItem("privacy:audit", _("Audit trail"), frozenset({Role.DPO}), order=80),
        NavItem(
            "privacy:who_looked",
            _("Who looked at my work"),
            frozenset({Role.PEER_WORKER, Role.SENIOR_PEER_WORKER}),
            order=92,
            group=ACCOUNT,
        ),
    ]


def _own_consent_link(role: Role) -> None:
    def gather(actor: Actor) -> dict[str, Any]:
        # Once per person: in the section of the first peer role they hold. A link only, no query.
        first = next(r for r in HOME_ORDER if r in PEER_WORKER_ROLES and actor.has(r))
        if role != first:
            return {}
        return {"privacy_home_template": "privacy/home_peer_worker.html"}

    gather.__name__ = f"privacy_{role}"
    section(role)(gather)


for _role in (Role.PEER_WORKER, Role.SENIOR_PEER_WORKER):
    _own_consent_link(_role)


@hooks.register(hooks.API_ROUTERS, order=70)
def api_router() -> tuple[str, Router]:
    return "/privacy", router


# The privacy story's demo people come first: the service's demo data counts their engagements.
hooks.register(hooks.DEMO_DATA, order=10)(demo.seed_privacy)
# Consents for the scale data, after the service's engagements exist (the service registers at 20).
hooks.register(hooks.SCALE_DATA, order=30)(generate.from_generated)


@hooks.register(hooks.SCHEDULE)
def schedule() -> Iterable[Scheduled]:
    # Peerwork default: the retention run every night at two.
    def every_organisation() -> list[int]:
        return list(Organisation.objects.order_by("pk").values_list("pk", flat=True))

    return [Scheduled("retention", tasks.run_retention, every="day", hour=2, organisations=every_organisation)]
