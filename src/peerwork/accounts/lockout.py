"""Sign-in lockout (django-axes), counted two ways:

- one user name from one address: ``AXES_FAILURE_LIMIT`` failures (guessing one person's password);
- one address across all user names: ``PEERWORK_ADDRESS_FAILURE_LIMIT`` failures (spraying one password over
  many names).

The address is the client's (``peerwork.core.clientip``). The page says which of the two it is, so it never
claims an account is locked when only an address is paused.
"""

from __future__ import annotations

from typing import Any, cast

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

ADDRESS = "ip_address"


class LockoutRequest(HttpRequest):
    """A sign-in request once the handler has counted it: which of the two limits it reached, if any."""

    peerwork_lockout: str | None


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]  # axes ships no type information
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """Failures for the user name at this address, raised to the limit when the address itself is over its own."""
        per_name = 0
        per_address = 0
        for parameter, attempts in zip(
            settings.AXES_LOCKOUT_PARAMETERS, self.get_user_attempts(request, credentials), strict=True
        ):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter == ADDRESS:
                per_address = max(per_address, count)
            else:
                per_name = max(per_name, count)
        by_address = per_address >= settings.PEERWORK_ADDRESS_FAILURE_LIMIT
        by_name = per_name >= get_failure_limit(request, credentials)
        cast(LockoutRequest, request).peerwork_lockout = "name" if by_name else ("address" if by_address else None)
        if by_address and not by_name:
            return int(get_failure_limit(request, credentials))
        return per_name


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """The lockout page, naming what is paused: this user name from here, or every sign-in from this address."""
    by_address = getattr(request, "peerwork_lockout", None) == "address"
    return render(request, "accounts/locked_out.html", {"by_address": by_address}, status=429)
