"""The guided analysis: memos, themes and code groups, their texts, quotes, the member check, the findings'
way back into the service, and the decision trail that records (and can undo) every change.

Imported by ``models.py`` so Django finds the models in this app. Nothing here writes text for people: every
memo, definition, condensate and synthesis is typed by a team member.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from peerwork.organisations.models import TenantModel


class Memo(TenantModel):
    """Thematic analysis, phase 1: a team member's familiarisation memo on one material."""

    material = models.ForeignKey("coassessment.Material", on_delete=models.CASCADE, related_name="memos")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("memo"))
    written_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["material_id", "id"]
        verbose_name = _("familiarisation memo")
        constraints = [models.UniqueConstraint(fields=["material", "author"], name="coassessment_memo_once")]


class Theme(TenantModel):
    """A theme of thematic analysis, or a preliminary theme or code group of systematic text condensation.

    Thematic analysis: a candidate theme groups codes, is reviewed (kept or set aside), defined and named, and
    written up with quotes. Systematic text condensation: preliminary themes come first; meaning units
    (segments) are sorted into code groups; each code group gets a condensate in the first person and a
    synthesis in the third person with one illustrative quote.
    """

    class Kind(models.TextChoices):
        THEME = "theme", _("Theme")
        PRELIMINARY = "preliminary", _("Preliminary theme")
        CODE_GROUP = "code_group", _("Code group")

    class Review(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        KEPT = "kept", _("Kept")
        SET_ASIDE = "set_aside", _("Set aside")

    coassessment = models.ForeignKey("coassessment.CoAssessment", on_delete=models.CASCADE, related_name="themes")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"), blank=True)
    review = models.CharField(_("review"), max_length=20, choices=Review.choices, default=Review.CANDIDATE)
    codes = models.ManyToManyField("coassessment.Code", blank=True, related_name="themes")
    segments = models.ManyToManyField("coassessment.Segment", blank=True, related_name="themes")
    condensate = models.TextField(_("condensate, in the first person"), blank=True)
    synthesis = models.TextField(_("synthesis, in the third person"), blank=True)
    quote = models.ForeignKey(
        "coassessment.Segment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    quote_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    member_check_group = models.ForeignKey(
        "coassessment.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    member_check_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["coassessment_id", "kind", "name", "id"]
        verbose_name = _("theme")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["theme", "preliminary", "code_group"]), name="coassessment_theme_kind"
            ),
            models.CheckConstraint(
                condition=Q(review__in=["candidate", "kept", "set_aside"]), name="coassessment_theme_review"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MemberComment(TenantModel):
    """A participant's comment on a draft theme or condensate, recorded under their pseudonym."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="comments")
    participant = models.ForeignKey("coassessment.Participant", on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(_("comment"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["theme_id", "recorded_at", "id"]
        verbose_name = _("member-check comment")


class Feedback(TenantModel):
    """What came of a finding: an action in the readiness plan, a contribution to the initiative, or a
    "you said, we did" item shown to the staff who took part."""

    class Kind(models.TextChoices):
        ACTION = "action", _("Action in the readiness plan")
        CONTRIBUTION = "contribution", _("Contribution to the initiative")
        YOU_SAID = "you_said", _("You said, we did")

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="feedback")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    action = models.ForeignKey("readiness.ActionItem", on_delete=models.SET_NULL, null=True, related_name="+")
    contribution = models.ForeignKey("cocreation.Contribution", on_delete=models.SET_NULL, null=True, related_name="+")
    you_said = models.TextField(_("you said"), blank=True)
    we_did = models.TextField(_("we did"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["theme_id", "id"]
        verbose_name = _("feedback on a finding")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["action", "contribution", "you_said"]), name="coassessment_feedback_kind"
            ),
        ]


class Decision(TenantModel):
    """One change in the analysis: who, when, what changed and why, with what it was before (for undo)."""

    class Kind(models.TextChoices):
        MEMO = "memo", _("Familiarisation memo")
        THEME = "theme", _("Theme or code group")
        GROUPING = "grouping", _("Codes or meaning units grouped")
        REVIEW = "review", _("Review")
        DEFINITION = "definition", _("Name and definition")
        CONDENSATE = "condensate", _("Condensate")
        SYNTHESIS = "synthesis", _("Synthesis or write-up")
        QUOTE = "quote", _("Quote")
        STEP = "step", _("Step")
        MEMBER_CHECK = "member_check", _("Member check")
        FEEDBACK = "feedback", _("Finding taken back to the service")
        UNDO = "undo", _("Undone")
        CODING = "coding", _("Codebook, segments and codings")

    coassessment = models.ForeignKey("coassessment.CoAssessment", on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("kind of change"), max_length=20, choices=Kind.choices)
    who = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    what = models.CharField(_("what changed"), max_length=300)
    why = models.TextField(_("why"), blank=True)
    # What to put back on undo: {"model": "theme"|"memo"|"coassessment", "pk": int, "fields": {...} | None}
    # (``fields`` None: the change created the object, so undo removes it).
    before = models.JSONField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("decision")
        indexes = [models.Index(fields=["coassessment", "kind", "-id"])]
