from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from peerwork.core.roles import Role

from . import sources
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
