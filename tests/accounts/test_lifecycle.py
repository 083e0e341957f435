"""The administrator's part in a person's working life: edit, roles, switch off, reset two-step sign-in."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from peerwork.accounts import services
from peerwork.accounts.models import ApiToken, Membership, User
from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from peerwork.service.models import Engagement, ServiceUser

from ..factories import PASSWORD


def _page(world, user: User, data: dict[str, object] | None = None, client: Client | None = None):
    client = client or world.client(Role.ADMINISTRATOR)
    url = f"/account/people/{user.pk}/"
    return client.post(url, data, follow=True) if data is not None else client.get(url)


def test_the_administrator_edits_name_and_e_mail(world):
    person = world.users[Role.PEER_WORKER]
    response = _page(
        world, person, {"action": "edit", "edit-first_name": "Ola", "edit-last_name": "Hansen", "edit-email": "o@h.no"}
    )
    assert "The name and e-mail are saved." in response.content.decode()
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.email) == ("Ola", "Hansen", "o@h.no")
    entry = AuditEntry.objects.get(action="update", object_type="accounts.user", object_id=str(person.pk))
    assert entry.detail == Detail("account_fields", fields=["first_name", "last_name", "email"]).stored


def test_form_and_service_refuse_a_bad_address_alike_and_save_nothing(world):
    person = world.users[Role.PEER_WORKER]
    before = person.email
    body = _page(
        world, person, {"action": "edit", "edit-first_name": "Ola", "edit-last_name": "H", "edit-email": "nope"}
    ).content.decode()
    assert "There is a problem" in body and "Enter a valid email address." in body
    with pytest.raises(Exception, match="valid email"):
        services.edit_person(
            world.actor(Role.ADMINISTRATOR), user_id=person.pk, first_name="Ola", last_name="H", email="nope"
        )
    person.refresh_from_db()
    assert person.email == before and person.first_name != "Ola"


def test_roles_are_added_and_removed_but_the_last_administrator_stays(world):
    person = world.users[Role.PEER_WORKER]
    _page(world, person, {"action": "add_role", "role-role": Role.SENIOR_PEER_WORKER, "role-unit": world.team.pk})
    added = Membership.objects.get(user=person, role=Role.SENIOR_PEER_WORKER)
    assert added.unit_id == world.team.pk
    _page(world, person, {"action": "remove_role", "membership": added.pk})
    assert not Membership.objects.filter(pk=added.pk).exists()
    only = Membership.objects.get(user=person)
    body = _page(world, person, {"action": "remove_role", "membership": only.pk}).content.decode()
    assert "This is the person&#x27;s only role here. To end their access, switch them off." in body
    admin = world.users[Role.ADMINISTRATOR]
    services.add_role(world.actor(Role.ADMINISTRATOR), user_id=admin.pk, role=Role.MANAGER, unit=None)
    admin_role = Membership.objects.get(user=admin, role=Role.ADMINISTRATOR)
    body = _page(world, admin, {"action": "remove_role", "membership": admin_role.pk}).content.decode()
    assert "Every organisation keeps at least one administrator" in body
    assert Membership.objects.filter(pk=admin_role.pk).exists()


def test_switching_off_ends_live_sessions_and_tokens_at_once(world):
    person = world.users[Role.PROFESSIONAL]
    browser = world.client(Role.PROFESSIONAL)
    assert browser.get("/").status_code == 200
    _token, secret = services.create_api_token(world.actor(Role.PROFESSIONAL), name="integration")
    api = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert Client().get("/api/me", **api).status_code == 200

    response = _page(world, person, {"action": "deactivate"})
    assert "signed out everywhere" in response.content.decode()

    person.refresh_from_db()
    assert not person.is_active
    assert browser.get("/").status_code == 302  # the live session is gone: back to sign-in
    assert Client().get("/api/me", **api).status_code == 401
    assert not ApiToken.objects.filter(user=person, revoked_at__isnull=True).exists()
    assert not any(s.get_decoded().get("_auth_user_id") == str(person.pk) for s in Session.objects.all())
    entry = AuditEntry.objects.get(action="security", object_type="accounts.user", object_id=str(person.pk))
    assert entry.detail == Detail("switched_off", sessions=1, tokens=1).stored
    # Password sign-in is refused too, and switching back on restores it.
    refused = Client().post("/account/sign-in/", {"username": person.username, "password": PASSWORD})
    assert refused.status_code == 200 and "_auth_user_id" not in refused.wsgi_request.session
    _page(world, person, {"action": "reactivate"})
    person.refresh_from_db()
    assert person.is_active
    accepted = Client().post("/account/sign-in/", {"username": person.username, "password": PASSWORD})
    assert accepted.status_code == 302


def test_a_peer_worker_with_open_engagements_is_switched_off_at_once_and_the_work_listed(world):
    person = world.users[Role.PEER_WORKER]
    browser = world.client(Role.PEER_WORKER)
    # a name no generated staff member can have, so the page is searched for this person only
    someone = ServiceUser.objects.create(organisation=world.org, chosen_name="Quillona", birth_year=1990)
    engagement = Engagement.objects.create(
        organisation=world.org,
        service_user=someone,
        peer_worker=person,
        started_on=date(2025, 3, 3),
        planned_end_on=date(2026, 12, 31),
    )
    response = _page(world, person, {"action": "deactivate"})
    body = response.content.decode()
    assert "signed out everywhere" in body
    assert "1 open engagement is waiting for a programme coordinator to hand it over" in body
    assert "Quillona" not in body  # the administrator sees no names of the people supported
    person.refresh_from_db()
    assert not person.is_active
    assert browser.get("/").status_code == 302
    engagement.refresh_from_db()
    assert engagement.closed_on is None and engagement.new_peer_worker_needed_since is not None


def test_nobody_switches_themselves_off(world):
    admin = world.users[Role.ADMINISTRATOR]
    body = _page(world, admin, {"action": "deactivate"}).content.decode()
    assert "You cannot switch off your own account" in body
    admin.refresh_from_db()
    assert admin.is_active


def test_resetting_two_step_sign_in_tells_the_person_and_signs_them_out(world):
    person = world.users[Role.MANAGER]
    browser = world.client(Role.MANAGER)
    services.new_recovery_codes(person, via="test")
    response = _page(world, person, {"action": "reset_two_step"})
    assert "the person is told by e-mail" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    assert browser.get("/").status_code == 302
    assert mail.outbox[-1].to == [person.email]
    assert "reset your two-step sign-in" in mail.outbox[-1].body
    assert AuditEntry.objects.filter(
        action="security", object_id=str(person.pk), detail=Detail("two_factor_reset", sessions=1).stored
    ).exists()


def test_a_person_of_another_organisation_is_not_found(world, other_world):
    stranger = other_world.users[Role.PEER_WORKER]
    admin = world.client(Role.ADMINISTRATOR)
    assert admin.get(f"/account/people/{stranger.pk}/").status_code == 404
    assert admin.post(f"/account/people/{stranger.pk}/", {"action": "deactivate"}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active
    assert world.client(Role.MANAGER).get(f"/account/people/{stranger.pk}/").status_code == 403


def test_the_person_page_has_a_query_budget(world, django_assert_max_num_queries):
    admin = world.client(Role.ADMINISTRATOR)
    with django_assert_max_num_queries(25):
        assert admin.get(f"/account/people/{world.users[Role.PEER_WORKER].pk}/").status_code == 200
