"""The evaluation dashboard's figures, at three levels (S2 §6.1 and Model 3: individual, service, organisation;
Model 4 for the functions and conditions; ``figures.cites`` says what each figure rests on).

Every figure carries a short "how this is computed" text, and ``docs/evaluation.md`` defines each one.
All figures are computed with a fixed number of aggregate queries — counts, sums and group-bys in SQL, no
query per row — so the page costs the same with ten engagements or a hundred thousand. Lists of numbers
are fetched only where a median needs them (one query each).

Filters: a period (first and last day, inclusive) and optionally one unit/team. How the unit filter applies
is said in each figure's text: service data follows the peer worker's team (their memberships), initiatives,
boards and signals their own ``unit`` field; referrals are not tied to a team until matched, so they are
counted for the whole organisation.

One module per topic, in the order the dashboard shows them:

* ``base``         — filters, figure, chart, dashboard; number formatting and the unit filter;
* ``individual``   — engagements, goal ratings, contacts, closures and closing words (service data);
* ``service``      — people reached, referrals and waiting, accompaniments (service data);
* ``signals``      — signals to management (service level, from co-creation);
* ``organisation`` — initiatives, proposals, boards and committees (from co-creation);
* ``pulse_trend``  — the pulse survey's results and trend;
* ``audience``     — what peer workers see of it: service and organisation levels, small cells withheld.
"""

from __future__ import annotations

from .. import sources
from . import audience, individual, organisation, pulse_trend, service, signals
from .base import LEVELS, Chart, Dashboard, Figure, Filters
from .pulse_trend import pulse_chart

__all__ = ["LEVELS", "Chart", "Dashboard", "Figure", "Filters", "audience", "build", "pulse_chart"]


def build(f: Filters) -> Dashboard:
    d = Dashboard(f)
    individual.add(d, f)
    service.add(d, f)
    signals.add(d, f)
    organisation.add(d, f)
    pulse_trend.add(d, f)
    d.readiness = sources.readiness_trend(f.organisation_id, f.unit_id)
    return d
