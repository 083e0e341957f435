"""Forms of the peer recovery service pages. They only parse input; the rules live in ``services.py``."""

from __future__ import annotations

from datetime import time
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerwork.core.forms import FoldingMixin
from peerwork.core.listing import ListForm, Sort

from .access import AccessReason
from .models import (
    Contact,
    Engagement,
    ExperienceKind,
    Gender,
    GuidanceKind,
    LifeArea,
    MatchingSettings,
    ProposedCandidate,
    Referral,
    ServiceUsed,
    StrainAction,
    Visibility,
    WorkloadSettings,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
WEEKDAYS = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]


def words(value: str) -> list[str]:
    """ "fishing, Hiking ,  music" → ["fishing", "hiking", "music"]."""
    return [w.strip().lower() for w in (value or "").replace(";", ",").split(",") if w.strip()]


class WordsField(forms.Field):
    """A comma-separated list of short words, typed in one text box."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Separate with commas."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:
        return words("" if value in self.empty_values else str(value))


class ReferralForm(forms.Form):
    chosen_name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("The name the person wants to be called.")
    )
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    languages = WordsField(label=_("Languages"), help_text=_("Language codes, separated by commas, e.g. nb, en, so."))
    municipality = forms.CharField(label=_("Municipality"), max_length=120, required=False)
    district = forms.CharField(label=_("District"), max_length=120, required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", _("Not stated"))] + Gender.choices, required=False)
    help_with = forms.CharField(
        label=_("What the person wants help with"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("In the person's own words where you can."),
    )
    help_areas = forms.MultipleChoiceField(
        label=_("Life areas"), choices=LifeArea.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    interests = WordsField(label=_("The person's interests"), help_text=_("E.g. fishing, music, football."))
    background = WordsField(
        label=_("Background the person would like to share"),
        help_text=_("Short words, e.g. parent, rural, immigrant."),
    )
    services_used = forms.MultipleChoiceField(
        label=_("Services the person has used"),
        choices=ServiceUsed.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    source = forms.ChoiceField(
        label=_("Who referred the person"), choices=Referral.Source.choices, widget=forms.RadioSelect
    )
    referrer = forms.CharField(
        label=_("Referrer"),
        max_length=200,
        required=False,
        help_text=_("A service or organisation and a contact, if any."),
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    wanted_experience = forms.MultipleChoiceField(
        label=_("Wanted kind of lived experience"),
        choices=ExperienceKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    needs_evenings = forms.BooleanField(label=_("Needs contact in the evenings"), required=False)
    needs_weekends = forms.BooleanField(label=_("Needs contact at weekends"), required=False)
    wish_gender = forms.ChoiceField(
        label=_("Wished gender of the peer worker"),
        choices=[("", _("No wish"))] + Gender.choices,
        required=False,
    )
    wish_gender_firm = forms.BooleanField(label=_("The gender is a firm requirement"), required=False)
    wish_language = forms.CharField(
        label=_("Wished language of the peer worker"),
        max_length=10,
        required=False,
        help_text=_("A language code, e.g. en."),
    )
    wish_language_firm = forms.BooleanField(label=_("The language is a firm requirement"), required=False)
    wish_age_gap = forms.IntegerField(
        label=_("Wished age difference at most (years)"), required=False, min_value=0, max_value=80
    )
    wish_age_gap_firm = forms.BooleanField(label=_("The age difference is a firm requirement"), required=False)
    wish_evenings_weekends = forms.BooleanField(
        label=_("Wishes for a peer worker who can meet evenings or weekends"), required=False
    )
    wish_evenings_weekends_firm = forms.BooleanField(
        label=_("Evenings or weekends is a firm requirement"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()

    def values(self) -> dict[str, Any]:
        """The cleaned data as the referral service takes it: the wish fields become the person's wishes."""
        d = self.cleaned_data
        wishes = []
        if d["wish_gender"]:
            wishes.append({"kind": "gender", "value": d["wish_gender"], "firm": d["wish_gender_firm"]})
        if d["wish_language"]:
            wishes.append({"kind": "language", "value": d["wish_language"].lower(), "firm": d["wish_language_firm"]})
        if d["wish_age_gap"] is not None:
            wishes.append({"kind": "age_max_difference", "value": d["wish_age_gap"], "firm": d["wish_age_gap_firm"]})
        if d["wish_evenings_weekends"]:
            wishes.append({"kind": "evenings_weekends", "value": "yes", "firm": d["wish_evenings_weekends_firm"]})
        return {**{k: v for k, v in d.items() if not k.startswith("wish_")}, "wishes": wishes}


class ProposeForm(forms.Form):
    peer_workers = forms.TypedMultipleChoiceField(
        label=_("Peer workers to propose"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one, two or three. The person chooses among them."),
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["peer_workers"]).choices = choices


class ChoiceForm(forms.Form):
    REFUSED = "refused"
    choice = forms.ChoiceField(label=_("What did the person decide?"), widget=forms.RadioSelect)
    refusal_reason = forms.CharField(
        label=_("If the person said no: why, in their words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    started_on = forms.DateField(label=_("Start of the engagement"), widget=DATE)
    frequency = forms.ChoiceField(label=_("Agreed frequency"), choices=Engagement.Frequency.choices)

    def __init__(self, *args: Any, candidates: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["choice"]).choices = [
            *candidates,
            (self.REFUSED, _("The person said no to all of them")),
        ]
        self.fields["started_on"].initial = timezone.localdate()


class CloseReferralForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        widget=forms.RadioSelect,
        choices=[
            (Referral.Status.REFERRED_BACK, _("Refer back to the referrer")),
            (Referral.Status.DECLINED, _("Decline")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The referrer and the person will want to know why."),
    )


class PeerWorkerChoiceForm(forms.Form):
    peer_worker = forms.TypedChoiceField(label=_("Peer worker"), coerce=int)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["peer_worker"]).choices = [("", _("Choose…")), *choices]


class HandoverForm(PeerWorkerChoiceForm):
    """Who is proposed to take over and, optionally, a new plan: the new engagement's planned end."""

    planned_end_on = forms.DateField(
        label=_("New planned end (optional)"),
        required=False,
        widget=DATE,
        help_text=_(
            "Leave empty to keep the current planned end. More than two years from the handover needs a reason, "
            "as any extension does."
        ),
    )
    planned_end_reason = forms.CharField(
        label=_("Why the engagement goes on past two years"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In plain words, as you agreed it with the person. Only needed past two years."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["peer_worker"].label = _("Propose to take over")


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        widget=forms.RadioSelect,
        choices=[
            (ProposedCandidate.Answer.ACCEPTED, _("Yes, I can take this on")),
            (ProposedCandidate.Answer.DECLINED, _("Not for me this time (no reason needed)")),
            (ProposedCandidate.Answer.TALK, _("I would like to talk with the coordinator first")),
        ],
    )
    note = forms.CharField(
        label=_("A note for the coordinator (optional)"),
        help_text=_("Only if you want to give one. If you know the person privately, say here why it is fine."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WaiverForm(forms.Form):
    side = forms.ChoiceField(
        label=_("Whose answer are you recording?"),
        widget=forms.RadioSelect,
        choices=[("person", _("The person's")), ("peer_worker", _("The peer worker's"))],
    )
    note = forms.CharField(label=_("What was said"), widget=forms.Textarea(attrs={"rows": 2}))


DURATIONS = [
    (15, "15 min"),
    (30, "30 min"),
    (45, "45 min"),
    (60, "1 h"),
    (90, "1 h 30"),
    (120, "2 h"),
    (240, "4 h"),
]


PEOPLE_AS_TILES = 5  # up to this many people to choose from: tiles; more: a drop-down list


class ContactForm(FoldingMixin, forms.Form):
    """The quick-add form: sensible defaults (today, now, the last channel and who may read the note), big
    choices, little typing; what is rarely changed is folded away so the save button is on a phone's first
    screen."""

    stacked_fields = ("kind", "note_visibility")  # long labels: tiles one above the other
    folds = (
        (_("Add a note"), ("note", "note_visibility")),
        (_("More: what happened, when, who made contact"), ("kind", "date", "start_time", "initiated_by")),
    )

    engagement = forms.TypedChoiceField(
        label=_("Who with"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who the contact was with.")},
    )
    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=Contact.Kind.choices,
        widget=forms.RadioSelect,
        initial=Contact.Kind.CONTACT,
        required=False,
        help_text=_("Tries without an answer and calls not taken count too: they take time and attention."),
    )
    date = forms.DateField(label=_("Date"), widget=DATE)
    start_time = forms.TimeField(label=_("Start time"), widget=TIME)
    duration_minutes = forms.TypedChoiceField(
        label=_("How long"), coerce=int, choices=DURATIONS, widget=forms.RadioSelect
    )
    channel = forms.ChoiceField(label=_("How"), choices=Contact.Channel.choices, widget=forms.RadioSelect)
    initiated_by = forms.ChoiceField(
        label=_("Who made contact"), choices=Contact.Initiator.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Short note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note_visibility = forms.ChoiceField(
        label=_("Who may read the note"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        initial=Visibility.PRIVATE,
        help_text=_("Sharing with the care team also needs the person's consent."),
    )

    def __init__(
        self,
        *args: Any,
        engagements: list[tuple[int, str]] | None = None,
        last: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        now = timezone.localtime()
        last = last or {}
        if engagements is None:
            del self.fields["engagement"]
        else:
            who = cast(forms.ChoiceField, self.fields["engagement"])
            if len(engagements) > PEOPLE_AS_TILES:  # a long list of tiles pushes the save button off the screen
                who.widget = forms.Select()
                who.choices = [("", _("Choose a person")), *engagements]
            else:
                who.choices = engagements
            ids = [e for e, _label in engagements]
            if last.get("engagement_id") in ids:
                self.fields["engagement"].initial = last["engagement_id"]
            elif len(ids) == 1:
                self.fields["engagement"].initial = ids[0]
        self.fields["date"].initial = now.date()
        # Logged just after it happened: default to the start of the current half hour.
        self.fields["start_time"].initial = time(now.hour, 0 if now.minute < 30 else 30)
        self.fields["duration_minutes"].initial = last.get("duration_minutes") or 30
        if last.get("duration_minutes") not in dict(DURATIONS):
            self.fields["duration_minutes"].initial = 30
        self.fields["channel"].initial = last.get("channel") or Contact.Channel.MEETING
        if last.get("note_visibility") in Visibility.values:
            self.fields["note_visibility"].initial = last["note_visibility"]
        self.fields["initiated_by"].initial = Contact.Initiator.PEER_WORKER
        self.fields["kind"].initial = Contact.Kind.CONTACT

    def clean_kind(self) -> str:
        return str(self.cleaned_data.get("kind") or Contact.Kind.CONTACT)


class GoalForm(forms.Form):
    life_area = forms.ChoiceField(label=_("Life area"), choices=LifeArea.choices)
    words = forms.CharField(label=_("The goal, in the person's own words"), widget=forms.Textarea(attrs={"rows": 2}))
    visibility = forms.ChoiceField(
        label=_("Who may read it"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        initial=Visibility.COORDINATOR,
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("The person's own rating today"),
        coerce=int,
        choices=[(i, str(i)) for i in range(11)],
        widget=forms.RadioSelect,
        help_text=_("0 is not started, 10 is there."),
    )
    comment = forms.CharField(
        label=_("What the person says about it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("In their own words, if they want something written down with the rating."),
    )


class GoalWordsForm(forms.Form):
    words = forms.CharField(
        label=_("The goal, in the person's own words"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Correct what was written down. The earlier wording is kept and shown below."),
    )


class FinishGoalForm(forms.Form):
    """The confirm step before a goal is marked achieved or set aside (a plain form: works without JavaScript)."""

    achieved = forms.TypedChoiceField(
        coerce=lambda v: v == "1", choices=[("1", "1"), ("0", "0")], widget=forms.HiddenInput
    )
    confirmed = forms.CharField(widget=forms.HiddenInput, initial="1")


class ReviewForm(forms.Form):
    held_on = forms.DateField(label=_("Review held on"), widget=DATE)
    next_review_on = forms.DateField(
        label=_("Next review"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty to use the organisation's usual interval."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()


class ExtendEngagementForm(forms.Form):
    new_end_on = forms.DateField(label=_("New planned end"), widget=DATE)
    reason = forms.CharField(
        label=_("Why the engagement goes on"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In plain words, as you agreed it with the person."),
    )
    person_agreed = forms.BooleanField(label=_("The person agrees to go on"), required=False)
    peer_worker_agreed = forms.BooleanField(label=_("The peer worker agrees to go on"), required=False)
    agreed_on = forms.DateField(label=_("Agreed on"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreed_on"].initial = timezone.localdate()


WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class ContactAgreementForm(forms.Form):
    """Made with the person; saving it again records that it was looked at together."""

    stacked_fields = ("channels",)

    channels = forms.MultipleChoiceField(
        label=_("Preferred ways of contact"), choices=Contact.Channel.choices, widget=forms.CheckboxSelectMultiple
    )
    days = forms.TypedMultipleChoiceField(
        label=_("Agreed days"), coerce=int, choices=WEEKDAY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    hours_from = forms.TimeField(label=_("From"), widget=TIME)
    hours_until = forms.TimeField(label=_("Until"), widget=TIME)
    out_of_hours = forms.CharField(
        label=_("What happens out of hours"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the person sends a message and gets an answer the next working day."),
    )
    crisis = forms.CharField(
        label=_("In a crisis, whom the person calls instead"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    agreed_on = forms.DateField(label=_("Agreed on"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreed_on"].initial = timezone.localdate()


class StrainActionForm(forms.Form):
    topic = forms.CharField(widget=forms.HiddenInput, max_length=40)
    engagement_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    action = forms.ChoiceField(label=_("What was done"), choices=StrainAction.Action.choices)


class CloseEngagementForm(forms.Form):
    closed_on = forms.DateField(label=_("Last day"), widget=DATE)
    reason = forms.ChoiceField(
        label=_("Why it ends"),
        widget=forms.RadioSelect,
        choices=[
            c
            for c in Engagement.ClosureReason.choices
            if c[0] not in (Engagement.ClosureReason.HANDOVER, Engagement.ClosureReason.BACK_TO_QUEUE)
        ],
    )
    words = forms.CharField(
        label=_("What it meant, in the person's own words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate()


class BackToQueueForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the person goes back to the waiting list"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("In plain words, for whoever proposes a peer worker next. For example: their peer worker left."),
    )
    needed_fields = ("reason",)


class GuidanceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of session"), choices=GuidanceKind.choices, widget=forms.RadioSelect)
    meets_on = forms.DateField(label=_("Date"), widget=DATE)
    topics = forms.CharField(
        label=_("Topics"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Pre-filled with what the workload figures suggest; change it freely."),
    )
    follow_ups = forms.CharField(label=_("Agreed follow-ups"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_on = forms.DateField(label=_("Next session"), widget=DATE, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meets_on"].initial = timezone.localdate()


class PlanSessionForm(forms.Form):
    """A guide plans a one-to-one session with a peer worker they guide."""

    kind = forms.ChoiceField(label=_("Kind of session"), choices=GuidanceKind.choices, widget=forms.RadioSelect)
    meets_on = forms.DateField(label=_("Date"), widget=DATE)


class GroupSessionForm(forms.Form):
    """A coordinator or senior peer worker plans a session with several peer workers."""

    kind = forms.ChoiceField(
        label=_("Kind of session"),
        choices=[
            (k.value, k.label) for k in GuidanceKind if k not in (GuidanceKind.SUPERVISION, GuidanceKind.FOLLOW_UP)
        ],
        widget=forms.RadioSelect,
    )
    meets_on = forms.DateField(label=_("Date"), widget=DATE)
    peer_worker_ids = forms.TypedMultipleChoiceField(
        label=_("Peer workers taking part"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["peer_worker_ids"]).choices = choices


class AgendaItemForm(forms.Form):
    text = forms.CharField(
        label=_("Something I would like to talk about"),
        max_length=300,
        help_text=_("Your guide and, in a group session, the other participants see your agenda items."),
    )


class HardNowForm(forms.Form):
    hard_now = forms.CharField(
        label=_("What is hard now"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only you read this note, unless you tick the box below. Leave it empty to remove it."),
    )
    share_with_guide = forms.BooleanField(
        label=_("Let my guide read this note for this session"),
        required=False,
        help_text=_("Only the guide of this session, nobody else. You can take it back at any time."),
    )


class RecordSessionForm(forms.Form):
    topics = forms.CharField(label=_("Topics"), widget=forms.Textarea(attrs={"rows": 5}))
    follow_ups = forms.CharField(label=_("Agreed follow-ups"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_on = forms.DateField(label=_("Next session"), widget=DATE, required=False)


class ShareForm(forms.Form):
    reader_id = forms.TypedChoiceField(
        label=_("Share this record with"),
        coerce=int,
        help_text=_("A coordinator or senior peer worker who is not your guide. Your private note is never shared."),
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["reader_id"]).choices = [("", _("Choose a person")), *choices]


class RelationshipForm(forms.Form):
    peer_worker_id = forms.TypedChoiceField(label=_("Peer worker"), coerce=int)
    guide_id = forms.TypedChoiceField(
        label=_("Guide"), coerce=int, help_text=_("A senior peer worker for supervision, or a coordinator.")
    )
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), widget=DATE, required=False, help_text=_("Leave empty if not known."))

    def __init__(
        self, *args: Any, peer_workers: list[tuple[int, str]], guides: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choose = ("", _("Choose a person"))
        cast(forms.ChoiceField, self.fields["peer_worker_id"]).choices = [choose, *peer_workers]
        cast(forms.ChoiceField, self.fields["guide_id"]).choices = [choose, *guides]
        self.fields["starts_on"].initial = timezone.localdate()


def _spans(value: str) -> list[list[str]]:
    out = []
    for part in (value or "").split(","):
        part = part.strip().replace("–", "-")
        if not part:
            continue
        if "-" not in part:
            raise forms.ValidationError(_("Write each span as two times, like 09:00-15:00."))
        lo, hi = (p.strip() for p in part.split("-", 1))
        out.append([lo, hi])
    return out


class ProfileForm(forms.Form):
    """The peer worker's self-declared matching profile. Availability has its own page (``AvailabilityForm``)."""

    experience_kinds = forms.MultipleChoiceField(
        label=_("Kinds of lived experience"),
        choices=ExperienceKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    services_used = forms.MultipleChoiceField(
        label=_("Services you have used yourself"),
        choices=ServiceUsed.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    background = WordsField(label=_("Background"), help_text=_("Short words, e.g. parent, rural, immigrant."))
    interests = WordsField(label=_("Interests"), help_text=_("E.g. fishing, music, football."))
    languages = WordsField(label=_("Languages"), help_text=_("Language codes, e.g. nb, en, pl."))
    districts = WordsField(label=_("Districts you know well"))
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", _("Not stated"))] + Gender.choices, required=False)

    @classmethod
    def initial_from(cls, profile: Any) -> dict[str, Any]:
        return {k: getattr(profile, k) for k in cls.base_fields}

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


OPEN, PAUSED = "open", "paused"


class AvailabilityForm(forms.Form):
    """What the peer worker decides themself: new referrals open or paused, capacity within the agreed
    range, evenings and weekends, agreed hours."""

    new_people = forms.ChoiceField(
        label=_("New people"),
        choices=[(OPEN, _("Open to new people")), (PAUSED, _("Pause new referrals"))],
        widget=forms.RadioSelect,
    )
    resumes_on = forms.DateField(
        label=_("Open to new people again on (optional)"),
        required=False,
        widget=DATE,
        help_text=_("Only when pausing. Leave empty to pause until you open again yourself."),
    )
    capacity = forms.IntegerField(label=_("Most active engagements"))
    evenings = forms.BooleanField(label=_("I work evenings"), required=False)
    weekends = forms.BooleanField(label=_("I work weekends"), required=False)

    def __init__(self, *args: Any, low: int = 0, high: int = 30, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        capacity = cast(forms.IntegerField, self.fields["capacity"])
        capacity.help_text = _("Within the range agreed with your coordinator: from %(lo)s to %(hi)s.") % {
            "lo": low,
            "hi": high,
        }
        capacity.widget.attrs.update({"min": low, "max": high})
        for i, day in enumerate(WEEKDAYS):
            self.fields[f"hours_{i}"] = forms.CharField(
                label=_("Agreed hours on %(day)s") % {"day": day},
                required=False,
                help_text=_("Like 09:00-15:00; several spans separated by commas; empty for a day off."),
            )

    @classmethod
    def initial_from(cls, profile: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "new_people": OPEN if profile.accepting else PAUSED,
            "resumes_on": profile.resumes_on,
            "capacity": profile.capacity,
            "evenings": profile.evenings,
            "weekends": profile.weekends,
        }
        for i in range(7):
            spans = (profile.working_hours or {}).get(str(i), [])
            initial[f"hours_{i}"] = ", ".join(f"{lo}-{hi}" for lo, hi in spans)
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hours = {}
        for i in range(7):
            try:
                spans = _spans(data.get(f"hours_{i}", ""))
            except forms.ValidationError as exc:
                self.add_error(f"hours_{i}", exc)
                continue
            if spans:
                hours[str(i)] = spans
        data["working_hours"] = hours
        return data

    def values(self) -> dict[str, Any]:
        """The service's keywords: pausing carries its day to open again; opening clears it."""
        d = self.cleaned_data
        accepting = d["new_people"] == OPEN
        return {
            "accepting": accepting,
            "resumes_on": None if accepting else d.get("resumes_on"),
            "capacity": d["capacity"],
            "evenings": d["evenings"],
            "weekends": d["weekends"],
            "working_hours": d["working_hours"],
        }


class RangeForm(forms.Form):
    """The range of engagements the coordinator agrees with the peer worker."""

    capacity_min = forms.IntegerField(label=_("Fewest engagements"), min_value=0, max_value=30)
    capacity_max = forms.IntegerField(label=_("Most engagements"), min_value=0, max_value=30)


class AccessReasonForm(forms.Form):
    """Why a coordinator who does not guide this peer worker opens their workload or caseload."""

    reason = forms.ChoiceField(
        label=_("Why do you open this page?"),
        choices=AccessReason.choices,
        widget=forms.RadioSelect,
        help_text=_("You do not guide this peer worker. They will see that you looked, when, and this reason."),
    )


if TYPE_CHECKING:  # ModelForm takes its model as a type parameter only in django-stubs, not at run time
    WorkloadSettingsModelForm = forms.ModelForm[WorkloadSettings]
    MatchingSettingsModelForm = forms.ModelForm[MatchingSettings]
else:
    WorkloadSettingsModelForm = MatchingSettingsModelForm = forms.ModelForm


class WorkloadSettingsForm(WorkloadSettingsModelForm):
    class Meta:
        model = WorkloadSettings
        fields = [
            "contacts_per_week",
            "hours_per_week",
            "outside_hours_percent",
            "weekend_contacts",
            "burst_contacts",
            "burst_days",
            "guidance_every_days",
            "review_every_weeks",
            "end_reminder_days",
        ]


class MatchingSettingsForm(MatchingSettingsModelForm):
    class Meta:
        model = MatchingSettings
        fields = [
            "experience",
            "services",
            "background",
            "interests",
            "age",
            "language",
            "district",
            "wishes",
            "availability",
            "waiting",
        ]


# --- the lists: search, filters and order (``core.listing``) --------------------------------------------


class QueueListForm(ListForm):
    """The referral queue: who is waiting, narrowed and ordered as the coordinator chooses."""

    search_fields = ("service_user__chosen_name", "service_user__help_with", "service_user__municipality")
    sorts = (
        Sort("waiting", _("Longest waiting first"), ("received_on", "id")),
        Sort("newest", _("Newest referral first"), ("-received_on", "-id")),
        Sort("name", _("Name"), ("service_user__chosen_name", "id")),
    )
    filter_lookups = {"status": "status", "source": "source"}

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), *[(s.value, s.label) for s in Referral.Status if s in Referral.OPEN]],
    )
    source = forms.ChoiceField(
        label=_("Referred by"), required=False, choices=[("", _("Any")), *Referral.Source.choices]
    )


class CaseloadListForm(ListForm):
    """A caseload: the peer worker's engagements, narrowed and ordered."""

    search_fields = ("service_user__chosen_name",)
    sorts = (
        Sort("name", _("Name"), ("service_user__chosen_name", "id")),
        Sort("review", _("Next review first"), (F("next_review_on").asc(nulls_last=True), "id")),
        # Never contacted counts as longest since contact, on SQLite and PostgreSQL alike.
        Sort("contact", _("Longest since last contact first"), (F("last_contact").asc(nulls_first=True), "id")),
        Sort("since", _("Longest engaged first"), ("started_on", "id")),
    )
    carried = ("reason",)

    closed = forms.BooleanField(label=_("Show closed engagements too"), required=False)
    due = forms.BooleanField(label=_("Only reviews due"), required=False)
    reason = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)

    def filter_closed(self, qs: Any, value: bool) -> Any:
        return qs  # the selector reads ``closed`` to include closed engagements

    def filter_due(self, qs: Any, value: bool) -> Any:
        return qs.filter(review_due=True, closed_on__isnull=True)

    def filter_reason(self, qs: Any, value: str) -> Any:
        return qs  # carried along only: the reason a coordinator gave for opening the caseload
