"""Forms of the privacy pages. They only parse input; the rules (and their messages) live in services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerwork.audit.models import AuditEntry
from peerwork.core import plain
from peerwork.core.listing import ListForm, Sort
from peerwork.core.roles import Role
from peerwork.service.models import LifeArea

from .models import Consent
from .selectors import ConsentPage


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("What did the person agree to?"),
        choices=Consent.Purpose.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    # Text fields shown as a select: the service checks the choice, so a team of another organisation gets
    # the same message as one that does not exist (Django's "valid choice" message would echo the id).
    recipient_unit = forms.CharField(
        label=_("Share with this team"),
        required=False,
        widget=forms.Select,
        help_text=_("For sharing only: choose a team, or one person below — not both."),
    )
    recipient_user = forms.CharField(label=_("Or share with this person"), required=False, widget=forms.Select)
    goals = forms.ChoiceField(
        label=_("Which goals may be shared?"),
        choices=Consent.GoalScope.choices,
        widget=forms.RadioSelect,
        required=False,
        initial=Consent.GoalScope.NONE,
    )
    goal_ids = forms.MultipleChoiceField(
        label=_("The chosen goals"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Each chosen goal, and the person's own ratings of it, is marked to be seen by the care team."),
    )
    contact_summaries = forms.BooleanField(
        label=_("Contact summaries may be shared: dates, how and how long, never what was said"),
        required=False,
    )
    note_ids = forms.MultipleChoiceField(
        label=_("Particular notes that may be shared"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only your own notes are listed, and notes already marked for the care team."),
    )
    given_on = forms.DateField(label=_("Given on"), widget=DateInput(), required=False)
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty if the person set no end. They can withdraw at any time."),
    )
    how_given = forms.ChoiceField(
        label=_("How did the person give it?"),
        choices=Consent.HowGiven.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args: Any, page: ConsentPage, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = dict(LifeArea.choices)
        self.fields["recipient_unit"].widget.choices = [("", _("No team"))] + [(u.pk, u.name) for u in page.units]
        self.fields["recipient_user"].widget.choices = [("", _("No one person"))] + [
            (u.pk, str(u)) for u in page.professionals
        ]
        cast(forms.MultipleChoiceField, self.fields["goal_ids"]).choices = [
            (g.pk, f"{areas.get(g.life_area, g.life_area)}: {g.words}") for g in page.goals
        ]
        cast(forms.MultipleChoiceField, self.fields["note_ids"]).choices = [
            (c.pk, f"{plain.when(c.date)}: {c.note[:120]}") for c in page.notes
        ]
        self.fields["given_on"].initial = timezone.localdate()
        if not page.goals:
            del self.fields["goal_ids"]
        if not page.notes:
            del self.fields["note_ids"]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, phone, e-mail or number of the person"),
        max_length=120,
        required=False,
        help_text=_("Searched within your organisation only. The search words are not kept in any address or log."),
    )


class RectifyForm(forms.Form):
    chosen_name = forms.CharField(label=_("Name"), max_length=120, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    birth_year = forms.CharField(label=_("Year of birth"), max_length=4, required=False)
    municipality = forms.CharField(label=_("Municipality"), max_length=120, required=False)
    district = forms.CharField(label=_("District"), max_length=120, required=False)
    help_with = forms.CharField(
        label=_("What the person wants help with"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("I have checked that this is the right person"), required=False)


class RetentionForm(forms.Form):
    months_after_last_engagement = forms.CharField(
        label=_("Months to keep a record after the person's last engagement closes"),
        max_length=3,
        required=False,
        help_text=_("From 1 to 120. Then the record is anonymised: counts, dates and ratings stay for statistics."),
    )


class EvaluationExportForm(forms.Form):
    recipient = forms.CharField(
        label=_("Who receives the extract"),
        max_length=200,
        required=False,
        help_text=_("For example the evaluation team or a named research partner."),
    )
    purpose = forms.CharField(label=_("What it will be used for"), max_length=300, required=False)


class PeerWorkerConsentForm(forms.Form):
    """Which button the peer worker pressed on their own consent page, and until when they agree (optional;
    the service checks the date, so the API and this page refuse the same)."""

    choice = forms.ChoiceField(
        label=_("Answer"),
        choices=[("give", "give"), ("withdraw", "withdraw")],
        widget=forms.HiddenInput,
        error_messages={
            "required": _("The form was changed in a way Peerwork cannot read. Reload the page and try again."),
            "invalid_choice": _("The form was changed in a way Peerwork cannot read. Reload the page and try again."),
        },
    )
    valid_until = forms.DateField(
        label=_("Until when do you agree?"),
        required=False,
        help_text=_("Leave empty to agree until you withdraw it."),
        widget=DateInput(),
    )


class AuditListForm(ListForm):
    """The audit trail as the data protection officer narrows it: by action, role, period, who or what."""

    search_fields = ("actor_label", "object_type", "object_id", "subject_id", "via")
    sorts = (
        Sort("newest", _("Newest first"), ("-id",)),
        Sort("oldest", _("Oldest first"), ("id",)),
    )
    filter_lookups = {"action": "action", "role": "role", "start": "at__date__gte", "end": "at__date__lte"}

    action = forms.ChoiceField(label=_("Action"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("Any")), *Role.choices])
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        action = cast(forms.ChoiceField, self.fields["action"])
        action.choices = [("", _("All actions")), *AuditEntry.Action.choices]
        search = self.fields["q"]
        search.label = _("User name, page or number")
        search.help_text = _("Part of a user name, a page's address, or the number of a record or a person.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end date is before the start date: choose a later end date."))
        return cleaned


class AccessFilterForm(forms.Form):
    """The access report's filter: who looked, and from and to which day. Read from the address (GET), so a
    filtered report can be bookmarked and downloaded as it is shown."""

    who = forms.ChoiceField(label=_("Who"), required=False)
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter the first day as a date, for example 1 March 2026 as 01.03.2026.")},
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter the last day as a date, for example 31 March 2026 as 31.03.2026.")},
    )

    def __init__(self, data: Any, *, people: list[tuple[int, str]]) -> None:
        super().__init__(data)
        who = cast(forms.ChoiceField, self.fields["who"])
        who.choices = [("", _("Everyone"))] + [(str(pk), name) for pk, name in people]
        self.fields["who"].error_messages["invalid_choice"] = _("Choose someone from the list, or Everyone.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day is before the first day: choose a last day on or after the first."))
        return data
