"""Service level, from co-creation: signals peer workers send to management and how fast they are heard.

Signals follow their own ``unit`` field when a unit is chosen."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from peerwork.cocreation.models import Signal

from .base import Dashboard, Figure, Filters, by_unit, median, num, pct


def add(d: Dashboard, f: Filters) -> None:
    signals = by_unit(Signal.objects.filter(organisation_id=f.organisation_id), f)
    start_at, end_at = f.bounds
    in_period = Q(raised_at__gte=start_at, raised_at__lt=end_at)
    s = signals.aggregate(
        raised=Count("id", filter=in_period),
        acknowledged=Count("id", filter=in_period & Q(acknowledged_at__isnull=False)),
        closed=Count("id", filter=Q(closed_at__gte=start_at, closed_at__lt=end_at)),
        open_now=Count("id", filter=~Q(status=Signal.Status.CLOSED)),
    )
    hours = [
        (ack - raised).total_seconds() / 3600
        for raised, ack in signals.filter(in_period, acknowledged_at__isnull=False).values_list(
            "raised_at", "acknowledged_at"
        )
    ]
    median_h = median(hours)
    share, share_display = pct(s["acknowledged"], s["raised"])
    d.figures += [
        Figure(
            "signals_raised",
            "service",
            _("Signals raised"),
            s["raised"],
            num(s["raised"]),
            _("Signals peer workers sent to management in the period."),
        ),
        Figure(
            "signals_acknowledged_share",
            "service",
            _("Signals acknowledged"),
            share,
            share_display,
            _("Of the signals raised in the period: the share a manager has acknowledged so far."),
            base=s["raised"],
        ),
        Figure(
            "signals_ack_median_hours",
            "service",
            _("Median time to acknowledgement"),
            median_h,
            "—" if median_h is None else _("%(n)s hours") % {"n": num(median_h, 1)},
            _(
                "Of the signals raised in the period and acknowledged: the middle value of the hours between "
                "sending and acknowledgement."
            ),
            base=len(hours),
        ),
        Figure(
            "signals_resolved",
            "service",
            _("Signals resolved"),
            s["closed"],
            num(s["closed"]),
            _("Signals closed with an outcome in the period (whenever they were raised)."),
        ),
    ]
