"""People and what they may do in each organisation."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerwork.core.roles import Role
from peerwork.organisations.models import TenantModel, Unit


class User(AbstractUser):
    """A person who signs in. Personal details live here only as far as sign-in and contact need."""

    display_name = models.CharField(_("name shown to colleagues"), max_length=150, blank=True)
    language = models.CharField(_("preferred language"), max_length=8, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)
    # Kept by the notifications part (in every organisation the person works in), so the header shows it
    # from the user row every request loads anyway, at no query more.
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("user")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class Membership(TenantModel):
    """One role of one person in one organisation, optionally tied to a unit/team."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user", "role"], name="membership_unique_role"),
        ]
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class ApiToken(TenantModel):
    """A personal API token. Only a SHA-256 of the secret is stored; the secret is shown once."""

    PREFIX = "pw_"
    DEFAULT_VALID_DAYS = 90  # Peerwork's default lifetime for a new token
    MAX_VALID_DAYS = 365

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")

    @classmethod
    def new_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()


class OidcIdentity(TenantModel):
    """A person's account at their organisation's OpenID provider: the provider's issuer and subject.

    Bound once, by the person following an invitation and signing in there, or entered by an administrator;
    never matched by e-mail. The organisation is the one whose provider the subject was bound through.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="oidc_identities")
    provider = models.CharField(_("sign-in service"), max_length=50)
    issuer = models.CharField(_("issuer"), max_length=300)
    subject = models.CharField(_("identifier at the sign-in service"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation sign-in")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "issuer", "subject"], name="oidc_identity_unique_subject"),
            models.UniqueConstraint(fields=["organisation", "user", "provider"], name="oidc_identity_one_per_provider"),
        ]
        indexes = [models.Index(fields=["issuer", "subject"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.provider}"
