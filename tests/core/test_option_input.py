"""``option_input`` writes each radio button and checkbox exactly as Django's widget templates do."""

from __future__ import annotations

from django import forms

from peerwork.core.templatetags.fields import option_input


class _Choices(forms.Form):
    one = forms.ChoiceField(choices=[("a", "A & B"), ("b", 'Say "b"')], widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(
        choices=[(0, "Monday"), (1, "Tuesday")], widget=forms.CheckboxSelectMultiple(attrs={"class": "x"})
    )
    later = forms.ChoiceField(choices=[("y", "Yes")], required=False, widget=forms.RadioSelect, disabled=True)


def _same(form: forms.Form) -> int:
    n = 0
    for field in form:
        for choice in field:
            assert str(option_input(choice)) == str(choice.tag()), (field.name, choice.tag())
            n += 1
    return n


def test_unbound_bound_and_invalid_forms_write_the_same_tags():
    assert _same(_Choices(prefix="p", initial={"one": "b", "many": [1]})) == 5
    assert _same(_Choices({"one": "a", "many": ["0", "1"]})) == 5
    invalid = _Choices({"one": "zzz"})
    assert not invalid.is_valid()
    assert _same(invalid) == 5
