"""Notifications listen to the domain's events and keep the reminder and digest schedule."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from peerwork.core import events, hooks
from peerwork.core.jobs import Scheduled
from peerwork.core.navigation import ACCOUNT, NavItem
from peerwork.core.roles import EVERYONE
from peerwork.organisations.models import Organisation

from . import services, tasks


@hooks.register(hooks.NAVIGATION)
def navigation() -> Iterable[NavItem]:
    # Also in the account menu, so a phone (whose header shows only the count of new ones) always reaches it.
    return [NavItem("notifications:index", _("Notifications"), EVERYONE, order=90, group=ACCOUNT)]


@hooks.register(hooks.EVENTS)
def notify(event: events.Event) -> None:
    services.on_event(event)


def _every_organisation() -> list[int]:
    return list(Organisation.objects.order_by("pk").values_list("pk", flat=True))


@hooks.register(hooks.SCHEDULE)
def schedule() -> Iterable[Scheduled]:
    # Peerwork default: reminders every morning at seven, the digest on Monday morning.
    return [
        Scheduled("reminders", tasks.daily_reminders, every="day", hour=7, organisations=_every_organisation),
        Scheduled("weekly digest", tasks.weekly_digest, every="week", hour=7, organisations=_every_organisation),
        # Once for the whole installation (organisation 0): old notifications and finished jobs.
        Scheduled("clean-up", tasks.clean_up, every="week", hour=3, organisations=lambda: [0]),
    ]
