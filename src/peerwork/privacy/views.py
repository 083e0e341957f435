from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerwork.accounts.models import Role

from . import audit, selectors
from .models import AuditEntry


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
