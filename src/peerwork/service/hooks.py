"""What the peer recovery service adds to the menu, the API, home pages, demo and scale data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from ninja import Router

from peerwork.core import hooks
from peerwork.core.actor import Actor
from peerwork.core.navigation import ACCOUNT, NavItem
from peerwork.core.roles import Role
from peerwork.core.sources import Entry

from . import demo, generate, home, services  # noqa: F401  (home registers its sections)
from .api import router
from .models import Engagement


@hooks.register(hooks.NAVIGATION)
def navigation() -> Iterable[NavItem]:
    coordinator = frozenset({Role.COORDINATOR})
    peer_worker = frozenset({Role.PEER_WORKER})
    return [
        NavItem("service:queue", _("Referral queue"), coordinator, order=10),
        NavItem("service:dashboard", _("Dashboard"), coordinator, order=11, group="peer_workers"),
        NavItem("service:caseload", _("My caseload"), peer_worker, order=12),
        NavItem("service:quick_add", _("Log a contact"), peer_worker, order=13),
        NavItem("service:guidance_due", _("Guidance"), frozenset({Role.SENIOR_PEER_WORKER}), order=14),
        NavItem("service:my_guidance", _("My guidance"), peer_worker, order=15, group="my_work"),
        NavItem("service:guidance_relationships", _("Who guides whom"), coordinator, order=16, group="peer_workers"),
        # Under the peer worker's name: their own availability and profile.
        NavItem("service:my_availability", _("My availability"), peer_worker, order=90, group=ACCOUNT),
        NavItem("service:my_profile", _("My matching profile"), peer_worker, order=91, group=ACCOUNT),
    ]


@hooks.register(hooks.API_ROUTERS, order=20)
def api_router() -> tuple[str, Router]:
    return "/service", router


# Service demo data follows privacy's demo people (it counts their engagements against capacity).
hooks.register(hooks.DEMO_DATA, order=20)(demo.seed)
# Availability comes last: a new peer worker joins, and readiness's orientations already exist.
hooks.register(hooks.DEMO_DATA, order=60)(demo.seed_availability)
hooks.register(hooks.SCALE_DATA, order=20)(generate.from_generated)


# Demo and scale data are written in bulk, not through the services: once every app has written its share, a
# waiting list remembered for those organisations is planned afresh.
@hooks.register(hooks.DEMO_DATA, order=1000)
def demo_written(no: Any, dk: Any, _rng: Any) -> None:
    for org in (no, dk):
        services.plan_inputs_changed(org.pk)


@hooks.register(hooks.SCALE_DATA, order=1000)
def scale_written(generated: Any) -> None:
    for org in generated.organisations:
        services.plan_inputs_changed(org.pk)


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


@hooks.register(hooks.PERSON_LEAVING)
def leaving(actor: Actor, user_id: int) -> int:
    """A peer worker switched off: their open engagements wait on the coordinators' dashboard for a handover,
    and they are no longer offered to anyone on the waiting list."""
    services.plan_inputs_changed(actor.organisation_id)
    return services.leavers.flag_caseload(actor, user_id)


@hooks.register(hooks.PERSON_RETURNING)
def returning(actor: Actor, user_id: int) -> None:
    """A peer worker switched on again: their engagements still open leave the list of handovers to do, and
    the waiting list may offer them again."""
    services.plan_inputs_changed(actor.organisation_id)
    services.leavers.unflag_caseload(actor, user_id)


@hooks.register(hooks.SOURCE_CATALOGUE, order=20)
def source_catalogue() -> Iterable[Entry]:
    S = _("Setting")
    R = _("Service rule")
    return [
        Entry(R, "matching", _("Matching on common ground"), ("s3-service", "s4-local", "s2-match")),
        Entry(R, "choice", _("A short list the person chooses from"), ("default-choice", "s2-match")),
        Entry(R, "fit_weights", _("Weights and bands of the fit"), ("default-fit", "s3-service")),
        Entry(
            R,
            "acquaintance",
            _("Knowing each other privately is a flag both can waive"),
            ("default-acquaintance", "s2-extra-mile"),
        ),
        Entry(R, "goals", _("Goals in the person's own words"), ("s3-recovery", "s0-recovery")),
        Entry(R, "life_areas", _("Life areas of goals"), ("s3-areas",)),
        Entry(R, "contacts", _("Contacts outside office hours and outdoors"), ("s3-flexibility", "s2-flexibility")),
        Entry(R, "strain", _("Workload topics for guidance"), ("s3-boundaries", "s1-b1", "default-workload")),
        Entry(
            R,
            "guidance",
            _("Guidance by the coordinator or a senior peer worker"),
            ("s3-boundaries", "s3-service", "s1-a9"),
        ),
        Entry(R, "no_clinical_record", _("No clinical record, no route to one"), ("s1-b3",)),
        Entry(R, "consent", _("Shared with the care team only with consent"), ("s1-b4",)),
        Entry(S, "guidance_every_days", _("guidance at least every (days)"), ("s1-a9", "default-guidance-interval")),
        Entry(S, "capacity", _("most active engagements"), ("default-capacity",)),
        Entry(S, "typical_length", _("Typical length of an engagement"), ("s3-service", "default-planned-end")),
        Entry(S, "review_every_weeks", _("review engagements every (weeks)"), ("default-review",)),
        Entry(S, "workload_thresholds", _("workload settings"), ("s3-boundaries", "default-workload")),
    ]
