"""Pulse surveys on the conditions for peer workers' impact (S2 Model 4 §III).

One survey per organisation per quarter. Answers are anonymous by construction:

* ``PulseParticipation`` records only *that* a person answered a survey (so nobody answers twice);
* ``PulseResponse`` and ``PulseAnswer`` record *what* was answered and by which stakeholder group, with a
  random identifier and no person and no time;

so the two cannot be joined. Results for a group (or a single statement) with fewer than three answers are
withheld (``items.MIN_GROUP``).
"""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from peerwork.organisations.models import TenantModel

from .items import Condition, Group, current_version


def random_id() -> int:
    """A random positive 63-bit key: rows carry no order that could link who answered to what was answered."""
    return secrets.randbelow(2**63 - 1) + 1


def quarter_of(day: date) -> tuple[date, date]:
    """The first and last day of the calendar quarter holding ``day``."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    end = date(day.year + (first_month == 10), 1 if first_month == 10 else first_month + 3, 1)
    return start, date.fromordinal(end.toordinal() - 1)


class PulseSurvey(TenantModel):
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    created_at = models.DateTimeField(auto_now_add=True)
    # The version of the statements this survey asks (``items.ITEMS_VERSION`` when it was opened): results
    # are compared across surveys only where a statement's wording is the same.
    items_version = models.PositiveSmallIntegerField(_("version of the statements"), default=current_version)

    class Meta:
        ordering = ["-period_start"]
        verbose_name = _("pulse survey")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "period_start"], name="pulse_one_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="pulse_period_in_order"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.period_start.year} Q{(self.period_start.month - 1) // 3 + 1}"


class PulseParticipation(TenantModel):
    """That a person has answered a survey. Holds nothing of what they answered."""

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    survey = models.ForeignKey(PulseSurvey, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("pulse survey participation")
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="pulse_answer_once")]


class PulseResponse(TenantModel):
    """One anonymous set of answers: a stakeholder group and nothing that points to a person."""

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    survey = models.ForeignKey(PulseSurvey, on_delete=models.CASCADE, related_name="responses")
    group = models.CharField(_("answered as"), max_length=20, choices=Group.choices)

    class Meta:
        verbose_name = _("pulse survey response")
        indexes = [models.Index(fields=["survey", "group"])]
        constraints = [
            models.CheckConstraint(condition=Q(group__in=Group.values), name="pulse_response_group_valid"),
        ]


class PulseAnswer(TenantModel):
    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    response = models.ForeignKey(PulseResponse, on_delete=models.CASCADE, related_name="answers")
    condition = models.CharField(max_length=20, choices=Condition.choices)
    value = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("pulse survey answer")
        constraints = [
            models.UniqueConstraint(fields=["response", "condition"], name="pulse_answer_one_per_condition"),
            models.CheckConstraint(condition=Q(value__gte=1) & Q(value__lte=5), name="pulse_answer_1_to_5"),
            models.CheckConstraint(condition=Q(condition__in=Condition.values), name="pulse_answer_condition_valid"),
        ]
