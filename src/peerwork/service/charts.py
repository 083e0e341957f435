"""Small server-rendered charts (inline SVG, allowed by the Content-Security-Policy). Each page shows the
same numbers in a table beside the chart, so nothing depends on seeing it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .workload import Week

WIDTH, HEIGHT, PAD = 320, 120, 24


@dataclass
class Point:
    x: float
    y: float
    value: int
    label: str


def goal_chart(goal: Any) -> dict[str, Any] | None:
    """A line of the person's own ratings (0–10) over time; None with fewer than one rating."""
    ratings = list(goal.ratings.all())
    if not ratings:
        return None
    first, last = ratings[0].rated_on, ratings[-1].rated_on
    span = max((last - first).days, 1)
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    points = []
    for r in ratings:
        x = PAD + (inner_w * (r.rated_on - first).days / span if len(ratings) > 1 else inner_w / 2)
        y = PAD + inner_h * (1 - r.rating / 10)
        points.append(Point(round(x, 1), round(y, 1), r.rating, r.rated_on.isoformat()))
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "points": points,
        "polyline": " ".join(f"{p.x},{p.y}" for p in points),
        "y0": HEIGHT - PAD,
        "y10": PAD,
        "y5": PAD + inner_h / 2,
        "x0": PAD,
        "x1": WIDTH - PAD,
        "first": first,
        "last": last,
        "latest": ratings[-1].rating,
    }


def week_bars(weeks: list[Week], threshold: int) -> dict[str, Any]:
    """Contacts per week as bars, with the organisation's threshold as a line."""
    top = max([w.contacts for w in weeks] + [threshold, 1])
    inner_h = HEIGHT - 2 * PAD
    step = (WIDTH - 2 * PAD) / max(len(weeks), 1)
    bars = []
    for i, w in enumerate(weeks):
        h = inner_h * w.contacts / top
        bars.append(
            {
                "x": round(PAD + i * step + 2, 1),
                "y": round(HEIGHT - PAD - h, 1),
                "w": round(step - 4, 1),
                "h": round(h, 1),
                "week": w,
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "threshold_y": round(HEIGHT - PAD - inner_h * threshold / top, 1),
        "x0": PAD,
        "x1": WIDTH - PAD,
        "base": HEIGHT - PAD,
    }
