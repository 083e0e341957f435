"""The language a person chooses is kept with their account: every sign-in, every page and every e-mail."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from peerwork.accounts import services
from peerwork.accounts.models import User
from peerwork.core.roles import Role
from tests.factories import PASSWORD


def _sign_in(user: User, *, check_lang: str = "") -> Client:
    """The real sign-in: password, then the two-step code, in a browser with no cookie from before."""
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    client.cookies.pop("django_language", None)
    if check_lang:  # the two-step page, the first page after the password, is already in their language
        assert f'<html lang="{check_lang}">' in client.get(reverse("accounts:otp_verify")).content.decode()
    device = user.totpdevice_set.get()
    device.last_t = -1  # a second sign-in within the same 30 seconds may use the same code
    device.save(update_fields=["last_t"])
    code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    client.post(reverse("accounts:otp_verify"), {"token": code, "next": "/"})
    return client


def test_a_danish_professional_signing_in_again_gets_danish(world):
    user = world.users[Role.PROFESSIONAL]
    first = _sign_in(user)
    assert '<html lang="en">' in first.get("/").content.decode()
    first.post(reverse("set_language"), {"language": "da", "next": "/"})
    user.refresh_from_db()
    assert user.language == "da"

    again = _sign_in(user, check_lang="da")  # another day, another browser: no language cookie
    assert '<html lang="da">' in again.get("/").content.decode()


def test_the_stored_language_wins_over_the_browser_and_applies_to_the_questionnaire(world):
    user = world.users[Role.PEER_WORKER]
    services.set_language(user, "nb")
    client = world.client(Role.PEER_WORKER)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("readiness:my_rounds"), HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert '<html lang="nb">' in page


def test_an_anonymous_visitor_keeps_the_cookie_only(world):
    client = Client()
    client.post(reverse("set_language"), {"language": "nb", "next": "/"})
    assert client.cookies["django_language"].value == "nb"
    assert '<html lang="nb">' in client.get(reverse("accounts:login")).content.decode()
    assert not User.objects.exclude(language="").exists()
