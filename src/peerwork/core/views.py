from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from peerwork.core.roles import Role

from . import sources
from .health import readiness
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


@public
def ready(request: HttpRequest) -> HttpResponse:
    """Readiness check for load balancers and monitoring: 200 when the database answers and every registered
    check (the background worker, when there is one) passes, otherwise 503 with the checks that failed."""
    checks = readiness()
    ok = all(c.ok for c in checks)
    body = {
        "status": "ready" if ok else "not ready",
        "checks": {c.name: ("ok" if c.ok else c.detail or "failed") for c in checks},
    }
    response = JsonResponse(body, status=200 if ok else 503)
    response["Cache-Control"] = "no-store"
    return response


@requires(*Role)
def sources_page(request: ActorRequest) -> HttpResponse:
    """The five sources, and every citation with what it says and which rules rest on it (no data)."""
    used: dict[str, list[sources.Entry]] = {}
    for entry in sources.catalogue():
        for key in entry.cites:
            used.setdefault(key, []).append(entry)
    groups = [
        (source, [(c, used.get(c.key, [])) for c in sources.CITATIONS_LIST if c.source == source.key])
        for source in sources.SOURCES.values()
    ]
    defaults = [(c, used.get(c.key, [])) for c in sources.CITATIONS_LIST if c.is_default]
    return render(request, "core/sources.html", {"groups": groups, "defaults": defaults})
