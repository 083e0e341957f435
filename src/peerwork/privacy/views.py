from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerwork.accounts.models import Role
from peerwork.core.forms import add_service_errors

from . import audit, selectors, services
from .forms import ConsentForm
from .models import AuditEntry, Consent


def audit_trail(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    action = request.GET.get("action", "")
    if action not in AuditEntry.Action.values:
        action = ""
    entries = selectors.audit_entries(actor, action=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "privacy/audit.html", {"page": page, "actions": AuditEntry.Action.choices, "action": action})


@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    actor.require(Role.DPO)
    problems = list(audit.verify(actor.organisation_id))
    audit.record(actor, audit.Action.READ, object_type="privacy.auditentry", detail="chain verified")
    if problems:
        messages.error(request, _("The audit trail has been changed: %(n)d problem(s) found. Contact your administrator.") % {"n": len(problems)})
    else:
        messages.success(request, _("The audit trail is intact: no entry has been changed or removed."))
    return redirect("privacy:audit")


# --- consent ---------------------------------------------------------------------------------------------


def _page_number(request: HttpRequest) -> int:
    try:
        return max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        return 1


def consent_people(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    number = _page_number(request)
    people, total = selectors.consent_people(actor, number)
    pages = max((total + selectors.CONSENT_LIST_PER_PAGE - 1) // selectors.CONSENT_LIST_PER_PAGE, 1)
    return render(
        request,
        "privacy/consent_people.html",
        {"people": people, "total": total, "number": number, "pages": pages},
    )


def consent(request: HttpRequest, service_user_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    page = selectors.consent_page(actor, service_user_id)
    if request.method == "POST":
        form = ConsentForm(request.POST, page=page)
        if form.is_valid():
            try:
                services.record_consent(actor, service_user_id, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The consent is recorded. It counts from the day it was given."))
                return redirect("privacy:consent", service_user_id=service_user_id)
    else:
        form = ConsentForm(page=page)
    return render(
        request,
        "privacy/consent.html",
        {"page": page, "form": form, "today": timezone.localdate()},
        status=400 if form.errors else 200,
    )


@require_POST
def consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    try:
        withdrawn = services.withdraw_consent(actor, consent_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        found = (
            Consent.objects.filter(organisation_id=actor.organisation_id, pk=consent_id)
            .values_list("service_user_id", flat=True)
            .first()
        )
        return redirect("privacy:consent", service_user_id=found)
    messages.success(request, _("The consent is withdrawn. From this moment nothing is shared under it."))
    return redirect("privacy:consent", service_user_id=withdrawn.service_user_id)


def shared(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    number = _page_number(request)
    people, total = selectors.shared_with_me(actor, number)
    pages = max((total + selectors.SHARED_PER_PAGE - 1) // selectors.SHARED_PER_PAGE, 1)
    return render(
        request, "privacy/shared.html", {"people": people, "total": total, "number": number, "pages": pages}
    )
