from __future__ import annotations

import base64
from typing import Any, cast

import requests
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from peerwork.accounts.middleware import SESSION_ORG_KEY
from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core import listing
from peerwork.core.http import ActorRequest, SignedInRequest
from peerwork.core.middleware import public, signed_in_only
from peerwork.core.roles import Role
from peerwork.core.toolkit import posted, requires, submit

from . import oidc, selectors, services
from .forms import (
    AddPersonForm,
    ApiTokenForm,
    PeopleListForm,
    PersonForm,
    RecoveryCodeForm,
    RoleForm,
    SignInForm,
    SubjectForm,
    TokenForm,
)
from .models import User


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("core:home")


@method_decorator(public, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = self.request.user  # signed in by the line above
        if isinstance(user, User) and user.language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                samesite="Lax",
                httponly=True,
                secure=settings.LANGUAGE_COOKIE_SECURE,
            )
        record(None, Action.SIGN_IN, user=self.request.user, via=self.request.path, detail=Detail("password_accepted"))
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        record(None, Action.SIGN_IN_FAILED, via=self.request.path, detail=Detail("password_refused"))
        return super().form_invalid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "buttons": selectors.sign_in_buttons()}


@public
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switch: Django's (cookie and redirect), and for a signed-in person the choice is kept
    with their account, so their next sign-in, on any device, and their e-mails use it."""
    response = django_set_language(request)
    chosen = request.POST.get("language", "")
    if isinstance(request.user, User) and request.user.is_authenticated and chosen in services.LANGUAGE_CODES:
        services.set_language(request.user, chosen)
    return response


def _demo_code(request: SignedInRequest, device: TOTPDevice) -> str | None:
    if not (settings.DEMO_MODE and request.user.is_demo):
        return None
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


@signed_in_only
def otp_verify(request: SignedInRequest) -> HttpResponse:
    device = selectors.confirmed_totp_device(request.user)
    if device is None:
        return redirect("accounts:otp_setup")
    form = TokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            record(None, Action.SIGN_IN, user=request.user, via=request.path, detail=Detail("two_factor_accepted"))
            return HttpResponseRedirect(_next_url(request))
        record(None, Action.SIGN_IN_FAILED, user=request.user, via=request.path, detail=Detail("two_factor_refused"))
        form.add_error(
            "token",
            _("That code is not right or has expired. Codes change every 30 seconds: enter the one shown now.")
            if allowed
            else _("Too many wrong codes. Wait a minute, then enter the code shown now."),
        )
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "demo_code": _demo_code(request, device), "next": request.GET.get("next", "")},
    )


@signed_in_only
def otp_setup(request: SignedInRequest) -> HttpResponse:
    device = services.pending_totp_device(request.user)
    if device is None:
        return redirect("accounts:otp_verify")
    form = TokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if services.confirm_totp_device(
            request.user,
            device=device,
            token=form.cleaned_data["token"],
            via=request.path,
        ):
            otp_login(request, device)
            messages.success(
                request, _("Two-step sign-in is set up. You will be asked for a code each time you sign in.")
            )
            # Recovery codes come with the authenticator: shown once, on this answer.
            codes = services.new_recovery_codes(request.user, via=request.path)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "left": len(codes), "next": _next_url(request)},
            )
        form.add_error(
            "token", _("That code does not match. Check the time on your phone and enter the code shown now.")
        )
    qr = segno.make(device.config_url, error="m")
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_svg": qr.svg_inline(
            scale=5, dark="#0b0c0c", light="#ffffff", omitsize=False, title=_("QR code for your authenticator app")
        ),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "otpauth_url": device.config_url,
        "demo_code": _demo_code(request, device),
        "next": request.GET.get("next", ""),
    }
    return render(request, "accounts/otp_setup.html", context)


@require_POST
@signed_in_only
def sign_out(request: HttpRequest) -> HttpResponse:
    record(None, Action.SIGN_OUT, user=request.user, via=request.path)
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("accounts:login")


@requires(*Role)
@require_POST
def switch_organisation(request: ActorRequest) -> HttpResponse:
    wanted = request.POST.get("organisation", "")
    ids = {m.organisation_id for m in request.memberships}
    if wanted.isdigit() and int(wanted) in ids:
        request.session[SESSION_ORG_KEY] = int(wanted)
    else:
        messages.error(request, _("Choose one of your own organisations."))
    return redirect("core:home")


@requires(*Role)
def tokens(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    if request.method == "POST" and "revoke" in request.POST:
        wanted = request.POST["revoke"].strip()
        if not (wanted.isascii() and wanted.isdigit() and len(wanted) <= 18):
            messages.error(request, _("That is not one of your tokens. Use the Revoke button next to a token."))
            return redirect("accounts:tokens")
        services.revoke_api_token(actor, int(wanted))
        messages.success(request, _("The token is revoked. Systems using it can no longer sign in with it."))
        return redirect("accounts:tokens")
    form = ApiTokenForm(posted(request))
    new_secret = None
    saved = submit(
        request,
        form,
        lambda d: services.create_api_token(actor, name=d["name"], valid_days=d["valid_days"]),
    )
    if saved is not None:
        _token, new_secret = saved.value
        form = ApiTokenForm()
    return render(
        request, "accounts/tokens.html", {"form": form, "tokens": selectors.my_tokens(actor), "new_secret": new_secret}
    )


@requires(Role.ADMINISTRATOR, Role.MANAGER)
def people(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    if request.method == "POST":
        actor.require(Role.ADMINISTRATOR)
    list_form = PeopleListForm(request.GET, organisation_id=actor.organisation_id)
    if request.method == "GET" and (kind := listing.wants_export(request.GET)):
        return listing.export("people", PEOPLE_COLUMNS, selectors.people_export(actor, list_form), kind)
    page = selectors.people_page(actor, list_form, request.GET.get("page"))
    form = (
        AddPersonForm(posted(request), organisation_id=actor.organisation_id) if actor.has(Role.ADMINISTRATOR) else None
    )
    if form is not None and submit(request, form, lambda d: services.add_person(actor, welcome=True, **d)):
        messages.success(
            request,
            _("%(name)s is added and has been sent a link to choose a password.")
            % {"name": form.cleaned_data["first_name"]},
        )
        return redirect("accounts:people")
    context = {"memberships": page.object_list, "page": page, "list_form": list_form, "form": form}
    return render(request, "accounts/people.html", context)


PEOPLE_COLUMNS = (
    listing.Column(_l("First name"), lambda m: m.user.first_name),
    listing.Column(_l("Last name"), lambda m: m.user.last_name),
    listing.Column(_l("Role"), lambda m: m.get_role_display()),
    listing.Column(_l("Team"), lambda m: m.unit.name if m.unit else ""),
    listing.Column(_l("Since"), lambda m: m.created_at),
)


@method_decorator(public, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


@method_decorator(public, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(public, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record(
            None,
            Action.SECURITY,
            user=form.user,
            via="/account/password/reset/",
            detail=Detail("password_reset"),
        )
        return response


@method_decorator(public, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# --- organisation sign-in (OpenID Connect) ---------------------------------------------------------------


class _Start(OIDCAuthenticationRequestView):  # type: ignore[misc]  # mozilla-django-oidc has no types
    def __init__(self, *, endpoint: str, client_id: str) -> None:  # the provider of this sign-in, not settings
        self.OIDC_OP_AUTH_ENDPOINT = endpoint
        self.OIDC_RP_CLIENT_ID = client_id


def _refusal_text(code: str, label: str) -> str:
    texts = {
        "unknown": _(
            "Your %(label)s account is not linked to anyone in Peerwork. Ask your administrator for an invitation, "
            "then open the link in the e-mail and sign in once."
        ),
        "other_organisation": _(
            "Your %(label)s account is linked to a person in another organisation. Use the button of your own "
            "organisation, or ask your administrator."
        ),
        "invitation_other": _(
            "The invitation you opened is for another organisation. Use the button named in the invitation."
        ),
        "invitation_used": _(
            "Your account is already linked through this invitation. Sign in with the %(label)s button below."
        ),
        "inactive": _("This account is switched off. Ask your administrator."),
        "no_role": _("You no longer have a role in this organisation in Peerwork. Ask your administrator."),
        "not_configured": _("Sign-in with %(label)s is not set up correctly. Tell your administrator."),
    }
    default = _("Signing in with %(label)s did not finish. Try again, or sign in with your Peerwork password.")
    return texts.get(code, default) % {"label": label}


def _button_label(provider_id: str) -> str:
    return next((b.label for b in selectors.sign_in_buttons() if b.provider_id == provider_id), provider_id)


@public
def oidc_start(request: HttpRequest, provider_id: str) -> HttpResponse:
    """Send the person to their organisation's provider (the button on the sign-in page)."""
    p = oidc.provider(provider_id)
    if p is None:
        raise Http404
    try:
        document = oidc.discovery(p)
    except oidc.ProviderUnreachable:
        messages.error(
            request,
            _(
                "%(label)s's sign-in service cannot be reached just now. Try again in a few minutes, or sign in "
                "with your Peerwork password."
            )
            % {"label": _button_label(p.id)},
        )
        return redirect("accounts:login")
    view = _Start(endpoint=document["authorization_endpoint"], client_id=p.client_id)
    view.setup(request)
    response: HttpResponse = view.get(request)
    oidc.remember_state(request, response, p)
    return response


class _Callback(OIDCAuthenticationCallbackView):  # type: ignore[misc]  # mozilla-django-oidc has no types
    def login_failure(self) -> HttpResponse:
        request = cast(oidc.OidcRequest, self.request)
        p = getattr(request, "peerwork_oidc_provider", None)
        code = getattr(request, "peerwork_oidc_refusal", "")
        messages.error(request, _refusal_text(code, _button_label(p.id) if p else _("your organisation")))
        if not code:
            record(None, Action.SIGN_IN_FAILED, via=request.path, detail=Detail("org_sign_in_refused", why="refused"))
        return redirect("accounts:login")

    def login_success(self) -> HttpResponse:
        request = cast(oidc.OidcRequest, self.request)
        response: HttpResponse = super().login_success()
        request.session.pop(oidc.SESSION_INVITATION, None)
        if request.peerwork_oidc_mfa:
            request.session[oidc.SESSION_MFA] = request.peerwork_oidc_provider.id
        record(None, Action.SIGN_IN, user=self.user, via=request.path, detail=Detail("org_sign_in_accepted"))
        return response


@public
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """Where the provider sends the person back; mozilla-django-oidc's code flow, with the provider this
    sign-in started with (``oidc.OrganisationBackend``)."""
    view = _Callback()
    view.setup(request)
    try:
        response: HttpResponse = view.get(request)
    except (SuspiciousOperation, requests.RequestException, oidc.ProviderUnreachable, KeyError, ValueError):
        return view.login_failure()
    return response


@public
def oidc_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation from the administrator: remembered in the session, then the person signs in at their
    organisation's provider once and that account is linked to them."""
    invited = oidc.read_invitation(token)
    buttons = selectors.sign_in_buttons(invited[1]) if invited else []
    if buttons:
        request.session[oidc.SESSION_INVITATION] = token
    return render(request, "accounts/oidc_invitation.html", {"buttons": buttons}, status=200 if buttons else 400)


# --- recovery codes ----------------------------------------------------------------------------------------


@requires(*Role)
def recovery_codes(request: ActorRequest) -> HttpResponse:
    """Make a new set of recovery codes (shown once on this answer) or see how many are left."""
    codes = None
    if request.method == "POST":
        codes = services.new_recovery_codes(request.actor.user, via=request.path)
    return render(
        request,
        "accounts/recovery_codes.html",
        {
            "codes": codes,
            "left": services.recovery_codes_left(request.actor.user),
            "next": _next_url(request) if codes else "",
        },
    )


@signed_in_only
def otp_recovery(request: SignedInRequest) -> HttpResponse:
    """The second step with a recovery code instead of the authenticator (a lost or broken phone)."""
    form = RecoveryCodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        device = services.use_recovery_code(request.user, code=form.cleaned_data["code"], via=request.path)
        if device is not None:
            otp_login(request, device)
            left = services.recovery_codes_left(request.user) or 0
            messages.warning(
                request,
                ngettext(
                    "You have %(n)d recovery code left. Make new ones under Recovery codes.",
                    "You have %(n)d recovery codes left. Make new ones under Recovery codes if you are running low.",
                    left,
                )
                % {"n": left},
            )
            return HttpResponseRedirect(_next_url(request))
        form.add_error(
            "code", _("That code is not right, was used already, or there were too many tries. Wait a minute.")
        )
    return render(request, "accounts/otp_recovery.html", {"form": form, "next": request.GET.get("next", "")})


# --- one person, for the administrator ---------------------------------------------------------------------


@requires(Role.ADMINISTRATOR)
def person(request: ActorRequest, pk: int) -> HttpResponse:
    """Edit a person, their roles and organisation sign-in; switch them off or back on; reset two-step."""
    actor = request.actor
    view = selectors.person(actor, pk)
    user = view.user
    buttons = selectors.sign_in_buttons(actor.organisation_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    data = posted(request)
    edit = PersonForm(
        data if action == "edit" else None,
        prefix="edit",
        initial={"first_name": user.first_name, "last_name": user.last_name, "email": user.email},
    )
    role = RoleForm(data if action == "add_role" else None, prefix="role", organisation_id=actor.organisation_id)
    subject = SubjectForm(
        data if action == "bind" else None, prefix="subject", providers=[(b.provider_id, b.label) for b in buttons]
    )
    problem = None
    done = None
    if action == "edit" and submit(request, edit, lambda d: services.edit_person(actor, user_id=user.pk, **d)):
        done = _("The name and e-mail are saved.")
    elif action == "add_role" and submit(request, role, lambda d: services.add_role(actor, user_id=user.pk, **d)):
        done = _("The role is added.")
    elif action == "bind" and submit(
        request,
        subject,
        lambda d: services.bind_subject(actor, user_id=user.pk, provider_id=d["provider"], subject=d["subject"]),
    ):
        done = _("The organisation sign-in is linked.")
    elif action in _PERSON_ACTIONS:
        try:
            done = _PERSON_ACTIONS[action](request, user.pk)
        except ValidationError as exc:
            problem = exc.messages
    if done:
        messages.success(request, done)
        return redirect("accounts:person", user.pk)
    # A switched-off person's engagements still open: the coordinators have them on their dashboard.
    open_work = [] if user.is_active else services.open_work(actor, user.pk)
    return render(
        request,
        "accounts/person.html",
        {
            "view": view,
            "p": user,
            "edit": edit,
            "role_form": role,
            "subject_form": subject if buttons else None,
            "buttons": buttons,
            "problem": problem,
            "open_work": open_work,
        },
    )


def _membership_id(request: ActorRequest) -> int:
    wanted = request.POST.get("membership", "")
    if not (wanted.isascii() and wanted.isdigit() and len(wanted) <= 18):
        raise ValidationError(_("That role is not one this person holds here. Use a Remove button in the list."))
    return int(wanted)


def _identity_id(request: ActorRequest) -> int:
    wanted = request.POST.get("identity", "")
    if not (wanted.isascii() and wanted.isdigit() and len(wanted) <= 18):
        raise ValidationError(_("Use the Unlink button next to a linked sign-in."))
    return int(wanted)


def _remove_role(request: ActorRequest, user_id: int) -> str:
    services.remove_role(request.actor, user_id=user_id, membership_id=_membership_id(request))
    return _("The role is removed.")


def _deactivate(request: ActorRequest, user_id: int) -> str:
    services.deactivate_person(request.actor, user_id=user_id)
    return _(
        "The person is switched off: they are signed out everywhere and their API tokens no longer work. "
        "Any open engagements of theirs are on the programme coordinators' dashboard to hand over."
    )


def _reactivate(request: ActorRequest, user_id: int) -> str:
    services.reactivate_person(request.actor, user_id=user_id)
    return _("The person is switched on again. They can sign in as before.")


def _reset_two_step(request: ActorRequest, user_id: int) -> str:
    services.reset_two_step(request.actor, user_id=user_id)
    return _("Two-step sign-in is reset and the person is told by e-mail. They set it up again when they sign in.")


def _invite(request: ActorRequest, user_id: int) -> str:
    services.send_sign_in_invitation(request.actor, user_id=user_id, request=request)
    return _("The invitation is sent. It works for 14 days.")


def _unbind(request: ActorRequest, user_id: int) -> str:
    services.unbind_subject(request.actor, user_id=user_id, identity_id=_identity_id(request))
    return _("The organisation sign-in is unlinked.")


_PERSON_ACTIONS = {
    "remove_role": _remove_role,
    "deactivate": _deactivate,
    "reactivate": _reactivate,
    "reset_two_step": _reset_two_step,
    "invite": _invite,
    "unbind": _unbind,
}
