"""Personal API tokens: ``Authorization: Bearer pw_…``. The token carries its organisation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import Throttled
from ninja.security import HttpBearer

from peerwork.accounts.models import ApiToken, Membership
from peerwork.core.actor import Actor

# Wrong tokens from one address: after this many within the window, every attempt gets 429 until it passes.
FAILED_LIMIT = 20
FAILED_WINDOW_SECONDS = 600


def _failures_key(request: HttpRequest) -> str:
    return f"peerwork:api-token-failures:{request.META.get('REMOTE_ADDR', '')}"


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        key = _failures_key(request)
        if cache.get(key, 0) >= FAILED_LIMIT:
            raise Throttled(wait=FAILED_WINDOW_SECONDS)
        result = super().__call__(request)
        if result is None:
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, FAILED_WINDOW_SECONDS)
        return result

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token.startswith(ApiToken.PREFIX):
            return None
        now = timezone.now()
        found = (
            ApiToken.objects.filter(key_hash=ApiToken.hash_secret(token), revoked_at__isnull=True, user__is_active=True)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
            .select_related("user", "organisation")
            .first()
        )
        if found is None:
            return None
        memberships = list(
            Membership.objects.filter(user_id=found.user_id, organisation_id=found.organisation_id).select_related(
                "organisation"
            )
        )
        actor = Actor.from_memberships(
            found.user, memberships, found.organisation_id, via=f"API {request.method} {request.path}"
        )
        if actor is None:
            return None  # the person no longer has a role in the token's organisation
        if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=5):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.actor = actor  # type: ignore[attr-defined]
        return actor
