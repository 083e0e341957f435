"""Forms of the groups-and-courses pages. They only parse; the services validate (the API goes through the
same services), so a form and an API call are refused for the same reasons with the same words."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Activity, ActivityPlace

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=120)
    leader_ids = forms.TypedMultipleChoiceField(
        label=_("Led by"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One or more peer workers."),
    )
    venue = forms.CharField(label=_("Where"), max_length=200, help_text=_("For example: the library, room 2."))
    schedule = forms.CharField(
        label=_("When"),
        max_length=200,
        required=False,
        help_text=_("For example: Tuesdays 18:00 to 19:30, eight weeks."),
    )
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=60, help_text=_("From 1 to 60."))
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(
        label=_("Ends on"), widget=DATE, required=False, help_text=_("Leave empty for a group that goes on.")
    )
    description = forms.CharField(label=_("What it is about"), widget=forms.Textarea, required=False, max_length=2000)

    def __init__(self, *args: Any, leaders: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["leader_ids"]).choices = leaders
        self.fields["starts_on"].initial = timezone.localdate()


class SessionForm(forms.Form):
    meets_on = forms.DateField(label=_("Date"), widget=DATE)
    starts_at = forms.TimeField(label=_("Time"), widget=TIME, required=False)


class OfferForm(forms.Form):
    activity_id = forms.TypedChoiceField(label=_("Group or course"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["activity_id"]).choices = choices


class OfferPersonForm(forms.Form):
    service_user_id = forms.TypedChoiceField(label=_("Person"), coerce=int)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["service_user_id"]).choices = [("", _("Choose a person")), *choices]


ANSWER_CHOICES = [
    (ActivityPlace.Status.TAKEN, _("Takes the place")),
    (ActivityPlace.Status.DECLINED, _("Declines")),
    (ActivityPlace.Status.LEFT, _("Has left")),
]
