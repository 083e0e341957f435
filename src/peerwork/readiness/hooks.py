"""What readiness adds to the menu, the API, home pages and the demo."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _
from ninja import Router

from peerwork.core import hooks
from peerwork.core.navigation import NavItem
from peerwork.core.roles import Role
from peerwork.core.sources import Entry

from . import demo, generate, home  # noqa: F401  (home registers its sections)
from .api import router
from .attention import POINTS
from .checks import CHECKS
from .instrument import DOMAINS, ITEMS
from .models import Orientation
from .rolecard import FORM_TEXT
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
hooks.register(hooks.SCALE_DATA, order=30)(generate.from_generated)


@hooks.register(hooks.SOURCE_CATALOGUE, order=30)
def source_catalogue() -> Iterable[Entry]:
    out = [Entry(_("Readiness domain"), d.code, d.title, d.source) for d in DOMAINS]
    out += [Entry(_("Readiness question"), i.code, i.text, i.source) for i in ITEMS]
    out += [Entry(_("Readiness check"), c.code, c.title, c.source) for c in CHECKS]
    out += [Entry(_("Point of attention"), p.code, p.title, p.source) for p in POINTS]
    for form, text in FORM_TEXT.items():
        lines = [text.place, *text.does, *text.does_not, text.confidentiality]
        out += [Entry(_("Role card"), f"{form}.{n}", line.text, line.cites) for n, line in enumerate(lines, 1)]
    out += [
        Entry(
            _("Setting"),
            "committee_limit",
            _("Most committees or working groups per peer worker"),
            ("s1-b1", "default-committee-limit"),
        ),
        Entry(
            _("Setting"),
            "committee_hours",
            _("Most hours a month in working groups per peer worker"),
            ("s1-b1", "default-committee-hours"),
        ),
        Entry(
            _("Setting"),
            "new_within_days",
            _("New peer workers: started in the last six months"),
            ("s1-a8", "default-new"),
        ),
        Entry(
            _("Setting"),
            "experienced_after_days",
            _("Inexperienced: less than twelve months' experience"),
            ("s1-a7", "default-inexperienced"),
        ),
        Entry(
            _("Readiness round"),
            "respondent_groups",
            _("Several groups answer"),
            ("default-groups", "s0-preparation", "s0-top-down"),
        ),
        Entry(_("Job description"), "role_form", _("Role form"), ("s1-roles",)),
        Entry(_("Job description"), "role_type", _("Role type"), ("s2-model3",)),
        Entry(_("Job description"), "core_tasks", _("Core tasks"), ("s1-tasks",)),
        Entry(
            _("Job description"),
            "demarcation",
            _("How the tasks differ from others in the team"),
            ("s1-a6", "s2-duties"),
        ),
        Entry(
            _("Job description"), "supervision", _("Supervision arrangement"), ("s1-a9", "default-guidance-interval")
        ),
        Entry(_("Job description"), "does_not_do", _("What the role does not do"), ("s1-b5", "s1-b3")),
        Entry(_("Orientation"), "buddy", _("Buddy or mentor"), ("s1-a8",)),
        Entry(_("Orientation"), "training", _("Training received"), ("s1-a5",)),
        Entry(_("Team briefing"), "briefing", _("Team briefing before the start"), ("s1-a6", "s0-preparation")),
        Entry(_("Placement"), "placement", _("Where you were treated"), ("s1-a7",)),
    ]
    return out


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
