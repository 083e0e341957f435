from __future__ import annotations

from django.core import mail
from django_tasks_db.models import DBTaskResult

from peerwork.accounts.models import Membership, User
from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role

NEW = {
    "first_name": "Kari",
    "last_name": "Nordmann",
    "username": "kari-n",
    "email": "kari@example.invalid",
    "role": Role.PEER_WORKER,
}


def test_administrator_adds_a_person_who_gets_a_link_to_choose_a_password(world):
    client = world.client(Role.ADMINISTRATOR)
    response = client.post("/account/people/", {**NEW, "unit": world.team.pk})
    assert response.status_code == 302
    user = User.objects.get(username="kari-n")
    assert not user.has_usable_password()
    m = Membership.objects.get(user=user)
    assert (m.organisation_id, m.role, m.unit_id) == (world.org.pk, Role.PEER_WORKER, world.team.pk)
    # The welcome e-mail is a background job (tests/accounts/test_welcome.py sends it through the worker).
    assert mail.outbox == []
    queued = DBTaskResult.objects.get(task_path="peerwork.accounts.tasks.welcome")
    assert queued.args_kwargs["kwargs"]["user_id"] == user.pk
    assert AuditEntry.objects.filter(object_type="accounts.membership", object_id=str(m.pk), action="create").exists()


def test_a_user_name_from_another_organisation_is_not_revealed(world, other_world):
    taken = other_world.users[Role.MANAGER].username
    body = world.client(Role.ADMINISTRATOR).post("/account/people/", {**NEW, "username": taken}).content.decode()
    assert "This user name is taken" in body
    assert other_world.org.name not in body
    assert not Membership.objects.filter(organisation=world.org, user__username=taken).exists()


def test_bad_input_is_explained_and_nothing_is_saved(world):
    body = (
        world.client(Role.ADMINISTRATOR)
        .post("/account/people/", {**NEW, "email": "not-an-address", "role": "king"})
        .content.decode()
    )
    assert "There is a problem" in body
    assert not User.objects.filter(username="kari-n").exists()


def test_a_team_of_another_organisation_is_refused(world, other_world):
    world.client(Role.ADMINISTRATOR).post("/account/people/", {**NEW, "unit": other_world.team.pk})
    assert not User.objects.filter(username="kari-n").exists()


def test_managers_see_people_but_cannot_add(world):
    client = world.client(Role.MANAGER)
    body = client.get("/account/people/").content.decode()
    assert str(world.users[Role.PEER_WORKER]) in body and "Add a person" not in body
    assert client.post("/account/people/", NEW).status_code == 403
    assert world.client(Role.PEER_WORKER).get("/account/people/").status_code == 403


def test_switching_organisation_only_to_ones_own(world, other_world):
    user = world.users[Role.MANAGER]
    Membership.objects.create(organisation=other_world.org, user=user, role=Role.DPO)
    client = world.client(Role.MANAGER)
    assert other_world.org.name in client.get("/").content.decode()  # the switcher lists both
    client.post("/account/organisation/", {"organisation": other_world.org.pk})
    body = client.get("/").content.decode()
    assert 'id="section-dpo"' in body and 'id="section-manager"' not in body
    stranger = world.client(Role.PEER_WORKER)
    stranger.post("/account/organisation/", {"organisation": other_world.org.pk})
    assert 'id="section-peer_worker"' in stranger.get("/").content.decode()
