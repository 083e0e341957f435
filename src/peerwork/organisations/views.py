from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from peerwork.core.http import ActorRequest
from peerwork.core.roles import Role
from peerwork.core.toolkit import requires

from . import selectors


@requires(Role.ADMINISTRATOR, Role.MANAGER, Role.COORDINATOR, Role.SENIOR_PEER_WORKER)
def units(request: ActorRequest) -> HttpResponse:
    return render(request, "organisations/units.html", {"units": selectors.units_with_positions(request.actor)})


@requires(*Role)
def position(request: ActorRequest, pk: int) -> HttpResponse:
    return render(request, "organisations/position.html", {"position": selectors.position(request.actor, pk)})
