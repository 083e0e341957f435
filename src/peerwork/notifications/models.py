"""What a person is told, and how each person wants to be told.

A notification holds its kind, a link and numbers only: its words are written when it is read (on the page in
the reader's language, in an e-mail in the recipient's stored language), and it never holds a service user's
name or anything they said.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerwork.core import events
from peerwork.organisations.models import TenantModel

KIND_CHOICES = [(k, k) for k in events.KINDS]


class Notification(TenantModel):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40, choices=KIND_CHOICES)
    url = models.CharField(max_length=300)
    counts = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The channels chosen when it was made (the person's choice for this kind at that moment).
    in_app = models.BooleanField(default=True)
    by_email = models.BooleanField(default=False)
    by_sms = models.BooleanField(default=False)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    texted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        indexes = [models.Index(fields=["organisation", "recipient", "read_at"])]

    def __str__(self) -> str:
        return self.kind


class Preference(models.Model):
    """One person's channels for one kind of notification (the same in every organisation they work in)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40, choices=KIND_CHOICES)
    in_app = models.BooleanField(_("on the notifications page"), default=True)
    by_email = models.BooleanField(_("by e-mail"), default=True)
    by_sms = models.BooleanField(_("by text message"), default=False)

    class Meta:
        verbose_name = _("notification choice")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self) -> str:
        return self.kind
