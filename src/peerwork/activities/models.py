"""Groups and courses that peer workers run for the people the service supports: self-help groups, recovery
courses, outdoor activities. Each has its sessions, the people who have a place in it, and who came to each
session. A place can be offered to a person on the waiting list, so the wait for a peer worker of one's own
is not empty (S1: peer workers guide people waiting to self-help groups and courses; S3: the service records
group activities).

These are **not** guidance: ``service.GuidanceSession`` is a peer worker's own supervision or intervision.
Nor are they the "group" channel of a ``service.Contact``, which is one contact of an engagement that happened
in a group. An ``Activity`` exists on its own, led by one or more peer workers, and anyone the service supports
(with or without an engagement) may have a place in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from peerwork.core import validation
from peerwork.organisations.models import TenantModel
from peerwork.service.models import ServiceUser

if TYPE_CHECKING:
    from peerwork.accounts.models import User

USER = settings.AUTH_USER_MODEL
MAX_PLACES = 60  # Peerwork default: a group or course, not an event


class Activity(TenantModel):
    """A group or course: what kind, its title, who leads it, where and when it meets, how many places."""

    class Kind(models.TextChoices):
        SELF_HELP = "self_help", _("Self-help group")
        COURSE = "course", _("Recovery course")
        OUTDOOR = "outdoor", _("Outdoor activity")
        OTHER = "other", _("Other group activity")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("what it is about"), blank=True, max_length=2000)
    leaders: models.ManyToManyField[User, Any] = models.ManyToManyField(
        USER, related_name="activities_led", verbose_name=_("led by")
    )
    venue = models.CharField(_("where"), max_length=200, help_text=_("For example: the library, room 2."))
    schedule = models.CharField(
        _("when"), max_length=200, blank=True, help_text=_("For example: Tuesdays 18:00 to 19:30, eight weeks.")
    )
    places = models.PositiveSmallIntegerField(_("places"), help_text=_("How many people can take part at most."))
    starts_on = models.DateField(_("starts on"), validators=[validation.plausible_date])
    ends_on = models.DateField(_("ends on"), null=True, blank=True, validators=[validation.plausible_date])
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("group or course")
        verbose_name_plural = _("groups and courses")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1) & Q(places__lte=MAX_PLACES), name="activity_places"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="activity_ends_after"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["self_help", "course", "outdoor", "other"]), name="activity_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "starts_on"])]

    def __str__(self) -> str:
        return self.title


class ActivitySession(TenantModel):
    """One meeting of a group or course, on one day: planned, held (attendance marked) or cancelled."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    meets_on = models.DateField(_("date"), validators=[validation.plausible_date])
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    marked_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    marked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.activity.title}, {date_format(self.meets_on, 'DATE_FORMAT')}"

    class Meta:
        verbose_name = _("session of a group or course")
        ordering = ["meets_on", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planned", "held", "cancelled"]), name="activitysession_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "meets_on"])]


class ActivityPlace(TenantModel):
    """A person's place in a group or course: offered (the person has not answered yet), taken, declined or
    left. ``from_waiting_list`` says the person was waiting for a peer worker when the place was offered, so
    the service can see how much the groups bridge the wait."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        TAKEN = "taken", _("Taking part")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left")

    HOLDING = (Status.OFFERED, Status.TAKEN)  # these count against the places

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    service_user = models.ForeignKey(ServiceUser, on_delete=models.CASCADE, related_name="activity_places")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OFFERED)
    from_waiting_list = models.BooleanField(_("on the waiting list when offered"), default=False)
    offered_on = models.DateField(_("offered on"), validators=[validation.plausible_date])
    offered_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    answered_on = models.DateField(_("answered on"), null=True, blank=True, validators=[validation.plausible_date])

    class Meta:
        verbose_name = _("place in a group or course")
        ordering = ["offered_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "service_user"], name="activityplace_once"),
            models.CheckConstraint(
                condition=Q(status__in=["offered", "taken", "declined", "left"]), name="activityplace_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "service_user"])]

    @property
    def holds_place(self) -> bool:
        return self.status in self.HOLDING


class Attendance(TenantModel):
    """That one person came to one session (a row per person present; no row: not there)."""

    session = models.ForeignKey(ActivitySession, on_delete=models.CASCADE, related_name="attendance")
    place = models.ForeignKey(ActivityPlace, on_delete=models.CASCADE, related_name="attendance")

    class Meta:
        verbose_name = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "place"], name="attendance_once")]
        indexes = [models.Index(fields=["organisation", "session"])]
