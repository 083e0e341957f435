"""The questions a round asks: the built-in instrument plus the organisation's own questions of that round."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from .instrument import DOMAINS, ITEMS, Item
from .models import CustomItem, Round

OWN_QUESTION = _("A question your organisation added.")


def custom_as_item(c: CustomItem) -> Item:
    return Item(code=c.code, domain=c.domain, text=c.text, why=OWN_QUESTION, source=())


def items_for(custom: Iterable[CustomItem]) -> list[Item]:
    """Built-in items and custom ones, in domain order."""
    extra = [custom_as_item(c) for c in custom]
    order = {d.code: n for n, d in enumerate(DOMAINS)}
    builtin = {i.code: n for n, i in enumerate(ITEMS)}

    def key(i: Item) -> tuple[int, int, int]:
        return (
            (order[i.domain], 1, int(i.code[1:])) if i.code.startswith("C") else (order[i.domain], 0, builtin[i.code])
        )

    return sorted([*ITEMS, *extra], key=key)


def round_items(rnd: Round) -> list[Item]:
    if rnd._items_cache is None:
        rnd._items_cache = items_for(rnd.custom_items.all())
    return rnd._items_cache


def item_domains(items: Iterable[Item]) -> dict[str, str]:
    return {i.code: i.domain for i in items}
