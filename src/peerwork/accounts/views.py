from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from peerwork.accounts.middleware import SESSION_ORG_KEY
from peerwork.audit.trail import Action, record
from peerwork.core.http import ActorRequest, SignedInRequest
from peerwork.core.middleware import public, signed_in_only
from peerwork.core.roles import Role
from peerwork.core.toolkit import posted, requires, submit

from . import selectors, services
from .forms import AddPersonForm, ApiTokenForm, SignInForm, TokenForm
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
        record(None, Action.SIGN_IN, user=self.request.user, via=self.request.path, detail="password accepted")
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        record(None, Action.SIGN_IN_FAILED, via=self.request.path, detail="password refused")
        return super().form_invalid(form)


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
            record(None, Action.SIGN_IN, user=request.user, via=request.path, detail="two-factor code accepted")
            return HttpResponseRedirect(_next_url(request))
        record(None, Action.SIGN_IN_FAILED, user=request.user, via=request.path, detail="two-factor code refused")
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
            return HttpResponseRedirect(_next_url(request))
        form.add_error(
            "token", _("That code does not match. Check the time on your phone and enter the code shown now.")
        )
    qr = segno.make(device.config_url, error="m")
    import base64

    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_svg": qr.svg_inline(
            scale=5, dark="#0b0c0c", light="#ffffff", omitsize=False, title=_("QR code for your authenticator app")
        ),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
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
    memberships = list(selectors.people(actor))
    if request.method == "POST":
        actor.require(Role.ADMINISTRATOR)
    form = (
        AddPersonForm(posted(request), organisation_id=actor.organisation_id) if actor.has(Role.ADMINISTRATOR) else None
    )
    if form is not None and submit(request, form, lambda d: services.add_person(actor, request=request, **d)):
        messages.success(
            request,
            _("%(name)s is added and has been sent a link to choose a password.")
            % {"name": form.cleaned_data["first_name"]},
        )
        return redirect("accounts:people")
    return render(request, "accounts/people.html", {"memberships": memberships, "form": form})


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
            detail="password changed by reset link",
        )
        return response


@method_decorator(public, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
