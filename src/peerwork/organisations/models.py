"""Organisations, their units/teams and the positions peer workers hold.

Every tenant table in Peerwork carries ``organisation_id``: it is how each read is scoped, and it is the
key a distributed PostgreSQL (e.g. Citus) would shard on when one server is outgrown.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from peerwork.core import validation


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPAL = "municipal", _("Municipal service")
        HOSPITAL = "hospital", _("Hospital trust or region")
        USER_ORGANISATION = "user_org", _("User organisation or NGO")
        COMPANY = "company", _("Company")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO code, e.g. NO or DK"))
    language = models.CharField(_("default language"), max_length=8, default="en")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name


class TenantModel(models.Model):
    """Base for every table that belongs to one organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class Unit(TenantModel):
    class Kind(models.TextChoices):
        FACT = "fact", _("Community / FACT team")
        PEER_TEAM = "peer_team", _("Peer team")
        OUTREACH = "outreach", _("Outreach")
        INPATIENT = "inpatient", _("Inpatient ward")
        USER_ORG_PROGRAMME = "user_org_programme", _("User-organisation programme")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    district = models.CharField(_("district or area"), max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit or team")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unit_name_unique")]

    def __str__(self) -> str:
        return self.name


class Position(TenantModel):
    """A peer-worker position: the two role forms of the European recommendations (S1 §3.1)."""

    class RoleForm(models.TextChoices):
        PEER_TEAM = "peer_team", _("Peer support worker in a peer team")
        CARE_PROVIDER = "care_provider", _("Care provider with experiential expertise")

    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="positions", verbose_name=_("unit"))
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("peer worker"),
    )
    role_form = models.CharField(_("role form"), max_length=20, choices=RoleForm.choices)
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1)
    reports_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("reports to"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True, validators=[validation.plausible_date])
    end_date = models.DateField(_("end date"), null=True, blank=True, validators=[validation.plausible_date])
    peer_work_experience_since = models.DateField(
        _("working as a peer worker since"),
        null=True,
        blank=True,
        help_text=_("Used to notice an inexperienced peer worker placed alone in a team."),
        validators=[validation.plausible_date],
    )

    class Meta:
        ordering = ["unit__name", "title"]
        verbose_name = _("position")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0) & Q(hours_per_week__lte=60), name="position_hours_range"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="position_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "holder"])]

    def __str__(self) -> str:
        return self.title
