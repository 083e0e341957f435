# ruff: noqa: E501  (translatable sentences read better unbroken)
"""Forms for peer-led surveys. They parse input; the survey services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerwork.cocreation.forms import PlausibleDateField
from peerwork.core.actor import Actor

from .models import CoAssessment
from .survey_models import PeerSurvey, SurveyQuestion
from .survey_services import MAX_LINKS, MAX_TEXT


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Why you ask and what happens with the answers, in plain words. People read this before answering."
        ),
    )
    for_service_users = forms.BooleanField(
        required=False, label=_("The organisation's service users (through links you hand out)")
    )
    for_peer_workers = forms.BooleanField(required=False, label=_("Peer workers (signed in)"))
    for_staff = forms.BooleanField(required=False, label=_("Staff (signed in)"))
    opens_on = PlausibleDateField(label=_("Opens on"))
    closes_on = PlausibleDateField(label=_("Closes on"))
    coassessment: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=CoAssessment.objects.none(), required=False, label=_("Part of a co-assessment"), empty_label=_("None")
    )

    def __init__(self, actor: Actor, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["coassessment"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = CoAssessment.objects.filter(organisation_id=actor.organisation_id).order_by("title")


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("How people answer"), choices=SurveyQuestion.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("Question"), max_length=500)
    low_label = forms.CharField(
        required=False, max_length=80, label=_("Words at 1"), help_text=_("For a scale, for example “Not at all”.")
    )
    high_label = forms.CharField(
        required=False, max_length=80, label=_("Words at 5"), help_text=_("For a scale, for example “Very much”.")
    )
    options = forms.CharField(
        required=False,
        label=_("Options"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a choice: one option a line."),
    )


class LinksForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many links"),
        min_value=1,
        max_value=MAX_LINKS,
        initial=10,
        help_text=_("Each link can be used once. Hand one to each service user; nobody's name is kept with it."),
    )


class AnswerForm(forms.Form):
    """One field per question, none required: anyone may leave out a question."""

    def __init__(self, survey: PeerSurvey, groups: list[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(groups) > 1:
            self.fields["group"] = forms.ChoiceField(label=_("You answer as"), choices=groups, widget=forms.RadioSelect)
        for q in survey.questions.order_by("position", "pk"):
            name = f"q{q.pk}"
            if q.kind == SurveyQuestion.Kind.TEXT:
                self.fields[name] = forms.CharField(
                    required=False, label=q.text, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
                )
                continue
            if q.kind == SurveyQuestion.Kind.SCALE:
                choices = [(str(i), str(i)) for i in range(1, 6)]
                choices[0] = ("1", f"1 – {q.low_label}")
                choices[4] = ("5", f"5 – {q.high_label}")
            else:
                choices = [(str(i), option) for i, option in enumerate(q.option_list(), start=1)]
            self.fields[name] = forms.ChoiceField(
                required=False, label=q.text, choices=choices, widget=forms.RadioSelect
            )
