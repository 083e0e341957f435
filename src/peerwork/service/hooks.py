"""What the peer recovery service adds to the menu, the API, home pages, demo and scale data."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from ninja import Router

from peerwork.core import hooks
from peerwork.core.navigation import NavItem
from peerwork.core.roles import Role

from . import demo, generate, home  # noqa: F401  (home registers its sections)
from .api import router
from .models import Engagement


@hooks.register(hooks.NAVIGATION)
def navigation() -> Iterable[NavItem]:
    coordinator = frozenset({Role.COORDINATOR})
    return [
        NavItem("service:dashboard", _("Dashboard"), coordinator, order=10),
        NavItem("service:queue", _("Referral queue"), coordinator, order=11),
        NavItem("service:caseload", _("My caseload"), frozenset({Role.PEER_WORKER}), order=12),
        NavItem("service:quick_add", _("Log a contact"), frozenset({Role.PEER_WORKER}), order=13),
        NavItem("service:guidance_due", _("Guidance"), frozenset({Role.SENIOR_PEER_WORKER}), order=14),
        NavItem("service:my_guidance", _("My guidance"), frozenset({Role.PEER_WORKER}), order=15),
        NavItem("service:guidance_relationships", _("Who guides whom"), coordinator, order=16),
    ]


@hooks.register(hooks.API_ROUTERS, order=20)
def api_router() -> tuple[str, Router]:
    return "/service", router


# Service demo data follows privacy's demo people (it counts their engagements against capacity).
hooks.register(hooks.DEMO_DATA, order=20)(demo.seed)
# Availability comes last: a new peer worker joins, and readiness's orientations already exist.
hooks.register(hooks.DEMO_DATA, order=60)(demo.seed_availability)
hooks.register(hooks.SCALE_DATA, order=20)(generate.from_generated)


@hooks.register(hooks.OPEN_WORK)
def open_engagements(organisation_id: int, user_id: int) -> list[hooks.OpenWork]:
    """A leaving peer worker's open engagements, each with the page where a coordinator proposes a handover."""
    rows = Engagement.objects.filter(
        organisation_id=organisation_id, peer_worker_id=user_id, closed_on__isnull=True
    ).order_by("started_on", "pk")
    return [
        hooks.OpenWork(
            label=_("Engagement started %(date)s") % {"date": date_format(e.started_on, "DATE_FORMAT")},
            url=reverse("service:handover", args=[e.pk]),
        )
        for e in rows
    ]
