"""Every form says what to do when something is missing, and marks as optional only what is optional."""

from __future__ import annotations

import re

from django import forms
from django.template import Context, Template
from django.urls import reverse

from peerwork.core.roles import Role


class Everything(forms.Form):
    name = forms.CharField(label="Name")
    kind = forms.ChoiceField(
        label="What kind of issue is it?", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    kinds = forms.MultipleChoiceField(label="Areas", choices=[("a", "A")], widget=forms.CheckboxSelectMultiple)
    agree = forms.BooleanField(label="I agree")
    day = forms.DateField(label="Day")
    hours = forms.DecimalField(label="Hours")


def test_a_missing_answer_says_what_to_do_for_its_kind_of_field():
    form = Everything({})
    assert not form.is_valid()
    assert form.errors["kind"] == ["Choose one of the options."]
    assert form.errors["kinds"] == ["Choose at least one."]
    assert form.errors["agree"] == ["Tick the box to go on."]
    assert form.errors["day"] == ["Enter a date, for example 31.03.2026."]
    assert form.errors["hours"] == ["Enter a number."]
    assert form.errors["name"] == ["Fill this in to go on."]
    html = Template("{% include 'includes/form.html' %}").render(Context({"form": form}))
    assert "This field is required" not in html
    assert "What kind of issue is it?: Choose one of the options." in html


def test_the_job_description_marks_nothing_optional_that_it_needs(world):
    html = world.client(Role.MANAGER).get(reverse("readiness:role_new")).content.decode()
    for label in ("Reports to", "Supervision arrangement", "Role title", "Hours per week"):
        assert re.search(rf">{label}</(label|legend)>", html), label
    assert "(optional)" not in html
    assert "---------" not in html
