"""Exchange and agreement API under /api/coassessment: the REFI-QDA files (download and import) and how far the
coders agree. The same selectors, forms and services as the exchange and compare pages, so the same scoping
(team members only: 404 outside the organisation or the actor's scope, 403 outside the team), the same
checks of an uploaded file, the same blind rounds and the same audit."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.text import slugify
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from peerwork.core.apitypes import ErrorOut, Id, query
from peerwork.core.http import ActorRequest

from . import exchange, exchange_services, selectors
from .analysis_api import through
from .views import RUNNERS
from .views_exchange import (
    BLIND_WORDS,
    LEFT_OUT_WORDS,
    NOTES_LEFT_OUT_WORDS,
    SETS_LEFT_OUT_WORDS,
    STATUS_WORDS,
    ImportForm,
)

router = Router(tags=["co-assessment"])

QDPX = "application/zip"
QDC = "application/xml"


# --- schemas ----------------------------------------------------------------------------------------------


class ExchangeLeftOutOut(Schema):
    reason: str = Field(description="no_material, no_segment, crosses_participants, no_consent or unknown_coder")
    words: str = Field(description="The reason, in the caller's language, as the exchange page says it.")
    codings: int


class ExchangeItemsLeftOutOut(Schema):
    reason: str = Field(description="note_no_material, no_known_codes or analysis_closed")
    words: str = Field(description="The reason, in the caller's language, as the exchange page says it.")
    count: int


class ExchangeImportOut(Schema):
    codes_added: int
    codes_known: int = Field(description="Codes the codebook already had (kept as they are).")
    codings_added: int
    codings_known: int = Field(description="Codings already here (nothing changed).")
    left_out: list[ExchangeLeftOutOut]
    segments_added: int = Field(description="Segments marked inside existing ones for codings on new stretches.")
    memos_added: int = Field(description="Memos written or added to from the file's notes.")
    memos_known: int = Field(description="Notes already in their memo (nothing changed).")
    notes_left_out: list[ExchangeItemsLeftOutOut]
    themes_added: int
    themes_updated: int = Field(description="Themes already here that got codes they lacked.")
    themes_known: int
    sets_left_out: list[ExchangeItemsLeftOutOut]


class CoderAgreementCodeOut(Schema):
    code_id: int
    code: str
    alpha: float | None = Field(description="Krippendorff's alpha; null when it cannot be measured.")
    alpha_shown: str = Field(description="The figure as the compare page shows it (two decimals), or empty.")
    status: str = Field(description="ok, fewer_than_two_coders, no_shared_units or not_enough_variation")
    words: str = Field(description="Empty, or why there is no figure, as the compare page says it.")
    segments_compared: int
    times_given: int


class CoderAgreementOut(Schema):
    blind: bool = Field(
        description="A blind round, and the caller has not chosen to compare yet: nothing of the others is shown."
    )
    coders: list[str]
    segments_compared: int
    places_differing: int = Field(description="Places where coders differ, on every code.")
    codes: list[CoderAgreementCodeOut]


class CoderDifferenceOut(Schema):
    place: str = Field(description="Its place in the order of the text; the next page starts after the last.")
    material_id: int
    material_title: str
    text: str
    code_id: int
    code: str
    given_by: list[str]
    not_given_by: list[str]


class CoderDifferencesOut(Schema):
    blind: bool
    total: int = Field(description="Places where coders differ on the chosen code (every code when none).")
    items: list[CoderDifferenceOut]
    next_after: str = Field(description="Send as `after` for the next page; empty on the last page.")


class CoderComparedOut(Schema):
    compared: bool


# --- files ------------------------------------------------------------------------------------------------


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _binary(content_type: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {
                "description": "The file, as an attachment",
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


@router.get(
    "/coassessments/{coassessment_id}/exchange/project",
    response={200: None},
    openapi_extra=_binary(QDPX),
    summary="The REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA or QualCoder (team members; audited)",
)
def coassessment_export_project(request: ActorRequest, coassessment_id: Id) -> HttpResponse:
    request.actor.require(*RUNNERS)
    ca, data = exchange.export_project(request.actor, coassessment_id)
    return _download(data, f"{slugify(ca.title) or 'co-assessment'}.qdpx", QDPX)


@router.get(
    "/coassessments/{coassessment_id}/exchange/codebook",
    response={200: None, 422: ErrorOut},
    openapi_extra=_binary(QDC),
    summary="The REFI-QDA codebook (.qdc) (team members; audited; 422 while the codebook has no code)",
)
def coassessment_export_codebook(request: ActorRequest, coassessment_id: Id) -> Any:
    request.actor.require(*RUNNERS)
    try:
        ca, data = exchange.export_codebook(request.actor, coassessment_id)
    except ValidationError as empty:
        return Status(422, {"detail": " ".join(empty.messages)})
    return _download(data, f"{slugify(ca.title) or 'co-assessment'}-codebook.qdc", QDC)


def _import(request: ActorRequest, coassessment_id: int, file: UploadedFile, kind: str) -> Any:
    actor = request.actor
    actor.require(*RUNNERS)
    ca = selectors.for_member(actor, coassessment_id)
    data = through(ImportForm({}, MultiValueDict({"file": [file]})), lambda d: d["file"].read())
    try:
        if kind == "codebook":
            result = exchange_services.import_codebook(actor, ca, data=data)
        else:
            result = exchange_services.import_project(actor, ca, data=data)
    except exchange_services.ImportRefused as refused:
        # The page's message; the problems are in the standard's own terms (English).
        return Status(
            422, {"detail": _("The file could not be read, so nothing was saved"), "errors": {"file": refused.problems}}
        )
    return {
        "codes_added": result.codes_added,
        "codes_known": result.codes_known,
        "codings_added": result.codings_added,
        "codings_known": result.codings_known,
        "left_out": [
            {"reason": reason, "words": str(LEFT_OUT_WORDS[reason]), "codings": n}
            for reason, n in sorted(result.left_out.items())
        ],
        "segments_added": result.segments_added,
        "memos_added": result.memos_added,
        "memos_known": result.memos_known,
        "notes_left_out": [
            {"reason": reason, "words": str(NOTES_LEFT_OUT_WORDS[reason]), "count": n}
            for reason, n in sorted(result.notes_left_out.items())
        ],
        "themes_added": result.themes_added,
        "themes_updated": result.themes_updated,
        "themes_known": result.themes_known,
        "sets_left_out": [
            {"reason": reason, "words": str(SETS_LEFT_OUT_WORDS[reason]), "count": n}
            for reason, n in sorted(result.sets_left_out.items())
        ],
    }


@router.post(
    "/coassessments/{coassessment_id}/exchange/codebook",
    response={200: ExchangeImportOut, 422: ErrorOut},
    summary="Import a .qdc codebook: codes the codebook lacks are added (team members; multipart, field `file`)",
)
def coassessment_import_codebook(request: ActorRequest, coassessment_id: Id, file: File[UploadedFile]) -> Any:
    return _import(request, coassessment_id, file, "codebook")


@router.post(
    "/coassessments/{coassessment_id}/exchange/project",
    response={200: ExchangeImportOut, 422: ErrorOut},
    summary="Import a .qdpx project: its codes, and its codings onto this co-assessment's own segments "
    "(team members; multipart, field `file`)",
)
def coassessment_import_project(request: ActorRequest, coassessment_id: Id, file: File[UploadedFile]) -> Any:
    return _import(request, coassessment_id, file, "project")


# --- agreement --------------------------------------------------------------------------------------------


@router.get(
    "/coassessments/{coassessment_id}/agreement",
    response=CoderAgreementOut,
    summary="Krippendorff's alpha per code, as the compare page shows it (team members; after comparing in a "
    "blind round)",
)
def coassessment_agreement(request: ActorRequest, coassessment_id: Id) -> dict[str, Any]:
    request.actor.require(*RUNNERS)
    result = exchange.comparison(request.actor, coassessment_id, details=False)
    return {
        "blind": result.blind,
        "coders": result.coders,
        "segments_compared": result.segments,
        "places_differing": result.disagreement_count,
        "codes": [
            {
                "code_id": row.code.pk,
                "code": row.code.name,
                "alpha": row.figure.alpha,
                "alpha_shown": row.alpha,
                "status": row.figure.status,
                "words": str(STATUS_WORDS[row.figure.status]),
                "segments_compared": row.figure.units,
                "times_given": row.figure.applied,
            }
            for row in result.rows
        ],
    }


@router.get(
    "/coassessments/{coassessment_id}/agreement/differences",
    response=CoderDifferencesOut,
    summary="Where coders differ, a page at a time (team members; after comparing in a blind round)",
)
def coassessment_agreement_differences(
    request: ActorRequest,
    coassessment_id: Id,
    code: int | None = query(None, ge=1, le=2**63 - 1),
    after: str = query("", max_length=18, pattern=r"^\d*$"),
) -> dict[str, Any]:
    request.actor.require(*RUNNERS)
    result = exchange.comparison(request.actor, coassessment_id, code=code, after=after, page=exchange.PAGE)
    return {
        "blind": result.blind,
        "total": result.shown_count,
        "items": [
            {
                "place": d.place,
                "material_id": d.material_id,
                "material_title": d.material_title,
                "text": d.text,
                "code_id": d.code.pk,
                "code": d.code.name,
                "given_by": d.applied_by,
                "not_given_by": d.not_applied_by,
            }
            for d in result.disagreements
        ],
        "next_after": result.later,
    }


@router.post(
    "/coassessments/{coassessment_id}/agreement/compare-now",
    response=CoderComparedOut,
    summary="End your blind round: from now on you see the other coders' codes (team members)",
)
def coassessment_compare_now(request: ActorRequest, coassessment_id: Id) -> dict[str, Any]:
    actor = request.actor
    actor.require(*RUNNERS)
    ca = selectors.for_member(actor, coassessment_id)
    exchange_services.compare_now(actor, ca)
    return {"compared": True}


class CoderBlindIn(Schema):
    blind_coding: bool = Field(
        description="True starts a blind round (every coder sees only their own codes until they compare); "
        "false ends it"
    )


class CoderBlindOut(Schema):
    blind_coding: bool
    words: str = Field(description="What it means, in the caller's language, as the exchange page says it.")


@router.put(
    "/coassessments/{coassessment_id}/exchange/blind",
    response=CoderBlindOut,
    summary="Start or end a blind coding round (the co-assessment's lead or a manager on the team)",
)
def coassessment_set_blind(request: ActorRequest, coassessment_id: Id, data: CoderBlindIn) -> dict[str, Any]:
    actor = request.actor
    actor.require(*RUNNERS)
    ca = selectors.for_member(actor, coassessment_id)
    exchange_services.set_blind(actor, ca, blind=data.blind_coding)
    return {"blind_coding": ca.blind_coding, "words": str(BLIND_WORDS[ca.blind_coding])}
