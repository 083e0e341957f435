"""The team's answers to the report's checklist: what Peerwork cannot know from its own data.

Imported by ``models.py`` so Django finds the model in this app. Every answer is optional; an empty one is
shown in the report as not yet answered.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerwork.organisations.models import TenantModel


class ReportChecklist(TenantModel):
    """The checklist items of a co-assessment's report that the team answers in its own words."""

    coassessment = models.OneToOneField(
        "coassessment.CoAssessment", on_delete=models.CASCADE, related_name="report_checklist"
    )
    facilitator_relation = models.TextField(
        _("how those who led the groups relate to the participants"),
        blank=True,
        help_text=_("For example: colleagues in the same team, or did not know each other before."),
    )
    training = models.TextField(
        _("what the co-researchers were trained in"),
        blank=True,
        help_text=_("For example: a day on interviewing and on the method, given by the team's lead."),
    )
    recruitment = models.TextField(
        _("how participants were chosen and asked to take part"),
        blank=True,
        help_text=_(
            "For example: recruited through the coordinators. Say so plainly: whoever chooses who is asked shapes "
            "what is heard, so name it under limits too."
        ),
    )
    setting = models.TextField(
        _("where and how the groups met"),
        blank=True,
        help_text=_("For example: a meeting room at the service, in working hours, without managers present."),
    )
    limits = models.TextField(
        _("limits of this co-assessment"),
        blank=True,
        help_text=_("What a reader should keep in mind: who was not heard, how participants were recruited, time."),
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    ANSWERS = ("facilitator_relation", "training", "recruitment", "setting", "limits")

    class Meta:
        verbose_name = _("report checklist")
