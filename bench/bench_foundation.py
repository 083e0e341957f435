"""Home pages for each role at demo scale and at national scale, against the signed-in floor (an empty page)."""

from __future__ import annotations

import time

from _harness import SCALE, client_for, floor, measure, migrate, report

from peerwork.accounts.models import Membership, User
from peerwork.core.roles import Role
from peerwork.demo.generate import SCALES, generate
from peerwork.demo.seed import seed_demo

ROLES = [
    Role.COORDINATOR,
    Role.PEER_WORKER,
    Role.SENIOR_PEER_WORKER,
    Role.MANAGER,
    Role.PROFESSIONAL,
    Role.DPO,
    Role.ADMINISTRATOR,
]


def home_rows(users: dict[str, User]) -> list[tuple[str, float, int]]:
    rows = []
    for role in ROLES:
        if role in users:
            ms, queries = measure(client_for(users[role]), "/")
            rows.append((f"home: {Role(role).label}", ms, queries))
    return rows


def main() -> None:
    migrate()
    seed_demo()
    demo_users = {
        role: User.objects.get(username=name)
        for role, name in [
            (Role.COORDINATOR, "coordinator"),
            (Role.PEER_WORKER, "peerworker"),
            (Role.SENIOR_PEER_WORKER, "senior"),
            (Role.MANAGER, "manager"),
            (Role.PROFESSIONAL, "professional"),
            (Role.DPO, "dpo"),
            (Role.ADMINISTRATOR, "admin"),
        ]
    }
    report("Demo scale", home_rows(demo_users), floor(client_for(demo_users[Role.COORDINATOR])))

    sizes = SCALES[SCALE]
    t = time.perf_counter()
    generated = generate(**sizes)
    print(f"\nGenerated the {SCALE} data set ({sizes}) in {time.perf_counter() - t:.0f} s")
    org = generated.organisations[0]
    users = {}
    for role in ROLES:
        m = Membership.objects.filter(organisation=org, role=role).select_related("user").first()
        if m:
            users[role] = m.user
    floor_ms = floor(client_for(users[Role.COORDINATOR]))
    report(f"{SCALE.capitalize()} scale (one organisation among {sizes['organisations']})", home_rows(users), floor_ms)


if __name__ == "__main__":
    main()
