from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from peerwork.core import listing, pdf, plain
from peerwork.core.anonymity import ANONYMITY_THRESHOLD
from peerwork.core.exports import csv_download
from peerwork.core.http import ActorRequest
from peerwork.core.roles import Role
from peerwork.core.templatetags.plain import role_name
from peerwork.core.toolkit import posted, requires, submit

from . import access, selectors, services, subject
from .forms import (
    AccessFilterForm,
    AuditListForm,
    ConfirmForm,
    ConsentForm,
    EvaluationExportForm,
    PeerWorkerConsentForm,
    RectifyForm,
    RetentionForm,
    SearchForm,
)


@requires(Role.DPO)
def audit_trail(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = AuditListForm(request.GET)
    if kind := listing.wants_export(request.GET):
        return listing.export("audit-trail", AUDIT_COLUMNS, selectors.audit_export(actor, form), kind)
    page = selectors.audit_page(actor, form, before=request.GET.get("before"), after=request.GET.get("after"))
    return render(request, "privacy/audit.html", {"page": page, "list_form": form})


AUDIT_COLUMNS = (
    listing.Column(_l("When"), lambda e: e.at),
    listing.Column(_l("Who"), lambda e: str(e.actor) if e.actor else e.actor_label),
    listing.Column(_l("User name"), lambda e: e.actor_label),
    listing.Column(_l("Role"), lambda e: role_name(e.role)),
    listing.Column(_l("Action"), lambda e: e.get_action_display()),
    listing.Column(_l("What"), lambda e: e.what_words),
    listing.Column(_l("Detail"), lambda e: e.detail_words),
    listing.Column(_l("Whose data"), lambda e: e.whose_words),
    listing.Column(_l("Through"), lambda e: plain.through(e.via)),
)


@requires(Role.DPO)
@require_POST
def audit_verify(request: ActorRequest) -> HttpResponse:
    problems = selectors.audit_problems(request.actor)
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


def _page_number(request: ActorRequest) -> int:
    try:
        return max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        return 1


@requires(*access.CONSENT_ROLES)
def consent_people(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    number = _page_number(request)
    people, total = selectors.consent_people(actor, number)
    pages = max((total + selectors.CONSENT_LIST_PER_PAGE - 1) // selectors.CONSENT_LIST_PER_PAGE, 1)
    return render(
        request,
        "privacy/consent_people.html",
        {"people": people, "total": total, "number": number, "pages": pages},
    )


@requires(*access.CONSENT_ROLES)
def consent(request: ActorRequest, service_user_id: int) -> HttpResponse:
    actor = request.actor
    page = selectors.consent_page(actor, service_user_id)
    form = ConsentForm(posted(request), page=page)
    if submit(request, form, lambda d: services.record_consent(actor, service_user_id, **d)):
        messages.success(request, _("The consent is recorded. It counts from the day it was given."))
        return redirect("privacy:consent", service_user_id=service_user_id)
    return render(
        request,
        "privacy/consent.html",
        {"page": page, "form": form, "today": timezone.localdate()},
    )


@requires(*access.CONSENT_ROLES)
@require_POST
def consent_withdraw(request: ActorRequest, consent_id: int) -> HttpResponse:
    actor = request.actor
    form = forms.Form(request.POST)  # no fields: the service's refusal lands in its non-field errors
    saved = submit(request, form, lambda _d: services.withdraw_consent(actor, consent_id))
    if saved is None:
        messages.error(request, " ".join(map(str, form.non_field_errors())))
        return redirect("privacy:consent", service_user_id=selectors.consent_service_user_id(actor, consent_id))
    messages.success(request, _("The consent is withdrawn. From this moment nothing is shared under it."))
    return redirect("privacy:consent", service_user_id=saved.value.service_user_id)


@requires(Role.PROFESSIONAL)
def shared(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    number = _page_number(request)
    people, total = selectors.shared_with_me(actor, number)
    pages = max((total + selectors.SHARED_PER_PAGE - 1) // selectors.SHARED_PER_PAGE, 1)
    return render(request, "privacy/shared.html", {"people": people, "total": total, "number": number, "pages": pages})


# --- subject rights (data protection officer) ------------------------------------------------------------


@requires(*access.SUBJECT_RIGHTS_ROLES)
def people(request: ActorRequest) -> HttpResponse:
    """Search by POST, so a person's name never appears in an address, a server log or browser history."""
    actor = request.actor
    found: list[Any] | None = None
    form = SearchForm(posted(request))
    if request.method == "POST" and form.is_valid():
        found = selectors.search_people(actor, form.cleaned_data["q"])
    return render(request, "privacy/people.html", {"form": form, "found": found, "limit": selectors.SEARCH_LIMIT})


@requires(*access.SUBJECT_RIGHTS_ROLES)
def person(request: ActorRequest, service_user_id: int) -> HttpResponse:
    actor = request.actor
    return render(request, "privacy/person.html", selectors.person_overview(actor, service_user_id))


def _copy_words(person: Any, data: dict[str, Any]) -> dict[str, str]:
    """The title and first line of a person's copy: their name (the copy is theirs), the day, the organisation."""
    name = person.chosen_name if not person.anonymised_at and person.chosen_name else ""
    return {
        "title": _("Everything Peerwork holds about %(name)s") % {"name": name}
        if name
        else _("Everything Peerwork holds about this person"),
        "intro": _("Made on %(day)s by the data protection officer of %(org)s.")
        % {"day": plain.day(timezone.localdate()), "org": data["organisation"]},
    }


@requires(*access.SUBJECT_RIGHTS_ROLES)
def export_html(request: ActorRequest, service_user_id: int) -> HttpResponse:
    actor = request.actor
    found, data = selectors.export_person(actor, service_user_id, "html")
    response = render(
        request,
        "privacy/export.html",
        {"person": found, "sections": subject.as_sections(data), **_copy_words(found, data)},
    )
    response["Cache-Control"] = "no-store"
    return response


@requires(*access.SUBJECT_RIGHTS_ROLES)
def export_json(request: ActorRequest, service_user_id: int) -> HttpResponse:
    actor = request.actor
    found, data = selectors.export_person(actor, service_user_id, "json")
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="peerwork-person-{found.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@requires(*access.SUBJECT_RIGHTS_ROLES)
def export_pdf(request: ActorRequest, service_user_id: int) -> HttpResponse:
    actor = request.actor
    found, data = selectors.export_person(actor, service_user_id, "pdf")
    words = _copy_words(found, data)
    sections = subject.as_sections(data, months_over=PDF_ROWS)
    body = pdf.render("privacy/export_pdf.html", {"sections": sections, **words}, title=words["title"])
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="peerwork-person-{found.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


#: A section of the PDF copy with more rows than this is counted by month (the web page lists every row).
PDF_ROWS = 60


@requires(*access.SUBJECT_RIGHTS_ROLES)
def rectify(request: ActorRequest, service_user_id: int) -> HttpResponse:
    actor = request.actor
    overview = selectors.person_overview(actor, service_user_id)
    found = overview["person"]
    initial = {name: getattr(found, name) or "" for name in services.RECTIFIABLE}
    form = RectifyForm(posted(request), initial=initial)
    if submit(request, form, lambda d: services.rectify(actor, service_user_id, **d)):
        messages.success(request, _("The record is corrected."))
        return redirect("privacy:person", service_user_id=service_user_id)
    return render(request, "privacy/rectify.html", {**overview, "form": form})


@requires(*access.SUBJECT_RIGHTS_ROLES)
def anonymise(request: ActorRequest, service_user_id: int) -> HttpResponse:
    actor = request.actor
    overview = selectors.person_overview(actor, service_user_id)
    form = ConfirmForm(posted(request))
    if submit(request, form, lambda d: services.erase(actor, service_user_id, confirmed=d["confirm"])):
        messages.success(request, _("The record is anonymised. Counts, dates and ratings remain for statistics."))
        return redirect("privacy:person", service_user_id=service_user_id)
    return render(request, "privacy/anonymise.html", {**overview, "form": form})


def _access_filter(request: ActorRequest, service_user_id: int, *, csv: bool) -> tuple[AccessFilterForm, Any]:
    """The access report, filtered as the address asks; an unusable filter shows everything, with its message."""
    people = selectors.access_report_people(request.actor, service_user_id)
    form = AccessFilterForm(request.GET or None, people=people)
    wanted: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        who = form.cleaned_data["who"]
        wanted = {
            "who": int(who) if who else None,
            "start": form.cleaned_data["start"],
            "end": form.cleaned_data["end"],
        }
    return form, selectors.access_report(request.actor, service_user_id, csv=csv, **wanted)


@requires(*access.SUBJECT_RIGHTS_ROLES)
def access_report(request: ActorRequest, service_user_id: int) -> HttpResponse:
    form, report = _access_filter(request, service_user_id, csv=False)
    page = Paginator(report.days, selectors.ACCESS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "privacy/access_report.html",
        {"person": report.person, "report": report, "page": page, "form": form, "query": query.urlencode()},
    )


@requires(*access.SUBJECT_RIGHTS_ROLES)
def access_report_csv(request: ActorRequest, service_user_id: int) -> HttpResponse:
    _form, report = _access_filter(request, service_user_id, csv=True)
    response, out = csv_download(f"peerwork-access-{report.person.pk}-{timezone.localdate():%Y%m%d}.csv")
    out.writerow(
        [
            _("Day"),
            _("Who"),
            _("Role"),
            _("Reads"),
            _("Changes"),
            _("Exports"),
            _("Kinds of record"),
            _("What was done"),
            _("Through"),
        ]
    )
    for row in report.days:
        out.writerow(
            [
                plain.when(row.day),
                row.who,
                row.role,
                row.reads,
                row.changes,
                row.exports,
                ", ".join(row.kinds),
                " ".join(row.what),
                ", ".join(row.through),
            ]
        )
    response["Cache-Control"] = "no-store"
    return response


@requires(*access.PEER_WORKER_ROLES)
def who_looked(request: ActorRequest) -> HttpResponse:
    """A peer worker's own access report, in plain words."""
    looks = selectors.who_looked_at_my_work(request.actor)
    return render(request, "privacy/who_looked.html", {"looks": looks, "shown": selectors.MY_LOOKS_SHOWN})


# --- retention and evaluation exports --------------------------------------------------------------------


@requires(Role.DPO)
def retention_page(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    today = timezone.localdate()
    overview = selectors.retention_overview(actor, today, request.GET.get("page"))
    form = RetentionForm(posted(request), initial={"months_after_last_engagement": overview["months"]})
    if submit(request, form, lambda d: services.set_retention(actor, d["months_after_last_engagement"])):
        messages.success(request, _("The retention period is saved."))
        return redirect("privacy:retention")
    return render(
        request,
        "privacy/retention.html",
        {**overview, "form": form, "today": today, "run_form": ConfirmForm()},
    )


@requires(Role.DPO)
@require_POST
def retention_run(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = ConfirmForm(request.POST)
    if not (form.is_valid() and form.cleaned_data["confirm"]):
        messages.error(request, _("Tick the box to confirm, then run the anonymisation again."))
        return redirect("privacy:retention")
    services.start_retention(actor)
    messages.success(
        request,
        _(
            "The anonymisation has started and runs in the background. "
            "Open this page again in a minute to see what is still due."
        ),
    )
    return redirect("privacy:retention")


@requires(*access.EVALUATION_ROLES)
def evaluation(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    exports = selectors.evaluation_exports(actor)
    form = EvaluationExportForm(posted(request))
    saved = submit(request, form, lambda d: services.create_evaluation_export(actor, **d))
    if saved is not None:
        made = saved.value
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


@requires(*access.EVALUATION_ROLES)
def evaluation_download(request: ActorRequest, export_id: int) -> HttpResponse:
    actor = request.actor
    found = selectors.evaluation_export(actor, export_id)
    response = JsonResponse(found.content, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="peerwork-evaluation-{found.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@requires(Role.DPO)
def evaluation_key(request: ActorRequest, export_id: int) -> HttpResponse:
    actor = request.actor
    export, key = selectors.pseudonym_key(actor, export_id)
    response = render(request, "privacy/evaluation_key.html", {"export": export, "key": key})
    response["Cache-Control"] = "no-store"
    return response


@requires(Role.DPO)
@require_POST
def evaluation_key_delete(request: ActorRequest, export_id: int) -> HttpResponse:
    actor = request.actor
    form = forms.Form(request.POST)  # no fields: the service's refusal lands in its non-field errors
    if submit(request, form, lambda _d: services.delete_pseudonym_key(actor, export_id)) is None:
        messages.error(request, " ".join(map(str, form.non_field_errors())))
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
            return services.give_own_consent(actor, valid_until=data.get("valid_until"))
        return services.withdraw_own_consent(actor)

    saved = submit(request, form, act)
    if saved is not None:
        if saved.value.withdrawn_at is None:
            messages.success(request, _("Thank you. Extracts made from now on may include you under a pseudonym."))
        else:
            messages.success(request, _("Withdrawn. Extracts made from now on leave you out."))
        return redirect("privacy:my_evaluation_consent")
    consents = selectors.my_consents(actor)
    in_force = next((c for c in consents if c.state == "active"), None)
    return render(
        request,
        "privacy/my_evaluation_consent.html",
        {"consents": consents, "in_force": in_force, "form": form},
    )
