"""Personal API tokens: ``Authorization: Bearer pw_…``. The token carries its organisation.

Throttles that cannot be turned against the people using the API:

- the token is checked first, and a valid token is never refused because of anyone else's failures;
- only wrong tokens count towards the per-address limit, and the block it sets applies only to requests
  without a valid token;
- each valid token has its own rate limit (``TokenRateThrottle``);
- the address comes from ``peerwork.core.clientip`` (the configured trusted proxy header, if any), and the
  counters live in the shared cache, so every server process sees the same numbers.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.cache import cache
from django.http import HttpRequest
from ninja.errors import Throttled
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from peerwork.accounts.actors import actor_for_token
from peerwork.core.clientip import client_ip
from peerwork.core.http import PeerworkRequest

# Wrong tokens from one address: after this many within the window, requests from that address that do not
# carry a valid token get 429 until the window has passed since the last wrong token.
FAILED_LIMIT = 20
FAILED_WINDOW_SECONDS = 600


def _failures_key(request: HttpRequest) -> str:
    return f"peerwork:api-token-failures:{client_ip(request)}"


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        result = super().__call__(request)
        if result is not None:
            return result  # a valid token: never refused for other people's failures
        key = _failures_key(request)
        failures = cache.get(key, 0)
        if failures >= FAILED_LIMIT:
            raise Throttled(wait=FAILED_WINDOW_SECONDS)
        if request.headers.get(self.header):
            # Only a credential that was presented and failed counts; a missing token is just a 401.
            cache.set(key, failures + 1, FAILED_WINDOW_SECONDS)
        return None

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        holder = actor_for_token(token, via=f"API {request.method} {request.path}")
        if holder is None:
            return None
        typed = cast(PeerworkRequest, request)
        typed.actor = holder.actor
        typed.api_token_id = holder.token_id
        return holder.actor


class TokenRateThrottle(SimpleRateThrottle):
    """Calls per valid token, counted in the shared cache; requests without one are limited in TokenAuth."""

    scope = "token"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token_id = getattr(request, "api_token_id", None)
        ident = f"t{token_id}" if token_id is not None else f"a{client_ip(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
