"""Every table a template writes is labelled as it is rendered: each ``<table>`` in a template stands inside
``{% labelled_table %}`` (so the stylesheet alone can stack it on a phone), and the tag writes the headings and
roles on a page but leaves a PDF's table as it is written."""

from __future__ import annotations

import re
from pathlib import Path

from django.template import Context, Template, engines

import peerwork

SRC = Path(peerwork.__file__).parent
OPEN = re.compile(r"<table\b")
WRAPPED_OPEN = re.compile(r"\{% labelled_table %\}<table\b")
WRAPPED_CLOSE = re.compile(r"</table>\{% endlabelled_table %\}")


def _templates_with_tables() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.html") if "<table" in p.read_text(encoding="utf-8"))


def test_every_table_in_a_template_is_labelled_as_it_is_rendered():
    found = _templates_with_tables()
    assert len(found) > 40  # the walk finds the templates
    left_out = []
    for path in found:
        text = path.read_text(encoding="utf-8")
        opened = len(OPEN.findall(text))
        if len(WRAPPED_OPEN.findall(text)) != opened or len(WRAPPED_CLOSE.findall(text)) != text.count("</table>"):
            left_out.append(str(path.relative_to(SRC)))
    assert not left_out, (
        "Wrap each table in {% labelled_table %}<table>…</table>{% endlabelled_table %} ({% load tables %}): "
        + ", ".join(left_out)
    )


def test_every_template_with_a_table_compiles():
    django = engines["django"]
    for path in _templates_with_tables():
        django.get_template(path.as_posix().split("/templates/", 1)[1])  # raises on a tag left open


TABLE = (
    '{% load tables %}{% labelled_table %}<table><thead><tr><th scope="col">Name</th></tr></thead>'
    "<tbody><tr><td>Astrid</td></tr></tbody></table>{% endlabelled_table %}"
)


def test_the_tag_labels_a_page_s_table_and_leaves_a_pdf_s_as_written(rf):
    page = Template(TABLE).render(Context({"request": rf.get("/")}))
    assert '<table role="table">' in page
    assert '<td role="cell" data-label="Name">Astrid</td>' in page
    pdf = Template(TABLE).render(Context({}))
    assert pdf == TABLE.removeprefix("{% load tables %}{% labelled_table %}").removesuffix("{% endlabelled_table %}")
