"""What the dashboard is made of: the filters, a figure, a chart and the dashboard that holds them, and the
small helpers every level uses to format numbers and to apply the unit filter."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from peerwork.accounts.models import Membership
from peerwork.core import charts

from .. import pulse
from ..pulse import History
from .cites import cites_of

LEVELS = {
    "individual": gettext_lazy("Individual level"),
    "service": gettext_lazy("Service level"),
    "organisation": gettext_lazy("Organisation level"),
}


@dataclass(frozen=True)
class Filters:
    organisation_id: int
    start: date
    end: date
    unit_id: int | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """The period as moments in the local time zone: from the start day's midnight to the midnight after
        the end day (exclusive), so timestamp columns are compared directly and their indexes are used."""
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz),
        )


@dataclass
class Figure:
    """One number of the dashboard. ``base``: how many records it rests on, when that is not the number
    itself (the denominator of a share, the values of a median, the peer workers of an average); a count
    rests on itself. ``withheld``: not shown, because it rests on fewer records than the anonymity
    threshold (see ``audience``)."""

    key: str
    level: str
    label: str | Promise
    value: float | int | None
    display: str
    how: str | Promise
    base: int | None = None
    withheld: bool = False

    @property
    def cites(self) -> tuple[str, ...]:
        """The citations behind this figure (``figures.cites``), linked from "How this is computed"."""
        return cites_of(self.key)

    @property
    def rests_on(self) -> int | None:
        if self.base is not None:
            return self.base
        return self.value if isinstance(self.value, int) else None


@dataclass
class Bar:
    """One bar of a dashboard chart: a label, the value, and how the value is shown."""

    label: str
    value: float | None
    display: str


@dataclass
class Chart:
    key: str
    level: str
    title: str
    description: str
    rows: list[Bar]
    header: tuple[str, str]
    chart: charts.Chart | None = None

    def render(self) -> Chart:
        self.chart = charts.bar_chart(
            f"chart-{self.key}",
            self.title,
            self.description,
            label_header=self.header[0],
            series=[self.header[1]],
            rows=[(r.label, [(r.value, r.display)]) for r in self.rows],
            caption_hidden=True,
            empty_text=_("Nothing recorded in this period."),
        )
        return self


@dataclass
class Dashboard:
    filters: Filters
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    readiness: list[dict[str, Any]] | None = None
    pulse: list[pulse.SurveyResult] = field(default_factory=list)
    pulse_chart: Any = None
    pulse_history: list[History] = field(default_factory=list)
    scratch: dict[str, Any] = field(default_factory=dict)
    # who the dashboard is shaped for: "managers" (everything) or "peer_workers" (see ``audience``)
    audience: str = "managers"
    levels_shown: tuple[str, ...] = tuple(LEVELS)
    too_few_peer_workers: bool = False

    def level(self, level: str) -> dict[str, Any]:
        return {
            "key": level,
            "label": LEVELS[level],
            "figures": [f for f in self.figures if f.level == level],
            "charts": [c for c in self.charts if c.level == level],
        }

    @property
    def levels(self) -> list[dict[str, Any]]:
        return [self.level(k) for k in LEVELS if k in self.levels_shown]

    @property
    def withheld(self) -> int:
        """How many figures and chart rows are withheld."""
        return sum(f.withheld for f in self.figures) + sum(r.value is None for c in self.charts for r in c.rows)

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


# --- formatting -------------------------------------------------------------------------------------------


def num(value: float | int | None, decimals: int = 0) -> str:
    """A number as the reader's language writes it; a dash when there is none."""
    if value is None:
        return "—"
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def pct(part: int, whole: int) -> tuple[float | None, str]:
    """A share (0–1) and how it is shown; none when the whole is zero."""
    if not whole:
        return None, "—"
    share = part / whole
    return share, f"{num(share * 100)} %"


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


# --- scoping ----------------------------------------------------------------------------------------------


def members(f: Filters) -> QuerySet[Membership, Mapping[str, object]]:
    """Ids of the people in the filtered unit, as a subquery."""
    return Membership.objects.filter(organisation_id=f.organisation_id, unit=f.unit_id).values("user_id")


def by_peer_worker(qs: QuerySet[Any], f: Filters, path: str = "peer_worker_id") -> QuerySet[Any]:
    """Rows of the filtered unit's peer workers (all rows when no unit is chosen)."""
    return qs.filter(**{f"{path}__in": members(f)}) if f.unit_id else qs


def by_unit(qs: QuerySet[Any], f: Filters, path: str = "unit_id") -> QuerySet[Any]:
    """Rows of the filtered unit (all rows when no unit is chosen)."""
    return qs.filter(**{path: f.unit_id}) if f.unit_id else qs
