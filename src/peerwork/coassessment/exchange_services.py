"""Exchange and agreement, the writing side: importing a codebook or a project, the blind setting, comparing.

Each write is validated first, runs in one transaction and is audited; a file that cannot be read raises
:class:`ImportRefused` and nothing is saved.

What an import brings in (Peerwork's choice, for the sake of consent and pseudonymisation):

* codes: every code of the file's code tree (a tree is flattened; Peerwork's codebook is one list); a code
  whose name the codebook already has is kept as it is, so importing twice changes nothing;
* from a ``.qdpx`` project also codings, but only onto material already here whose text is the same and only
  where a coding covers exactly a segment already marked (each segment belongs to a participant with
  consent). Texts the co-assessment does not hold are not added: material comes in through the material
  page, where whoever enters it confirms it is pseudonymised. What was left out is counted and said.
* a coding is recorded for the team member who made it when the file came from this co-assessment (its coder
  identifiers are recognised); when the file has exactly one coder of its own, their codings are recorded for
  the person importing; codings of several unknown coders are left out rather than merged into one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork import qda
from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core.actor import Actor

from . import exchange, services
from .models import CoAssessment, Code, Coding, Material, Segment, TeamMember

MAX_UPLOAD = 20 * 1024 * 1024
CODE_NAME_MAX = Code._meta.get_field("name").max_length or 120


class ImportRefused(Exception):
    """The file could not be read: ``problems`` say where, in the standard's terms (English)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class ImportResult:
    codes_added: int = 0
    codes_known: int = 0
    codings_added: int = 0
    codings_known: int = 0
    left_out: Counter[str] = field(default_factory=Counter)  # reason → how many codings


# Reasons a coding was left out (shown in the app's own words).
NO_MATERIAL = "no_material"
NO_SEGMENT = "no_segment"
UNKNOWN_CODER = "unknown_coder"


def _require_member(actor: Actor, ca: CoAssessment) -> None:
    if ca.organisation_id != actor.organisation_id or not services.is_member(actor, ca):
        raise PermissionDenied


def _read(data: bytes, reader: str) -> object:
    if len(data) > MAX_UPLOAD:
        raise ValidationError({"file": _("The file is larger than 20 MB.")})
    try:
        return qda.import_codebook(data) if reader == "codebook" else qda.import_project(data)
    except qda.QdaError as error:
        raise ImportRefused([str(p) for p in error.problems] or [error.summary]) from error


def _add_codes(actor: Actor, ca: CoAssessment, codes: list[qda.Code], result: ImportResult) -> dict[str, Code]:
    """Add the codes the codebook lacks; return every file code's GUID mapped to the app's code."""
    existing = {c.name.casefold(): c for c in Code.objects.filter(coassessment=ca)}
    mapping: dict[str, Code] = {}
    for code in codes:
        name = " ".join(code.name.split())[:CODE_NAME_MAX]
        if not name:
            continue
        found = existing.get(name.casefold())
        if found is None:
            found = Code.objects.create(
                organisation_id=actor.organisation_id, coassessment=ca, name=name, description=code.description
            )
            existing[name.casefold()] = found
            result.codes_added += 1
        else:
            result.codes_known += 1
        mapping[code.guid.strip("{}").lower()] = found
    return mapping


def _open_for_import(ca: CoAssessment) -> None:
    if ca.status == CoAssessment.Status.FINISHED:
        raise ValidationError({"file": _("This co-assessment is finished; nothing in it can be changed.")})


def import_codebook(actor: Actor, ca: CoAssessment, *, data: bytes) -> ImportResult:
    """Add a ``.qdc`` codebook's codes to the co-assessment's codebook."""
    _require_member(actor, ca)
    _open_for_import(ca)
    book = _read(data, "codebook")
    assert isinstance(book, qda.Codebook)
    result = ImportResult()
    with transaction.atomic():
        _add_codes(actor, ca, list(book.all_codes()), result)
        record(actor, Action.CREATE, ca, detail=Detail("codes_added", count=result.codes_added))
    return result


def _normalised(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def import_project(actor: Actor, ca: CoAssessment, *, data: bytes) -> ImportResult:
    """Bring a ``.qdpx`` project's codes in, and its codings onto matching material and segments."""
    _require_member(actor, ca)
    _open_for_import(ca)
    imported = _read(data, "project")
    assert isinstance(imported, qda.Imported)
    project = imported.project
    if project.codings and ca.status != CoAssessment.Status.ANALYSING:
        raise ValidationError({"file": _("Codings can be imported while the co-assessment is being analysed.")})
    result = ImportResult()
    # Whose codings: the team's own coders, recognised by their identifiers, or a file's single coder.
    team = {exchange.coder_guid(ca, m.person_id): m.person_id for m in TeamMember.objects.filter(coassessment=ca)}
    file_coders = {c.coder_guid.strip("{}").lower() for c in project.codings}
    unknown = file_coders - set(team)
    single = actor.user.pk if len(unknown) == 1 else None
    materials = {
        _normalised(m.text): m for m in Material.objects.filter(organisation_id=actor.organisation_id, coassessment=ca)
    }
    source_material = {s.guid.strip("{}").lower(): materials.get(_normalised(s.text)) for s in project.sources}
    segments = {
        (s.material_id, s.start, s.end): s
        for s in Segment.objects.filter(material__coassessment=ca).filter(exchange.consenting())
    }
    with transaction.atomic():
        codes = _add_codes(actor, ca, list(project.all_codes()), result)
        wanted: dict[tuple[int, int, int], Coding] = {}
        for c in project.codings:
            material = source_material.get(c.source_guid.strip("{}").lower())
            if material is None:
                result.left_out[NO_MATERIAL] += 1
                continue
            segment = segments.get((material.pk, c.start, c.end))
            if segment is None:
                result.left_out[NO_SEGMENT] += 1
                continue
            coder = team.get(c.coder_guid.strip("{}").lower(), single)
            if coder is None:
                result.left_out[UNKNOWN_CODER] += 1
                continue
            code = codes.get(c.code_guid.strip("{}").lower())
            if code is None:
                result.left_out[NO_SEGMENT] += 1
                continue
            wanted.setdefault(
                (segment.pk, code.pk, coder),
                Coding(organisation_id=actor.organisation_id, segment=segment, code=code, coder_id=coder),
            )
        known = set(
            Coding.objects.filter(segment__material__coassessment=ca).values_list("segment_id", "code_id", "coder_id")
        )
        new = [coding for key, coding in wanted.items() if key not in known]
        result.codings_known = len(wanted) - len(new)
        Coding.objects.bulk_create(new)
        services.codings_changed(ca.pk)
        result.codings_added = len(new)
        record(
            actor,
            Action.CREATE,
            ca,
            detail=Detail(
                "project_imported",
                codes=result.codes_added,
                codings=result.codings_added,
                refused=sum(result.left_out.values()),
            ),
        )
    return result


def set_blind(actor: Actor, ca: CoAssessment, *, blind: bool) -> CoAssessment:
    """Start (or end) a blind round. Starting one hides the others' codes from every coder again."""
    if ca.organisation_id != actor.organisation_id or not services.can_manage(actor, ca):
        raise PermissionDenied
    _open_for_import(ca)
    with transaction.atomic():
        ca.blind_coding = blind
        ca.save(update_fields=["blind_coding"])
        if blind:
            TeamMember.objects.filter(coassessment=ca).update(compared_at=None)
        record(actor, Action.UPDATE, ca, detail=Detail("blind_coding", blind=int(blind)))
    return ca


def compare_now(actor: Actor, ca: CoAssessment) -> TeamMember:
    """A coder chooses to see the others' codes (in a blind round, from now on)."""
    member = services.membership(actor, ca)
    if ca.organisation_id != actor.organisation_id or member is None:
        raise PermissionDenied
    with transaction.atomic():
        member.compared_at = timezone.now()
        member.save(update_fields=["compared_at"])
        record(actor, Action.UPDATE, member, detail=Detail("compared"))
    return member
