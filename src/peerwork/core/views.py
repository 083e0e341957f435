from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .home import sections_for
from .middleware import public


def home(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    if actor is None:
        return render(request, "core/no_organisation.html", status=403)
    return render(request, "core/home.html", {"sections": sections_for(actor)})


@public
def health(request: HttpRequest) -> HttpResponse:
    """Liveness check for load balancers; also the framework floor in bench/."""
    return HttpResponse("ok", content_type="text/plain")
