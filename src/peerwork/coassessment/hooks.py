"""What co-assessment adds to the menu, the Sources page, readiness's committee check, the schedule, the demo,
the scale data, and what it does when a consent is withdrawn elsewhere."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _
from ninja import Router

from peerwork.core import hooks
from peerwork.core.jobs import Scheduled
from peerwork.core.navigation import NavItem
from peerwork.core.roles import Role
from peerwork.core.sources import Entry
from peerwork.organisations.models import Organisation

from . import analysis_api, demo, exchange_api, generate, guides, survey_api, survey_demo, tasks
from .api import router
from .selectors import committee_counts, committee_hours
from .services import consent_withdrawn

USERS = frozenset(
    {Role.MANAGER, Role.COORDINATOR, Role.PEER_WORKER, Role.SENIOR_PEER_WORKER, Role.PROFESSIONAL, Role.DPO}
)


@hooks.register(hooks.NAVIGATION)
def navigation() -> Iterable[NavItem]:
    return [
        # Managers find it with evaluation (their top level is full); everyone else with improving the service.
        NavItem("coassessment:list", _("Co-assessment"), frozenset({Role.MANAGER}), order=78, group="evaluation"),
        NavItem("coassessment:list", _("Co-assessment"), USERS - {Role.MANAGER}, order=41, group="improve"),
        # What came of the co-assessments a person took part in: next to co-assessment, for every role that may
        # open it (the permission matrix's row for "you said, we did").
        NavItem(
            "coassessment:you_said",
            _("Co-assessment: you said, we did"),
            frozenset({Role.MANAGER}),
            order=79,
            group="evaluation",
        ),
        NavItem(
            "coassessment:you_said",
            _("Co-assessment: you said, we did"),
            USERS - {Role.MANAGER},
            order=43,
            group="improve",
        ),
        # Peer-led surveys: the peer workers who own them, next to co-assessment.
        NavItem(
            "coassessment:surveys",
            _("Peer-led surveys"),
            frozenset({Role.PEER_WORKER, Role.SENIOR_PEER_WORKER}),
            order=42,
            group="improve",
        ),
    ]


@hooks.register(hooks.API_ROUTERS, order=75)
def survey_api_router() -> tuple[str, Router]:
    return "/coassessment", survey_api.router


@hooks.register(hooks.SOURCE_CATALOGUE, order=45)
def source_catalogue() -> Iterable[Entry]:
    out = [Entry(_("Co-assessment guide template"), t.key, t.title, t.cites) for t in guides.TEMPLATES]
    out += [
        Entry(
            _("Co-assessment rule"), "group_size", _("Groups of four to eight, one kind each"), ("default-group-size",)
        ),
        Entry(
            _("Co-assessment rule"),
            "manager_not_alone",
            _("A manager cannot run or analyse a co-assessment alone"),
            ("default-manager-not-alone", "s2-methods"),
        ),
        Entry(
            _("Co-assessment rule"),
            "consent_name_key",
            _("Consent, a name key kept apart, deletion at the end"),
            ("s2-ethics",),
        ),
        Entry(
            _("Co-assessment method"), "thematic", _("Thematic analysis in six phases"), ("s0-methods", "s3-methods")
        ),
        Entry(
            _("Co-assessment method"),
            "condensation",
            _("Systematic text condensation in four steps"),
            ("s2-methods", "s4-methods"),
        ),
        Entry(
            _("Co-assessment rule"),
            "peer_led_survey",
            _("Peer workers own a peer-led survey and decide when managers see its results"),
            ("s2-peer-survey", "default-peer-survey"),
        ),
        Entry(
            _("Co-assessment rule"),
            "peer_led_survey_anonymity",
            _("Peer-led survey answers saved apart from who answered; fewer than three answers withheld"),
            ("default-anonymity",),
        ),
        Entry(
            _("Co-assessment rule"),
            "peer_led_survey_groups",
            _("Peer-led survey results by group; a group under three answers withheld, and the next smallest with it"),
            ("default-anonymity",),
        ),
        Entry(
            _("Co-assessment rule"),
            "peer_led_survey_rounds",
            _("A peer-led survey is run again each year, with last year's figures beside this year's"),
            ("s2-peer-survey",),
        ),
    ]
    return out


@hooks.register(hooks.API_ROUTERS, order=70)
def api_router() -> tuple[str, Router]:
    return "/coassessment", router


@hooks.register(hooks.API_ROUTERS, order=71)
def analysis_api_router() -> tuple[str, Router]:
    return "/coassessment", analysis_api.router


@hooks.register(hooks.API_ROUTERS, order=72)
def exchange_api_router() -> tuple[str, Router]:
    return "/coassessment", exchange_api.router


# Each peer worker's co-assessments under way count toward readiness's committee check (S1 B1), as working
# groups and with their hours a month.
hooks.register(hooks.COMMITTEE_COUNTERS)(committee_counts)
hooks.register(hooks.COMMITTEE_HOURS)(committee_hours)
hooks.register(hooks.DEMO_DATA, order=60)(demo.seed_coassessment)
hooks.register(hooks.DEMO_DATA, order=61)(survey_demo.seed_surveys)
# A consent to take part withdrawn on the privacy pages, the API, by erasure or the retention run takes the
# participant's segments, codings and marked words with it, in the same transaction.
hooks.register(hooks.CONSENT_WITHDRAWN)(consent_withdrawn)
# After the service's and privacy's scale data, whose people it reads.
hooks.register(hooks.SCALE_DATA, order=60)(generate.from_generated)


@hooks.register(hooks.SCHEDULE)
def schedule() -> Iterable[Scheduled]:
    # Peerwork default: each night at three, after privacy's retention run.
    def every_organisation() -> list[int]:
        return list(Organisation.objects.order_by("pk").values_list("pk", flat=True))

    return [
        Scheduled("coassessment retention", tasks.delete_expired, every="day", hour=3, organisations=every_organisation)
    ]
