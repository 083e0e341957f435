"""Consent, retention policies and evaluation extracts: the data protection features that read the service.

Consent is explicit, per purpose and recipient, dated and withdrawable, and it fails closed: no consent on
record means nothing is shared. The audit trail every app writes to lives in ``peerwork.audit``.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerwork.core import validation
from peerwork.organisations.models import TenantModel, Unit

# --- consent, retention and evaluation exports (S1 B3–B4; S2 Appendices II–III) ---------------------


# Purposes a staff member (a peer worker or another member of staff) can consent to for themself.
STAFF_PURPOSES = ("evaluation",)


class Consent(TenantModel):
    """One consent a data subject gave: for one purpose, and for sharing, to one recipient and a scope.

    The data subject is either a service user (``service_user``) or a person with an account in the
    organisation — a peer worker or another staff member (``staff_member``), never both. Service users give
    consent for every purpose, recorded by the person who heard it; a staff member gives their own, for the
    purposes in ``STAFF_PURPOSES`` (today: to appear under a pseudonym in evaluation extracts; S2's
    appendices asked every participant group, peer workers included). One model, so that every check of
    validity — and every later purpose, such as taking part in a co-assessment — follows the same rules.

    A consent is *valid* at a moment when it was given on or before that day, is not withdrawn, has not run
    out (``valid_until`` empty or not before today), and — for sharing — names the reader (the reader is the
    named person or a member of the named unit). Nothing is cached: every read asks the database again, so a
    withdrawal takes effect on the next page load (``peerwork.privacy.consent``).
    """

    class Purpose(models.TextChoices):
        PEER_SUPPORT = "peer_support", _("Peer support itself")
        SHARE = "share", _("Sharing with a named team or person")
        EVALUATION = "evaluation", _("Use in evaluation")
        TEXT_MESSAGES = "text_messages", _("Contact by text message")

    class HowGiven(models.TextChoices):
        VERBAL = "verbal", _("Said out loud")
        WRITTEN = "written", _("Signed on paper")
        DIGITAL = "digital", _("Given digitally")

    class GoalScope(models.TextChoices):
        NONE = "none", _("No goals")
        ALL = "all", _("All goals marked for the care team")
        SELECTED = "selected", _("Only the goals chosen below")

    service_user = models.ForeignKey(
        "service.ServiceUser",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("person"),
    )
    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_consents",
        verbose_name=_("peer worker or staff member"),
    )
    purpose = models.CharField(_("what the consent is for"), max_length=20, choices=Purpose.choices)
    goals = models.CharField(
        _("goals that may be shared"), max_length=10, choices=GoalScope.choices, default=GoalScope.NONE
    )
    contact_summaries = models.BooleanField(
        _("contact summaries may be shared"),
        default=False,
        help_text=_("Dates, how and how long — never what was said."),
    )
    recipient_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    given_on = models.DateField(_("given on"), validators=[validation.plausible_date])
    valid_until = models.DateField(_("valid until"), null=True, blank=True, validators=[validation.plausible_date])
    how_given = models.CharField(_("how it was given"), max_length=10, choices=HowGiven.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A consent to evaluation given for one study only (taking part in one co-assessment) names it here and
    # counts for nothing else: evaluation extracts and a peer worker's own consent page read only consents
    # with this empty.
    study = models.CharField(_("for this study only"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("consent")
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=["peer_support", "share", "evaluation", "text_messages"]),
                name="consent_purpose_valid",
            ),
            models.CheckConstraint(
                condition=Q(how_given__in=["verbal", "written", "digital"]), name="consent_how_valid"
            ),
            models.CheckConstraint(condition=Q(goals__in=["none", "all", "selected"]), name="consent_goals_valid"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("given_on")),
                name="consent_ends_after_start",
            ),
            # Sharing names exactly one recipient; other purposes name none and share nothing.
            models.CheckConstraint(
                condition=(
                    Q(purpose="share")
                    & (
                        Q(recipient_unit__isnull=False, recipient_user__isnull=True)
                        | Q(recipient_unit__isnull=True, recipient_user__isnull=False)
                    )
                )
                | (
                    ~Q(purpose="share")
                    & Q(
                        recipient_unit__isnull=True,
                        recipient_user__isnull=True,
                        goals="none",
                        contact_summaries=False,
                    )
                ),
                name="consent_recipient_for_sharing_only",
            ),
            # Exactly one data subject: a service user, or a staff member for a purpose open to staff.
            models.CheckConstraint(
                condition=Q(service_user__isnull=False, staff_member__isnull=True)
                | Q(service_user__isnull=True, staff_member__isnull=False, purpose__in=list(STAFF_PURPOSES)),
                name="consent_one_data_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "service_user", "purpose"]),
            models.Index(fields=["organisation", "recipient_unit"]),
            models.Index(fields=["organisation", "recipient_user"]),
            models.Index(fields=["organisation", "staff_member", "purpose"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def subject_kind(self) -> str:
        """``service_user`` or ``staff``: which kind of data subject gave this consent."""
        return "service_user" if self.service_user_id is not None else "staff"

    def status(self, today: date) -> str:
        """``active``, ``withdrawn``, ``expired`` or ``future`` on ``today`` (for display; checks use SQL)."""
        if self.withdrawn_at is not None:
            return "withdrawn"
        if self.given_on > today:
            return "future"
        if self.valid_until is not None and self.valid_until < today:
            return "expired"
        return "active"

    @property
    def state(self) -> str:
        """``status`` today (for the pages and the API)."""
        return self.status(timezone.localdate())


class ConsentItem(TenantModel):
    """One specific goal or contact note a sharing consent covers (exactly one of the two)."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="items")
    goal = models.ForeignKey("service.Goal", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    contact = models.ForeignKey("service.Contact", on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__isnull=False, contact__isnull=True) | Q(goal__isnull=True, contact__isnull=False),
                name="consentitem_goal_or_note",
            ),
            models.UniqueConstraint(fields=["consent", "goal"], name="consentitem_unique_goal"),
            models.UniqueConstraint(fields=["consent", "contact"], name="consentitem_unique_note"),
        ]


class RetentionPolicy(TenantModel):
    """How long an organisation keeps a person's record after their last engagement closes."""

    DEFAULT_MONTHS = 12

    months_after_last_engagement = models.PositiveSmallIntegerField(
        _("months to keep after the last engagement closes"),
        default=DEFAULT_MONTHS,
        help_text=_("Between 1 and 120. After this the record is anonymised; statistics keep their counts."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("retention policy")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="retention_one_per_org"),
            models.CheckConstraint(
                condition=Q(months_after_last_engagement__gte=1) & Q(months_after_last_engagement__lte=120),
                name="retention_months_range",
            ),
        ]


class EvaluationExport(TenantModel):
    """A pseudonymised extract for evaluation or a research partner. People appear under pseudonyms that
    are stable within this export only; the key that links them back is a ``PseudonymKey``, kept apart."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recipient = models.CharField(
        _("who receives it"),
        max_length=200,
        help_text=_("For example a research partner or the evaluation team."),
    )
    purpose = models.CharField(_("what it will be used for"), max_length=300)
    people = models.PositiveIntegerField(default=0)
    content = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("evaluation export")
        ordering = ["-created_at", "-id"]


class PseudonymKey(TenantModel):
    """The secret that turns ids into one export's pseudonyms. Only the data protection officer reads it;
    deleting it makes the export anonymous for good (S2 appendices: a separate name key, deleted at the
    end)."""

    export = models.OneToOneField(EvaluationExport, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
