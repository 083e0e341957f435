"""Every write about people, memberships and tokens: validated, one transaction, audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.http import Http404, HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core import hooks, jobs, validation
from peerwork.core.actor import Actor
from peerwork.core.roles import Role
from peerwork.organisations.models import Organisation, Unit

from . import oidc
from .models import ApiToken, Membership, OidcIdentity, User


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
        record(actor, Action.SECURITY, token, detail=Detail("token_created"))
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
            record(actor, Action.SECURITY, token, detail=Detail("token_revoked"))
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
    welcome: bool = False,
) -> Membership:
    """An administrator adds a person with a role. With ``welcome``, a new person without a password is sent
    a link to choose one by a background job queued in this transaction, in ``language`` (Peerwork's pages
    follow it too once they sign in; the administrator's own by default)."""
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
        if role == Role.PEER_WORKER and user.is_active:  # as ``add_role``: a peer worker here (again)
            for returning in hooks.get(hooks.PERSON_RETURNING):
                returning(actor, user.pk)
        if welcome and user.email and not user.has_usable_password():
            from .tasks import welcome as welcome_job  # the job module imports this one

            jobs.enqueue(
                welcome_job,
                organisation_id=actor.organisation_id,
                user_id=user.pk,
                role=role,
                contact_id=actor.user.pk,
            )
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
        record(None, Action.UPDATE, user, user=user, subject=user, detail=Detail("language"))


def send_welcome(*, organisation_id: int, user_id: int, role: str, contact_id: int | None) -> str:
    """The welcome e-mail (run by the worker): a link to choose a first password (the same one-time token as a
    password reset), with the organisation's name, the role given and whom to ask (the administrator who
    added the person), in the person's stored language. Safe to run twice: once the person has chosen a
    password, or left, nothing is sent."""
    user = User.objects.filter(pk=user_id, memberships__organisation_id=organisation_id).distinct().first()
    if user is None or not user.email or not user.is_active:
        return "gone"
    if user.has_usable_password():
        return "password already chosen"
    organisation = Organisation.objects.get(pk=organisation_id)
    contact = User.objects.filter(pk=contact_id).first() if contact_id else None
    token = default_token_generator.make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = settings.PEERWORK_BASE_URL.rstrip("/") + reverse(
        "accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token}
    )
    with translation.override(user.language or organisation.language or settings.LANGUAGE_CODE):
        context = {
            "link": link,
            "organisation": organisation.name,
            "role": Role(role).label if role in Role.values else "",
            "contact": contact,
        }
        subject = "".join(render_to_string("accounts/email/welcome_subject.txt", context).splitlines())
        send_mail(subject, render_to_string("accounts/email/welcome_body.txt", context), None, [user.email])
    with transaction.atomic():
        detail = Detail("invitation_mail_sent")
        record(None, Action.SECURITY, user, organisation_id=organisation_id, subject=user, detail=detail)
    return "sent"


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
        record(None, Action.SECURITY, device, user=user, via=via, detail=Detail("two_factor_enrolled"))
    return True


# --- recovery codes ----------------------------------------------------------------------------------------

RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper without doubt
RECOVERY_DEVICE = "recovery codes"


def _code_digest(user: User, code: str) -> str:
    """What is stored of a recovery code: a digest bound to the person (django-otp's static tokens hold at most
    16 characters). The codes are random with about 50 bits each, so a fast digest is enough, as for API
    tokens; nobody can read a code back from the database."""
    normalised = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(f"{user.pk}:{normalised}".encode()).hexdigest()[:16]


def new_recovery_codes(user: User, *, via: str) -> list[str]:
    """A fresh set of one-time recovery codes for ``user``, replacing any earlier set; returned once, stored as
    digests only (django-otp's static device: each code works once)."""
    codes = []
    for _n in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _i in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=_code_digest(user, c)) for c in codes)
        record(None, Action.SECURITY, device, user=user, via=via, detail=Detail("recovery_codes_made"))
    return codes


def recovery_codes_left(user: User) -> int | None:
    """How many unused recovery codes the person has; None when they never made any."""
    device = StaticDevice.objects.filter(user=user).first()
    return None if device is None else device.token_set.count()


def use_recovery_code(user: User, *, code: str, via: str) -> StaticDevice | None:
    """The person's recovery-code device when ``code`` is one of their unused codes (it is used up); None
    for a wrong code or while django-otp throttles wrong attempts."""
    with transaction.atomic():
        device = StaticDevice.objects.select_for_update().filter(user=user).first()
        if device is None:
            return None
        allowed, _info = device.verify_is_allowed()
        if allowed and device.verify_token(_code_digest(user, code)):
            record(None, Action.SIGN_IN, device, user=user, via=via, detail=Detail("recovery_code_accepted"))
            return device
    record(None, Action.SIGN_IN_FAILED, user=user, via=via, detail=Detail("recovery_code_refused"))
    return None


# --- organisation sign-in (OpenID Connect) ---------------------------------------------------------------


def organisation_sign_in(*, provider: oidc.Provider, issuer: str, subject: str, invitation: str, via: str) -> User:
    """The person whose account at ``provider`` is (issuer, subject), binding it first when they followed an
    invitation; raises ``oidc.Refusal`` naming why nobody may sign in. Never by e-mail, never a new person."""
    organisation = Organisation.objects.filter(slug=provider.organisation).first()
    if organisation is None:
        raise oidc.Refusal("not_configured")
    identity = (
        OidcIdentity.objects.filter(organisation=organisation, issuer=issuer, subject=subject)
        .select_related("user")
        .first()
    )
    if identity is not None:
        user = identity.user
        if not user.is_active:
            _refused(organisation.pk, via, "switched off")
            raise oidc.Refusal("inactive")
        if not Membership.objects.filter(user=user, organisation=organisation).exists():
            _refused(organisation.pk, via, "no role")
            raise oidc.Refusal("no_role")
        return user
    invited = oidc.read_invitation(invitation) if invitation else None
    if invited is None or invited[1] != organisation.pk:
        if OidcIdentity.objects.filter(issuer=issuer, subject=subject).exclude(organisation=organisation).exists():
            _refused(organisation.pk, via, "other organisation")
            raise oidc.Refusal("other_organisation")
        _refused(organisation.pk, via, "unknown")
        raise oidc.Refusal("invitation_other" if invited is not None else "unknown")
    invitee = User.objects.filter(pk=invited[0], is_active=True, memberships__organisation=organisation).first()
    if invitee is None:
        _refused(organisation.pk, via, "unknown")
        raise oidc.Refusal("unknown")
    user = invitee
    if OidcIdentity.objects.filter(organisation=organisation, user=user, provider=provider.id).exists():
        _refused(organisation.pk, via, "invitation used")
        raise oidc.Refusal("invitation_used")
    with transaction.atomic():
        identity = OidcIdentity(
            organisation=organisation, user=user, provider=provider.id, issuer=issuer, subject=subject
        )
        _validate(identity)
        identity.save(force_insert=True)
        record(
            None,
            Action.SECURITY,
            identity,
            subject=user,
            user=user,
            organisation_id=organisation.pk,
            via=via,
            detail=Detail("org_sign_in_bound"),
        )
    return user


def _refused(organisation_id: int, via: str, why: str) -> None:
    record(
        None,
        Action.SIGN_IN_FAILED,
        organisation_id=organisation_id,
        via=via,
        detail=Detail("org_sign_in_refused", why=why.replace(" ", "_")),
    )


def send_sign_in_invitation(actor: Actor, *, user_id: int, request: HttpRequest) -> User:
    """E-mail the person a link that binds their account at the organisation's provider the first time they
    sign in there (valid ``oidc.INVITATION_DAYS`` days)."""
    actor.require(Role.ADMINISTRATOR)
    user = _person(actor, user_id)
    if not oidc.providers_of(actor.organisation.slug):
        raise ValidationError(_("Your organisation has no organisation sign-in set up."))
    if not user.email:
        raise ValidationError(_("Add the person's e-mail address first, so the invitation can reach them."))
    link = request.build_absolute_uri(
        reverse("accounts:oidc_invitation", args=[oidc.make_invitation(user.pk, actor.organisation_id)])
    )
    with transaction.atomic():
        record(actor, Action.SECURITY, user, subject=user, detail=Detail("org_sign_in_invited"))
    _mail(
        user, "oidc_invitation", {"link": link, "organisation": actor.organisation.name, "days": oidc.INVITATION_DAYS}
    )
    return user


def bind_subject(actor: Actor, *, user_id: int, provider_id: str, subject: str) -> OidcIdentity:
    """An administrator enters a person's subject at their organisation's provider (as the provider's
    administrators see it), so the person can sign in there without an invitation."""
    actor.require(Role.ADMINISTRATOR)
    user = _person(actor, user_id)
    p = oidc.provider(provider_id)
    if p is None or p.organisation != actor.organisation.slug:
        raise ValidationError({"provider": _("Choose one of your organisation's sign-in services.")})
    subject = subject.strip()
    if not subject:
        raise ValidationError({"subject": _("Enter the person's identifier at the sign-in service.")})
    with transaction.atomic():
        taken = OidcIdentity.objects.filter(organisation_id=actor.organisation_id, issuer=p.issuer, subject=subject)
        if taken.exclude(user=user).exists():
            raise ValidationError({"subject": _("Another person here is already linked to this identifier.")})
        OidcIdentity.objects.filter(organisation_id=actor.organisation_id, user=user, provider=p.id).delete()
        identity = OidcIdentity(
            organisation_id=actor.organisation_id, user=user, provider=p.id, issuer=p.issuer, subject=subject
        )
        _validate(identity)
        identity.save(force_insert=True)
        record(actor, Action.SECURITY, identity, subject=user, detail=Detail("org_sign_in_set"))
    return identity


def unbind_subject(actor: Actor, *, user_id: int, identity_id: int) -> None:
    actor.require(Role.ADMINISTRATOR)
    user = _person(actor, user_id)
    with transaction.atomic():
        identity = OidcIdentity.objects.filter(pk=identity_id, user=user, organisation_id=actor.organisation_id).first()
        if identity is None:
            raise PermissionDenied
        record(actor, Action.SECURITY, identity, subject=user, detail=Detail("org_sign_in_removed"))
        identity.delete()


# --- people's lifecycle ------------------------------------------------------------------------------------


def _person(actor: Actor, user_id: int) -> User:
    """A person with a role in the actor's organisation; anyone else is not found, whatever exists elsewhere."""
    user = User.objects.filter(pk=user_id, memberships__organisation_id=actor.organisation_id).distinct().first()
    if user is None:
        raise Http404
    return user


def edit_person(actor: Actor, *, user_id: int, first_name: str, last_name: str, email: str) -> User:
    actor.require(Role.ADMINISTRATOR)
    with transaction.atomic():
        user = _person(actor, user_id)
        if Membership.objects.filter(user=user).exclude(organisation_id=actor.organisation_id).exists():
            raise ValidationError(
                _("This person also works in another organisation, so their name and e-mail are kept as they are.")
            )
        values = {"first_name": first_name.strip(), "last_name": last_name.strip(), "email": email.strip()}
        if not values["first_name"] or not values["last_name"]:
            raise ValidationError(_("Enter both the first name and the last name."))
        changed = [name for name, value in values.items() if getattr(user, name) != value]
        for name, value in values.items():
            setattr(user, name, value)
        _validate(user)
        if changed:
            user.save(update_fields=changed)
            record(actor, Action.UPDATE, user, subject=user, detail=Detail("account_fields", fields=changed))
    return user


def add_role(actor: Actor, *, user_id: int, role: str, unit: Unit | None) -> Membership:
    actor.require(Role.ADMINISTRATOR)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles in the list.")})
    if unit is not None and unit.organisation_id != actor.organisation_id:
        raise ValidationError({"unit": _("Choose a team of your own organisation.")})
    with transaction.atomic():
        user = _person(actor, user_id)
        if Membership.objects.filter(user=user, organisation_id=actor.organisation_id, role=role).exists():
            raise ValidationError({"role": _("This person already has that role here.")})
        membership = Membership(organisation_id=actor.organisation_id, user=user, role=role, unit=unit)
        _validate(membership)
        membership.save(force_insert=True)
        record(actor, Action.CREATE, membership, subject=user)
        if role == Role.PEER_WORKER and user.is_active:
            # A peer worker here again: engagements flagged when the role went and not yet handed over are theirs.
            for returning in hooks.get(hooks.PERSON_RETURNING):
                returning(actor, user.pk)
    return membership


def remove_role(actor: Actor, *, user_id: int, membership_id: int) -> None:
    """Take one role away. The person's last role here goes only by switching them off; the organisation's
    last administrator stays."""
    actor.require(Role.ADMINISTRATOR)
    with transaction.atomic():
        user = _person(actor, user_id)
        here = Membership.objects.select_for_update().filter(user=user, organisation_id=actor.organisation_id)
        membership = here.filter(pk=membership_id).first()
        if membership is None:
            raise ValidationError(_("That role is not one this person holds here. Use a Remove button in the list."))
        if here.count() == 1:
            raise ValidationError(_("This is the person's only role here. To end their access, switch them off."))
        if (
            membership.role == Role.ADMINISTRATOR
            and not Membership.objects.filter(organisation_id=actor.organisation_id, role=Role.ADMINISTRATOR)
            .exclude(pk=membership.pk)
            .filter(user__is_active=True)
            .exists()
        ):
            raise ValidationError(_("Every organisation keeps at least one administrator. Add another one first."))
        record(actor, Action.DELETE, membership, subject=user)
        membership.delete()
        if membership.role == Role.PEER_WORKER and not here.filter(role=Role.PEER_WORKER).exists():
            # No longer a peer worker here: the people they support must not wait on them, as when they leave.
            for leaving in hooks.get(hooks.PERSON_LEAVING):
                leaving(actor, user.pk)


def open_work(actor: Actor, user_id: int) -> list[hooks.OpenWork]:
    """Work the person still holds here that someone must take over (the service's open engagements)."""
    actor.require(Role.ADMINISTRATOR)
    found: list[hooks.OpenWork] = []
    for fn in hooks.get(hooks.OPEN_WORK):
        found.extend(fn(actor.organisation_id, user_id))
    return found


def deactivate_person(actor: Actor, *, user_id: int) -> User:
    """Switch a person off: every session of theirs ends and every API token is revoked at once, so their next
    request anywhere is refused. Work they hold is never a reason to wait: it is flagged in the same
    transaction for a coordinator to hand over (the ``person_leaving`` hook). Refused for oneself, and for
    someone who also works in another organisation (whose roles here are removed instead)."""
    actor.require(Role.ADMINISTRATOR)
    with transaction.atomic():
        user = _person(actor, user_id)
        if user.pk == actor.user.pk:
            raise ValidationError(_("You cannot switch off your own account. Ask another administrator."))
        if Membership.objects.filter(user=user).exclude(organisation_id=actor.organisation_id).exists():
            raise ValidationError(
                _(
                    "This person also works in another organisation. Remove their roles here instead; "
                    "that organisation's administrator decides about the account."
                )
            )
        if not user.is_active:
            return user
        user.is_active = False
        user.save(update_fields=["is_active"])
        tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        sessions = end_sessions(user)
        record(
            actor, Action.SECURITY, user, subject=user, detail=Detail("switched_off", sessions=sessions, tokens=tokens)
        )
        for leaving in hooks.get(hooks.PERSON_LEAVING):
            leaving(actor, user.pk)
    return user


def reactivate_person(actor: Actor, *, user_id: int, request: HttpRequest | None = None) -> User:
    actor.require(Role.ADMINISTRATOR)
    with transaction.atomic():
        user = _person(actor, user_id)
        if user.is_active:
            return user
        user.is_active = True
        user.save(update_fields=["is_active"])
        record(actor, Action.SECURITY, user, subject=user, detail=Detail("switched_on"))
        for returning in hooks.get(hooks.PERSON_RETURNING):
            returning(actor, user.pk)
    return user


def end_sessions(user: User) -> int:
    """Delete every unexpired session of ``user`` (database sessions); how many there were. Sessions end after
    30 minutes idle, so the unexpired ones are few: those of the people using Peerwork now."""
    mine = [
        s.pk
        for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if s.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(pk__in=mine).delete()
    return len(mine)


def reset_two_step(actor: Actor, *, user_id: int) -> User:
    """Remove a person's authenticator and recovery codes and end their sessions; they set up two-step sign-in
    again next time, and are told by e-mail."""
    actor.require(Role.ADMINISTRATOR)
    with transaction.atomic():
        user = _person(actor, user_id)
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        sessions = end_sessions(user)
        record(actor, Action.SECURITY, user, subject=user, detail=Detail("two_factor_reset", sessions=sessions))
    if user.email:
        _mail(user, "two_step_reset", {"organisation": actor.organisation.name})
    return user


def _mail(user: User, template: str, context: dict[str, object]) -> None:
    """An e-mail to the person, in their own language when they chose one."""
    with translation.override(user.language or translation.get_language()):
        context = {**context, "user": user}
        subject = "".join(render_to_string(f"accounts/email/{template}_subject.txt", context).splitlines())
        send_mail(subject, render_to_string(f"accounts/email/{template}_body.txt", context), None, [user.email])
