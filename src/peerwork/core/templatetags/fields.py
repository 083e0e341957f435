"""``{{ choice|option_input }}``: one radio button or checkbox of a choice field, written in Python.

Django writes each option through three nested widget templates (``radio_option.html`` →
``input_option.html`` → ``input.html`` → ``attrs.html``); a form of a few choice groups renders dozens of them,
which made forms the larger part of a page's time. This writes the same tag, attribute for attribute, as
``BoundWidget.tag()`` without a label around it (``wrap_label=False``, how ``includes/field.html`` uses it).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def option_input(choice: Any) -> SafeString:
    """The ``<input>`` of one option (a ``BoundWidget``), as Django's ``input.html`` and ``attrs.html`` write it."""
    data = choice.data
    parts = [f'<input type="{conditional_escape(data["type"])}" name="{conditional_escape(data["name"])}"']
    if data["value"] is not None:
        parts.append(f' value="{conditional_escape(str(data["value"]))}"')
    for name, value in data["attrs"].items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    parts.append(">")
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)
