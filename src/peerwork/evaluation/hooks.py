"""What evaluation adds to the menu, demo and scale data."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from peerwork.core import hooks
from peerwork.core.navigation import NavItem
from peerwork.core.roles import Role

from . import demo, generate


@hooks.register(hooks.NAVIGATION)
def navigation() -> Iterable[NavItem]:
    return [
        NavItem("evaluation:dashboard", _("Evaluation"), frozenset({Role.MANAGER, Role.COORDINATOR}), order=50),
        NavItem(
            "evaluation:pulse",
            _("Pulse survey"),
            frozenset({Role.PEER_WORKER, Role.SENIOR_PEER_WORKER, Role.PROFESSIONAL, Role.MANAGER, Role.COORDINATOR}),
            order=52,
        ),
    ]


hooks.register(hooks.DEMO_DATA, order=50)(demo.seed_evaluation)
hooks.register(hooks.SCALE_DATA, order=50)(generate.from_generated)
