"""The audit trail: append-only, in hash chains (a fixed number of "lanes" per organisation).

Each entry stores the SHA-256 of its predecessor in the same chain, so editing or deleting an entry breaks
every hash after it; ``peerwork audit verify`` recomputes the chains. The database refuses UPDATE and
DELETE on the table (triggers created with the table), so the trail cannot be changed through Django either.
Entries name objects by type and id, never by content: the trail holds no health data itself.

The tables keep the names they were created with (``privacy_auditentry``, ``privacy_audithead``): the trail
began in the privacy app and moved down here so that every app can write to it without importing privacy.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        READ = "read", _("Read")
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        DELETE = "delete", _("Delete")
        EXPORT = "export", _("Export")
        SIGN_IN = "sign_in", _("Sign-in")
        SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
        SIGN_OUT = "sign_out", _("Sign-out")
        SECURITY = "security", _("Security change")

    # chain 0 holds events outside any organisation (for example, a failed sign-in for an unknown name); lane k
    # of organisation o is chain o + k * 10**12 (``trail.chain_of``).
    chain = models.BigIntegerField(db_index=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=30, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    # The service user (or peer worker) whose data this touched, for the per-person access report.
    subject_type = models.CharField(max_length=60, blank=True)
    subject_id = models.CharField(max_length=40, blank=True)
    via = models.CharField(_("page or API call"), max_length=200, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["organisation", "-at"]),
            # The data protection officer's pages of the trail: the organisation's entries in sequence, from a
            # cursor, newer or older.
            models.Index(fields=["organisation", "id"]),
            models.Index(fields=["organisation", "subject_type", "subject_id"]),
        ]
        db_table = "privacy_auditentry"

    def __str__(self) -> str:
        return f"{self.action} {self.object_type} {self.object_id}"


class AuditHead(models.Model):
    """The newest hash of each chain (one per lane of each organisation); locked while an entry is appended
    so chains never fork."""

    chain = models.BigIntegerField(primary_key=True)
    last_hash = models.CharField(max_length=64)
    count = models.BigIntegerField(default=0)
    # HMAC-SHA256 of (chain, count, last_hash) with the key named by key_id (settings.AUDIT_KEYS), so a head
    # rewritten inside the database no longer matches its signature.
    key_id = models.CharField(max_length=40, blank=True)
    mac = models.CharField(max_length=64, blank=True)

    class Meta:
        db_table = "privacy_audithead"

    def __str__(self) -> str:
        return f"chain {self.chain}"
