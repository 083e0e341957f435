"""The report of a co-assessment, as a page (with the team's checklist answers) and as a tagged PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.core.http import ActorRequest
from peerwork.core.roles import Role
from peerwork.core.toolkit import posted, requires, submit

from . import report, report_forms, services
from .views import USERS


@requires(*USERS)
def report_page(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    ca = report.coassessment(actor, pk)
    member = services.is_member(actor, ca)
    data = posted(request)
    if data is not None and not member:
        raise PermissionDenied
    form = report_forms.ChecklistForm(data, instance=report.checklist(actor, ca)) if member else None
    if form is not None and submit(request, form, lambda d: report.save_checklist(actor, ca, **d)):
        messages.success(request, _("The checklist's answers are kept."))
        return redirect("coassessment:report", pk)
    return render(
        request,
        "coassessment/report.html",
        {
            "ca": ca,
            "report": report.gather(actor, ca),
            "form": form,
            "is_member": member,
            "can_manage": services.can_manage(actor, ca),
            "is_dpo": actor.has(Role.DPO),
        },
    )


@requires(*USERS)
def report_pdf(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    ca = report.coassessment(actor, pk)
    body = report.render_pdf(report.gather(actor, ca))
    report.audit_export(actor, ca)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="co-assessment-report-{timezone.localdate():%Y%m%d}.pdf"'
    return response
