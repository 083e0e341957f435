"""Sign-in, two-factor and organisation scope for every page.

A page is reachable only by a signed-in person who has passed two-factor verification, unless its view is
marked ``@public`` (sign-in, password reset, language) or ``@signed_in_only`` (the two-factor steps
themselves). The API under /api/ authenticates by token instead (see peerwork.api).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from peerwork.core.actor import Actor
from peerwork.core.middleware import access_of

from .actors import memberships_of

SESSION_ORG_KEY = "peerwork_organisation_id"


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = None  # type: ignore[attr-defined]
        request.memberships = []  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.path.startswith(("/api/", "/static/")):
            return None
        access = access_of(view)
        if access == "public":
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")
        if access == "signed_in":
            return None
        if not user.is_verified():  # type: ignore[union-attr]
            has_device = user.totpdevice_set.filter(confirmed=True).exists()  # type: ignore[union-attr]
            target = "accounts:otp_verify" if has_device else "accounts:otp_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        memberships = memberships_of(user)  # type: ignore[arg-type]
        request.memberships = memberships  # type: ignore[attr-defined]
        wanted = request.session.get(SESSION_ORG_KEY)
        actor = Actor.from_memberships(user, memberships, wanted, via=request.path) or Actor.from_memberships(  # type: ignore[arg-type]
            user,
            memberships,
            None,
            via=request.path,  # type: ignore[arg-type]
        )
        if actor is None:
            # Signed in and verified, but no role in any organisation: nothing here is theirs to see.
            return render(request, "core/no_organisation.html", status=403)
        request.actor = actor  # type: ignore[attr-defined]
        return None
