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


def view_mark(view: Callable[..., Any], name: str) -> Any:
    """A mark a decorator left on a view (``peerwork_access``, ``peerwork_roles``), looked for on the view,
    the class of a class-based view and the function a decorator wrapped; None when there is none."""
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "__wrapped__", None)):
        mark = getattr(candidate, name, None)
        if mark is not None:
            return mark
    return None


def access_of(view: Callable[..., Any]) -> str:
    """How the middleware treats the view: "public", "signed_in" or "verified" (the default)."""
    return str(view_mark(view, "peerwork_access") or "verified")
