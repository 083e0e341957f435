"""One helper decides the client's address for the API throttle and the sign-in lockout."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.test import RequestFactory

from peerwork.core.clientip import client_ip


def _request(xff: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": xff} if xff is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", **extra)


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.PEERWORK_TRUSTED_PROXY_HEADER = ""
    assert client_ip(_request("203.0.113.9")) == "10.0.0.1"


def test_behind_trusted_proxies_the_address_they_saw_is_used(settings):
    settings.PEERWORK_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.PEERWORK_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("203.0.113.9")) == "203.0.113.9"
    assert client_ip(_request("1.2.3.4, 203.0.113.9")) == "203.0.113.9"  # the client's own entry is not trusted
    settings.PEERWORK_TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("1.2.3.4, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"
    assert client_ip(_request("203.0.113.9")) == "10.0.0.1"  # shorter than our proxies make it
    settings.PEERWORK_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("not-an-address")) == "10.0.0.1"
    assert client_ip(_request()) == "10.0.0.1"


def test_axes_uses_the_same_helper():
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "peerwork.core.clientip.client_ip"
