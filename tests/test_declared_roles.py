"""Every page declares who may open it with ``@requires``, and that declaration is the permission matrix's row.

The matrix (src/peerwork/audit/matrix.py) says which roles may use each route; ``test_permission_matrix``
checks it by requesting every route as every role. This test reads the views themselves: a page that is
neither ``@public`` nor ``@signed_in_only`` must declare its roles with ``peerwork.core.toolkit.requires``,
and the declared roles must be exactly the roles the matrix grants any access to (own, team or
organisation). A new page without a declaration, or a matrix row and a view that disagree, fails here with
every offending route listed at once.

API operations under /api/ are routed by django-ninja and are not Django views of their own; they are
checked by ``test_permission_matrix`` only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from peerwork.audit import matrix
from peerwork.core.middleware import access_of
from peerwork.core.toolkit import declared_roles

OPEN_ACCESS = {"public", "signed_in"}  # @public and @signed_in_only pages run before there is an actor


def pages() -> Iterator[tuple[str, str, Callable[..., Any]]]:
    """(url name, route, view) of every page in the URL configuration, outside /api/ and /static/."""
    return ((name, route, view) for name, route, view in matrix.url_routes() if not route.startswith("api/"))


def granted(row: matrix.Route) -> frozenset[str]:
    """The roles the matrix row gives any access to."""
    return frozenset(str(role) for role in matrix.ROLES if row.level(role) != matrix.NONE)


def label(roles: frozenset[str]) -> str:
    return ", ".join(sorted(roles)) or "none"


def test_every_page_declares_exactly_the_roles_of_its_matrix_row():
    rows = matrix.by_name()
    offending: list[str] = []
    checked = 0
    for name, route, view in pages():
        row = rows.get(name)
        if access_of(view) in OPEN_ACCESS or (row is not None and row.public):
            continue
        checked += 1
        if row is None:
            offending.append(f"  {name} (/{route}): no row in audit/matrix.py")
            continue
        declared = declared_roles(view)
        expected = granted(row)
        if declared is None:
            offending.append(f"  {name} (/{route}): declares no roles; add @requires({label(expected)})")
        elif declared != expected:
            offending.append(
                f"  {name} (/{route}): declares {label(declared)}, the matrix grants {label(expected)}"
                + (f"; missing {label(expected - declared)}" if expected - declared else "")
                + (f"; extra {label(declared - expected)}" if declared - expected else "")
            )
    assert checked > 50, "the walk should find every signed-in page"
    assert not offending, f"{len(offending)} pages whose @requires does not match the permission matrix:\n" + "\n".join(
        offending
    )


def test_open_pages_declare_no_roles():
    """A @public or @signed_in_only page runs without an actor, so a role rule on it could never pass."""
    wrong = [name for name, _route, view in pages() if access_of(view) in OPEN_ACCESS and declared_roles(view)]
    assert not wrong, f"@public or @signed_in_only pages that also declare roles: {wrong}"


def test_availability_and_who_looked_pages_declare_who_may_open_them():
    """The peer worker sets their own availability (coordinators too, on any peer worker's page); only peer
    workers read who looked at their own work."""
    views = {name: view for name, _route, view in pages()}
    assert declared_roles(views["service:my_availability"]) == {"peer_worker"}
    assert declared_roles(views["service:availability"]) == {"coordinator", "peer_worker"}
    assert declared_roles(views["privacy:who_looked"]) == {"peer_worker", "senior_peer_worker"}
    rows = matrix.by_name()
    assert rows["api:service_availability_range"].access == {matrix.COORD: matrix.ORG}
    assert rows["api:service_availability_lift_hold"].access == {matrix.COORD: matrix.ORG}
