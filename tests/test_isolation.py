"""Organisation A's data cannot be reached from organisation B through any page or API call.

The demo world has two organisations: a Norwegian one (A) and a Danish one (B). We give one person every role
in B and walk every URL pattern and every API route, with the ids of A's objects in every id slot, by GET and
by POST. Nothing of A may appear in a response, nothing of A may change, and nothing may crash. New pages
and routes are covered automatically: the walk enumerates the URL configuration.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from peerwork.accounts import services as account_services
from peerwork.accounts.models import Membership, User
from peerwork.core.roles import Role
from peerwork.demo.seed import DK_SLUG, NO_SLUG, seed_demo
from peerwork.organisations.models import Organisation, TenantModel, Unit
from tests.conftest import actor_for, verified_client
from tests.factories import UserFactory

CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
SKIP_PREFIXES = ("static/", "api/docs", "api/openapi.json")
NAME_FIELDS = {
    "name",
    "title",
    "chosen_name",
    "first_name",
    "last_name",
    "display_name",
    "problem_statement",
    "statement",
}


def tenant_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if issubclass(m, TenantModel) and not m._meta.abstract]


def walk(patterns: list, prefix: str = "") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def fill(route: str, value: str) -> str:
    route = route.lstrip("^").rstrip("$")

    def sub(m: re.Match[str]) -> str:
        conv = m.group("conv") or "str"
        if conv == "uuid":
            return "00000000-0000-0000-0000-0000000000" + value.zfill(2)[-2:]
        return value

    return "/" + CONVERTER.sub(sub, route)


def snapshot(org: Organisation) -> str:
    digest = hashlib.sha256()
    for model in sorted(tenant_models(), key=lambda m: m._meta.label):
        rows = list(model.objects.filter(organisation=org).order_by("pk").values())
        digest.update(json.dumps(rows, default=str, sort_keys=True).encode())
    members = User.objects.filter(memberships__organisation=org).order_by("pk").distinct().values()
    digest.update(json.dumps(list(members), default=str, sort_keys=True).encode())
    return digest.hexdigest()


def strings_of(org: Organisation) -> set[str]:
    found: set[str] = {org.name}
    for model in tenant_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and f.name in NAME_FIELDS
        ]
        if fields:
            for row in model.objects.filter(organisation=org).values(*fields):
                found.update(v for v in row.values() if v)
    for first, last in (
        User.objects.filter(memberships__organisation=org).values_list("first_name", "last_name").distinct()
    ):
        found.update({f"{first} {last}", first, last})
    return found


@pytest.mark.django_db
def test_no_page_or_api_route_reaches_another_organisation(worker_alive):
    seed_demo()
    a = Organisation.objects.get(slug=NO_SLUG)
    b = Organisation.objects.get(slug=DK_SLUG)
    # A's strings that B's own strings do not hold, as a whole or as a word: A's service user "Kirsten" is no marker
    # when B's board has a seat held by "Dr. Kirsten Nilsson".
    b_words = "\n".join(strings_of(b))
    markers = {
        s
        for s in strings_of(a) - strings_of(b)
        if len(s) >= 6 and not re.search(r"(?<!\w)" + re.escape(s) + r"(?!\w)", b_words)
    }
    assert len(markers) > 20, "the demo organisation should have plenty of identifying strings"

    intruder = UserFactory(username="intruder", first_name="Ingrid", last_name="Intruder")
    team_b = Unit.objects.filter(organisation=b).first()
    for role in Role.values:
        Membership.objects.create(organisation=b, user=intruder, role=role, unit=team_b)
    client = verified_client(intruder)
    _token, secret = account_services.create_api_token(actor_for(intruder, b), name="walk", valid_days=1)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    ids: set[int] = set()
    for model in tenant_models():
        own = model.objects.filter(organisation=a)
        first, last = (
            own.order_by("pk").values_list("pk", flat=True).first(),
            own.order_by("-pk").values_list("pk", flat=True).first(),
        )
        # Integer ids only: a random UUID (an anonymous readiness answer) is not an id anyone could walk to.
        ids.update(i for i in (first, last) if isinstance(i, int))
    ids.update(User.objects.filter(memberships__organisation=a).values_list("pk", flat=True)[:3])
    values = [str(i) for i in sorted(ids)[:40]]

    # Whole words only: "Henrik" from A must not match B's "Henriksen".
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True)) + r")(?!\w)"
    )
    routes = sorted({r for r in walk(get_resolver().url_patterns) if not r.startswith(SKIP_PREFIXES)})
    before = snapshot(a)
    leaks: list[str] = []
    visited = 0
    for route in routes:
        paths = [fill(route, v) for v in values] if CONVERTER.search(route) else [fill(route, "")]
        use = api if route.startswith("api/") else client
        for path in paths:
            for method in ("get", "post"):
                if route.startswith("api/") and method == "post":
                    response = use.post(path, data="{}", content_type="application/json")
                else:
                    response = getattr(use, method)(path)
                visited += 1
                assert response.status_code < 500, f"{method.upper()} {path} crashed"
                if response.get("Content-Type", "").startswith(("text/", "application/json", "application/pdf")):
                    body = html.unescape(response.content.decode("utf-8", "replace"))
                    leaked = sorted(set(pattern.findall(body)))
                    if leaked:
                        leaks.append(f"{method.upper()} {path} shows {leaked[:3]}")
        # a POST must never sign the intruder out or switch them into A
        client = verified_client(intruder) if not client.session.get("_auth_user_id") else client
    assert not leaks, "\n".join(leaks)
    assert snapshot(a) == before, "a request from organisation B changed organisation A's data"
    assert visited > len(routes)
