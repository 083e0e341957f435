# ruff: noqa: E501  (translatable sentences read better unbroken)
"""Exchange and agreement pages: thin — parse, call a selector or a service, render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from peerwork import qda
from peerwork.core.http import ActorRequest
from peerwork.core.toolkit import requires

from . import exchange, exchange_services, selectors, services
from .forms import QUICK
from .models import Code
from .views import RUNNERS

# What each agreement status means, in the app's own (translated) words.
STATUS_WORDS = {
    qda.OK: "",
    qda.FEWER_THAN_TWO_CODERS: gettext_lazy(
        "Fewer than two coders used this code's material, so there is nothing to compare."
    ),
    qda.NO_SHARED_UNITS: gettext_lazy("No segment was coded by two coders or more, so there is nothing to compare."),
    qda.NOT_ENOUGH_VARIATION: gettext_lazy(
        "Every coder gave every shared segment the same answer, so agreement cannot be measured: talk about whether the code is used at all."
    ),
}
LEFT_OUT_WORDS = {
    exchange_services.NO_MATERIAL: gettext_lazy(
        "on a text this co-assessment does not hold (enter the material first, then import again)"
    ),
    exchange_services.NO_SEGMENT: gettext_lazy("on a stretch of text that does not lie inside one segment marked here"),
    exchange_services.CROSSES: gettext_lazy(
        "on a stretch of text that runs over the words of more than one participant"
    ),
    exchange_services.NO_CONSENT: gettext_lazy("on the words of a participant whose consent no longer holds"),
    exchange_services.UNKNOWN_CODER: gettext_lazy("by coders from outside this team (the file has several)"),
}
NOTES_LEFT_OUT_WORDS = {
    exchange_services.NOTE_NO_MATERIAL: gettext_lazy(
        "not about a text this co-assessment holds (a memo here belongs to a text)"
    ),
    exchange_services.ANALYSIS_CLOSED: gettext_lazy(
        "the analysis is not open (memos and themes are added while analysing or checking, by a team that is not a manager alone)"
    ),
}
SETS_LEFT_OUT_WORDS = {
    exchange_services.NO_KNOWN_CODES: gettext_lazy("none of its codes is in the codebook here"),
    exchange_services.ANALYSIS_CLOSED: NOTES_LEFT_OUT_WORDS[exchange_services.ANALYSIS_CLOSED],
}


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))


BLIND_WORDS = {
    True: gettext_lazy("Blind coding is on: each coder sees only their own codes until they choose to compare."),
    False: gettext_lazy("Blind coding is off."),
}


class BlindForm(forms.Form):
    blind_coding = forms.BooleanField(
        label=gettext_lazy("Coders code blind"),
        required=False,
        help_text=gettext_lazy(
            "Each coder sees only their own codes until they choose to compare. Turning it on starts a new round: everyone's view is hidden again."
        ),
    )


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@requires(*RUNNERS)
def exchange_page(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    ca = selectors.for_member(actor, pk)
    kind = request.POST.get("kind", "") if request.method == "POST" else ""
    codebook_form = (
        ImportForm(request.POST, request.FILES, prefix="codebook")
        if kind == "codebook"
        else ImportForm(prefix="codebook")
    )
    project_form = (
        ImportForm(request.POST, request.FILES, prefix="project") if kind == "project" else ImportForm(prefix="project")
    )
    blind_form = BlindForm(request.POST if kind == "blind" else None, initial={"blind_coding": ca.blind_coding})
    refused: list[str] = []
    result = None
    status = 200
    if kind == "blind" and blind_form.is_valid():
        exchange_services.set_blind(actor, ca, blind=blind_form.cleaned_data["blind_coding"])
        messages.success(request, str(BLIND_WORDS[ca.blind_coding]))
        return redirect("coassessment:exchange", pk=ca.pk)
    form = codebook_form if kind == "codebook" else project_form
    if kind in ("codebook", "project") and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            if kind == "codebook":
                result = exchange_services.import_codebook(actor, ca, data=data)
            else:
                result = exchange_services.import_project(actor, ca, data=data)
        except exchange_services.ImportRefused as error:
            refused = error.problems
            status = 422
        except ValidationError as error:
            for message in error.message_dict.get("file", []) + error.message_dict.get("__all__", []):
                form.add_error("file", message)
            status = 422
    elif kind in ("codebook", "project"):
        status = 422
    left_out = [(LEFT_OUT_WORDS[reason], n) for reason, n in result.left_out.items()] if result else []
    notes_left_out = [(NOTES_LEFT_OUT_WORDS[r], n) for r, n in result.notes_left_out.items()] if result else []
    sets_left_out = [(SETS_LEFT_OUT_WORDS[r], n) for r, n in result.sets_left_out.items()] if result else []
    return render(
        request,
        "coassessment/exchange.html",
        {
            "ca": ca,
            "is_member": True,
            "can_manage": services.can_manage(actor, ca),
            "codebook_form": codebook_form,
            "project_form": project_form,
            "blind_form": blind_form,
            "refused": refused,
            "refused_kind": kind,
            "result": result,
            "left_out": left_out,
            "notes_left_out": notes_left_out,
            "sets_left_out": sets_left_out,
        },
        status=status,
    )


@requires(*RUNNERS)
def export_project(request: ActorRequest, pk: int) -> HttpResponse:
    ca, data = exchange.export_project(request.actor, pk)
    return _download(data, f"{slugify(ca.title) or 'co-assessment'}.qdpx", "application/zip")


@requires(*RUNNERS)
def export_codebook(request: ActorRequest, pk: int) -> HttpResponse:
    try:
        ca, data = exchange.export_codebook(request.actor, pk)
    except ValidationError as empty:
        messages.error(request, " ".join(empty.messages))
        return redirect("coassessment:exchange", pk=pk)
    return _download(data, f"{slugify(ca.title) or 'co-assessment'}-codebook.qdc", "application/xml")


@requires(*RUNNERS)
def compare(request: ActorRequest, pk: int) -> HttpResponse:
    result = exchange.comparison(request.actor, pk, details=False)
    rows = [(row, STATUS_WORDS[row.figure.status]) for row in result.rows]
    return render(
        request,
        "coassessment/exchange_compare.html",
        {"ca": result.ca, "is_member": True, "result": result, "rows": rows},
    )


@require_POST
@requires(*RUNNERS)
def compare_now(request: ActorRequest, pk: int) -> HttpResponse:
    ca = selectors.for_member(request.actor, pk)
    exchange_services.compare_now(request.actor, ca)
    messages.success(request, _("You now see the other coders' codes."))
    return redirect("coassessment:compare", pk=ca.pk)


class DifferencesFilter(forms.Form):
    code = forms.TypedChoiceField(label=gettext_lazy("Code"), required=False, coerce=int, empty_value=None)
    default_renderer = QUICK  # the codes to choose from can be many: no template per option

    def __init__(self, *args: Any, codes: list[Code], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Every code"))] + [(c.pk, c.name) for c in codes]


@requires(*RUNNERS)
def disagreements(request: ActorRequest, pk: int) -> HttpResponse:
    code = request.GET.get("code", "")
    code_id = int(code) if code.isdigit() else None
    after = request.GET.get("after", "")
    result = exchange.comparison(request.actor, pk, code=code_id, after=after)
    filter_form = DifferencesFilter({"code": code_id} if code_id is not None else None, codes=result.differing_codes)
    return render(
        request,
        "coassessment/exchange_disagreements.html",
        {"ca": result.ca, "is_member": True, "result": result, "filter_form": filter_form, "code": code_id},
    )
