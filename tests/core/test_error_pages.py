"""The product's own error pages: an unknown address, a page someone may not open, a crash."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import path

from peerwork.core.roles import Role
from peerwork.urls import urlpatterns as real_patterns


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize(
    ("language", "title"), [("en", "Page not found"), ("nb", "Fant ikke siden"), ("da", "Siden blev ikke fundet")]
)
def test_an_unknown_address_shows_the_product_page_and_never_the_url_patterns(db, settings, debug, language, title):
    settings.DEBUG = debug
    settings.ALLOWED_HOSTS = ["testserver"]
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get("/no-such-page/at-all/")
    body = response.content.decode()
    assert response.status_code == 404
    assert f"<h1>{title}</h1>" in body and 'class="site-header"' in body and f'lang="{language}"' in body
    assert "URLconf" not in body and "privacy/" not in body and "Using the URLconf" not in body


def test_a_view_raising_not_found_or_forbidden_shows_the_product_page_with_debug_on(world, settings):
    settings.DEBUG = True
    client = world.client(Role.PEER_WORKER)
    missing = client.get("/privacy/people/987654/")  # not theirs: 403 before any lookup
    assert missing.status_code == 403 and "This page is not available to you" in missing.content.decode()
    unknown = world.client(Role.DPO).get("/privacy/people/987654/")
    body = unknown.content.decode()
    assert unknown.status_code == 404 and "<h1>Page not found</h1>" in body and "Raised by" not in body
    assert world.client(Role.DPO).get("/privacy/people/987654").status_code in (301, 302)  # the slash is added


def crash(request):
    raise RuntimeError("boom")


urlpatterns = [*real_patterns, path("crash/", crash)]


@pytest.mark.urls("tests.core.test_error_pages")
def test_a_crash_shows_the_product_500_page_in_demo_mode(db, settings):
    settings.DEMO_MODE = True
    crash.__dict__["peerwork_access"] = "public"
    response = Client(raise_request_exception=False).get("/crash/")
    body = response.content.decode()
    assert response.status_code == 500 and "Something went wrong on our side" in body and "boom" not in body
