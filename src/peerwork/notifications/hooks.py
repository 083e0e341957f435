"""Notifications listen to the domain's events and keep the reminder and digest schedule."""

from __future__ import annotations

from collections.abc import Iterable

from peerwork.core import events, hooks
from peerwork.core.jobs import Scheduled
from peerwork.organisations.models import Organisation

from . import services, tasks


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
