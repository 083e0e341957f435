"""A peer worker's lived experience and declared acquaintances: only the peer worker and the programme
coordinators of their organisation see them, and every read is audited with the peer worker as subject.

Proven twice: through the selector other parts call, and through every page and API route there is —
each role opens every route with the ids that could lead to the profile, and the profile's own words
appear only for the peer worker and coordinators, never without an audit entry naming the peer worker.
New pages are covered as they appear.
"""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.utils import timezone

from peerwork.accounts import services as account_services
from peerwork.audit import matrix
from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.privacy import selectors
from peerwork.service.models import DeclaredConflict, PeerWorkerProfile
from tests.conftest import actor_for, verified_client

from .helpers import engage, person

MARKERS = ("Markerbackground", "Markerinterest")
CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


@pytest.fixture
def profile(world):
    pw = world.users[Role.PEER_WORKER]
    found = PeerWorkerProfile.objects.create(
        organisation=world.org,
        user=pw,
        experience_kinds=["substance_use"],
        services_used=["substitution"],
        background=[MARKERS[0]],
        interests=[MARKERS[1]],
    )
    known = person(world, "Known Privately")
    DeclaredConflict.objects.create(
        organisation=world.org, profile=found, service_user=known, declared_on=timezone.localdate()
    )
    return found


def test_the_selector_lets_only_the_peer_worker_and_coordinators_read(world, other_world, profile):
    pw = world.users[Role.PEER_WORKER]
    for role in (Role.PEER_WORKER, Role.COORDINATOR):
        seen = selectors.lived_experience(world.actor(role), pw.pk)
        assert seen.profile == profile and [c.service_user.chosen_name for c in seen.conflicts] == ["Known Privately"]
        entry = AuditEntry.objects.latest("id")
        assert (entry.action, entry.subject_type, entry.subject_id, entry.role) == (
            "read",
            "accounts.user",
            str(pw.pk),
            role,
        )
    for role in (Role.SENIOR_PEER_WORKER, Role.MANAGER, Role.PROFESSIONAL, Role.DPO, Role.ADMINISTRATOR):
        with pytest.raises(PermissionDenied):
            selectors.lived_experience(world.actor(role), pw.pk)
    with pytest.raises(Http404):
        selectors.lived_experience(other_world.actor(Role.COORDINATOR), pw.pk)
    assert AuditEntry.objects.filter(subject_type="accounts.user", subject_id=str(pw.pk)).count() == 2


def test_no_page_or_api_route_shows_lived_experience_to_anyone_else(world, profile, worker_alive):
    pw = world.users[Role.PEER_WORKER]
    supported = person(world, "Supported Person")
    eng = engage(world, supported, pw)
    ids = sorted({str(pw.pk), str(profile.pk), str(supported.pk), str(eng.pk)})
    readers = {Role.PEER_WORKER, Role.COORDINATOR}
    routes = matrix.url_patterns()
    leaks, unaudited, crashes, seen_by = [], [], [], set()
    for role in matrix.ROLES:
        user = world.users[role]
        api = Client(
            HTTP_AUTHORIZATION="Bearer "
            + account_services.create_api_token(actor_for(user, world.org), name="t", valid_days=1)[1]
        )
        for name, route in sorted(routes.items()):
            row = matrix.by_name().get(name)
            if route.startswith(("api/docs", "api/openapi")) or (row and (row.method != "GET" or row.check)):
                continue
            params = CONVERTER.findall(route)
            if len(params) > 1:
                continue
            paths = ["/" + CONVERTER.sub(lambda m, i=i: i, route) for i in ids] if params else ["/" + route]
            for path in paths:
                client = api if route.startswith("api/") else verified_client(user)
                client.raise_request_exception = False
                last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
                response = client.get(path)
                if response.status_code >= 500:
                    crashes.append(f"{path} as {role} crashed ({response.status_code})")
                    continue
                body = response.content.decode("utf-8", "replace")
                if not any(m in body for m in MARKERS):
                    continue
                seen_by.add(role)
                if role not in readers:
                    leaks.append(f"{path} shows lived experience to {role}")
                if not AuditEntry.objects.filter(
                    id__gt=last, action="read", subject_type="accounts.user", subject_id=str(pw.pk)
                ).exists():
                    unaudited.append(f"{path} as {role} shows lived experience without an audit entry")
    assert not leaks, "\n".join(leaks)
    assert not crashes, "\n".join(crashes)
    assert not unaudited, "\n".join(unaudited)
    # The peer recovery service's profile pages (when present) show the profile to its two readers.
    if "service:profile" in routes:
        assert seen_by == readers, f"the profile should be shown to the peer worker and coordinators; seen by {seen_by}"
