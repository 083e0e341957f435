from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .actor import organisations_of
from .navigation import account_links, navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs: the actor, role-based navigation, languages, organisations."""
    actor = getattr(request, "actor", None)
    memberships = getattr(request, "memberships", [])
    return {
        "actor": actor,
        "nav": navigation_for(actor, request.path) if actor else [],
        "account_nav": account_links(actor, request.path) if actor else [],
        "my_organisations": organisations_of(memberships),
        "DEMO_MODE": settings.DEMO_MODE,
    }
