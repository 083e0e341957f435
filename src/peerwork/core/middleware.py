"""How a view says who may open it before sign-in: ``@public`` and ``@signed_in_only``.

A page is reachable only by a signed-in person who has passed two-factor verification, unless its view is
marked ``@public`` (sign-in, password reset, language) or ``@signed_in_only`` (the two-factor steps
themselves). ``peerwork.accounts.middleware.ActorMiddleware`` reads these marks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    view.__dict__["peerwork_access"] = "public"  # a function attribute: copied by functools.wraps
    return view


def signed_in_only(view: Callable[..., Any]) -> Callable[..., Any]:
    view.__dict__["peerwork_access"] = "signed_in"
    return view


def access_of(view: Callable[..., Any]) -> str:
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "__wrapped__", None)):
        if candidate is not None and hasattr(candidate, "peerwork_access"):
            return str(candidate.peerwork_access)
    return "verified"
