# ruff: noqa: E501  (translatable sentences read better unbroken)
"""Forms of the analysis pages. They parse input; ``analysis`` (the services) decides what is allowed.

Several forms sit on one step page (one per theme or material), so each takes a prefix of its own: two forms
on a page never share an id.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Code, Decision, Theme


def _why() -> forms.CharField:
    return forms.CharField(
        label=_("Why (for the decision trail)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A sentence the team can read later: what made you decide this."),
    )


def _choices(field: forms.Field, choices: list[tuple[Any, Any]]) -> None:
    cast(forms.ChoiceField, field).choices = choices


class MemoForm(forms.Form):
    text = forms.CharField(label=_("Your familiarisation memo"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["why"] = _why()


class ThemeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    codes = forms.TypedMultipleChoiceField(
        label=_("Codes it brings together"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, codes: list[Code] | None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if codes is None:
            del self.fields["codes"]
        else:
            _choices(self.fields["codes"], [(c.pk, c.name) for c in codes])
        self.fields["why"] = _why()


class CodesForm(forms.Form):
    codes = forms.TypedMultipleChoiceField(
        label=_("Codes in this theme"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, codes: list[Code], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["codes"], [(c.pk, c.name) for c in codes])
        self.fields["why"] = _why()


class UnitsForm(forms.Form):
    segments = forms.TypedMultipleChoiceField(
        label=_("Meaning units in this code group"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, units: list[tuple[int, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["segments"], units)
        self.fields["why"] = _why()


class ReviewForm(forms.Form):
    review = forms.ChoiceField(
        label=_("After reading the coded extracts and the whole material again"),
        choices=[(Theme.Review.KEPT, _("Keep the theme")), (Theme.Review.SET_ASIDE, _("Set it aside"))],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["why"] = _why()


class DefineForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    definition = forms.CharField(
        label=_("Definition"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the theme holds and what it leaves out."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["why"] = _why()


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, label: str, hint: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.fields["text"].help_text = hint
        self.fields["why"] = _why()


class QuoteForm(forms.Form):
    segment = forms.TypedChoiceField(label=_("Illustrative quote"), coerce=int)
    deidentified = forms.BooleanField(
        label=_("I have read the quote again: names, places and other details that could identify someone are removed"),
        required=False,
    )

    def __init__(self, units: list[tuple[int, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["segment"], [("", _("Choose a meaning unit")), *units])
        self.fields["why"] = _why()


class StepForm(forms.Form):
    step = forms.TypedChoiceField(label=_("Move the team to"), coerce=int)

    def __init__(self, names: list[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(
            self.fields["step"],
            [
                ("", _("Choose a step")),
                *((i, _("Step %(n)s: %(name)s") % {"n": i, "name": n}) for i, n in enumerate(names, 1)),
            ],
        )
        self.fields["why"] = _why()


class MemberCheckForm(forms.Form):
    group = forms.TypedChoiceField(label=_("Send the draft to the group"), coerce=int)

    def __init__(self, groups: list[tuple[int, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["group"], [("", _("Choose a group")), *groups])


class CommentForm(forms.Form):
    participant = forms.TypedChoiceField(label=_("Participant (pseudonym)"), coerce=int)
    text = forms.CharField(label=_("Their comment"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, participants: list[tuple[int, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["participant"], [("", _("Choose a participant")), *participants])


class ActionForm(forms.Form):
    owner_id = forms.TypedChoiceField(label=_("Who owns the action"), coerce=int)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, people: list[tuple[int, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["owner_id"], [("", _("Choose a person")), *people])


class YouSaidForm(forms.Form):
    you_said = forms.CharField(label=_("You said"), widget=forms.Textarea(attrs={"rows": 2}))
    we_did = forms.CharField(label=_("We did"), widget=forms.Textarea(attrs={"rows": 2}))


class UndoForm(forms.Form):
    kind = forms.ChoiceField(choices=Decision.Kind.choices, widget=forms.HiddenInput)
