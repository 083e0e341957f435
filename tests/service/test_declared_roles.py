"""Every service page declares with ``@requires`` exactly the roles the permission matrix gives it."""

from __future__ import annotations

from django.urls import URLResolver, get_resolver

from peerwork.audit import matrix
from peerwork.core.toolkit import declared_roles


def test_service_pages_declare_the_roles_of_the_matrix():
    rows = {r.name: r for r in matrix.ROUTES}
    service = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "service")
    checked = 0
    for pattern in service.url_patterns:
        name = f"service:{pattern.name}"
        allowed = {str(role) for role, level in rows[name].access.items() if level != matrix.NONE}
        assert declared_roles(pattern.callback) == allowed, name
        checked += 1
    assert checked == len([r for r in rows if r.startswith("service:")])
