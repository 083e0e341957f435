"""Sign-in, two-factor and organisation scope for every page.

A page is reachable only by a signed-in person who has passed two-factor verification, unless its view is
marked ``@public`` (sign-in, password reset, language) or ``@signed_in_only`` (the two-factor steps
themselves). The API under /api/ authenticates by token instead (see peerwork.api).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from peerwork.core.actor import Actor
from peerwork.core.http import PeerworkRequest
from peerwork.core.middleware import access_of

from .actors import memberships_of
from .models import User
from .oidc import SESSION_MFA

SESSION_ORG_KEY = "peerwork_organisation_id"
SESSION_SEEN_KEY = "peerwork_seen"  # when the session was last written for activity (seconds since the epoch)


def _is_verified(request: HttpRequest, user: User) -> bool:
    """Whether the person passed two-step verification in this session: Peerwork's (django-otp's middleware
    adds ``is_verified`` to the user), or their organisation's own second factor when Peerwork trusts it
    (organisation sign-in, ``oidc.SESSION_MFA``)."""
    if request.session.get(SESSION_MFA):
        return True
    return bool(user.is_verified())  # type: ignore[attr-defined]  # set at run time by OTPMiddleware


class IdleSessionMiddleware:
    """Keeps a session alive while it is used, writing it at most once a minute.

    The session row's expiry is ``SESSION_COOKIE_AGE`` (the idle timeout) after its last write. Writing it on
    every request would cost every page an UPDATE; instead a request writes the session only when its content
    changed (sign-in, a chosen organisation, a message) or when its idle stamp is older than
    ``SESSION_REFRESH_SECONDS``. A session is therefore never kept longer than the idle timeout after the last
    request, and may end up to that refresh interval sooner. Sits just inside Django's session middleware,
    which saves what this marks as changed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = request.session
        if not session.accessed or session.is_empty() or not session.session_key:
            return response  # nothing read (a static file), no session, or just ended (signed out)
        now = int(time.time())
        seen = session.get(SESSION_SEEN_KEY)
        if session.modified or not isinstance(seen, int) or now - seen >= settings.SESSION_REFRESH_SECONDS:
            session[SESSION_SEEN_KEY] = now  # marks the session changed: Django's middleware saves it
        return response


class LanguageMiddleware:
    """A signed-in person reads Peerwork in the language kept with their account (``User.language``),
    whatever the browser or its cookie says: set when they choose a language, it follows them to every
    device and every sign-in. Runs after authentication, before the view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and isinstance(user, User) and user.language:
            if user.language != translation.get_language():
                translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        typed = cast(PeerworkRequest, request)
        typed.actor = None
        typed.memberships = []
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.path.startswith(("/api/", "/static/")):
            return None
        access = access_of(view)
        if access == "public":
            return None
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")
        if access == "signed_in":
            return None
        user = request.user
        if not _is_verified(request, user):
            has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            target = "accounts:otp_verify" if has_device else "accounts:otp_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        typed = cast(PeerworkRequest, request)
        typed.memberships = memberships_of(user)
        wanted = request.session.get(SESSION_ORG_KEY)
        actor = Actor.from_memberships(user, typed.memberships, wanted, via=request.path) or Actor.from_memberships(
            user, typed.memberships, None, via=request.path
        )
        if actor is None:
            # Signed in and verified, but no role in any organisation: nothing here is theirs to see.
            return render(request, "core/no_organisation.html", status=403)
        typed.actor = actor
        return None
