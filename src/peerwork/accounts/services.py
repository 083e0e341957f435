"""Every write about people, memberships and tokens: validated, one transaction, audited."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from peerwork.audit.trail import Action, record
from peerwork.core import validation
from peerwork.core.actor import Actor
from peerwork.core.roles import Role
from peerwork.organisations.models import Unit

from .models import ApiToken, Membership, User


def create_api_token(actor: Actor, *, name: str, valid_days: int = ApiToken.DEFAULT_VALID_DAYS) -> tuple[ApiToken, str]:
    """Create a personal token for the actor in the actor's organisation; the secret is returned once.

    Every token expires: after ``valid_days`` (Peerwork's default is 90), at most ``ApiToken.MAX_VALID_DAYS``.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, for example the system that will use it.")})
    if valid_days is None or not 1 <= valid_days <= ApiToken.MAX_VALID_DAYS:
        raise ValidationError({"valid_days": _("Choose between 1 and 365 days.")})
    secret = ApiToken.new_secret()
    token = ApiToken(
        organisation_id=actor.organisation_id,
        user=actor.user,
        name=name,
        key_hash=ApiToken.hash_secret(secret),
        hint=secret[:7],
        expires_at=timezone.now() + timedelta(days=valid_days),
    )
    _validate(token)
    with transaction.atomic():
        token.save(force_insert=True)
        record(actor, Action.SECURITY, token, detail="API token created")
    return token, secret


def revoke_api_token(actor: Actor, token_id: int) -> ApiToken:
    with transaction.atomic():
        token = (
            ApiToken.objects.select_for_update()
            .filter(pk=token_id, user=actor.user, organisation_id=actor.organisation_id)
            .first()
        )
        if token is None:
            raise PermissionDenied
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            _validate(token)
            token.save(update_fields=["revoked_at"])
            record(actor, Action.SECURITY, token, detail="API token revoked")
    return token


def add_person(
    actor: Actor,
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    unit: Unit | None,
    language: str = "",
    request: HttpRequest | None = None,
) -> Membership:
    """An administrator adds a person with a role; they receive a link to choose their own password, in
    ``language`` (Peerwork's pages follow it too once they sign in; the administrator's own by default)."""
    actor.require(Role.ADMINISTRATOR)
    language = language or _active_language()
    if language not in LANGUAGE_CODES:
        raise ValidationError({"language": _("Choose one of the languages in the list.")})
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles in the list.")})
    if unit is not None and unit.organisation_id != actor.organisation_id:
        raise ValidationError({"unit": _("Choose a team of your own organisation.")})
    with transaction.atomic():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first_name, last_name=last_name, email=email, language=language)
            user.set_unusable_password()
            _validate(user)
            user.save()
            record(actor, Action.CREATE, user)
        elif not Membership.objects.filter(user=user, organisation_id=actor.organisation_id).exists():
            # A user name from another organisation: never reveal that it exists there.
            raise ValidationError({"username": _("This user name is taken. Choose another one.")})
        if Membership.objects.filter(user=user, organisation_id=actor.organisation_id, role=role).exists():
            raise ValidationError({"role": _("This person already has that role here.")})
        membership = Membership(organisation_id=actor.organisation_id, user=user, role=role, unit=unit)
        _validate(membership)
        membership.save(force_insert=True)
        record(actor, Action.CREATE, membership, subject=user)
    if request is not None and user.email and not user.has_usable_password():
        send_welcome(user, request)
    return membership


def _validate(obj: models.Model) -> None:
    """The model's own field validation (lengths, formats such as the e-mail address, choices) and the NUL
    check, whatever called the service: forms, the API or a command. Relations were looked up in the actor's
    organisation already; uniqueness is the database's, turned into messages above."""
    validation.clean(obj, exclude=[f.name for f in obj._meta.concrete_fields if f.is_relation])


LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def _active_language() -> str:
    active = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return active if active in LANGUAGE_CODES else settings.LANGUAGE_CODE


def set_language(user: User, language: str) -> None:
    """Keep the language a person chose with their account: it is used at every sign-in, on every page and
    in every e-mail Peerwork sends them."""
    if language not in LANGUAGE_CODES:
        raise ValidationError({"language": _("Choose one of the languages in the list.")})
    if user.language == language:
        return
    with transaction.atomic():
        user.language = language
        user.save(update_fields=["language"])
        record(None, Action.UPDATE, user, user=user, subject=user, detail="language")


def send_welcome(user: User, request: HttpRequest) -> None:
    """A link to choose a first password (the same one-time token as a password reset), in the person's
    own language."""
    context = {
        "protocol": "https" if request.is_secure() else "http",
        "domain": request.get_host(),
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    with translation.override(user.language or _active_language()):
        subject = "".join(render_to_string("accounts/email/welcome_subject.txt", context).splitlines())
        send_mail(subject, render_to_string("accounts/email/welcome_body.txt", context), None, [user.email])


def pending_totp_device(user: User) -> TOTPDevice | None:
    """The authenticator device a person is setting up (created on first use); None once one is confirmed."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice(user=user, name="authenticator", confirmed=False)
        _validate(device)
        device.save(force_insert=True)
    return device


def confirm_totp_device(user: User, *, device: TOTPDevice, token: str, via: str) -> bool:
    """Confirm ``device`` when ``token`` is its current code, and audit the enrolment; False for a wrong code."""
    if device.user_id != user.pk or not device.verify_token(token):
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record(None, Action.SECURITY, device, user=user, via=via, detail="two-factor enrolled")
    return True
