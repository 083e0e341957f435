"""Forms for the readiness pages. They parse input; the services decide what is valid and how to fix it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from peerwork.accounts.models import User
from peerwork.core.sources import cited
from peerwork.organisations.models import Position, Unit

from .attention import POINTS
from .instrument import DOMAINS, SCALE, Item
from .models import ActionItem, Comment, CoreTask, Group, Orientation, Risk, RoleType, TreatmentHistoryDeclaration

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

M = TypeVar("M", bound=Model)

if TYPE_CHECKING:
    _PositionChoices = forms.ModelMultipleChoiceField[Position]
else:  # Django's form fields take no type parameters at run time
    _PositionChoices = forms.ModelMultipleChoiceField


def _model_choice(form: forms.BaseForm, name: str, model: type[M]) -> forms.ModelChoiceField[M]:
    """The form's own copy of a model choice field, typed, so its queryset can be set per request."""
    return cast("forms.ModelChoiceField[M]", form.fields[name])


class PositionChoices(_PositionChoices):
    """Positions named by team and title, with the holder when there is one."""

    def label_from_instance(self, obj: Position) -> str:
        return f"{obj.unit} – {obj.title}" + (f" ({obj.holder})" if obj.holder_id else "")


def field_name(code: str) -> str:
    return "q_" + code.replace(".", "_")


class RoundForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the round"),
        max_length=200,
        required=False,
        help_text=_("For example 'Before the start, spring 2026'."),
    )
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("The whole organisation"),
        help_text=_("Ask one team, or the whole organisation."),
    )
    groups = forms.MultipleChoiceField(
        label=_("Who to ask"),
        choices=Group.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=Group.values,
        required=False,
        help_text=_("Managers, professionals and peer workers with a sign-in are invited on their home page."),
    )
    invite_members = forms.BooleanField(
        label=_("Invite everyone in the chosen groups who has a sign-in"), required=False, initial=True
    )
    links = forms.IntegerField(
        label=_("Answer links for service-user representatives"),
        min_value=0,
        max_value=200,
        initial=3,
        required=False,
        help_text=_("Each link can be used once. You will see the links once, right after starting the round."),
    )
    closes_on = forms.DateField(label=_("Closing date"), required=False, widget=DATE)

    def __init__(self, *args: Any, units: QuerySet[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "unit", Unit).queryset = units


class LinksForm(forms.Form):
    group = forms.ChoiceField(label=_("Group"), choices=Group.choices, initial=Group.SERVICE_USER_REP)
    count = forms.IntegerField(label=_("Number of links"), min_value=1, max_value=200, initial=3)


class DomainAnswerForm(forms.Form):
    """One domain's questions, each a set of radio buttons. Nothing is required: gaps stay a draft."""

    def __init__(self, *args: Any, items: Iterable[Item] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[field_name(item.code)] = forms.TypedChoiceField(
                label=item.text,
                choices=[(str(v), label) for v, label in SCALE],
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                help_text=item.why,
            )

    def questions(self) -> list[tuple[Item, forms.BoundField]]:
        return [(item, self[field_name(item.code)]) for item in self.items]

    def answers(self) -> dict[str, Any]:
        return {item.code: self.cleaned_data.get(field_name(item.code)) for item in self.items}


class SubmitForm(forms.Form):
    anonymous = forms.BooleanField(
        label=_("Submit my answers anonymously"),
        required=False,
        initial=True,
        help_text=_(
            "Anonymous answers are stored with your group only, never with your name. Results are shown "
            "only for groups where at least three people have answered anonymously. If you untick this, your "
            "answers are stored with your name, and everyone who reads this round's results sees them with "
            "your name: the managers, coordinators and administrators, and, once the round is closed, the "
            "others who were invited and the organisation's peer workers."
        ),
    )


class CommentForm(forms.Form):
    """A reader's comment or point of attention, shared or sent privately to one manager."""

    kind = forms.ChoiceField(
        label=_("What are you adding?"),
        choices=Comment.Kind.choices,
        initial=Comment.Kind.COMMENT,
        widget=forms.RadioSelect,
        help_text=_("A point of attention is something you think the team should look at."),
    )
    code = forms.ChoiceField(label=_("Which point is it about?"), required=False)
    text = forms.CharField(
        label=_("Your comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Do not name service users."),
    )
    private_to: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Who sees it"),
        queryset=None,
        required=False,
        empty_label=_("Everyone who reads this"),
        help_text=_("Choose a manager to send it to them alone: then only that manager and you see it."),
    )

    def __init__(
        self, *args: Any, managers: QuerySet[User] | None = None, register: bool = False, **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", "comment")
        super().__init__(*args, **kwargs)
        _model_choice(self, "private_to", User).queryset = managers
        if register:
            code = cast("forms.ChoiceField", self.fields["code"])
            code.choices = [("", _("The register as a whole"))] + [(p.code, f"{p.code} {p.title}") for p in POINTS]
        else:
            del self.fields["code"]


class ProgressForm(forms.Form):
    """What the owner of an action marks: how it is going, and a short note for the others."""

    status = forms.ChoiceField(label=_("How is it going?"), choices=ActionItem.Status.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("A note on the progress"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown with the action to everyone who reads the action plan."),
    )


class SettingsForm(forms.Form):
    committee_limit = forms.IntegerField(
        label=_("Most committees or working groups per peer worker"),
        min_value=0,
        max_value=99,
        help_text=cited(
            _("Peerwork's default is three; the recommendations name no number."), "s1-b1", "default-committee-limit"
        ),
    )


class CustomItemForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=[(d.code, f"{d.code} {d.title}") for d in DOMAINS])
    text_en = forms.CharField(label=_("Question in English"), max_length=300, required=False)
    text_nb = forms.CharField(label=_("Question in Norwegian Bokmål"), max_length=300, required=False)
    text_da = forms.CharField(label=_("Question in Danish"), max_length=300, required=False)


class ActionForm(forms.Form):
    needed_fields = ("title", "owner", "due_on")  # the service checks them and says what to write
    title = forms.CharField(label=_("What needs to happen"), max_length=250, required=False)
    owner: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=None,
        required=False,
        empty_label=_("Choose a person"),
        help_text=_("The person who makes sure it happens."),
    )
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices, required=False)
    source = forms.CharField(widget=forms.HiddenInput, required=False)
    source_ref = forms.CharField(widget=forms.HiddenInput, required=False)
    unit = forms.IntegerField(widget=forms.HiddenInput, required=False)
    round = forms.IntegerField(widget=forms.HiddenInput, required=False)
    risk = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, people: QuerySet[User] | None = None, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "owner", User).queryset = people
        if not editing:
            del self.fields["status"]


class RiskForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Risk.Status.choices, widget=forms.RadioSelect)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the team sees and what it agreed. Do not name service users."),
    )
    review_on = forms.DateField(label=_("Next review"), required=False, widget=DATE)


class JobDescriptionForm(forms.Form):
    # Every part is needed; the service checks them and says what to write (not "optional").
    needed_fields = (
        "title",
        "role_form",
        "role_type",
        "core_tasks",
        "tasks",
        "demarcation",
        "hours_per_week",
        "reporting_line",
        "supervision",
        "does_not_do",
    )
    title = forms.CharField(label=_("Role title"), max_length=200, required=False)
    role_form = forms.ChoiceField(
        label=_("Role form"),
        choices=Position.RoleForm.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=cited(
            _("An own role in a peer team, or a care provider in a care team who also uses lived experience."),
            "s1-roles",
        ),
    )
    role_type = forms.ChoiceField(
        label=_("Role type"),
        choices=RoleType.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=cited(
            _("From least to most influence. Pre-determined services leave the peer worker little room."), "s2-model3"
        ),
    )
    core_tasks = forms.MultipleChoiceField(
        label=_("Core tasks"), choices=CoreTask.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    tasks = forms.CharField(label=_("The role's tasks"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    demarcation = forms.CharField(
        label=_("How the tasks differ from others in the team"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=cited(
            _(
                "Peer workers often end up taking over tasks other professionals used to do; say where this role's "
                "tasks end."
            ),
            "s1-a6",
            "s2-duties",
        ),
    )
    hours_per_week = forms.DecimalField(label=_("Hours per week"), max_digits=4, decimal_places=1, required=False)
    reporting_line = forms.CharField(label=_("Reports to"), max_length=200, required=False)
    supervision = forms.CharField(
        label=_("Supervision arrangement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=cited(_("Who supervises, and how often."), "s1-a9", "default-guidance-interval"),
    )
    does_not_do = forms.CharField(
        label=_("What the role does not do"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        initial=_("Does not carry out coercive measures."),
        help_text=cited(
            _(
                "For example coercive measures. Whether the role uses the client file follows from the role form; "
                "the role card says so for you."
            ),
            "s1-b5",
            "s1-b3",
        ),
    )


class AttachForm(forms.Form):
    positions = PositionChoices(
        label=_("Positions that follow this version"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, positions: QuerySet[Position] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "positions", Position).queryset = positions


class OrientationForm(forms.Form):
    contact_person: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Contact person on the first day"),
        queryset=None,
        required=False,
        empty_label=_("Not named yet"),
    )
    buddy: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Buddy or mentor"),
        queryset=None,
        required=False,
        empty_label=_("Not named yet"),
        help_text=cited(_("Easy to reach: a senior colleague and/or a senior peer worker."), "s1-a8"),
    )
    intro_meeting_on = forms.DateField(label=_("Introductory meeting with the team"), required=False, widget=DATE)
    job_coaching = forms.ChoiceField(label=_("Job coaching"), choices=Orientation.Coaching.choices)
    first_supervision_on = forms.DateField(label=_("First supervision"), required=False, widget=DATE)
    training = forms.CharField(
        label=_("Training received"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=cited(
            _(
                "For example a course in using lived experience at work, and who gave it. The team sees this on "
                "the peer worker's role card."
            ),
            "s1-a5",
        ),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Orientation.Status.choices)

    def __init__(self, *args: Any, people: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "contact_person", User).queryset = people
        _model_choice(self, "buddy", User).queryset = people


class BriefingForm(forms.Form):
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=_("Team"), queryset=None, required=False, empty_label=_("Choose a team")
    )
    held_on = forms.DateField(label=_("Date of the briefing"), required=False, widget=DATE)
    topics = forms.CharField(
        label=_("What was covered"),
        max_length=300,
        required=False,
        help_text=_("For example: purpose of the role, tasks, what to expect from each other, doubts."),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "unit", Unit).queryset = units


class DeclarationForm(forms.Form):
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=_("Unit or team where you were treated"),
        queryset=None,
        required=False,
        empty_label=_("Choose a unit"),
    )
    disclosure = forms.ChoiceField(
        label=_("If you hold a position in this team, what may others see?"),
        choices=TreatmentHistoryDeclaration.Disclosure.choices,
        initial=TreatmentHistoryDeclaration.Disclosure.PRIVATE,
        widget=forms.RadioSelect,
        help_text=_("You can change this at any time. The reason is never shown to anyone."),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "unit", Unit).queryset = units


class DisclosureForm(forms.Form):
    """What others may see of one team the peer worker named (S1 A7)."""

    disclosure = forms.ChoiceField(
        label=_("What may others see?"),
        choices=TreatmentHistoryDeclaration.Disclosure.choices,
        widget=forms.RadioSelect,
    )
