"""The role card of a position: built from its job description and role form, shown to the professionals of
that team and in the team's briefing pack."""

from __future__ import annotations

import pytest
from django.urls import reverse

from peerwork.accounts.models import User
from peerwork.core.roles import Role
from peerwork.demo.seed import DK_SLUG, NO_SLUG, seed_demo
from peerwork.organisations.models import Organisation, Position
from peerwork.readiness import services
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db

NO_FILE = "Does not read or write in the client file"
USES_FILE = "Uses the client file, like the other care providers in the team"


def _describe(world, role_form: str, *, tasks: str = "Walks with people to their first meetings.") -> None:
    manager = world.actor(Role.MANAGER)
    version = services.save_job_description(
        manager,
        job_description_id=None,
        title="Peer worker",
        role_form=role_form,
        role_type="peer_support",
        core_tasks=["individual"],
        tasks=tasks,
        demarcation="Closes gaps between the person and the service.",
        hours_per_week="20",
        reporting_line="Leader of the peer team",
        supervision="Every third week with a senior peer worker.",
        does_not_do="No coercive measures.",
    )
    services.attach_job_description(manager, version_id=version.pk, position_ids=[world.positions[0].pk])


def _home(world) -> str:
    return world.client(Role.PROFESSIONAL).get("/").content.decode()


@pytest.mark.parametrize(
    ("role_form", "shown", "not_shown"),
    [(Position.RoleForm.PEER_TEAM, NO_FILE, USES_FILE), (Position.RoleForm.CARE_PROVIDER, USES_FILE, NO_FILE)],
)
def test_the_card_says_what_follows_from_the_role_form(world, role_form, shown, not_shown):
    _describe(world, role_form)
    services.save_orientation(
        world.actor(Role.MANAGER),
        position_id=world.positions[0].pk,
        training="Two-year course in using lived experience at work.",
    )
    body = _home(world)
    assert str(world.users[Role.PEER_WORKER]) in body
    assert "Walks with people to their first meetings." in body
    assert "Every third week with a senior peer worker." in body
    assert "Two-year course in using lived experience at work." in body
    assert "Leader of the peer team" in body  # whom to ask
    assert shown in body and not_shown not in body
    assert "No access to clinical files" not in body, "the generic text is gone"


def test_without_a_job_description_the_card_says_so(world):
    body = _home(world)
    assert str(world.users[Role.PEER_WORKER]) in body
    assert "No job description is attached to this position yet" in body
    assert NO_FILE in body  # the position's own role form still speaks


def test_a_professional_sees_only_their_own_teams_cards(world):
    world.positions[0].unit = world.other_team
    world.positions[0].save()
    body = _home(world)
    assert str(world.users[Role.PEER_WORKER]) not in body
    assert "No peer worker is placed in your team yet." in body


def test_the_briefing_pack_holds_the_teams_cards(world, django_assert_max_num_queries):
    _describe(world, Position.RoleForm.CARE_PROVIDER, tasks="Joins the morning meeting.")
    url = reverse("readiness:briefing_pack", args=[world.team.pk])
    client = world.client(Role.MANAGER)
    client.get(url)
    with django_assert_max_num_queries(20):
        body = client.get(url).content.decode()
    assert "Joins the morning meeting." in body and USES_FILE in body
    assert world.client(Role.PROFESSIONAL).get(url).status_code == 403
    assert (
        reverse("readiness:briefing_pack", args=[world.team.pk])
        in client.get(reverse("readiness:briefings")).content.decode()
    )


def test_the_briefing_pack_of_another_organisation_is_not_found(world, other_world):
    url = reverse("readiness:briefing_pack", args=[other_world.team.pk])
    assert world.client(Role.MANAGER).get(url).status_code == 404


@pytest.mark.parametrize(
    ("slug", "username", "shown"),
    [(DK_SLUG, "dk-professional", USES_FILE), (NO_SLUG, "professional", USES_FILE)],
)
def test_demo_professionals_see_their_teams_role_card(slug, username, shown):
    seed_demo()
    user = User.objects.get(username=username)
    org = Organisation.objects.get(slug=slug)
    holder = Position.objects.get(organisation=org, unit__memberships__user=user, holder__isnull=False).holder
    body = verified_client(user).get("/").content.decode()
    assert str(holder) in body and shown in body
    assert "No job description is attached" not in body
