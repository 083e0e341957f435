"""Every PDF Peerwork makes is tagged: a structure tree with headings, paragraphs and tables, the document's
language and title (PDF/UA-1, through ``peerwork.core.pdf``)."""

from __future__ import annotations

import io
from typing import Any

import pypdf
import pytest
from django.urls import reverse

from peerwork.core.roles import Role
from peerwork.readiness.models import Group
from tests.privacy.helpers import engage, goal, person
from tests.readiness.helpers import add_responses, open_round


def structure(content: bytes) -> tuple[dict[str, Any], list[str]]:
    """The document catalogue and the tags of its structure tree, depth first."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    tags: list[str] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            for kid in node:
                walk(kid)
            return
        if not isinstance(node, pypdf.generic.DictionaryObject):
            return
        if "/S" in node:
            tags.append(str(node["/S"]))
        if "/K" in node:
            walk(node["/K"])

    walk(root["/StructTreeRoot"])
    return root, tags


def assert_tagged(content: bytes, *, lang: str, title: str) -> list[str]:
    assert content.startswith(b"%PDF")
    root, tags = structure(content)
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == pypdf.generic.BooleanObject(True)
    assert root["/Lang"] == lang
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert title in pypdf.PdfReader(io.BytesIO(content)).metadata.title
    for tag in ("/Document", "/H1", "/H2", "/P", "/Table", "/TR", "/TH", "/TD"):
        assert tag in tags, tag
    return tags


@pytest.mark.parametrize("language", ["en", "nb"])
def test_the_persons_copy_is_a_tagged_pdf(world, language):
    kari = person(world, "Kari Nordmann")
    goal(world, engage(world, kari, world.users[Role.PEER_WORKER]), "A flat of my own", ratings=[3])
    client = world.client(Role.DPO)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    content = client.get(reverse("privacy:export_pdf", args=[kari.pk])).content
    assert_tagged(content, lang=language, title="Kari Nordmann")


def test_the_board_report_is_a_tagged_pdf_with_its_charts(world):
    rnd = open_round(world)
    for g in (Group.MANAGER, Group.PROFESSIONAL, Group.PEER_WORKER):
        add_responses(rnd, g, 3, value=3)
    content = world.client(Role.MANAGER).get(reverse("readiness:report_pdf")).content
    tags = assert_tagged(content, lang="en", title=world.org.name)
    assert "/Figure" in tags or "/NonStruct" in tags  # the chart's picture, beside its table
