"""Demo data for the peer recovery service (filled in below)."""

from __future__ import annotations

import random

from peerwork.organisations.models import Organisation


def seed(no_org: Organisation, dk_org: Organisation, rng: random.Random) -> None:
    return None
