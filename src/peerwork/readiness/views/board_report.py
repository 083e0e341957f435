"""The report for the board, as a page and as a PDF."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from peerwork.core.http import ActorRequest
from peerwork.core.toolkit import requires

from .. import report
from ..roles import READ_ROLES


@requires(*READ_ROLES)
def board_report(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    return render(request, "readiness/report.html", report.gather(actor))


@requires(*READ_ROLES)
def board_report_pdf(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    data = report.gather(actor)
    pdf = report.render_pdf(data)
    report.audit_export(actor)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="readiness-report-{timezone.localdate():%Y%m%d}.pdf"'
    return response
