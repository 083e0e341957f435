"""The coding page's forms render their inputs, text areas and selects in Python to the very HTML Django's
widget templates give, including escaping, chosen options, hints and errors; its text and each segment's codings
are written in Python to the HTML the templates they replace wrote."""

from __future__ import annotations

from types import SimpleNamespace

from django import forms as django_forms
from django.forms.renderers import DjangoTemplates

from peerwork.coassessment import forms


def _both(form_class, *args, **kwargs) -> tuple[str, str]:
    quick = form_class(*args, **kwargs)
    plain = form_class(*args, renderer=DjangoTemplates(), **kwargs)
    return (
        "".join(str(field) for field in quick),
        "".join(str(field) for field in plain),
    )


def test_the_quick_renderer_writes_what_the_templates_write():
    speakers = [SimpleNamespace(pk=2, pseudonym="P<2>"), SimpleNamespace(pk=1, pseudonym='P "1" & co')]
    for data in (None, {"segment-participant": "2", "segment-words": "a <b> & 'c'", "segment-start": "x"}):
        quick, plain = _both(forms.SegmentForm, speakers, "the text", data)
        assert quick == plain and "<option" in quick
    codes = [SimpleNamespace(pk=5, name="Hope & <fear>"), SimpleNamespace(pk=6, name="Timing")]
    for data in (None, {"coding-segment": "9", "coding-code": "6"}, {"coding-segment": "", "coding-code": "5"}):
        quick, plain = _both(forms.CodingForm, [(9, "P1: “I felt heard”"), (10, "P2: <late>")], codes, data)
        assert quick == plain and " selected" in quick
    for data in (None, {"code-name": 'A "new" code', "code-description": "x" * 600}):
        quick, plain = _both(forms.CodeForm, data)
        assert quick == plain


def test_other_widgets_fall_back_to_the_templates():
    class Other(django_forms.Form):
        agree = django_forms.BooleanField()
        when = django_forms.DateField(widget=django_forms.SelectDateWidget)
        default_renderer = forms.QUICK

    quick = "".join(str(f) for f in Other())
    plain = "".join(str(f) for f in Other(renderer=DjangoTemplates()))
    assert quick == plain and 'type="checkbox"' in quick


def test_the_material_text_is_written_as_the_line_by_line_template_wrote_it():
    from django.template import engines

    text = "P1: <b>bold</b> & 'quoted'\r\nP2: \"two\"\n\nP3: three"
    template = engines["django"].from_string(
        '{% for at, line in lines %}<span data-at="{{ at }}">{{ line }}</span>'
        "{% if not forloop.last %}<br>{% endif %}{% endfor %}"
    )
    assert forms.text_html(text) == template.render({"lines": forms.text_lines(text)})


def test_the_lines_of_a_text_with_line_feeds_only_are_numbered_as_with_any_line_breaks():
    import re

    def by_pattern(text):
        out, at = [], 0
        for part in re.split(r"(\r\n|\r|\n)", text):
            if part in ("\r\n", "\r", "\n"):
                at += len(part)
                continue
            out.append((at, part))
            at += len(part)
        return out

    for text in ("", "\n", "one", "one\n", "\none\n\ntwo", "P1: a\nP2: b\n\n\nP3: c\n"):
        assert forms.text_lines(text) == by_pattern(text)


def test_the_codings_of_a_segment_are_written_as_the_per_coding_template_wrote_them():
    from django.template import engines
    from django.urls import reverse

    from peerwork.coassessment.selectors import CodingRow

    template = engines["django"].from_string(
        '{% load i18n %}{% for c in codings %}<span class="tag">{{ c.code_name }}</span> '
        '<span class="muted">{{ c.coder }}</span>{% if c.coder_id == user_id %}\n'
        '        <form method="post" action="{% url \'coassessment:uncode\' c.pk %}" class="inline-form">'
        "{{ csrf_input }}"
        '<button type="submit" class="button secondary">'
        "{% blocktranslate with code=c.code_name %}Undo “{{ code }}”{% endblocktranslate %}</button></form>"
        "{% endif %}<br>{% empty %}—{% endfor %}"
    )
    codings = [
        CodingRow(7, "Hope & <fear>", 1, "Kari 'K' Nordmann"),
        CodingRow(12345, "Timing", 2, "Ola"),
        CodingRow(8, 'Being "heard"', 1, "Kari 'K' Nordmann"),
    ]
    csrf = '<input type="hidden" name="csrfmiddlewaretoken" value="t">'
    for shown in (codings, []):
        context = {"codings": shown, "user_id": 1, "csrf_input": forms.mark_safe(csrf)}
        assert forms.codings_html(shown, user_id=1, csrf_input=csrf) == template.render(context)
    assert reverse("coassessment:uncode", args=[12345]) in forms.codings_html(codings, user_id=2, csrf_input=csrf)
