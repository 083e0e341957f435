from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from peerwork.core.listing import ListForm, Sort
from peerwork.core.roles import Role
from peerwork.organisations.models import Unit

from .models import ApiToken


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The user name or password is not right. Check them and try again; after five failed attempts, "
            "signing in with this user name from your network address is paused for 15 minutes."
        ),
        "inactive": _("This account is switched off. Ask your administrator."),
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={
            "required": _("Enter the six-digit code shown in your authenticator app."),
            "min_length": _("The code has six digits."),
        },
    )

    def clean_token(self) -> str:
        value = str(self.cleaned_data["token"]).replace(" ", "")
        if not value.isdigit():
            raise forms.ValidationError(_("The code has only digits, for example 123456."))
        return value


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What will use this token?"))
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=ApiToken.MAX_VALID_DAYS,
        initial=ApiToken.DEFAULT_VALID_DAYS,
        help_text=_("Every token expires. Peerwork's default is 90 days; the longest is 365 days."),
        error_messages={"required": _("Enter how many days the token is valid, from 1 to 365.")},
    )


class AddPersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    username = forms.SlugField(label=_("User name"), max_length=150, help_text=_("Letters, digits, - and _ only."))
    email = forms.EmailField(label=_("E-mail"), help_text=_("They get a link here to choose their own password."))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        label=_("Team"), queryset=Unit.objects.none(), required=False, empty_label=_("No team")
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("The language of their e-mails and, until they choose another, of Peerwork's pages."),
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
        unit = cast("forms.ModelChoiceField[Unit]", self.fields["unit"])
        unit.queryset = Unit.objects.filter(organisation_id=organisation_id)


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), help_text=_("Where Peerwork sends sign-in links and notices."))


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        label=_("Team"), queryset=Unit.objects.none(), required=False, empty_label=_("No team")
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = cast("forms.ModelChoiceField[Unit]", self.fields["unit"])
        unit.queryset = Unit.objects.filter(organisation_id=organisation_id)


class SubjectForm(forms.Form):
    provider = forms.ChoiceField(label=_("Sign-in service"))
    subject = forms.CharField(
        label=_("Their identifier there"),
        max_length=255,
        help_text=_(
            "The person's subject identifier at your organisation's sign-in service, as its administrators see "
            "it. Not the e-mail address."
        ),
    )

    def __init__(self, *args: Any, providers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["provider"]).choices = providers


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label=_("One of your recovery codes"),
        max_length=20,
        help_text=_("For example abcde-fghjk. Each code works once."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
        error_messages={"required": _("Enter one of the recovery codes you kept when you set up two-step sign-in.")},
    )


class PeopleListForm(ListForm):
    """The administrator's list of people and roles: search by name, filter by role and team, sort."""

    search_fields = ("user__first_name", "user__last_name", "user__username", "user__email")
    sorts = (
        Sort("name", _("Name"), ("user__last_name", "user__first_name", "role", "id")),
        Sort("role", _("Role"), ("role", "user__last_name", "user__first_name", "id")),
        Sort("team", _("Team"), ("unit__name", "user__last_name", "user__first_name", "id")),
        Sort("newest", _("Newest first"), ("-created_at", "-id")),
    )
    filter_lookups = {"role": "role", "unit": "unit"}

    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("Any")), *Role.choices])
    unit = forms.ModelChoiceField(label=_("Team"), queryset=Unit.objects.none(), required=False, empty_label=_("Any"))

    def __init__(self, data: Any = None, *, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        unit = cast("forms.ModelChoiceField[Unit]", self.fields["unit"])
        unit.queryset = Unit.objects.filter(organisation_id=organisation_id).order_by("name")
