"""Peerwork's own error pages (403, 404, 500), in the base layout and the reader's language, in every mode.

Django shows its technical pages instead of ``handler404`` while ``DEBUG`` is on, and the technical 404 lists
every URL pattern. ``./run demo`` runs with ``DEBUG`` on (no secret key is set), so ``ErrorPagesMiddleware``
answers a path no pattern matches, and a ``Http404`` or ``PermissionDenied`` a view raises, with the product's
page whatever ``DEBUG`` says. In demo mode it also shows the product's 500 page for a crash (the crash is still
logged with its traceback); tests and development keep Django's traceback, which is what a developer needs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import Resolver404, get_resolver

logger = logging.getLogger("peerwork.errors")

PLAIN_500 = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Something went wrong · Peerwork</title></head>"
    "<body><main><h1>Something went wrong on our side</h1><p>Try again in a minute. If it happens again, tell your "
    "administrator the time it happened.</p><p><a href='/'>Go to your home page</a></p></main></body></html>"
)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the layout; if the layout itself fails (the database is down), a page with no parts."""
    try:
        return HttpResponseServerError(loader.render_to_string("500.html", request=request))
    except Exception:  # noqa: BLE001 - the error page must never fail in turn
        logger.exception("The 500 page could not be drawn in the layout")
        return HttpResponseServerError(PLAIN_500)


class ErrorPagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.DEBUG:
            try:
                get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
            except Resolver404:
                return not_found(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        if isinstance(exception, Http404):
            return not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return forbidden(request, exception)
        if settings.DEMO_MODE:
            logger.error("Crash on %s", request.path, exc_info=exception)
            return server_error(request)
        return None
