from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from peerwork.audit import trail as audit
from peerwork.audit.models import AuditEntry
from peerwork.core.anonymity import ANONYMITY_THRESHOLD
from peerwork.core.forms import add_service_errors
from peerwork.core.http import ActorRequest
from peerwork.core.roles import Role
from peerwork.core.toolkit import posted, requires, submit
from peerwork.privacy.models import Consent

from . import access, pdf, selectors, services, subject
from .forms import (
    ConfirmForm,
    ConsentForm,
    EvaluationExportForm,
    PeerWorkerConsentForm,
    RectifyForm,
    RetentionForm,
    SearchForm,
)


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
        messages.error(
            request,
            _("The audit trail has been changed: %(n)d problem(s) found. Contact your administrator.")
            % {"n": len(problems)},
        )
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
    return render(request, "privacy/shared.html", {"people": people, "total": total, "number": number, "pages": pages})


# --- subject rights (data protection officer) ------------------------------------------------------------


def people(request: HttpRequest) -> HttpResponse:
    """Search by POST, so a person's name never appears in an address, a server log or browser history."""
    actor = request.actor  # type: ignore[attr-defined]
    actor.require(*access.SUBJECT_RIGHTS_ROLES)
    found: list[Any] | None = None
    form = SearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = selectors.search_people(actor, form.cleaned_data["q"])
    return render(request, "privacy/people.html", {"form": form, "found": found, "limit": selectors.SEARCH_LIMIT})


def person(request: HttpRequest, service_user_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    return render(request, "privacy/person.html", selectors.person_overview(actor, service_user_id))


def export_html(request: HttpRequest, service_user_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    found, data = selectors.export_person(actor, service_user_id, "html")
    response = render(
        request,
        "privacy/export.html",
        {"person": found, "data": data, "sections": subject.as_sections(data), "pdf": pdf.available()},
    )
    response["Cache-Control"] = "no-store"
    return response


def export_json(request: HttpRequest, service_user_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    found, data = selectors.export_person(actor, service_user_id, "json")
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="peerwork-person-{found.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


def export_pdf(request: HttpRequest, service_user_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    if not pdf.available():
        actor.require(*access.SUBJECT_RIGHTS_ROLES)
        return redirect("privacy:export_html", service_user_id=service_user_id)
    found, data = selectors.export_person(actor, service_user_id, "pdf")
    sections = []
    for s in subject.as_sections(data):
        rows = [list(map(str, pair)) for pair in s.get("pairs", [])] or (
            [list(map(str, s["headers"]))] + [list(map(str, r)) for r in s["rows"]] if s["rows"] else []
        )
        sections.append((s["heading"], rows))
    body = pdf.render(
        _("Everything Peerwork holds about person %(id)s") % {"id": found.pk},
        sections,
        _("Made on %(day)s by the data protection officer of %(org)s.")
        % {"day": date_format(timezone.localdate(), "SHORT_DATE_FORMAT"), "org": data["organisation"]},
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="peerwork-person-{found.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def rectify(request: HttpRequest, service_user_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    overview = selectors.person_overview(actor, service_user_id)
    found = overview["person"]
    initial = {name: getattr(found, name) or "" for name in services.RECTIFIABLE}
    form = RectifyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rectify(actor, service_user_id, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The record is corrected."))
            return redirect("privacy:person", service_user_id=service_user_id)
    return render(request, "privacy/rectify.html", {**overview, "form": form})


def anonymise(request: HttpRequest, service_user_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    overview = selectors.person_overview(actor, service_user_id)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.erase(actor, service_user_id, confirmed=form.cleaned_data["confirm"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The record is anonymised. Counts, dates and ratings remain for statistics."))
            return redirect("privacy:person", service_user_id=service_user_id)
    return render(request, "privacy/anonymise.html", {**overview, "form": form})


def access_report(request: HttpRequest, service_user_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    found, entries = selectors.access_report(actor, service_user_id)
    page = Paginator(entries, selectors.ACCESS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "privacy/access_report.html", {"person": found, "page": page})


# --- retention and evaluation exports --------------------------------------------------------------------


def retention_page(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    today = timezone.localdate()
    overview = selectors.retention_overview(actor, today)
    form = RetentionForm(request.POST or None, initial={"months_after_last_engagement": overview["months"]})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_retention(actor, form.cleaned_data["months_after_last_engagement"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The retention period is saved."))
            return redirect("privacy:retention")
    return render(
        request,
        "privacy/retention.html",
        {**overview, "form": form, "today": today, "run_form": ConfirmForm()},
    )


@require_POST
def retention_run(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    actor.require(Role.DPO)
    form = ConfirmForm(request.POST)
    if not (form.is_valid() and form.cleaned_data["confirm"]):
        messages.error(request, _("Tick the box to confirm, then run the anonymisation again."))
        return redirect("privacy:retention")
    done = services.run_retention(actor, actor.organisation_id, timezone.localdate(), dry_run=False)
    messages.success(
        request,
        ngettext("%(n)d record was anonymised.", "%(n)d records were anonymised.", len(done)) % {"n": len(done)},
    )
    return redirect("privacy:retention")


def evaluation(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    exports = selectors.evaluation_exports(actor)
    form = EvaluationExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.create_evaluation_export(actor, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "The extract is ready: %(n)d person is included.",
                    "The extract is ready: %(n)d people are included.",
                    made.people,
                )
                % {"n": made.people},
            )
            return redirect("privacy:evaluation")
    return render(
        request,
        "privacy/evaluation.html",
        {"exports": exports, "form": form, "is_dpo": actor.has(Role.DPO), "threshold": ANONYMITY_THRESHOLD},
    )


def evaluation_download(request: HttpRequest, export_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    found = selectors.evaluation_export(actor, export_id)
    response = JsonResponse(found.content, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="peerwork-evaluation-{found.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


def evaluation_key(request: HttpRequest, export_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    export, key = selectors.pseudonym_key(actor, export_id)
    response = render(request, "privacy/evaluation_key.html", {"export": export, "key": key})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def evaluation_key_delete(request: HttpRequest, export_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    try:
        services.delete_pseudonym_key(actor, export_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The key is deleted. No one can link this extract to people any more."))
    return redirect("privacy:evaluation")


# --- a peer worker's own consent to use in evaluation -----------------------------------------------------


@requires(*access.PEER_WORKER_ROLES)
def my_evaluation_consent(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = PeerWorkerConsentForm(posted(request))

    def act(data: dict[str, Any]) -> Any:
        if data["choice"] == "give":
            return services.give_peer_worker_consent(actor)
        return services.withdraw_peer_worker_consent(actor)

    saved = submit(request, form, act)
    if saved is not None:
        if saved.value.withdrawn_at is None:
            messages.success(request, _("Thank you. Extracts made from now on may include you under a pseudonym."))
        else:
            messages.success(request, _("Withdrawn. Extracts made from now on leave you out."))
        return redirect("privacy:my_evaluation_consent")
    consents = selectors.my_evaluation_consents(actor)
    in_force = next((c for c in consents if c.withdrawn_at is None), None)
    return render(
        request,
        "privacy/my_evaluation_consent.html",
        {"consents": consents, "in_force": in_force, "form": form},
    )
