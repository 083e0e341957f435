"""``{% labelled_table %}<table>…</table>{% endlabelled_table %}``: a table whose body cells carry their column's
heading (``data-label``) and whose parts carry their roles, written as the table is rendered (``core.tables``),
so the stylesheet alone stacks it on a phone. Every template with a table wraps it so (a test checks).

``{% table_rows headers rows %}`` writes a long table's body rows in one pass (``core.tables.written_rows``),
labelled on a page and as written in a PDF or an e-mail, as ``labelled_table`` would leave them."""

from __future__ import annotations

from django import template
from django.template.base import NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

from peerwork.core.tables import label_cells, written_rows

register = template.Library()


class LabelledTableNode(template.Node):
    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        rendered = self.nodelist.render(context)
        if context.get("request") is None:
            return rendered  # a PDF or an e-mail, never stacked on a phone: printed as it is written
        return mark_safe(label_cells(rendered))  # noqa: S308  (the template's own output, only attributes added)


@register.tag
def labelled_table(parser: Parser, token: Token) -> LabelledTableNode:
    nodelist = parser.parse(("endlabelled_table",))
    parser.delete_first_token()
    return LabelledTableNode(nodelist)


@register.simple_tag(takes_context=True)
def table_rows(context: Context, headers: list[object], rows: list[list[object]]) -> SafeString:
    """The body rows ``<tr><td>…</td></tr>`` of ``rows`` under the column headings ``headers`` (texts)."""
    labelled = context.get("request") is not None
    return mark_safe(written_rows(headers, rows, labelled=labelled))  # noqa: S308 (every value escaped)
