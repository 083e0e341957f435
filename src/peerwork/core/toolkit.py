"""The small view toolkit every app's pages use: declared roles and the form-submit pattern.

A view is thin: it parses the request, calls one selector or service, and renders. Two steps recur on
every page and live here once:

* ``@requires(*roles)`` declares who may open a page. The declaration is read by
  ``tests/test_permission_matrix.py``, which checks it against the permission matrix, so the matrix and the
  views cannot disagree.
* ``submit(request, form, action)`` validates a posted form, runs the service with its cleaned data and, when
  the service refuses the input with a ``ValidationError``, shows that message on the form (field by field
  where it names a field) so the page can answer with its error summary. Nothing is saved in that case: the
  service's transaction has rolled back.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponseBase

from .forms import add_service_errors
from .middleware import view_mark

P = ParamSpec("P")
T = TypeVar("T")
Req = TypeVar("Req", bound=HttpRequest)
Resp = TypeVar("Resp", bound=HttpResponseBase)


def requires(*roles: str) -> Callable[[Callable[Concatenate[Req, P], Resp]], Callable[Concatenate[Req, P], Resp]]:
    """Let only an actor holding one of ``roles`` open the view (403 otherwise)."""

    def decorate(view: Callable[Concatenate[Req, P], Resp]) -> Callable[Concatenate[Req, P], Resp]:
        @functools.wraps(view)
        def wrapper(request: Req, /, *args: P.args, **kwargs: P.kwargs) -> Resp:
            actor = getattr(request, "actor", None)
            if actor is None or not actor.has(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.__dict__["peerwork_roles"] = frozenset(str(r) for r in roles)  # read by the permission matrix test
        return wrapper

    return decorate


def declared_roles(view: Callable[..., Any]) -> frozenset[str] | None:
    """The roles a view declared with ``@requires``, or None when it declared none."""
    roles = view_mark(view, "peerwork_roles")
    return None if roles is None else frozenset(roles)


@dataclass(frozen=True)
class Saved(Generic[T]):
    """What a service returned after a successful submit (so a service returning None still counts)."""

    value: T


def posted(request: HttpRequest) -> Mapping[str, Any] | None:
    """The posted data, or None for a GET, so ``Form(posted(request))`` is bound only on a POST."""
    return request.POST if request.method == "POST" else None


def submit(request: HttpRequest, form: forms.BaseForm, action: Callable[[dict[str, Any]], T]) -> Saved[T] | None:
    """Validate ``form`` and run ``action`` with its cleaned data; on a service error show it on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return Saved(action(form.cleaned_data))
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
