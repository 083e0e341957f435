"""No required field is marked "(optional)": the one field template derives the mark from the form field itself
(``field.required``, or the form's ``needed_fields`` for a field its service requires), and no template writes
the mark by hand."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.template.loader import render_to_string

import peerwork

OPTIONAL = re.compile(r'<(?:label|legend)[^>]*>([^<]*)(?:<[^>]*>[^<]*)*?<span class="optional">', re.S)
SRC = Path(peerwork.__file__).parent


def _forms() -> list[forms.BaseForm]:
    """An unbound instance of every form class Peerwork's apps declare that can be made without arguments."""
    made: list[forms.BaseForm] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("peerwork."):
            continue
        if not (Path(config.path) / "forms.py").exists():
            continue  # an app without forms
        module = importlib.import_module(f"{config.name}.forms")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, forms.BaseForm) or cls.__module__ != module.__name__:
                continue
            try:
                made.append(cls())
            except (TypeError, KeyError, AttributeError, ValueError):
                continue  # a form that needs the acting user or an object; its page is walked by the page tests
    return made


@pytest.mark.django_db
def test_no_required_field_is_marked_optional():
    wrong = []
    rendered = 0
    for form in _forms():
        try:
            html = render_to_string("includes/form.html", {"form": form})
        except AttributeError:
            continue  # a choice field whose choices the view fills in for the acting user
        rendered += 1
        needed = set(getattr(form, "needed_fields", ()))
        for name, field in form.fields.items():
            bound = form[name]
            if not (field.required or name in needed) or field.widget.is_hidden:
                continue
            label = re.escape(str(bound.label))
            if re.search(rf">{label}\s*<span class=\"optional\">", html):
                wrong.append(f"{type(form).__module__}.{type(form).__name__}.{name}")
    assert rendered >= 20, rendered
    assert not wrong, f"Required fields marked optional: {wrong}"


def test_no_template_writes_optional_by_hand():
    by_hand = []
    for path in SRC.rglob("*.html"):
        text = path.read_text()
        if path.name == "field.html":
            continue
        for m in re.finditer(r'<span class="optional">', text):
            before = text[max(0, m.start() - 200) : m.start()]
            if "required" not in before and "needed" not in before:
                by_hand.append(str(path.relative_to(SRC)))
    assert not by_hand, f"Templates marking a field optional without asking the field: {by_hand}"
