"""A peer worker's placement declaration: they are asked first, and others see only what they agreed to."""

from __future__ import annotations

import pytest
from django.urls import reverse

from peerwork.accounts import services as account_services
from peerwork.core.roles import Role
from peerwork.readiness import services
from peerwork.readiness.checks import PLACEMENT_READERS
from peerwork.readiness.models import TreatmentHistoryDeclaration
from tests.conftest import actor_for, verified_client

from .helpers import team_with

pytestmark = pytest.mark.django_db

Disclosure = TreatmentHistoryDeclaration.Disclosure


def _placed(world, disclosure: str):
    """A peer worker alone in 'Ward Seven' who named it as a place where they were treated."""
    unit, (p,) = team_with(world, 1, name="Ward Seven")
    services.declare_treatment(actor_for(p.holder, world.org), unit_id=unit.pk, disclosure=disclosure)
    return unit, p


def _checks_section(world, role: str) -> tuple[int, str]:
    response = world.client(role).get(reverse("readiness:checks"))
    body = response.content.decode()
    if response.status_code != 200:
        return response.status_code, ""
    start = body.find('id="check-placement_conflict"')
    if start < 0:  # the page of those who may not read the check has no such section at all
        return 200, ""
    section = body[start:]
    return 200, section[: section.index("</section>")]


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("disclosure", Disclosure.values)
def test_what_each_role_sees_is_what_the_peer_worker_chose(world, role, disclosure):
    unit, p = _placed(world, disclosure)
    status, section = _checks_section(world, role)
    name = str(p.holder)
    if role not in PLACEMENT_READERS:
        assert name not in section and "Ward Seven" not in section
        return
    assert status == 200
    if disclosure == Disclosure.PRIVATE:
        assert "Ward Seven" not in section and name not in section and "none found" in section
    elif disclosure == Disclosure.UNNAMED:
        assert "Ward Seven" in section and name not in section
    else:
        assert "Ward Seven" in section and name in section
    assert "treated" not in section.lower(), "the reason is never shown"


@pytest.mark.parametrize("disclosure", Disclosure.values)
def test_the_api_shows_no_more_than_the_page(world, disclosure):
    unit, p = _placed(world, disclosure)
    _token, secret = account_services.create_api_token(world.actor(Role.MANAGER), name="t", valid_days=1)
    from django.test import Client

    data = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/readiness/checks").json()
    (placement,) = [r for r in data["results"] if r["code"] == "placement_conflict"]
    if disclosure == Disclosure.PRIVATE:
        assert placement["findings"] == []
    elif disclosure == Disclosure.UNNAMED:
        assert [(f["unit_name"], f["person"], f["position_id"]) for f in placement["findings"]] == [
            ("Ward Seven", "", None)
        ]
    else:
        assert [(f["person"], f["position_id"]) for f in placement["findings"]] == [(str(p.holder), p.pk)]


def test_two_unnamed_peer_workers_in_one_team_make_one_line(world):
    unit, (p, q) = team_with(world, 2, name="Ward Eight")
    for pos in (p, q):
        services.declare_treatment(actor_for(pos.holder, world.org), unit_id=unit.pk, disclosure=Disclosure.UNNAMED)
    status, section = _checks_section(world, Role.MANAGER)
    assert "1 found" in section and str(p.holder) not in section and str(q.holder) not in section


def test_the_peer_worker_is_asked_first_on_their_home_page(world):
    unit, p = _placed(world, Disclosure.PRIVATE)
    client = verified_client(p.holder)
    home = client.get("/").content.decode()
    assert "A placement only you know about" in home and "Ward Seven" in home
    page = client.get(reverse("readiness:my_placement")).content.decode()
    # The page names exactly the roles that see the check, and the words they see.
    for role in PLACEMENT_READERS:
        assert str(Role(role).label) in page
    assert "A placement to talk about" in page
    assert "You are the only peer worker in this team" in page
    declaration = TreatmentHistoryDeclaration.objects.get(peer_worker=p.holder)
    response = client.post(
        reverse("readiness:declaration_disclosure", args=[declaration.pk]), {f"d{declaration.pk}-disclosure": "unnamed"}
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.disclosure == Disclosure.UNNAMED
    assert "A placement only you know about" not in client.get("/").content.decode()
    page = client.get(reverse("readiness:my_placement")).content.decode()
    assert "without your name" in page and "even without your name they can tell it is about you" in page


def test_no_one_else_can_change_what_is_shared(world):
    unit, p = _placed(world, Disclosure.PRIVATE)
    declaration = TreatmentHistoryDeclaration.objects.get(peer_worker=p.holder)
    for role in (Role.PEER_WORKER, Role.MANAGER):
        response = world.client(role).post(
            reverse("readiness:declaration_disclosure", args=[declaration.pk]),
            {f"d{declaration.pk}-disclosure": "named"},
        )
        assert response.status_code == 403
    declaration.refresh_from_db()
    assert declaration.disclosure == Disclosure.PRIVATE


def test_a_new_declaration_is_private_unless_chosen(world):
    peer = world.client(Role.PEER_WORKER)
    assert (
        peer.post(reverse("readiness:my_placement"), {"unit": world.other_team.pk, "disclosure": "private"}).status_code
        == 302
    )
    assert TreatmentHistoryDeclaration.objects.get().disclosure == Disclosure.PRIVATE
    body = peer.post(
        reverse("readiness:my_placement"), {"unit": world.other_team.pk, "disclosure": "shout"}
    ).content.decode()
    assert "Select a valid choice" in body
    assert TreatmentHistoryDeclaration.objects.get().disclosure == Disclosure.PRIVATE
