from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerwork.core import events

from .kinds import LABELS
from .models import Preference

CHANNELS = ("in_app", "by_email", "by_sms")


class PreferencesForm(forms.Form):
    """For each kind of notification, the channels it comes by (none: not told at all)."""

    def __init__(self, data: Mapping[str, Any] | None, *, current: Mapping[str, Preference], texts_on: bool) -> None:
        super().__init__(data)
        choices = [("in_app", _("On the notifications page")), ("by_email", _("By e-mail"))]
        if texts_on:
            choices.append(("by_sms", _("By text message")))
        for kind in events.KINDS:
            self.fields[kind] = forms.MultipleChoiceField(
                label=str(LABELS[kind]),
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=[c for c in CHANNELS if getattr(current[kind], c)],
            )

    def choices(self) -> dict[str, dict[str, bool]]:
        return {kind: {c: c in self.cleaned_data[kind] for c in CHANNELS} for kind in events.KINDS}
