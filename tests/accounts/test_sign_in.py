from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from peerwork.accounts.middleware import SESSION_SEEN_KEY
from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role
from tests.factories import PASSWORD, UserFactory


def code_for(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_password_then_code_reaches_home(world):
    user = world.users[Role.COORDINATOR]
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    response = client.get("/")
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    device = user.totpdevice_set.get()
    response = client.post(reverse("accounts:otp_verify"), {"token": code_for(device), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    actions = list(AuditEntry.objects.filter(actor=user).values_list("action", flat=True))
    assert actions.count("sign_in") == 2  # password, then code


def test_wrong_code_says_how_to_fix_it(world):
    user = world.users[Role.COORDINATOR]
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    body = client.post(reverse("accounts:otp_verify"), {"token": "000000"}).content.decode()
    assert "There is a problem" in body
    assert "Codes change every 30 seconds" in body or "Too many wrong codes" in body
    assert client.get("/").status_code == 302


def test_letters_in_the_code_are_refused_with_a_message(world):
    user = world.users[Role.COORDINATOR]
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    body = client.post(reverse("accounts:otp_verify"), {"token": "12a456"}).content.decode()
    assert "only digits" in body


def test_a_new_person_enrols_an_authenticator_before_seeing_anything(world):
    user = UserFactory(totp=False)
    TOTPDevice.objects.filter(user=user).delete()
    world.org  # noqa: B018
    from peerwork.accounts.models import Membership

    Membership.objects.create(organisation=world.org, user=user, role=Role.PEER_WORKER)
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    response = client.get("/")
    assert response["Location"].startswith(reverse("accounts:otp_setup"))
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page  # the QR code
    secret = re.search(r'class="secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    import base64

    assert base64.b32decode(secret) == device.bin_key
    response = client.post(reverse("accounts:otp_setup"), {"token": code_for(device), "next": "/"})
    assert response.status_code == 200 and "shown only this once" in response.content.decode()  # recovery codes
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_five_failures_lock_the_account_for_a_while(world):
    user = world.users[Role.MANAGER]
    client = Client()
    for _ in range(5):
        response = client.post(reverse("accounts:login"), {"username": user.username, "password": "wrong-password"})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    # Even the right password is refused while locked.
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert AuditEntry.objects.filter(action="sign_in_failed").count() >= 5


def test_wrong_password_message_explains_lockout(world):
    body = Client().post(reverse("accounts:login"), {"username": "nobody", "password": "x"}).content.decode()
    assert "after five failed attempts" in body
    assert 'class="error-summary"' in body


def test_password_reset_sends_a_link_that_sets_a_new_password(world):
    user = world.users[Role.PEER_WORKER]
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/account/password/reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    new = "a-brand-new-password-42"
    response = client.post(response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_unknown_email_gets_the_same_answer(db):
    response = Client().post(reverse("accounts:password_reset"), {"email": "nobody@example.invalid"})
    assert response.status_code == 302
    assert len(mail.outbox) == 0


def test_sign_out_needs_post_and_ends_the_session(world):
    client = world.client(Role.MANAGER)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert client.get("/").status_code == 302


def _session_writes(client: Client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in ctx.captured_queries if re.match(r'(UPDATE|INSERT INTO) "django_session"', q["sql"])]


def _back_in_time(client: Client, seconds: int) -> None:
    """Move the stored session ``seconds`` into the past: its idle stamp and its expiry, as they would be had
    the last write happened that long ago."""
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    store = SessionStore(session_key=key)
    data = store.load()
    data[SESSION_SEEN_KEY] -= seconds
    expiry = Session.objects.get(session_key=key).expire_date - timedelta(seconds=seconds)
    Session.objects.filter(session_key=key).update(session_data=store.encode(data), expire_date=expiry)


def test_a_page_read_within_a_minute_does_not_write_the_session(world):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and not settings.SESSION_SAVE_EVERY_REQUEST
    client = world.client(Role.COORDINATOR)
    client.get("/")  # the first page after sign-in stamps the session
    assert _session_writes(client, "/") == []
    assert _session_writes(client, "/") == []
    _back_in_time(client, 61)  # the stamp is older than a minute: the next page keeps the session alive
    assert len(_session_writes(client, "/")) == 1
    assert _session_writes(client, "/") == []


def test_a_signed_in_page_reads_the_session_user_device_and_roles_once(world):
    client = world.client(Role.COORDINATOR)
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    tables = ("django_session", "accounts_user", "otp_totp_totpdevice", "accounts_membership")
    reads = {t: 0 for t in tables}
    for q in ctx.captured_queries:
        main = re.match(r'\s*SELECT .*? FROM "(\w+)"', q["sql"])
        if main and main.group(1) in reads:
            reads[main.group(1)] += 1
    assert reads == dict.fromkeys(tables, 1)
    writes = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]
    assert not [sql for sql in writes if "django_session" in sql]


def test_sessions_end_after_thirty_minutes_idle(world):
    client = world.client(Role.COORDINATOR)
    client.get("/")
    _back_in_time(client, 29 * 60)  # 29 minutes idle: still signed in, and kept alive again
    assert client.get("/").status_code == 200
    _back_in_time(client, 30 * 60 + 1)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_passwords_are_hashed_with_argon2(world):
    assert world.users[Role.MANAGER].password.startswith("argon2")


@pytest.mark.parametrize("path", ["/", "/organisation/", "/account/tokens/", "/privacy/audit/"])
def test_pages_are_closed_to_anonymous_visitors(client, db, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
