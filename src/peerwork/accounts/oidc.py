"""Organisation sign-in with OpenID Connect, one provider per organisation (mozilla-django-oidc).

mozilla-django-oidc reads one provider from settings; Peerwork serves several organisations, each with its own
provider, so the provider is chosen per sign-in: the start page names it, the session remembers it under the
sign-in's ``state``, and the backend reads it back on the callback. Endpoints come from the provider's
discovery document. A provider's subject (issuer + ``sub``) is bound to a person who already exists, through an
invitation or by an administrator; claims never create people or roles, and e-mail addresses never match.

``PEERWORK_OIDC`` (the environment) holds a JSON list, one object per provider (docs/operations.md)::

    [{"id": "bergen", "organisation": "bergen-kommune", "label": "Bergen kommune",
      "issuer": "https://login.example.org/tenant/v2.0",
      "client_id": "…", "client_secret_env": "BERGEN_OIDC_SECRET",
      "mfa": "trusted", "mfa_amr": ["mfa"], "mfa_acr": []}]
"""

from __future__ import annotations

import threading
import time
from typing import Any, cast
from urllib.parse import parse_qs, urlparse

import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.http import HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import User
from .oidc_config import Provider, parse

__all__ = ["Provider", "parse"]

SESSION_STATES = "peerwork_oidc_states"  # state -> provider id, for the callback
SESSION_INVITATION = "peerwork_oidc_invitation"  # the signed invitation the person followed
SESSION_MFA = "peerwork_oidc_mfa"  # provider id whose trusted second factor this session passed
INVITATION_DAYS = 14
_INVITATION_SALT = "peerwork.accounts.oidc.invitation"


def providers() -> list[Provider]:
    return parse(settings.PEERWORK_OIDC)


def provider(provider_id: str) -> Provider | None:
    return next((p for p in providers() if p.id == provider_id), None)


def providers_of(organisation_slug: str) -> list[Provider]:
    return [p for p in providers() if p.organisation == organisation_slug]


# --- discovery ---------------------------------------------------------------------------------------------

_DISCOVERY_SECONDS = 3600
_discovered: dict[str, tuple[float, dict[str, Any]]] = {}
_discovery_lock = threading.Lock()


class ProviderUnreachable(Exception):
    """The provider's discovery document could not be read."""


def discovery(p: Provider) -> dict[str, Any]:
    """The provider's endpoints from ``<issuer>/.well-known/openid-configuration``, kept for an hour."""
    with _discovery_lock:
        cached = _discovered.get(p.issuer)
    if cached and time.monotonic() - cached[0] < _DISCOVERY_SECONDS:
        return cached[1]
    try:
        response = requests.get(f"{p.issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnreachable(p.id) from exc
    if not isinstance(document, dict) or document.get("issuer", "").rstrip("/") != p.issuer:
        # The document must be the issuer's own (OpenID Connect Discovery 1.0, section 4.3).
        raise ProviderUnreachable(p.id)
    with _discovery_lock:
        _discovered[p.issuer] = (time.monotonic(), document)
    return document


# --- invitations -------------------------------------------------------------------------------------------


def make_invitation(user_id: int, organisation_id: int) -> str:
    return TimestampSigner(salt=_INVITATION_SALT).sign(f"{user_id}.{organisation_id}")


def read_invitation(token: str) -> tuple[int, int] | None:
    """(user id, organisation id) of a valid invitation no older than INVITATION_DAYS; None otherwise."""
    try:
        value = TimestampSigner(salt=_INVITATION_SALT).unsign(token, max_age=INVITATION_DAYS * 86400)
    except (BadSignature, SignatureExpired):
        return None
    user_id, _dot, organisation_id = value.partition(".")
    if not (user_id.isdigit() and organisation_id.isdigit()):
        return None
    return int(user_id), int(organisation_id)


# --- the backend -------------------------------------------------------------------------------------------


class OidcRequest(HttpRequest):
    """A callback request once the backend has read it: the provider, and either why nobody is signed in or
    whether the organisation's second factor counts."""

    peerwork_oidc_provider: Provider
    peerwork_oidc_refusal: str
    peerwork_oidc_mfa: bool


class Refusal(Exception):
    """Why a provider's answer does not sign anyone in (a code the sign-in page turns into words)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _state_provider(request: HttpRequest) -> Provider | None:
    state = request.GET.get("state", "")
    return provider(request.session.get(SESSION_STATES, {}).get(state, ""))


def remember_state(request: HttpRequest, response: HttpResponse, p: Provider) -> None:
    """Note which provider a sign-in that is starting belongs to, by the ``state`` it sends."""
    state = parse_qs(urlparse(response["Location"]).query).get("state", [""])[0]
    states = dict(request.session.get(SESSION_STATES, {}))
    states[state] = p.id
    # Keep the latest few: someone who opens sign-in in several tabs can finish any of them.
    request.session[SESSION_STATES] = dict(list(states.items())[-5:])


class OrganisationBackend(OIDCAuthenticationBackend):  # type: ignore[misc]  # mozilla-django-oidc has no types
    """mozilla-django-oidc's code flow, for the provider this sign-in started with."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ARG002
        # The library reads one provider from settings here; Peerwork sets the provider per sign-in instead.
        self.UserModel = User
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.provider: Provider | None = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or "code" not in request.GET or "state" not in request.GET:
            return None  # not an OpenID callback (a password sign-in, for example)
        p = _state_provider(request)
        if p is None:
            return None
        document = discovery(p)
        self.provider = p
        self.OIDC_OP_TOKEN_ENDPOINT = document["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = document["userinfo_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = document["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = p.client_id
        self.OIDC_RP_CLIENT_SECRET = p.client_secret
        cast(OidcRequest, request).peerwork_oidc_provider = p
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks the signature (RS256 against the provider's JWKS), expiry and nonce; Peerwork adds
        the issuer and the audience, so a token issued to another client or by another provider is refused."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        assert self.provider is not None
        if str(payload.get("iss", "")).rstrip("/") != self.provider.issuer:
            raise SuspiciousOperation("ID token from another issuer")
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.provider.client_id not in audiences:
            raise SuspiciousOperation("ID token for another client")
        if "exp" not in payload:
            raise SuspiciousOperation("ID token without expiry")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User | None:
        from . import services

        assert self.provider is not None
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if str(userinfo.get("sub", "")) != str(payload["sub"]):
            # OpenID Connect Core 5.3.2: the userinfo answer must be about the person the ID token names.
            raise SuspiciousOperation("userinfo about another subject")
        request = cast(OidcRequest, self.request)
        try:
            user = services.organisation_sign_in(
                provider=self.provider,
                issuer=self.provider.issuer,
                subject=str(payload["sub"]),
                invitation=request.session.get(SESSION_INVITATION, ""),
                via=request.path,
            )
        except Refusal as refusal:
            request.peerwork_oidc_refusal = refusal.code
            return None
        request.peerwork_oidc_mfa = self.provider.second_factor_passed(payload)
        return user

    def get_user(self, user_id: int) -> User | None:
        user = User.objects.filter(pk=user_id).first()
        return user if user is not None and user.is_active else None
