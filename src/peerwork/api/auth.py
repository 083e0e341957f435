"""Personal API tokens: ``Authorization: Bearer pw_…``. The token carries its organisation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from peerwork.accounts.models import ApiToken, Membership
from peerwork.core.actor import Actor


class TokenAuth(HttpBearer):
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
            Membership.objects.filter(user_id=found.user_id, organisation_id=found.organisation_id).select_related("organisation")
        )
        actor = Actor.from_memberships(found.user, memberships, found.organisation_id, via=f"API {request.method} {request.path}")
        if actor is None:
            return None  # the person no longer has a role in the token's organisation
        if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=5):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.actor = actor  # type: ignore[attr-defined]
        return actor
