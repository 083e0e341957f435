from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


def units(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    return render(request, "organisations/units.html", {"units": selectors.units_with_positions(actor)})


def position(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    return render(request, "organisations/position.html", {"position": selectors.position(actor, pk)})
