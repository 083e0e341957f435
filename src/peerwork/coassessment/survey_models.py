"""Peer-led surveys: surveys that peer workers write, publish, close and share (S2 §4.4.1).

Answers are anonymous by construction, as in the pulse survey:

* ``SurveyParticipation`` records only *that* a signed-in person answered (so nobody answers twice);
* ``SurveyLink`` is a one-time answering link for a service user, stored as a hash and only marked used;
* ``SurveyResponse`` and ``SurveyAnswer`` record *what* was answered and as which group, with a random
  identifier, no person and no time;

so who answered and what was answered cannot be joined. Results with fewer answers than the anonymity threshold
(``core.anonymity``) are withheld.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from peerwork.core import links
from peerwork.organisations.models import TenantModel


def random_id() -> int:
    """A random positive 63-bit key: rows carry no order that could link who answered to what was answered."""
    return secrets.randbelow(2**63 - 1) + 1


class PeerSurvey(TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Open for answers")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"), help_text=_("Why you ask, in plain words."))
    for_service_users = models.BooleanField(_("for the organisation's service users"), default=False)
    for_peer_workers = models.BooleanField(_("for peer workers"), default=False)
    for_staff = models.BooleanField(_("for staff"), default=False)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    results_shared = models.BooleanField(_("results shared with managers and coordinators"), default=False)
    coassessment = models.ForeignKey(
        "coassessment.CoAssessment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("co-assessment"),
    )
    # The round this one runs again ("Run again"): the survey is annual (S2 §4.4.1), so a later round's results
    # show the previous round's figures beside its own. One next round per round.
    previous_round = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_round",
        verbose_name=_("previous round"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("peer-led survey")
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="peer_survey_dates_in_order"),
            models.CheckConstraint(
                condition=Q(for_service_users=True) | Q(for_peer_workers=True) | Q(for_staff=True),
                name="peer_survey_has_audience",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(TenantModel):
    class Kind(models.TextChoices):
        SCALE = "scale", _("A scale from 1 to 5")
        CHOICE = "choice", _("A choice among options")
        TEXT = "text", _("A free-text answer")

    survey = models.ForeignKey(PeerSurvey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind of answer"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=500)
    low_label = models.CharField(_("words at 1"), max_length=80, blank=True)
    high_label = models.CharField(_("words at 5"), max_length=80, blank=True)
    options = models.TextField(_("options"), blank=True, help_text=_("One option a line."))
    # The previous round's question this one was copied from, so the rounds' figures can be set side by side.
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("copied from")
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("survey question")
        constraints = [models.CheckConstraint(condition=Q(kind__in=["scale", "choice", "text"]), name="peer_q_kind")]

    def __str__(self) -> str:
        return self.text

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]


class SurveyParticipation(TenantModel):
    """That a signed-in person has answered a survey. Holds nothing of what they answered."""

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    survey = models.ForeignKey(PeerSurvey, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("survey participation")
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="peer_survey_answer_once")]


class SurveyLink(TenantModel):
    """A one-time answering link for a service user. Only a SHA-256 of its token is kept; the token is shown
    once to the peer worker who hands it out. Marked used when answered, with nothing of the answers."""

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    survey = models.ForeignKey(PeerSurvey, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("survey answering link")

    new_token = staticmethod(links.new_token)
    hash_token = staticmethod(links.hash_token)


class SurveyResponse(TenantModel):
    """One anonymous set of answers: the group answered as, and nothing that points to a person or a time."""

    class Group(models.TextChoices):
        SERVICE_USER = "service_user", _("Service users")
        PEER_WORKER = "peer_worker", _("Peer workers")
        STAFF = "staff", _("Staff")
        # A signed-in answer whose role group was not kept: when peer workers or other staff were fewer than
        # the anonymity threshold in the organisation at answering time, the role group could point to a person.
        ANY_STAFF = "any_staff", _("Staff, role group not kept")

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    survey = models.ForeignKey(PeerSurvey, on_delete=models.CASCADE, related_name="responses")
    group = models.CharField(_("answered as"), max_length=20, choices=Group.choices)

    class Meta:
        verbose_name = _("survey response")


class SurveyAnswer(TenantModel):
    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("survey answer")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="peer_survey_one_answer_per_question"),
        ]
