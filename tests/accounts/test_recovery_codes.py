"""Recovery codes (django-otp's static device): made once, shown once, kept as digests, each used once."""

from __future__ import annotations

import re

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from peerwork.accounts import services
from peerwork.accounts.models import Membership
from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role

from ..factories import PASSWORD, UserFactory

CODE = re.compile(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>")


def _signed_in_with_password(user) -> Client:
    client = Client()
    assert client.post("/account/sign-in/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def test_setting_up_the_authenticator_shows_an_otpauth_link_and_then_the_codes_once(world):
    user = UserFactory(totp=False)
    Membership.objects.create(organisation=world.org, user=user, role=Role.PROFESSIONAL)
    client = _signed_in_with_password(user)
    body = client.get("/account/two-step/set-up/").content.decode()
    link = re.search(r'href="(otpauth://totp/[^"]+)"', body)
    assert link and "secret=" in link.group(1)
    device = TOTPDevice.objects.get(user=user)
    code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    body = client.post("/account/two-step/set-up/", {"token": code}).content.decode()
    codes = CODE.findall(body)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(stored) == 10 and not stored & {c.replace("-", "") for c in codes} and not stored & set(codes)
    # Shown once: the page afterwards only counts them.
    later = client.get("/account/recovery-codes/").content.decode()
    assert not CODE.findall(later) and "You have 10 unused recovery codes." in later


def test_a_recovery_code_signs_in_once(world):
    user = world.users[Role.MANAGER]
    codes = services.new_recovery_codes(user, via="test")
    client = _signed_in_with_password(user)
    response = client.post("/account/two-step/recovery/", {"code": codes[0].upper().replace("-", " ")}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "You have 9 recovery codes left." in response.content.decode()
    assert AuditEntry.objects.filter(action="sign_in", detail=Detail("recovery_code_accepted").stored).exists()

    again = _signed_in_with_password(user)
    body = again.post("/account/two-step/recovery/", {"code": codes[0]}).content.decode()
    assert "was used already" in body
    assert again.get("/").status_code == 302


def test_new_codes_replace_the_old_ones(world):
    user = world.users[Role.MANAGER]
    old = services.new_recovery_codes(user, via="test")
    client = world.client(Role.MANAGER)
    new = CODE.findall(client.post("/account/recovery-codes/").content.decode())
    assert len(new) == 10
    assert services.use_recovery_code(user, code=new[1], via="test") is not None
    assert services.use_recovery_code(user, code=old[1], via="test") is None
