from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from peerwork.core.roles import Role

from .home import sections_for
from .http import ActorRequest
from .middleware import public
from .toolkit import requires


@requires(*Role)
def home(request: ActorRequest) -> HttpResponse:
    return render(request, "core/home.html", {"sections": sections_for(request.actor)})


@public
def health(request: HttpRequest) -> HttpResponse:
    """Liveness check for load balancers; also the framework floor in bench/."""
    return HttpResponse("ok", content_type="text/plain")
