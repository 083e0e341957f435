# ruff: noqa: E501  (translatable sentences read better unbroken)
"""Forms for the co-assessment pages. They parse input; the services decide what is allowed."""

from __future__ import annotations

import re
from html import escape
from typing import Any, cast

from django import forms
from django.forms.renderers import DjangoTemplates
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from peerwork.cocreation.forms import PlausibleDateField
from peerwork.core.actor import Actor
from peerwork.privacy.models import Consent
from peerwork.service.models import ServiceUser

from . import guides, selectors
from .models import CoAssessment, Code, Group, Guide, Material, Participant, TeamMember


class _ByInitiative(forms.ModelChoiceField):  # type: ignore[type-arg]  # generic only in the stubs
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.initiative.title)


class _ByChosenName(forms.ModelChoiceField):  # type: ignore[type-arg]  # generic only in the stubs
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.chosen_name)


class _ByPeriod(forms.ModelChoiceField):  # type: ignore[type-arg]  # generic only in the stubs
    def label_from_instance(self, obj: Any) -> str:
        return selectors.pulse_survey_words(obj)


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Short title"), max_length=200)
    question = forms.CharField(
        label=_("Question"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the service wants to learn, in plain words."),
    )
    method = forms.ChoiceField(label=_("Method"), choices=CoAssessment.Method.choices, widget=forms.RadioSelect)
    retention_until = PlausibleDateField(
        label=_("Delete the material on"),
        help_text=_("On this day the material, the segments and the name key are deleted."),
    )
    phase = _ByInitiative(
        queryset=None, required=False, label=_("Co-assessment phase of an initiative"), empty_label=_("None")
    )
    gap: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Readiness gap"), empty_label=_("None")
    )
    pulse_survey = _ByPeriod(
        queryset=None,
        required=False,
        label=_("Pulse survey"),
        empty_label=_("None"),
        help_text=_("A quarter's pulse survey whose trend the co-assessment looks into."),
    )
    needed_fields = ("title", "question", "method", "retention_until")

    def __init__(self, actor: Actor, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        phase = self.fields["phase"]
        gap = self.fields["gap"]
        assert isinstance(phase, forms.ModelChoiceField) and isinstance(gap, forms.ModelChoiceField)
        phase.queryset = selectors.assessment_phases(actor)
        gap.queryset = selectors.readiness_gaps(actor)
        survey = self.fields["pulse_survey"]
        assert isinstance(survey, forms.ModelChoiceField)
        survey.queryset = selectors.pulse_surveys(actor)


class TeamMemberForm(forms.Form):
    person: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Person"), empty_label=_("Choose a person")
    )
    role = forms.ChoiceField(label=_("Role in the team"), choices=TeamMember.Role.choices)
    is_peer_co_researcher = forms.BooleanField(
        required=False,
        label=_("Peer worker as co-researcher"),
        help_text=_("A peer worker paid to co-write guides, sit in groups, discuss analyses and co-author."),
    )
    hours_per_month = forms.IntegerField(label=_("Hours a month"), min_value=0, max_value=200, initial=0)

    def __init__(self, actor: Actor, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = selectors.team_choices(actor)


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Group name"), max_length=120)
    kind = forms.ChoiceField(
        label=_("Who takes part"),
        choices=Group.Kind.choices,
        help_text=_("Each group holds one kind of respondent, so that everyone can speak freely."),
    )
    prefix = "group"


class ParticipantForm(forms.Form):
    group: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Group"), empty_label=_("Choose a group")
    )
    pseudonym = forms.CharField(
        label=_("Pseudonym"), max_length=40, help_text=_("For example “P7”. Never the person's real name.")
    )
    service_user = _ByChosenName(
        queryset=None, required=False, label=_("Service user who takes part"), empty_label=_("Not a service user")
    )
    staff_member: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Staff member who takes part"), empty_label=_("Not a staff member")
    )
    given_on = PlausibleDateField(label=_("Consent given on"), not_after_today=True)
    how_given = forms.ChoiceField(label=_("How consent was given"), choices=Consent.HowGiven.choices)
    needed_fields = ("group", "pseudonym", "given_on", "how_given")

    def __init__(self, actor: Actor, ca: CoAssessment, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group = self.fields["group"]
        su = self.fields["service_user"]
        staff = self.fields["staff_member"]
        assert isinstance(group, forms.ModelChoiceField)
        assert isinstance(su, forms.ModelChoiceField) and isinstance(staff, forms.ModelChoiceField)
        group.queryset = Group.objects.filter(organisation_id=actor.organisation_id, coassessment=ca)
        su.queryset = ServiceUser.objects.filter(
            organisation_id=actor.organisation_id, anonymised_at__isnull=True
        ).order_by("chosen_name")
        staff.queryset = selectors.team_choices(actor)


class ReflexivityForm(forms.Form):
    text = forms.CharField(
        label=_("Your reflexivity note"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What you bring to this analysis: your own experience, what you expect to find, your position in the "
            "service. Written before analysis starts; it is locked then and shown again at the end."
        ),
    )


class GuideForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of guide"), choices=Guide.Kind.choices)
    template = forms.ChoiceField(label=_("Start from"), required=False)
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Empty: the template's title.")
    )
    prefix = "guide"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["template"]).choices = [
            ("", _("An empty guide")),
            *((t.key, t.title) for t in guides.TEMPLATES),
        ]


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))


class EthicsForm(forms.Form):
    note = forms.CharField(
        label=_("Review note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was checked: consent forms, the name key kept apart, the deletion date."),
    )


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Material.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    group: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Group"), empty_label=_("No group")
    )
    text = forms.CharField(
        label=_("Pseudonymised text"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Pseudonyms only, never names. Audio is never stored."),
    )

    def __init__(self, actor: Actor, ca: CoAssessment, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group = self.fields["group"]
        assert isinstance(group, forms.ModelChoiceField)
        group.queryset = Group.objects.filter(organisation_id=actor.organisation_id, coassessment=ca)


def text_lines(text: str) -> list[tuple[int, str]]:
    """The material's lines, each with the number of its first character in the stored text (a line break of
    one or two characters between them), so that words selected on the page map to the stored characters."""
    out, at = [], 0
    if "\r" not in text:  # line feeds only (the usual case): split in C rather than by a pattern per character
        for line in text.split("\n"):
            out.append((at, line))
            at += len(line) + 1
        return out
    for part in re.split(r"(\r\n|\r|\n)", text):
        if part in ("\r\n", "\r", "\n"):
            at += len(part)
            continue
        out.append((at, part))
        at += len(part)
    return out


def text_html(text: str) -> SafeString:
    """The material's text for the coding page: each line in a span carrying the number of its first
    character (:func:`text_lines`), lines apart by ``<br>``; written once in Python, not a template per line."""
    return mark_safe(  # noqa: S308  (every line is escaped)
        "<br>".join(f'<span data-at="{at}">{escape(line)}</span>' for at, line in text_lines(text))
    )


def codings_html(codings: list[selectors.CodingRow], *, user_id: int, csrf_input: str) -> SafeString:
    """One segment's codings for the coding page's table: each code with its coder, and an undo button on the
    reader's own; "—" when there are none. Written in Python, not a template per coding, as a page of segments
    carries a hundred or more. ``csrf_input``: the hidden input ``{% csrf_token %}`` writes."""
    if not codings:
        return mark_safe("—")
    out = []
    undo = ""
    for c in codings:
        name = escape(c.code_name)
        out.append(f'<span class="tag">{name}</span> <span class="muted">{escape(c.coder)}</span>')
        if c.coder_id == user_id:
            undo = undo or gettext("Undo “%(code)s”")
            out.append(
                f'\n        <form method="post" action="{_undo_url(c.pk)}" class="inline-form">{csrf_input}'
                f'<button type="submit" class="button secondary">{undo % {"code": name}}</button></form>'
            )
        out.append("<br>")
    return mark_safe("".join(out))  # noqa: S308  (every value is escaped)


def _undo_url(pk: int) -> str:
    """The undo address of coding ``pk``: the URL reversed once, the number put in (``reverse`` per coding is
    most of the cost of a page of codings)."""
    head, _slash, tail = reverse("coassessment:uncode", args=[0]).rpartition("/0/")
    return f"{head}/{pk}/{tail}"


def _attrs(attrs: dict[str, Any]) -> str:
    return "".join(
        f" {conditional_escape(name)}" + ("" if value is True else f'="{conditional_escape(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def _input(w: dict[str, Any]) -> str:
    value = "" if w["value"] is None else f' value="{conditional_escape(w["value"])}"'
    return f'<input type="{conditional_escape(w["type"])}" name="{conditional_escape(w["name"])}"{value}{_attrs(w["attrs"])}>'


def _textarea(w: dict[str, Any]) -> str:
    text = conditional_escape(w["value"]) if w["value"] else ""
    return f'<textarea name="{conditional_escape(w["name"])}"{_attrs(w["attrs"])}>\n{text}</textarea>'


def _select(w: dict[str, Any]) -> str | None:
    out = [f'<select name="{conditional_escape(w["name"])}"{_attrs(w["attrs"])}>']
    for group_name, options, _index in w["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for o in options:
            if o["template_name"] != "django/forms/widgets/select_option.html":
                return None
            out.append(
                f'\n  <option value="{conditional_escape(o["value"])}"{_attrs(o["attrs"])}>{conditional_escape(o["label"])}</option>\n'
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class QuickRenderer(DjangoTemplates):
    """Django's form renderer, writing text inputs, text areas and selects in Python to the same HTML its
    templates give: a page with several long selects (the coding page) renders each option without a template."""

    _quick = {
        "django/forms/widgets/text.html": _input,
        "django/forms/widgets/number.html": _input,
        "django/forms/widgets/textarea.html": _textarea,
        "django/forms/widgets/select.html": _select,
    }

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> SafeString | str:
        quick = self._quick.get(template_name)
        widget = context.get("widget") if quick else None
        html = quick(widget) if quick and widget is not None else None
        if html is None:
            return super().render(template_name, context, request)
        return mark_safe(html.strip())  # noqa: S308  (every value above is escaped); stripped as Django does


QUICK = QuickRenderer()


class SegmentForm(forms.Form):
    """Who said which span of the text: the exact words (found in the text), or the span's character numbers."""

    participant = forms.TypedChoiceField(label=_("Who said it"), coerce=int)
    words = forms.CharField(
        label=_("Their words, copied from the text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Copy the words exactly; the first place they occur is marked. Or give the characters below."),
    )
    start = forms.IntegerField(label=_("From character"), min_value=0, required=False)
    end = forms.IntegerField(label=_("To character"), min_value=1, required=False)
    prefix = "segment"
    default_renderer = QUICK
    needed_fields = ("participant",)

    def __init__(self, participants: list[Participant], text: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.text = text
        self.speakers = {p.pk: p for p in participants}
        cast(forms.ChoiceField, self.fields["participant"]).choices = [
            ("", _("Choose a participant")),
            *((p.pk, p.pseudonym) for p in sorted(participants, key=lambda p: p.pseudonym)),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("participant") is not None:
            data["participant"] = self.speakers[data["participant"]]
        words = (data.get("words") or "").strip()
        if words:
            at = self.text.find(words)
            if at < 0:
                raise forms.ValidationError(
                    _("These words are not in the text. Copy them exactly, or give the characters.")
                )
            data["start"], data["end"] = at, at + len(words)
        elif data.get("start") is None or data.get("end") is None:
            raise forms.ValidationError(_("Copy the words from the text, or give the first and last character."))
        data.pop("words", None)
        return data


class CodeForm(forms.Form):
    name = forms.CharField(label=_("New code"), max_length=120)
    description = forms.CharField(label=_("What it means"), required=False, max_length=500)
    prefix = "code"
    default_renderer = QUICK


class CodingForm(forms.Form):
    segment = forms.TypedChoiceField(label=_("Segment"), coerce=int)
    code = forms.TypedChoiceField(label=_("Code"), coerce=int)
    prefix = "coding"
    default_renderer = QUICK

    def __init__(self, segments: list[tuple[int, str]], codes: list[Code], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["segment"]).choices = [("", _("Choose a segment")), *segments]
        cast(forms.ChoiceField, self.fields["code"]).choices = [
            ("", _("Choose a code")),
            *((c.pk, c.name) for c in codes),
        ]


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, remove everything this participant said"),
        help_text=_("Their segments, every code on them and their words in the material are removed for good."),
    )
