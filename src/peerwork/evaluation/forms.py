"""Forms for the evaluation pages."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from peerwork.organisations.models import Unit

from .items import DONT_KNOW, SCALE, items_for

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_DAYS = 5 * 366

PRESETS = [
    ("this_quarter", _("This quarter")),
    ("last_quarter", _("Last quarter")),
    ("last_12_months", _("The last 12 months")),
    ("this_year", _("This year")),
    ("custom", _("Dates I choose")),
]


class FilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PRESETS, required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=DATE, help_text=_("Used when the period is “Dates I choose”.")
    )
    end = forms.DateField(label=_("To"), required=False, widget=DATE)

    def __init__(self, units: QuerySet[Unit], presets: dict[str, tuple[date, date]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.presets = presets
        self.fields["unit"] = forms.ModelChoiceField(
            units,
            required=False,
            label=_("Unit or team"),
            empty_label=_("The whole organisation"),
            error_messages={
                "invalid_choice": _("Choose the whole organisation or a unit from the list."),
            },
        )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        period = data.get("period") or "last_quarter"
        if period == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Give both a start and an end date, or choose a period from the list."))
            if end < start:
                self.add_error("end", _("The end date must be on or after the start date."))
            elif end - start > timedelta(days=MAX_DAYS):
                self.add_error("end", _("Choose a period of at most five years."))
        else:
            data["start"], data["end"] = self.presets[period]
        data["period"] = period
        return data


def answer_field(label: StrOrPromise) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        widget=forms.RadioSelect,
        choices=[(v, t) for v, t in SCALE] + [(DONT_KNOW, _("Don't know"))],
    )


class PulseForm(forms.Form):
    """The five statements, worded for the group the person answers as."""

    def __init__(self, group: str, version: int, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.group = group
        for item in items_for(group, version):
            self.fields[item.condition] = answer_field(item.text)
