"""Organisation sign-in end to end, against a real OpenID provider (django-oauth-toolkit) in its own process.

Peerwork is driven with Django's test client; the person's browser at the provider is a ``requests`` session;
Peerwork itself calls the provider's token, userinfo and JWKS endpoints over real HTTP.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from django.core import mail
from django.test import Client

from peerwork.accounts import oidc, services
from peerwork.accounts.models import OidcIdentity
from peerwork.audit.details import Detail
from peerwork.audit.models import AuditEntry
from peerwork.core.roles import Role

from . import oidc_provider

CALLBACK = "http://testserver/account/organisation-sign-in/callback/"
CLIENTS = [
    {"client_id": "peerwork-alpha", "client_secret": "alpha-secret-for-tests", "redirect_uri": CALLBACK},
    {"client_id": "peerwork-beta", "client_secret": "beta-secret-for-tests", "redirect_uri": CALLBACK},
]


@pytest.fixture(scope="session")
def op() -> Iterator[str]:
    """The provider's base address; its issuer is ``<op>/o``."""
    with oidc_provider.running(CLIENTS) as base:
        yield base


def configure(settings, op: str, *, mfa: str = "trusted") -> None:
    settings.PEERWORK_OIDC = json.dumps(
        [
            {
                "id": "alpha",
                "organisation": "alpha-service",
                "issuer": f"{op}/o",
                "client_id": "peerwork-alpha",
                "client_secret": "alpha-secret-for-tests",
                "mfa": mfa,
            },
            {
                "id": "beta",
                "organisation": "beta-service",
                "label": "Beta region",
                "issuer": f"{op}/o",
                "client_id": "peerwork-beta",
                "client_secret": "beta-secret-for-tests",
                "mfa": mfa,
            },
        ]
    )


def sign_in(client: Client, op: str, provider_id: str, username: str):
    """Press "Sign in with …", sign in at the provider as ``username``, and follow every redirect: the
    provider's through real HTTP, Peerwork's through the test client. The last Peerwork page answers."""
    response = client.get(f"/account/organisation-sign-in/{provider_id}/")
    location = response["Location"]
    assert location.startswith(f"{op}/o/authorize/"), location
    browser = requests.Session()
    location = browser.get(
        f"{op}/login/", params={"username": username, "next": location[len(op) :]}, allow_redirects=False, timeout=10
    ).headers["Location"]
    while not location.startswith("http://testserver/"):
        location = browser.get(
            location if location.startswith("http") else op + location, allow_redirects=False, timeout=10
        ).headers["Location"]
    parts = urlsplit(location)
    return client.get(f"{parts.path}?{parts.query}", follow=True)


def page(response) -> str:
    return response.content.decode()


def test_the_sign_in_page_offers_each_organisation(world, other_world, settings, op):
    configure(settings, op)
    body = page(Client().get("/account/sign-in/"))
    assert "Sign in with Alpha service" in body and "Sign in with Beta region" in body


def test_an_invitation_binds_the_subject_and_a_trusted_second_factor_signs_in(world, settings, op):
    configure(settings, op)
    person = world.users[Role.PEER_WORKER]
    admin = world.client(Role.ADMINISTRATOR)
    assert admin.post(f"/account/people/{person.pk}/", {"action": "invite"}).status_code == 302
    link = re.search(r"http://testserver(/account/organisation-sign-in/invitation/\S+/)", mail.outbox[-1].body)
    assert link and mail.outbox[-1].to == [person.email]

    browser = Client()
    assert "Sign in with Alpha service" in page(browser.get(link.group(1)))
    response = sign_in(browser, op, "alpha", "ola-mfa")
    assert response.redirect_chain[-1][0] == "/"  # home, with no two-step page in between
    assert 'id="section-peer_worker"' in page(response)
    identity = OidcIdentity.objects.get(user=person)
    assert (identity.organisation_id, identity.issuer, identity.subject) == (
        world.org.pk,
        f"{op}/o",
        oidc_provider.subject_at(op, "ola-mfa"),
    )
    assert AuditEntry.objects.filter(detail=Detail("org_sign_in_bound").stored, actor=person).exists()

    # Later sign-ins need no invitation; the invitation cannot bind a second account.
    again = Client()
    assert 'id="section-peer_worker"' in page(sign_in(again, op, "alpha", "ola-mfa"))
    reused = Client()
    reused.get(link.group(1))
    assert "already linked" in page(sign_in(reused, op, "alpha", "someone-else-mfa"))
    assert OidcIdentity.objects.filter(user=person).count() == 1


def test_an_unknown_subject_is_refused_with_what_to_do(world, settings, op):
    configure(settings, op)
    browser = Client()
    response = sign_in(browser, op, "alpha", "stranger-mfa")
    body = page(response)
    assert response.redirect_chain[-1][0] == "/account/sign-in/"
    assert "is not linked to anyone in Peerwork. Ask your administrator for an invitation" in body
    assert "_auth_user_id" not in browser.session
    assert not OidcIdentity.objects.exists()


def test_a_subject_of_another_organisation_is_refused(world, other_world, settings, op):
    configure(settings, op)
    services.bind_subject(
        other_world.actor(Role.ADMINISTRATOR),
        user_id=other_world.users[Role.PEER_WORKER].pk,
        provider_id="beta",
        subject=oidc_provider.subject_at(op, "beta-worker-mfa"),
    )
    # Alpha's administrator invited their own peer worker, but this account belongs to Beta's.
    browser = Client()
    response = sign_in(browser, op, "alpha", "beta-worker-mfa")
    assert "is linked to a person in another organisation" in page(response)
    assert "_auth_user_id" not in browser.session
    # Through Beta's own button it works.
    assert 'id="section-peer_worker"' in page(sign_in(Client(), op, "beta", "beta-worker-mfa"))


def test_an_invitation_of_another_organisation_binds_nothing(world, other_world, settings, op):
    configure(settings, op)
    invitation = oidc.make_invitation(world.users[Role.PEER_WORKER].pk, world.org.pk)
    browser = Client()
    browser.get(f"/account/organisation-sign-in/invitation/{invitation}/")
    assert "invitation you opened is for another organisation" in page(sign_in(browser, op, "beta", "x-mfa"))
    assert not OidcIdentity.objects.exists()


@pytest.mark.parametrize(("mfa", "username"), [("totp", "kari-mfa"), ("trusted", "kari")])
def test_peerworks_own_code_is_still_asked_when_the_second_factor_is_not_trusted(world, settings, op, mfa, username):
    configure(settings, op, mfa=mfa)
    person = world.users[Role.COORDINATOR]
    services.bind_subject(
        world.actor(Role.ADMINISTRATOR),
        user_id=person.pk,
        provider_id="alpha",
        subject=oidc_provider.subject_at(op, username),
    )
    browser = Client()
    response = sign_in(browser, op, "alpha", username)
    assert response.redirect_chain[-1][0].startswith("/account/two-step/")
    assert browser.session["_auth_user_id"] == str(person.pk)
    assert browser.get("/").status_code == 302  # nothing opens before the code


def test_a_switched_off_person_cannot_sign_in_with_their_organisation(world, settings, op):
    configure(settings, op)
    person = world.users[Role.PROFESSIONAL]
    services.bind_subject(
        world.actor(Role.ADMINISTRATOR),
        user_id=person.pk,
        provider_id="alpha",
        subject=oidc_provider.subject_at(op, "pro-mfa"),
    )
    services.deactivate_person(world.actor(Role.ADMINISTRATOR), user_id=person.pk)
    assert "This account is switched off" in page(sign_in(Client(), op, "alpha", "pro-mfa"))


def test_an_unreachable_provider_is_explained(world, settings):
    settings.PEERWORK_OIDC = json.dumps(
        [
            {
                "id": "gone",
                "organisation": "alpha-service",
                "issuer": "http://127.0.0.1:9/o",
                "client_id": "x",
                "client_secret": "y",
            }
        ]
    )
    response = Client().get("/account/organisation-sign-in/gone/", follow=True)
    assert "sign-in service cannot be reached just now" in page(response)


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("{", "not valid JSON"),
        ('[{"id": "a", "organisation": "o", "issuer": "https://x"}]', '"client_id" is missing'),
        ('[{"id": "a", "organisation": "o", "issuer": "https://x", "client_id": "c"}]', "client_secret_env"),
        (
            '[{"id": "a", "organisation": "o", "issuer": "https://x", "client_id": "c", "client_secret": "s", '
            '"mfa": "maybe"}]',
            '"mfa" is "trusted"',
        ),
    ],
)
def test_a_mistake_in_the_configuration_names_what_to_fix(raw, says):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match=re.escape(says)):
        oidc.parse(raw)
