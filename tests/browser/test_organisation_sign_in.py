"""Staff sign in through their organisation's OpenID provider in a real browser: the provider (django-oauth-toolkit)
runs in its own process, Peerwork in the live server; nothing is mocked."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from peerwork.accounts import services
from peerwork.accounts.models import OidcIdentity
from peerwork.core.roles import Role
from tests.accounts import oidc_provider
from tests.conftest import actor_for, build_world

from .conftest import assert_accessible


@pytest.mark.django_db(transaction=True)
def test_a_peer_worker_signs_in_with_their_organisation(page: Page, live_server, settings):
    callback = f"{live_server.url}/account/organisation-sign-in/callback/"
    secret = "alpha-browser-secret-for-tests"
    clients = [{"client_id": "peerwork-alpha", "client_secret": secret, "redirect_uri": callback}]
    with oidc_provider.running(clients) as op:
        settings.PEERWORK_OIDC = json.dumps(
            [
                {
                    "id": "alpha",
                    "organisation": "alpha-service",
                    "issuer": f"{op}/o",
                    "client_id": "peerwork-alpha",
                    "client_secret": secret,
                    "mfa": "trusted",
                }
            ]
        )
        world = build_world("Alpha")
        person = world.users[Role.PEER_WORKER]
        # The administrator enters the subject the provider's administrators gave them.
        services.bind_subject(
            actor_for(world.users[Role.ADMINISTRATOR], world.org),
            user_id=person.pk,
            provider_id="alpha",
            subject=oidc_provider.subject_at(op, "ola-mfa"),
        )
        page.set_default_timeout(60_000)  # a shared, busy test machine; nothing here asserts timing
        page.goto(f"{live_server.url}/account/sign-in/")
        page.get_by_role("link", name="Sign in with Alpha service").click()
        # At the provider: its own sign-in page, outside Peerwork.
        page.wait_for_url(f"{op}/**")
        page.get_by_label("User name at the provider").fill("ola-mfa")
        page.get_by_role("button", name="Sign in").click()
        # Back in Peerwork, signed in: the provider says its second factor was used, which Alpha trusts.
        page.wait_for_url(f"{live_server.url}/")
        expect(page.locator("#section-peer_worker")).to_be_visible()
        assert_accessible(page)
        assert OidcIdentity.objects.get(user=person).subject == oidc_provider.subject_at(op, "ola-mfa")

        # Someone the organisation never linked is turned away with what to do.
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/account/sign-in/")
        page.get_by_role("link", name="Sign in with Alpha service").click()
        page.wait_for_url(f"{op}/**")
        page.get_by_label("User name at the provider").fill("stranger-mfa")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/**")
        expect(page.locator("main")).to_contain_text("administrator")
        assert_accessible(page)
