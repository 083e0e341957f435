"""Every schema the API documents has a name of its own: OpenAPI lists schemas by name, so two different
schemas of one name would leave one operation described by the other's fields."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ninja import Schema

from peerwork.api.main import api


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def test_no_two_different_schemas_share_a_name():
    api.get_openapi_schema()  # every app's routes are mounted, so every schema module is imported
    by_name: dict[str, list[type[Any]]] = defaultdict(list)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("peerwork."):
            by_name[cls.__name__].append(cls)
    assert len(by_name) > 50  # the walk finds the API's schemas
    clashes = [
        f"{name}: " + ", ".join(c.__module__ for c in classes)
        for name, classes in sorted(by_name.items())
        if len({repr(c.model_json_schema()) for c in classes}) > 1
    ]
    assert not clashes, "Rename one of each pair of schemas: " + "; ".join(clashes)
