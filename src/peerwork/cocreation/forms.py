"""Forms for the co-creation pages. They parse input; the services decide what is allowed."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerwork.accounts.models import User
from peerwork.core import validation
from peerwork.core.actor import Actor
from peerwork.core.listing import ListForm, Sort
from peerwork.core.roles import MANAGING_ROLES, PEER_ROLES, Role
from peerwork.core.sources import cited
from peerwork.organisations.models import Unit

from . import selectors
from .models import Board, Contribution, ParticipantKind, Phase, Seat, Signal


class PlausibleDateField(forms.DateField):
    """A date inside Peerwork's plausible range (``core.validation``: from 1900 to ten years ahead, or to
    today with ``not_after_today``): the form refuses what the service would refuse, with the same message."""

    def __init__(self, *args: Any, not_after_today: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(*args, **kwargs)
        self.not_after_today = not_after_today
        self.widget.attrs["min"] = validation.EARLIEST.isoformat()

    def validate(self, value: Any) -> None:
        super().validate(value)
        last = timezone.localdate() if self.not_after_today else None
        if isinstance(value, date) and (message := validation.date_error(value, last=last)):
            raise ValidationError(message, code="implausible")


class _SeatChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]  # generic only in the stubs
    """Held seats, labelled with the board, the holder and the kind of seat."""

    def label_from_instance(self, obj: Any) -> str:
        seat = cast(Seat, obj)
        return str(
            _("%(board)s: %(holder)s (%(kind)s)")
            % {"board": seat.board.name, "holder": seat.holder_display, "kind": seat.get_kind_display()}
        )


def _units(actor: Actor) -> forms.ModelChoiceField[Unit]:
    return forms.ModelChoiceField(
        Unit.objects.filter(organisation_id=actor.organisation_id).order_by("name"),
        required=False,
        label=_("Unit or team"),
        empty_label=_("The whole organisation"),
    )


class InitiativeForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("For example: Evening drop-in for young adults.")
    )
    problem_statement = forms.CharField(
        label=_("Problem statement"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What is not working, and for whom? Write it so a service user would recognise it."),
    )
    owner: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        queryset=None,
        label=_("Lead owner"),
        empty_label=_("Choose the lead owner"),
        help_text=_(
            "The manager, coordinator, peer worker or senior peer worker who answers first for the initiative."
        ),
    )
    co_owners: forms.ModelMultipleChoiceField[User] = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Co-owners"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Colleagues who own the initiative with the lead owner. You can add more later."),
    )

    def __init__(self, actor: Actor, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owners = selectors.possible_owners(actor)
        cast("forms.ModelChoiceField[User]", self.fields["owner"]).queryset = owners
        cast("forms.ModelMultipleChoiceField[User]", self.fields["co_owners"]).queryset = owners.exclude(
            pk=actor.user.pk
        )
        self.fields["owner"].initial = actor.user.pk
        if not actor.has(*MANAGING_ROLES):
            self.fields["owner"].help_text = _(
                "You can name someone else as lead owner; you stay a co-owner of what you start."
            )
        self.fields["unit"] = _units(actor)
        self.order_fields(["title", "problem_statement", "owner", "co_owners", "unit"])


class CoOwnerForm(forms.Form):
    person: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        queryset=None,
        label=_("Colleague"),
        empty_label=_("Choose a colleague"),
        help_text=_("A manager, programme coordinator, peer worker or senior peer worker."),
    )

    def __init__(self, actor: Actor, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[User]", self.fields["person"]).queryset = selectors.possible_owners(actor)


class PhaseForm(forms.Form):
    start_date = PlausibleDateField(label=_("Start date"), required=False)
    end_date = PlausibleDateField(label=_("End date"), required=False, help_text=_("On or after the start date."))
    status = forms.ChoiceField(label=_("Status"), choices=Phase.Status.choices)


class ParticipantForm(forms.Form):
    kind = forms.ChoiceField(label=_("Takes part as"), choices=ParticipantKind.choices)
    person: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Colleague in Peerwork"),
        empty_label=_("Someone outside Peerwork"),
    )
    external_name = forms.CharField(
        label=_("Or: name of someone outside Peerwork"),
        max_length=120,
        required=False,
        help_text=_(
            "For service users and user-organisation representatives: the name they want to be known by "
            "in this work. A first name or initials are enough."
        ),
    )

    def __init__(self, actor: Actor, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[User]", self.fields["person"]).queryset = selectors.colleagues(actor)


class ContributionForm(forms.Form):
    phase: forms.ModelChoiceField[Phase] = forms.ModelChoiceField(
        queryset=None, label=_("In which phase"), empty_label=None
    )
    summary = forms.CharField(label=_("Your proposal in short"), max_length=200)
    details = forms.CharField(label=_("More detail"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, actor: Actor, phases: list[Phase], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Phase]", self.fields["phase"]).queryset = Phase.objects.filter(
            pk__in=[p.pk for p in phases]
        ).order_by("position")
        current = next((p for p in phases if p.status == Phase.Status.ACTIVE), None)
        if current:
            self.fields["phase"].initial = current.pk
        if actor.has(Role.MANAGER, Role.COORDINATOR):
            self.fields["summary"].label = _("The proposal in short")
            self.fields["contributor"] = forms.ModelChoiceField(
                queryset=selectors.colleagues(actor, *PEER_ROLES),
                required=False,
                label=_("Proposed by a peer worker"),
                empty_label=_("A service user (write the name below)"),
            )
            self.fields["contributor_name"] = forms.CharField(
                label=_("Or: proposed by a service user"),
                max_length=120,
                required=False,
                help_text=_("The name the person wants to be known by; a first name or initials are enough."),
            )
            self.fields["submitted_on"] = PlausibleDateField(
                label=_("Proposed on"), required=False, not_after_today=True, help_text=_("Leave empty for today.")
            )


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What came of it"),
        widget=forms.RadioSelect,
        choices=[c for c in Contribution.Outcome.choices if c[0] != Contribution.Outcome.PENDING],
    )
    outcome_note = forms.CharField(
        label=_("Reason, or what changed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Needed when the proposal is not taken forward (say why) or adopted with changes (say what "
            "changed). The person who made the proposal reads this."
        ),
    )
    decided_on = PlausibleDateField(
        label=_("Decided on"), required=False, not_after_today=True, help_text=_("Leave empty for today.")
    )
    decided_with: forms.ModelChoiceField[Board] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("A joint decision of"),
        empty_label=_("Not a joint decision: I record my own decision"),
        help_text=_("When a board or working group decided together, choose it and tick who took part."),
    )
    participants = _SeatChoices(
        queryset=Seat.objects.none(),
        required=False,
        label=_("Who took part"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members of the board or working group you chose, by their seat."),
    )
    guests = forms.CharField(
        label=_("Others who took part"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Anyone else who took part in the decision, one name per line. First names are enough."),
    )

    def __init__(self, actor: Actor, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        boards = selectors.joint_decision_boards(actor)
        cast("forms.ModelChoiceField[Board]", self.fields["decided_with"]).queryset = Board.objects.filter(
            pk__in=[b.pk for b in boards]
        ).order_by("name")
        cast(_SeatChoices, self.fields["participants"]).queryset = (
            Seat.objects.filter(board__in=[b.pk for b in boards])
            .exclude(holder__isnull=True, holder_name="")
            .select_related("board", "holder")
            .order_by("board__name", "-leads", "kind", "id")
        )

    def clean_guests(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["guests"].splitlines() if line.strip()]


class PolicyForm(forms.Form):
    contribution_pending_limit_days = forms.IntegerField(
        label=_("Days a contribution may wait for a decision"),
        min_value=1,
        max_value=365,
        help_text=cited(
            _(
                "After this many days a proposal without an outcome is flagged on managers' home pages. Peerwork's "
                "default is 30 days."
            ),
            "default-pending",
        ),
    )


class BoardForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Board.Kind.choices, widget=forms.RadioSelect)
    purpose = forms.CharField(label=_("What it is for"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    leader: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Peer worker who leads it"),
        empty_label=_("No one"),
        help_text=_("Needed for a local service user board led by a peer worker."),
    )

    def __init__(self, actor: Actor, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[User]", self.fields["leader"]).queryset = selectors.colleagues(actor, *PEER_ROLES)
        if not actor.has(*MANAGING_ROLES):
            self.fields["kind"].initial = Board.Kind.PEER_LED_USER_BOARD
            self.fields["kind"].help_text = _(
                "A local service user board led by a peer worker starts at once, with you leading it unless you "
                "choose another peer worker. Any other kind is a proposal: a manager or coordinator confirms it "
                "before it meets."
            )
            self.fields["leader"].help_text = _("Leave empty to lead it yourself.")
        self.fields["unit"] = _units(actor)


class SeatForm(forms.Form):
    kind = forms.ChoiceField(label=_("Seat for"), choices=ParticipantKind.choices)
    holder: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Held by a colleague"),
        empty_label=_("Someone outside Peerwork, or vacant"),
    )
    holder_name = forms.CharField(
        label=_("Or: held by someone outside Peerwork"),
        max_length=120,
        required=False,
        help_text=_("Leave both empty for a vacant seat."),
    )
    leads = forms.BooleanField(label=_("Leads the board"), required=False)
    also_acts_as = forms.ChoiceField(
        label=_("Also acts as"),
        required=False,
        choices=[("", _("No other role"))] + list(ParticipantKind.choices),
        help_text=_(
            "Another role the holder brings, for example a peer worker who also represents a user organisation."
        ),
    )

    def __init__(self, actor: Actor, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[User]", self.fields["holder"]).queryset = selectors.colleagues(actor)


class MeetingForm(forms.Form):
    held_on = PlausibleDateField(label=_("Date"))
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 4}))


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))
    follow_up_by = forms.CharField(label=_("Who follows it up"), max_length=120, required=False)


class SignalForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of issue is it?"), choices=Signal.Kind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("In one sentence"),
        max_length=200,
        help_text=_("For example: people are turned away at the emergency shelter after 22:00."),
    )
    description = forms.CharField(
        label=_("What happens, where and when"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Describe the situation, not the person: no names, ages, addresses or stories that point to someone."
        ),
    )
    responsible_manager: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        queryset=None,
        label=_("Send to"),
        empty_label=_("Choose a manager"),
        help_text=_("The manager who must acknowledge it."),
    )
    visibility = forms.ChoiceField(
        label=_("Your name"),
        choices=Signal.Visibility.choices,
        initial=Signal.Visibility.NAMED,
        widget=forms.RadioSelect,
    )
    names_service_user = forms.BooleanField(
        label=_("My text names or describes a service user so they could be recognised"),
        required=False,
    )

    def __init__(self, actor: Actor, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[User]", self.fields["responsible_manager"]).queryset = selectors.managers(actor)
        self.fields["unit"] = _units(actor)
        self.fields["unit"].label = _("Which team does it concern")
        self.order_fields(
            [
                "kind",
                "title",
                "description",
                "unit",
                "responsible_manager",
                "visibility",
                "names_service_user",
            ]
        )


class SignalDecisionForm(forms.Form):
    decision = forms.CharField(
        label=_("Your decision"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you will do about it. The sender reads this."),
    )


class SignalOutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("What came of it"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Closes the signal. The sender reads this."),
    )


class InitiativeListForm(ListForm):
    """The initiatives list: search the titles and problems, narrow by team or waiting proposals, sort."""

    search_fields = ("title", "problem_statement")
    sorts = (
        Sort("newest", _("Newest first"), ("-created_at", "-id")),
        Sort("oldest", _("Oldest first"), ("created_at", "id")),
        Sort("title", _("Title"), ("title", "id")),
        Sort("waiting", _("Most proposals waiting first"), ("-pending", "-created_at", "-id")),
    )
    filter_lookups = {"unit": "unit"}

    unit = forms.ModelChoiceField(
        label=_("Unit or team"), queryset=Unit.objects.none(), required=False, empty_label=_("All")
    )
    waiting = forms.BooleanField(label=_("Only with proposals waiting for an answer"), required=False)

    def __init__(self, data: Any = None, *, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        unit = cast("forms.ModelChoiceField[Unit]", self.fields["unit"])
        unit.queryset = Unit.objects.filter(organisation_id=organisation_id).order_by("name")

    def filter_waiting(self, qs: Any, value: bool) -> Any:
        return qs.filter(pending__gt=0)
