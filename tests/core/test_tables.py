"""core.tables and the ``labelled_table`` template tag: every body cell carries its column's heading and each
part its role, so the stylesheet alone can stack a table on a phone."""

from __future__ import annotations

from django.template import Context, Template

from peerwork.core.tables import label_cells

TABLE = """<table><caption>People</caption>
<thead><tr><td></td><th scope="col">Name <span class="visually-hidden">(sorted)</span></th>
<th scope="col" colspan="2">When &amp; where</th></tr></thead>
<tbody><tr><th scope="row">1</th><td>Astrid</td><td>Monday</td><td data-label="Own">Oslo</td></tr></tbody></table>"""


def test_body_cells_carry_their_column_heading_and_parts_their_role():
    page = label_cells(TABLE)
    assert '<table role="table">' in page
    assert '<thead role="rowgroup">' in page and '<tbody role="rowgroup">' in page
    assert page.count('role="row"') == 2
    assert '<th scope="col" role="columnheader">' in page
    assert '<th scope="row" role="rowheader">' in page
    assert '<td role="cell" data-label="Name (sorted)">Astrid</td>' in page
    assert '<td role="cell" data-label="When &amp; where">Monday</td>' in page
    assert '<td data-label="Own" role="cell">Oslo</td>' in page  # a label the template wrote is kept


def test_a_table_that_stays_a_table_and_a_page_without_tables_are_left_alone():
    kept = '<table class="keep-table"><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>'
    assert label_cells(kept) == kept
    assert label_cells("<p>No tables</p>") == "<p>No tables</p>"


def test_the_template_tag_labels_a_page_and_leaves_a_pdf_or_an_e_mail_as_written(rf):
    wrapped = Template("{% load tables %}{% labelled_table %}" + TABLE + "{% endlabelled_table %}")
    page = wrapped.render(Context({"request": rf.get("/")}))
    assert page == label_cells(TABLE)
    assert 'data-label="Name (sorted)"' in page
    assert wrapped.render(Context({})) == TABLE  # no request: a PDF or an e-mail, printed as it is written


def test_rows_written_in_one_pass_read_as_the_template_loop_would_have_written_them(rf):
    headers = ["Name", "When &amp; where"]
    rows = [["Astrid <3", ""], [0, "Monday"], ["Bo", "Oslo", "extra"]]
    loop = Template(
        '{% load tables %}{% labelled_table %}<table><thead><tr>{% for h in headers %}<th scope="col">{{ h }}'
        '</th>{% endfor %}</tr></thead><tbody>{% for row in rows %}<tr>{% for v in row %}<td>{{ v|default:"—" }}'
        "</td>{% endfor %}</tr>{% endfor %}</tbody></table>{% endlabelled_table %}"
    )
    written = Template(
        '{% load tables %}{% labelled_table %}<table><thead><tr>{% for h in headers %}<th scope="col">{{ h }}'
        "</th>{% endfor %}</tr></thead><tbody>{% table_rows headers rows %}</tbody></table>{% endlabelled_table %}"
    )
    headers = ["Name", "When & where"]
    for context in ({"request": rf.get("/")}, {}):  # a page, then a PDF or an e-mail
        expected = loop.render(Context({"headers": headers, "rows": rows, **context}))
        assert written.render(Context({"headers": headers, "rows": rows, **context})) == expected
    page = written.render(Context({"headers": headers, "rows": rows, "request": rf.get("/")}))
    assert '<td role="cell" data-label="Name">Astrid &lt;3</td>' in page and "<!--" not in page
