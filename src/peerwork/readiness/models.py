"""Readiness: rounds of the preconditions assessment, the risk register, the action plan, job descriptions,
orientation of new peer workers, team briefings and placement declarations.

Anonymity is designed into the tables: a submitted anonymous ``Response`` has no respondent and no
invitation (a database constraint enforces it), gets a fresh random id when it is submitted, and keeps
only the date, so nothing stored ties it back to the person who gave it.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from peerwork.core import links, validation
from peerwork.core.anonymity import ANONYMITY_THRESHOLD as DEFAULT_ANONYMITY_THRESHOLD
from peerwork.organisations.models import Position, TenantModel, Unit

from .attention import POINTS
from .instrument import DOMAINS, Item


def plausible_date(value: date | None) -> None:
    """Peerwork's default bounds for a date someone types (1900 to ten years ahead), for every date field
    here, so a form, the API and a service all refuse the same slips through the model's validation."""
    if message := validation.date_error(value):
        raise ValidationError(message, code="implausible_date")


class Group(models.TextChoices):
    """The respondent groups, asked so that each is heard (a Peerwork choice, ``default-groups``: S0 asked
    professionals only and found them unprepared and without a say)."""

    MANAGER = "manager", _("Managers")
    PROFESSIONAL = "professional", _("Non-peer professionals")
    PEER_WORKER = "peer_worker", _("Peer workers")
    SERVICE_USER_REP = "service_user_rep", _("Service-user representatives")


ANONYMITY_THRESHOLD = DEFAULT_ANONYMITY_THRESHOLD  # Peerwork's default (peerwork.core.anonymity)
DOMAIN_CHOICES = [(d.code, d.code) for d in DOMAINS]


class ReadinessSettings(TenantModel):
    """Per-organisation limits the derived checks use. The supervision interval is not here: the check reads
    the service's one guidance interval (``service.WorkloadSettings.guidance_every_days``)."""

    committee_limit = models.PositiveSmallIntegerField(
        _("most committees or working groups per peer worker"),
        default=3,
        # Peerwork default: S1 B1 warns against too many working groups but names no number (default-committee-limit).
        help_text=_("A peer worker in more than this many is flagged. Peerwork's default is three."),
    )

    class Meta:
        verbose_name = _("readiness settings")
        constraints = [models.UniqueConstraint(fields=["organisation"], name="readiness_settings_one_per_org")]


class CustomItem(TenantModel):
    """An organisation's own question, in each language it serves."""

    domain = models.CharField(_("domain"), max_length=4, choices=DOMAIN_CHOICES)
    text_en = models.CharField(_("question in English"), max_length=300, blank=True)
    text_nb = models.CharField(_("question in Norwegian Bokmål"), max_length=300, blank=True)
    text_da = models.CharField(_("question in Danish"), max_length=300, blank=True)
    active = models.BooleanField(_("ask in new rounds"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain", "id"]
        verbose_name = _("organisation's own question")
        constraints = [
            models.CheckConstraint(
                condition=~Q(text_en="") | ~Q(text_nb="") | ~Q(text_da=""), name="custom_item_has_text"
            ),
        ]

    @property
    def code(self) -> str:
        return f"C{self.pk}"

    @property
    def text(self) -> str:
        lang = (translation.get_language() or "en")[:2]
        wanted = {"nb": self.text_nb, "da": self.text_da}.get(lang, self.text_en)
        return wanted or self.text_en or self.text_nb or self.text_da

    def __str__(self) -> str:
        return self.text


class Round(TenantModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
        help_text=_("Leave empty to ask the whole organisation."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opens_on = models.DateField(_("opens"), validators=[plausible_date])
    closes_on = models.DateField(_("closes"), null=True, blank=True, validators=[plausible_date])
    custom_items = models.ManyToManyField(CustomItem, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Not stored: the round's questions, kept by ``items.round_items`` for the life of this instance.
    _items_cache: list[Item] | None = None

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("readiness round")
        indexes = [models.Index(fields=["organisation", "unit", "opens_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(closes_on__gte=models.F("opens_on")),
                name="round_closes_after_opens",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Invitation(TenantModel):
    """An invitation to answer a round: either to a signed-in person, or a single-use link.

    For a link only a SHA-256 of the token is stored; the token itself is shown once to the person who
    made it. ``completed`` is a flag without a time, so it cannot be matched to an anonymous answer.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    completed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("invitation")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="invitation_one_per_person"),
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(token_hash__isnull=True))
                | (Q(user__isnull=True) & Q(token_hash__isnull=False)),
                name="invitation_person_or_link",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "user", "completed"])]

    new_token = staticmethod(links.new_token)
    hash_token = staticmethod(links.hash_token)


class Response(TenantModel):
    """One person's answers to a round. ``answers`` maps item codes to scale values (0 = don't know)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    anonymous = models.BooleanField(_("answer anonymously"), default=True)
    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, null=True, blank=True, related_name="draft")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answers = models.JSONField(default=dict)
    submitted_on = models.DateField(null=True, blank=True, validators=[plausible_date])

    class Meta:
        verbose_name = _("response")
        indexes = [models.Index(fields=["organisation", "round", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(status="submitted") & Q(anonymous=True))
                | (Q(respondent__isnull=True) & Q(invitation__isnull=True)),
                name="anonymous_response_unlinked",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_on__isnull=False), name="submitted_response_dated"
            ),
        ]


class Risk(TenantModel):
    """One point of attention (B1–B13) in one team's register."""

    class Status(models.TextChoices):
        NOT_REVIEWED = "not_reviewed", _("Not reviewed yet")
        UNDER_CONTROL = "under_control", _("Under control")
        WATCH = "watch", _("Keep watching")
        ACTION_NEEDED = "action_needed", _("Action needed")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=4, choices=[(p.code, p.code) for p in POINTS])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_REVIEWED)
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("What the team sees and agreed. Do not name service users.")
    )
    review_on = models.DateField(_("next review"), null=True, blank=True, validators=[plausible_date])
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("point of attention")
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="risk_one_per_team_and_point")]


class ActionItem(TenantModel):
    """A gap, a derived check or a risk turned into work with an owner and a due date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    class Source(models.TextChoices):
        GAP = "gap", _("Gap in a readiness round")
        CHECK = "check", _("Derived check")
        RISK = "risk", _("Point of attention")
        OTHER = "other", _("Other")

    title = models.CharField(_("what needs to happen"), max_length=250)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due date"), validators=[plausible_date])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    source = models.CharField(_("comes from"), max_length=10, choices=Source.choices, default=Source.OTHER)
    source_ref = models.CharField(max_length=40, blank=True)
    round = models.ForeignKey(Round, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    risk = models.ForeignKey(Risk, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    done_on = models.DateField(null=True, blank=True, validators=[plausible_date])

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("action")
        indexes = [models.Index(fields=["organisation", "status", "due_on"])]


class Comment(TenantModel):
    """A reader's comment or point of attention on a round's results, a team's register or an action.

    Everyone who may read what it is about sees it, unless ``private_to`` names one manager: then only that
    manager and the author do. A progress note on an action is a comment on that action.
    """

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        ATTENTION = "attention", _("Point of attention")

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.COMMENT)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, null=True, blank=True, related_name="comments")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    code = models.CharField(
        _("point"), max_length=4, blank=True, choices=[(p.code, f"{p.code} {p.title}") for p in POINTS]
    )
    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, null=True, blank=True, related_name="comments")
    text = models.TextField(_("your comment"), max_length=2000)
    # Deleted with the manager's account rather than left without a reader, so it never turns public.
    private_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who sees it"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        indexes = [models.Index(fields=["organisation", "round"]), models.Index(fields=["organisation", "unit"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(round__isnull=False) & Q(unit__isnull=True) & Q(action__isnull=True))
                | (Q(round__isnull=True) & Q(unit__isnull=False) & Q(action__isnull=True))
                | (Q(round__isnull=True) & Q(unit__isnull=True) & Q(action__isnull=False)),
                name="comment_on_one_thing",
            ),
            models.CheckConstraint(condition=Q(code="") | Q(unit__isnull=False), name="comment_point_in_register"),
        ]


class CoreTask(models.TextChoices):
    """The three core tasks of peer work (S1 §3.1)."""

    INDIVIDUAL = "individual", _("Support of individual recovery")
    CARE = "care", _("Organising recovery-oriented care")
    STIGMA = "stigma", _("Work against stigma and for social participation")


class RoleType(models.TextChoices):
    """Role types by transformative potential (S2 §5.1.1, Model 3)."""

    PRE_DETERMINED = "pre_determined", _("Provider of pre-determined services")
    PEER_SUPPORT = "peer_support", _("Provider of peer support")
    CO_CREATION = "co_creation", _("Partner in co-creation")


class JobDescription(TenantModel):
    title = models.CharField(_("role title"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("job description")

    def __str__(self) -> str:
        return self.title


class JobDescriptionVersion(TenantModel):
    """Every save is a new version; positions point to the version they were given."""

    job_description = models.ForeignKey(JobDescription, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    role_form = models.CharField(_("role form"), max_length=20, choices=Position.RoleForm.choices)
    role_type = models.CharField(_("role type"), max_length=20, choices=RoleType.choices)
    core_tasks = models.JSONField(_("core tasks"), default=list)
    tasks = models.TextField(_("the role's tasks"))
    demarcation = models.TextField(_("how the tasks differ from others in the team"))
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1)
    reporting_line = models.CharField(_("reports to"), max_length=200)
    supervision = models.TextField(_("supervision arrangement"))
    does_not_do = models.TextField(_("what the role does not do"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["job_description", "-number"]
        verbose_name = _("job description version")
        constraints = [
            models.UniqueConstraint(fields=["job_description", "number"], name="job_description_version_unique"),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0) & Q(hours_per_week__lte=60),
                name="job_description_hours_range",
            ),
        ]

    def core_task_labels(self) -> list[str]:
        labels = dict(CoreTask.choices)
        return [str(labels[c]) for c in self.core_tasks if c in labels]


class PositionJobDescription(TenantModel):
    """Which job description version a position follows (kept here, so organisations stays as it is)."""

    position = models.OneToOneField(Position, on_delete=models.CASCADE, related_name="job_description_link")
    version = models.ForeignKey(JobDescriptionVersion, on_delete=models.PROTECT, related_name="positions")
    attached_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    attached_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("job description of a position")


class Orientation(TenantModel):
    """The start of one new peer worker (S1 A8)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Being planned")
        UNDER_WAY = "under_way", _("Under way")
        COMPLETED = "completed", _("Completed")

    class Coaching(models.TextChoices):
        UNKNOWN = "unknown", _("Not asked yet")
        WANTED = "wanted", _("Wanted")
        NOT_WANTED = "not_wanted", _("Not wanted")

    position = models.OneToOneField(Position, on_delete=models.CASCADE, related_name="orientation")
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person on the first day"),
    )
    buddy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("buddy or mentor"),
    )
    intro_meeting_on = models.DateField(
        _("introductory meeting with the team"), null=True, blank=True, validators=[plausible_date]
    )
    job_coaching = models.CharField(
        _("job coaching"), max_length=20, choices=Coaching.choices, default=Coaching.UNKNOWN
    )
    first_supervision_on = models.DateField(_("first supervision"), null=True, blank=True, validators=[plausible_date])
    training = models.TextField(
        _("training received"),
        blank=True,
        help_text=_(
            "The training the peer worker has had for the role, for example a course in using lived experience "
            "at work. It is shown on the role card the team sees."
        ),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("orientation")


class TeamBriefing(TenantModel):
    """A meeting where the team was told the purpose of the peer role before a start (S1 A6; S0)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("team"))
    held_on = models.DateField(_("date of the briefing"), validators=[plausible_date])
    topics = models.CharField(_("what was covered"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("team briefing")
        indexes = [models.Index(fields=["organisation", "unit", "held_on"])]


class TreatmentHistoryDeclaration(TenantModel):
    """A peer worker's own statement that they were treated in a unit (S1 A7: not placed there).

    Only the peer worker sees the statement. ``disclosure`` is what they chose to let others know when they
    hold a position in that unit: nothing (the default), that a placement there needs to be discussed, or the
    same with their name. The reason itself is never shown to anyone else.
    """

    class Disclosure(models.TextChoices):
        PRIVATE = "private", _("Tell no one for now")
        UNNAMED = "unnamed", _("Say that a placement in this team needs to be discussed, without my name")
        NAMED = "named", _("Say that my placement in this team needs to be discussed, with my name")

    peer_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit or team"))
    disclosure = models.CharField(
        _("what others may see"), max_length=10, choices=Disclosure.choices, default=Disclosure.PRIVATE
    )
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("treatment history declaration")
        constraints = [models.UniqueConstraint(fields=["peer_worker", "unit"], name="treatment_declaration_unique")]
