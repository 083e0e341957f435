"""The benches' URL configuration: every product page, and the signed-in floor page, which no product URL
configuration serves.

The floor is what any signed-in Peerwork page costs before it does anything of its own: the whole middleware
stack (session, sign-in and two-step checks, the acting user and their memberships, language), the role check
of ``@requires`` and the base layout with its navigation, rendered with an empty content block. A page's
ratio to it is the cost of the page itself.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from peerwork.core.http import ActorRequest
from peerwork.core.roles import Role
from peerwork.core.toolkit import requires
from peerwork.urls import handler403, handler404, handler500
from peerwork.urls import urlpatterns as product

_EMPTY = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Floor{% endblock %}{% block content %}{% endblock %}'
)


@requires(*Role)
def floor(request: ActorRequest) -> HttpResponse:
    return HttpResponse(_EMPTY.render({}, request))


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *product]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
