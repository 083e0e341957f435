"""Exchange and agreement, the writing side: importing a codebook or a project, the blind setting, comparing.

Each write is validated first, runs in one transaction and is audited; a file that cannot be read raises
:class:`ImportRefused` and nothing is saved.

What an import brings in (Peerwork's choice, for the sake of consent and pseudonymisation):

* codes: every code of the file's code tree (a tree is flattened; Peerwork's codebook is one list); a code
  whose name the codebook already has is kept as it is, so importing twice changes nothing;
* from a ``.qdpx`` project also codings, but only onto material already here whose text is the same and only
  where a coding covers exactly a segment already marked, or lies wholly inside one (each segment belongs to a
  participant with consent): then a new segment of the same participant is marked for it. A stretch crossing
  from one participant's words into another's, outside every segment or on the words of someone whose consent
  no longer holds is left out. Texts the co-assessment does not hold are not added: material comes in through
  the material page, where whoever enters it confirms it is pseudonymised. What was left out is counted and
  said.
* notes on a text held here become familiarisation memos on it (of the team member who wrote them, when the
  file came from this co-assessment, otherwise of the person importing); a note already in the memo is not
  added again. Sets whose codes are known become themes (thematic analysis) or code groups (systematic text
  condensation; a set without codes a preliminary theme is not made), matched by name; a theme already here
  gets the codes it lacks. Both only while the analysis is open (as for the analysis pages), each entered in
  the decision trail.
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

from . import analysis, exchange, services
from .models import CoAssessment, Code, Coding, Decision, Material, Memo, Segment, TeamMember, Theme

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
    segments_added: int = 0  # new segments marked inside existing ones for codings on new stretches
    memos_added: int = 0  # memos written or added to from the file's notes
    memos_known: int = 0  # notes already in their memo
    notes_left_out: Counter[str] = field(default_factory=Counter)  # reason → how many notes
    themes_added: int = 0
    themes_updated: int = 0  # themes already here that got codes they lacked
    themes_known: int = 0
    sets_left_out: Counter[str] = field(default_factory=Counter)  # reason → how many sets


# Reasons a coding was left out (shown in the app's own words).
NO_MATERIAL = "no_material"
NO_SEGMENT = "no_segment"  # outside every segment, or partly outside the one it starts in
CROSSES = "crosses_participants"  # over the words of more than one participant
NO_CONSENT = "no_consent"  # on the words of someone whose consent does not hold
UNKNOWN_CODER = "unknown_coder"
# Reasons a note or a set was left out.
NOTE_NO_MATERIAL = "note_no_material"  # about no text held here (a code, the project as a whole, another text)
ANALYSIS_CLOSED = "analysis_closed"  # the analysis is not open: not analysing or checking, or a manager alone
NO_KNOWN_CODES = "no_known_codes"  # a set none of whose codes is in the codebook


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


def _segment_for(
    material_id: int,
    start: int,
    end: int,
    exact: dict[tuple[int, int, int], Segment],
    marked: dict[int, list[Segment]],
    allowed: set[int],
) -> Segment | str:
    """The consenting segment a coding of ``start``–``end`` goes onto: one marked exactly there, or a new one
    (not saved) of the participant whose consenting segment holds the stretch wholly; otherwise the reason it
    is left out."""
    found = exact.get((material_id, start, end))
    if found is not None:
        return found
    touched = [s for s in marked.get(material_id, []) if s.start < end and start < s.end]
    if len({s.participant_id for s in touched}) > 1:
        return CROSSES
    if any(s.pk not in allowed for s in touched):
        return NO_CONSENT
    holding = [s for s in touched if s.start <= start and end <= s.end]
    if not holding or start >= end:
        return NO_SEGMENT
    return Segment(material_id=material_id, participant_id=holding[0].participant_id, start=start, end=end)


def _analysis_open(ca: CoAssessment) -> bool:
    return ca.status in (CoAssessment.Status.ANALYSING, CoAssessment.Status.MEMBER_CHECK) and not (
        services.team_problem(ca)
    )


def _plain(text: str) -> str:
    return " ".join(_normalised(text).split())


def _import_notes(
    actor: Actor,
    ca: CoAssessment,
    project: qda.Project,
    source_material: dict[str, Material | None],
    team: dict[str, int],
    result: ImportResult,
    *,
    is_open: bool,
) -> None:
    """Each note on a text held here into its author's memo on that text (the team's own coders recognised,
    anyone else's notes the importing person's); a note already in the memo is not added again."""
    on_source = {c.guid: c.source_guid for c in project.codings}
    on_source |= {c.selection_guid: c.source_guid for c in project.codings if c.selection_guid}
    wanted: dict[tuple[int, int], list[str]] = {}  # (material, author) → the notes' texts, in the file's order
    for note in project.notes:
        text = _normalised(note.text).strip()
        if not text:
            continue
        if not is_open:
            result.notes_left_out[ANALYSIS_CLOSED] += 1
            continue
        targets = {on_source.get(t, t) for t in note.attached_to}
        found = [m for t in sorted(targets) if (m := source_material.get(t)) is not None]
        if not found:
            result.notes_left_out[NOTE_NO_MATERIAL] += 1
            continue
        author = team.get((note.creating_user or "").lower(), actor.user.pk)
        for material in {m.pk: m for m in found}.values():
            texts = wanted.setdefault((material.pk, author), [])
            if text not in texts:
                texts.append(text)
    if not wanted:
        return
    materials = {m.pk: m for m in source_material.values() if m is not None}
    memos = {
        (m.material_id, m.author_id): m
        for m in Memo.objects.select_for_update(of=("self",)).filter(
            material__coassessment=ca, material_id__in={k[0] for k in wanted}
        )
    }
    for (material_id, author), texts in wanted.items():
        memo = memos.get((material_id, author))
        held = _plain(memo.text) if memo else ""
        new = [t for t in texts if _plain(t) not in held]
        result.memos_known += len(texts) - len(new)
        if not new:
            continue
        if memo is None:
            memo = Memo.objects.create(
                organisation_id=actor.organisation_id, material_id=material_id, author_id=author, text=""
            )
            before = {"model": "memo", "pk": memo.pk, "fields": None}
        else:
            before = {"model": "memo", "pk": memo.pk, "fields": {"text": memo.text}}
        memo.text = "\n\n".join([memo.text.strip(), *new]).strip()
        memo.save(update_fields=["text", "written_at"])
        record(actor, Action.UPDATE, memo)
        analysis._decide(
            actor,
            ca,
            kind=Decision.Kind.MEMO,
            what=_("Memo on “%(title)s”, from an exchange file") % {"title": materials[material_id].title},
            before=before,
        )
        result.memos_added += len(new)


def _import_sets(
    actor: Actor,
    ca: CoAssessment,
    sets: list[qda.CodeSet],
    codes: dict[str, Code],
    result: ImportResult,
    *,
    is_open: bool,
) -> None:
    """Each set with known codes into a theme (thematic analysis) or code group (text condensation) of the
    same name, made or given the codes it lacks."""
    kind = Theme.Kind.THEME if ca.method == CoAssessment.Method.THEMATIC else Theme.Kind.CODE_GROUP
    themes = {
        t.name.casefold(): t
        for t in Theme.objects.select_for_update().filter(coassessment=ca, kind=kind).prefetch_related("codes")
    }
    for code_set in sets:
        if not is_open:
            result.sets_left_out[ANALYSIS_CLOSED] += 1
            continue
        members = list({c.pk: c for g in code_set.code_guids if (c := codes.get(g.lower())) is not None}.values())
        name = " ".join(code_set.name.split())[: Theme._meta.get_field("name").max_length or 200]
        if not members or not name:
            result.sets_left_out[NO_KNOWN_CODES] += 1
            continue
        theme = themes.get(name.casefold())
        if theme is None:
            theme = Theme.objects.create(
                organisation_id=actor.organisation_id,
                coassessment=ca,
                kind=kind,
                name=name,
                definition=code_set.description.strip(),
            )
            theme.codes.set(members)
            themes[name.casefold()] = theme
            record(actor, Action.CREATE, theme, detail=Detail("theme_kind", kind=kind))
            analysis._decide(
                actor,
                ca,
                kind=Decision.Kind.THEME,
                what=_("Added “%(name)s”, from an exchange file") % {"name": theme.name},
                before={"model": "theme", "pk": theme.pk, "fields": None},
            )
            result.themes_added += 1
            continue
        held = {c.pk for c in theme.codes.all()}
        lacking = [c for c in members if c.pk not in held]
        if not lacking:
            result.themes_known += 1
            continue
        before = {"model": "theme", "pk": theme.pk, "fields": analysis._snapshot(theme, Decision.Kind.GROUPING)}
        theme.codes.add(*lacking)
        record(actor, Action.UPDATE, theme, detail=Detail("theme_kind", kind=Decision.Kind.GROUPING))
        analysis._decide(
            actor,
            ca,
            kind=Decision.Kind.GROUPING,
            what=_("“%(name)s” got %(n)s codes from an exchange file") % {"name": theme.name, "n": len(lacking)},
            before=before,
        )
        result.themes_updated += 1


def import_project(actor: Actor, ca: CoAssessment, *, data: bytes) -> ImportResult:
    """Bring a ``.qdpx`` project's codes in, its codings onto matching material and segments (marking new
    segments inside existing ones), its notes as memos and its sets as themes or code groups."""
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
    marked: dict[int, list[Segment]] = {}
    for s in Segment.objects.filter(material__coassessment=ca).order_by("material_id", "start", "id"):
        marked.setdefault(s.material_id, []).append(s)
    allowed = set(
        Segment.objects.filter(material__coassessment=ca).filter(exchange.consenting()).values_list("pk", flat=True)
    )
    segments = {(s.material_id, s.start, s.end): s for ss in marked.values() for s in ss if s.pk in allowed}
    with transaction.atomic():
        codes = _add_codes(actor, ca, list(project.all_codes()), result)
        wanted: dict[tuple[tuple[int, int, int], int, int], tuple[Segment, Code, int]] = {}
        for c in project.codings:
            material = source_material.get(c.source_guid.strip("{}").lower())
            if material is None:
                result.left_out[NO_MATERIAL] += 1
                continue
            segment = _segment_for(material.pk, c.start, c.end, segments, marked, allowed)
            if isinstance(segment, str):
                result.left_out[segment] += 1
                continue
            coder = team.get(c.coder_guid.strip("{}").lower(), single)
            if coder is None:
                result.left_out[UNKNOWN_CODER] += 1
                continue
            code = codes.get(c.code_guid.strip("{}").lower())
            if code is None:
                result.left_out[NO_SEGMENT] += 1
                continue
            place = (material.pk, c.start, c.end)
            segment = segments.setdefault(place, segment)  # one new segment for every coding of its stretch
            wanted.setdefault((place, code.pk, coder), (segment, code, coder))
        fresh = [s for s in segments.values() if s.pk is None]
        for s in fresh:
            s.organisation_id = actor.organisation_id
            s.created_by = actor.user
        Segment.objects.bulk_create(fresh)
        result.segments_added = len(fresh)
        known = set(
            Coding.objects.filter(segment__material__coassessment=ca).values_list("segment_id", "code_id", "coder_id")
        )
        new = [
            Coding(organisation_id=actor.organisation_id, segment=segment, code=code, coder_id=coder)
            for segment, code, coder in wanted.values()
            if (segment.pk, code.pk, coder) not in known
        ]
        result.codings_known = len(wanted) - len(new)
        Coding.objects.bulk_create(new)
        services.codings_changed(ca.pk)
        result.codings_added = len(new)
        is_open = bool(project.notes or project.sets) and _analysis_open(ca)
        _import_notes(actor, ca, project, source_material, team, result, is_open=is_open)
        _import_sets(actor, ca, list(project.sets), codes, result, is_open=is_open)
        record(
            actor,
            Action.CREATE,
            ca,
            detail=Detail(
                "project_imported",
                codes=result.codes_added,
                codings=result.codings_added,
                segments=result.segments_added,
                memos=result.memos_added,
                themes=result.themes_added + result.themes_updated,
                refused=sum(result.left_out.values())
                + sum(result.notes_left_out.values())
                + sum(result.sets_left_out.values()),
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
