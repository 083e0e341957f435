"""What a form says when something is missing: what to do, not "This field is required.".

Django's fields share one message for an empty required field. Peerwork replaces it once, when the core app is
ready, for every form of every app (a select's empty choice is named in words where the field is declared): the
message says what to do for the kind of field (choose, tick, enter a date…), and the shared form template puts
the field's own label before it (“What kind of issue is it?: Choose one of the options.”). A form or service that
knows better still gives its own message, which wins.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

REQUIRED: dict[type[forms.Field], Any] = {
    forms.Field: _("Fill this in to go on."),
    forms.IntegerField: _("Enter a number."),
    forms.DecimalField: _("Enter a number."),
    forms.FloatField: _("Enter a number."),
    forms.DateField: _("Enter a date, for example 31.03.2026."),
    forms.TimeField: _("Enter a time, for example 14:30."),
    forms.DateTimeField: _("Enter a date and a time."),
    forms.ChoiceField: _("Choose one of the options."),
    forms.TypedChoiceField: _("Choose one of the options."),
    forms.ModelChoiceField: _("Choose one of the options."),
    forms.MultipleChoiceField: _("Choose at least one."),
    forms.ModelMultipleChoiceField: _("Choose at least one."),
    forms.BooleanField: _("Tick the box to go on."),
    forms.FileField: _("Choose a file."),
}


def install() -> None:
    """Give every kind of field its own message for a missing answer."""
    for kind, message in REQUIRED.items():
        kind.default_error_messages = {**kind.default_error_messages, "required": message}
