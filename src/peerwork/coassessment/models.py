"""Co-assessment: a service and its peer workers learning together from what people say.

A co-assessment answers one question with a team that includes at least one peer worker as co-researcher. It
runs through planning, an ethics and data protection review, collecting, analysing, a member check and the
end. What people said is entered as pseudonymised text (never audio); spans of it (segments) belong to a
participant and carry codes from the co-assessment's codebook. A participant takes part under a pseudonym and
through a consent with the purpose "evaluation" in the privacy part's consent model; that consent's data
subject is the name key, which only the data protection officer reads.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from peerwork.core import validation
from peerwork.organisations.models import TenantModel

# Peerwork's defaults for a focus group's size (S0, S2, S4 used groups of four to eight).
GROUP_MIN = 4
GROUP_MAX = 8


class CoAssessment(TenantModel):
    class Method(models.TextChoices):
        THEMATIC = "thematic", _("Thematic analysis (six phases)")
        CONDENSATION = "condensation", _("Systematic text condensation (four steps)")

    class Status(models.TextChoices):
        PLANNING = "planning", _("Planning")
        ETHICS_REVIEW = "ethics_review", _("Ethics and data protection review")
        COLLECTING = "collecting", _("Collecting")
        ANALYSING = "analysing", _("Analysing")
        MEMBER_CHECK = "member_check", _("Member check")
        FINISHED = "finished", _("Finished")

    ORDER: tuple[str, ...] = ("planning", "ethics_review", "collecting", "analysing", "member_check", "finished")
    STEPS = {Method.THEMATIC: 6, Method.CONDENSATION: 4}

    title = models.CharField(_("short title"), max_length=200)
    question = models.TextField(_("question"), help_text=_("What the service wants to learn, in plain words."))
    phase = models.ForeignKey(
        "cocreation.Phase",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("co-assessment phase of an initiative"),
    )
    gap = models.ForeignKey(
        "readiness.ActionItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("readiness gap"),
    )
    pulse_survey = models.ForeignKey(
        "evaluation.PulseSurvey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pulse survey"),
        help_text=_("The quarter's pulse survey whose trend the co-assessment looks into."),
    )
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNING)
    step = models.PositiveSmallIntegerField(_("analysis step"), default=1)
    retention_until = models.DateField(
        _("delete the material on"),
        validators=[validation.plausible_date],
        help_text=_("On this day the material, the segments and the name key are deleted."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    ethics_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ethics_approved_on = models.DateField(_("approved on"), null=True, blank=True)
    ethics_note = models.TextField(_("review note"), blank=True)
    blind_coding = models.BooleanField(
        _("coders code blind"),
        default=False,
        help_text=_("Each coder sees only their own codes until they choose to compare."),
    )
    # Counts every change to the codings the agreement figures rest on (a coding, an undo, an import, a
    # withdrawal, the retention run): the stored figures are computed again when it moved.
    codings_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("co-assessment")
        indexes = [models.Index(fields=["organisation", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(method__in=["thematic", "condensation"]), name="coassessment_method"),
            models.CheckConstraint(
                condition=Q(
                    status__in=["planning", "ethics_review", "collecting", "analysing", "member_check", "finished"]
                ),
                name="coassessment_status",
            ),
            models.CheckConstraint(condition=Q(step__gte=1) & Q(step__lte=6), name="coassessment_step_range"),
        ]

    def __str__(self) -> str:
        return self.title

    def reached(self, status: str) -> bool:
        """Has the co-assessment reached ``status`` (or gone past it)?"""
        return self.ORDER.index(str(self.status)) >= self.ORDER.index(str(status))

    @property
    def analysis_started(self) -> bool:
        return self.reached(self.Status.ANALYSING)

    @property
    def awaiting_approval(self) -> bool:
        """Sent for review and not (or no longer) approved: a plan changed after approval goes back to the
        data protection officer, whatever status it has reached."""
        return (
            self.ethics_approved_on is None
            and self.reached(self.Status.ETHICS_REVIEW)
            and self.status != self.Status.FINISHED
        )

    @property
    def material_open(self) -> bool:
        """Material may be entered once the ethics checkpoint is approved, until the co-assessment ends."""
        return self.ethics_approved_on is not None and self.status in (self.Status.COLLECTING, self.Status.ANALYSING)


class TeamMember(TenantModel):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        MODERATOR = "moderator", _("Moderator")
        OBSERVER = "observer", _("Observer")
        CODER = "coder", _("Coder")
        CO_RESEARCHER = "co_researcher", _("Co-researcher")

    coassessment = models.ForeignKey(CoAssessment, on_delete=models.CASCADE, related_name="team")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    role = models.CharField(_("role in the team"), max_length=20, choices=Role.choices)
    is_peer_co_researcher = models.BooleanField(
        _("peer worker as co-researcher"),
        default=False,
        help_text=_("A peer worker paid to co-write guides, sit in groups, discuss analyses and co-author."),
    )
    hours_per_month = models.PositiveSmallIntegerField(_("hours a month"), default=0)
    compared_at = models.DateTimeField(_("compared with the other coders"), null=True, blank=True)

    class Meta:
        ordering = ["coassessment_id", "id"]
        verbose_name = _("team member")
        constraints = [
            models.UniqueConstraint(fields=["coassessment", "person"], name="coassessment_team_once"),
            models.CheckConstraint(
                condition=Q(role__in=["lead", "moderator", "observer", "coder", "co_researcher"]),
                name="coassessment_team_role",
            ),
            models.CheckConstraint(condition=Q(hours_per_month__lte=200), name="coassessment_team_hours"),
        ]

    def __str__(self) -> str:
        return str(self.person)


class Group(TenantModel):
    class Kind(models.TextChoices):
        MANAGERS = "managers", _("Managers")
        PROFESSIONALS = "professionals", _("Professionals")
        PEER_WORKERS = "peer_workers", _("Peer workers")
        SERVICE_USERS = "service_users", _("Service users")

    coassessment = models.ForeignKey(CoAssessment, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("who takes part"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["coassessment_id", "id"]
        verbose_name = _("group")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["managers", "professionals", "peer_workers", "service_users"]),
                name="coassessment_group_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Participant(TenantModel):
    """Someone who takes part, under a pseudonym. ``consent`` is their consent to evaluation; its data subject
    (a service user or a staff member) is the name key, read only by the data protection officer."""

    coassessment = models.ForeignKey(CoAssessment, on_delete=models.CASCADE, related_name="participants")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="participants")
    pseudonym = models.CharField(_("pseudonym"), max_length=40)
    consent = models.ForeignKey(
        "privacy.Consent", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("consent")
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["group_id", "pseudonym"]
        verbose_name = _("participant")
        constraints = [
            models.UniqueConstraint(fields=["coassessment", "pseudonym"], name="coassessment_pseudonym_once"),
        ]

    def __str__(self) -> str:
        return self.pseudonym


class ReflexivityNote(TenantModel):
    """What a team member brings to the analysis, written before it starts, locked then, shown at the end."""

    member = models.OneToOneField(TeamMember, on_delete=models.CASCADE, related_name="reflexivity")
    text = models.TextField(_("reflexivity note"))
    written_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reflexivity note")


class Guide(TenantModel):
    class Kind(models.TextChoices):
        INTERVIEW = "interview", _("Interview guide")
        FOCUS_GROUP = "focus_group", _("Focus-group guide")

    coassessment = models.ForeignKey(CoAssessment, on_delete=models.CASCADE, related_name="guides")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["coassessment_id", "id"]
        verbose_name = _("guide")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["interview", "focus_group"]), name="coassessment_guide_kind")
        ]

    def __str__(self) -> str:
        return self.title


class GuideQuestion(TenantModel):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=1)
    text = models.TextField(_("question"))

    class Meta:
        ordering = ["guide_id", "position", "id"]
        verbose_name = _("guide question")


class Material(TenantModel):
    """A pseudonymised transcript or notes, as text. No audio is ever stored."""

    class Kind(models.TextChoices):
        TRANSCRIPT = "transcript", _("Pseudonymised transcript")
        NOTES = "notes", _("Notes")

    coassessment = models.ForeignKey(CoAssessment, on_delete=models.CASCADE, related_name="materials")
    group = models.ForeignKey(Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["coassessment_id", "id"]
        verbose_name = _("material")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["transcript", "notes"]), name="coassessment_material_kind")
        ]

    def __str__(self) -> str:
        return self.title


class Segment(TenantModel):
    """A span of a material's text (``start`` up to, not including, ``end``) said by one participant."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="segments")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="segments")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["material_id", "start", "id"]
        verbose_name = _("segment")
        constraints = [models.CheckConstraint(condition=Q(end__gt=F("start")), name="coassessment_segment_span")]

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"


class Code(TenantModel):
    coassessment = models.ForeignKey(CoAssessment, on_delete=models.CASCADE, related_name="codes")
    name = models.CharField(_("code"), max_length=120)
    description = models.TextField(_("what it means"), blank=True)
    # Counts every change to this code's codings (as the co-assessment's ``codings_version`` counts all): the
    # stored agreement figure of this code is computed again when it moved.
    codings_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["coassessment_id", "name"]
        verbose_name = _("code")
        constraints = [models.UniqueConstraint(fields=["coassessment", "name"], name="coassessment_code_once")]

    def __str__(self) -> str:
        return self.name


class Coding(TenantModel):
    """One coder's choice of a code for a segment. ``blind``: coded without seeing the other coders'."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="codings")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="codings")
    coder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blind = models.BooleanField(_("coded blind"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["segment_id", "id"]
        verbose_name = _("coding")
        constraints = [
            models.UniqueConstraint(fields=["segment", "code", "coder"], name="coassessment_coding_once"),
        ]


class AgreementSnapshot(TenantModel):
    """The agreement figures of a co-assessment as last computed, kept so the compare pages do not recompute
    Krippendorff's alpha over every coding on every visit. ``key`` sums up what they were computed from (the
    co-assessment's count of coding changes and which participants' consent holds); when the key read now
    differs, the figures are computed again: only those of the codes whose own count of coding changes moved,
    while the stretches compared and who coded which material stay as they were (``figures["structure"]``),
    otherwise all. ``figures``: per code id, the figure (no text, no names)."""

    coassessment = models.OneToOneField(CoAssessment, on_delete=models.CASCADE, related_name="agreement_snapshot")
    key = models.CharField(max_length=200)
    figures = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agreement figures")


class AgreementPlace(TenantModel):
    """One place where coders differ, as last computed with its snapshot: a span of a material, a code, and
    the coders (ids) who gave it and who did not; ``position`` is its place in the order of the text: the
    rank of its stretch among the stretches compared, times 2**32, plus its code's id, so a code's places can
    be replaced without moving the others'."""

    snapshot = models.ForeignKey(AgreementSnapshot, on_delete=models.CASCADE, related_name="places")
    position = models.PositiveBigIntegerField()
    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="+")
    applied_by = models.JSONField(default=list)
    not_applied_by = models.JSONField(default=list)

    class Meta:
        ordering = ["snapshot_id", "position"]
        verbose_name = _("place where coders differ")
        indexes = [
            models.Index(fields=["snapshot", "position"], name="coassessment_place_order"),
            models.Index(fields=["snapshot", "code", "position"], name="coassessment_place_by_code"),
        ]


class ExportReminder(TenantModel):
    """After a participant withdrew: copies of the co-assessment exported before then (project files and report
    PDFs) are outside Peerwork and still hold that participant's words, so those who downloaded one are told to
    delete it. Never says who withdrew; a team member marks it done once the copies are deleted."""

    coassessment = models.ForeignKey(CoAssessment, on_delete=models.CASCADE, related_name="export_reminders")
    exported_before = models.DateTimeField(_("exported before"))
    downloaded_by = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("downloaded by"))
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("marked done"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["coassessment_id", "exported_before", "pk"]
        verbose_name = _("reminder to delete exported copies")


from .analysis_models import Decision as Decision  # noqa: E402  (the guided analysis's models)
from .analysis_models import Feedback as Feedback  # noqa: E402
from .analysis_models import MemberComment as MemberComment  # noqa: E402
from .analysis_models import Memo as Memo  # noqa: E402
from .analysis_models import Theme as Theme  # noqa: E402
from .report_models import ReportChecklist as ReportChecklist  # noqa: E402  (the report's checklist answers)
from .survey_models import PeerSurvey as PeerSurvey  # noqa: E402  (peer-led surveys)
from .survey_models import SurveyAnswer as SurveyAnswer  # noqa: E402
from .survey_models import SurveyLink as SurveyLink  # noqa: E402
from .survey_models import SurveyParticipation as SurveyParticipation  # noqa: E402
from .survey_models import SurveyQuestion as SurveyQuestion  # noqa: E402
from .survey_models import SurveyResponse as SurveyResponse  # noqa: E402
