"""What readiness adds to the menu, the API, home pages and the demo."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _
from ninja import Router

from peerwork.core import hooks
from peerwork.core.navigation import NavItem
from peerwork.core.roles import Role

from . import demo, home  # noqa: F401  (home registers its sections)
from .api import router
from .models import Orientation
from .roles import PARTNER_ROLES, READ_ROLES


@hooks.register(hooks.NAVIGATION)
def navigation() -> Iterable[NavItem]:
    # Those who run readiness start from the overview; peer workers and professionals from their own rounds,
    # where they answer, read the results and (peer workers) reach the checks, registers and action plan.
    others = frozenset([*PARTNER_ROLES, Role.PROFESSIONAL])
    return [
        NavItem("readiness:overview", _("Readiness"), frozenset({Role.MANAGER, Role.ADMINISTRATOR}), order=30),
        NavItem(
            "readiness:overview",
            _("Readiness"),
            frozenset(READ_ROLES) - {Role.MANAGER, Role.ADMINISTRATOR},
            order=30,
            group="improve",
        ),
        NavItem("readiness:my_rounds", _("Readiness"), others, order=30, group="improve"),
    ]


@hooks.register(hooks.API_ROUTERS, order=30)
def api_router() -> tuple[str, Router]:
    return "/readiness", router


hooks.register(hooks.DEMO_DATA, order=30)(demo.seed_readiness)


@hooks.register(hooks.ORIENTATION_COMPLETE)
def orientation_complete(organisation_id: int, user_ids: Iterable[int]) -> set[int]:
    """The peer workers among ``user_ids`` whose position's orientation is marked completed (one query)."""
    return set(
        Orientation.objects.filter(
            organisation_id=organisation_id,
            status=Orientation.Status.COMPLETED,
            position__holder_id__in=list(user_ids),
        ).values_list("position__holder_id", flat=True)
    )
