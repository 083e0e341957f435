"""Exchange and agreement, the reading side: a co-assessment as a REFI-QDA project, and how far its coders agree.

The pure package :mod:`peerwork.qda` knows the exchange standard and Krippendorff's alpha; this module maps the
app's models onto its dataclasses. Every read is scoped to the acting team member and audited; the writes (an
import, the blind setting, choosing to compare) are in :mod:`.exchange_services`.

What leaves the service in an export (Peerwork's rules):

* coders are named by their role in the team and a number ("Coder 2, peer co-researcher"), never by name;
* only the segments and codings of participants whose consent holds today; the words of anyone else who was
  marked as a segment are replaced by "[…]" in the exported text, so nothing of theirs leaves;
* the codebook with each code's meaning; no name key, no reflexivity notes (they stay with the team);
* the familiarisation memos as notes on their texts, by their author's coder name, except a memo that quotes
  the words of someone whose consent no longer holds (four words in a row of a segment of theirs, or a
  shorter segment whole) or names their pseudonym: such a memo stays home;
* the themes, preliminary themes and code groups as sets of their codes (a code group's codes are those given
  to its meaning units that leave), with a definition as the set's description unless it quotes as above.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork import qda
from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core.actor import Actor

from . import selectors, services
from .models import (
    AgreementPlace,
    AgreementSnapshot,
    CoAssessment,
    Code,
    Coding,
    Material,
    Memo,
    Participant,
    Segment,
    TeamMember,
    Theme,
)

# GUIDs derived from the database's own ids, so a file exported here and imported again is recognised.
NAMESPACE = uuid.UUID("6f1d0c64-3b9e-4f43-9a55-2f6c1b7e0a51")
REMOVED = services.REMOVED


def guid(kind: str, *parts: object) -> str:
    """The stable exchange identifier of one of this installation's objects."""
    return str(uuid.uuid5(NAMESPACE, ":".join([kind, *(str(p) for p in parts)])))


def coder_guid(ca: CoAssessment, user_id: int) -> str:
    return guid("coder", ca.pk, user_id)


def consenting(today: object | None = None) -> Q:
    """Segments whose participant takes part today: not withdrawn, with a consent that holds."""
    day = today or timezone.localdate()
    return (
        Q(participant__withdrawn_at__isnull=True)
        & Q(participant__consent__isnull=False)
        & Q(participant__consent__withdrawn_at__isnull=True)
        & Q(participant__consent__given_on__lte=day)
        & (Q(participant__consent__valid_until__isnull=True) | Q(participant__consent__valid_until__gte=day))
    )


def consenting_participants(day: object) -> Q:
    """Participants who take part on ``day``: not withdrawn, with a consent that holds (as :func:`consenting`)."""
    return (
        Q(withdrawn_at__isnull=True)
        & Q(consent__isnull=False)
        & Q(consent__withdrawn_at__isnull=True)
        & Q(consent__given_on__lte=day)
        & (Q(consent__valid_until__isnull=True) | Q(consent__valid_until__gte=day))
    )


def coder_names(ca: CoAssessment, coder_ids: Iterable[int]) -> dict[int, str]:
    """Each coder's name outside the service: their role in the team and a number, never their name."""
    team = {m.person_id: m for m in ca.team.all()}
    names: dict[int, str] = {}
    for n, user_id in enumerate(sorted(set(coder_ids)), start=1):
        member = team.get(user_id)
        if member is None:
            names[user_id] = _("Coder %(n)s") % {"n": n}
            continue
        role = _("peer co-researcher") if member.is_peer_co_researcher else member.get_role_display().lower()
        names[user_id] = _("Coder %(n)s, %(role)s") % {"n": n, "role": role}
    return names


def _redacted(text: str, spans: list[tuple[int, int]]) -> tuple[str, Callable[[int], int]]:
    """``text`` with each span replaced by "[…]", and a function moving a position outside the spans to the
    new text."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces, cursor = [], 0
    ends: list[int] = []  # old end of each span
    shift: list[int] = []  # how far positions after that span move
    moved = 0
    for start, end in merged:
        pieces += [text[cursor:start], REMOVED]
        cursor = end
        moved += len(REMOVED) - (end - start)
        ends.append(end)
        shift.append(moved)
    pieces.append(text[cursor:])

    def move(position: int) -> int:
        i = bisect_right(ends, position)
        return position + (shift[i - 1] if i else 0)

    return "".join(pieces), move


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


QUOTE_WORDS = 4  # this many words in a row of someone's segment make a quote of them


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


@dataclass
class Unsaid:
    """The words and pseudonyms of participants whose consent no longer holds, to keep texts quoting them
    home."""

    said: list[str] = field(default_factory=list)
    pseudonyms: list[str] = field(default_factory=list)

    def quoted_in(self, text: str) -> bool:
        """Whether ``text`` quotes any of their words (four in a row, or a shorter segment of two words or more
        whole) or names any of them, compared without case, punctuation or spacing."""
        joined = " " + " ".join(_words(text)) + " "
        for said in self.said:
            words = _words(said)
            n = min(QUOTE_WORDS, len(words))
            if n < 2:
                continue
            for i in range(len(words) - n + 1):
                if " " + " ".join(words[i : i + n]) + " " in joined:
                    return True
        for name in self.pseudonyms:
            words = _words(name)
            if words and " " + " ".join(words) + " " in joined:
                return True
        return False


def unsaid(actor: Actor, ca: CoAssessment, hidden: Iterable[Segment], texts: dict[int, str]) -> Unsaid:
    """What must not leave with a memo or definition: the words of the ``hidden`` segments (their material's
    text in ``texts``) and the pseudonyms of every participant of ``ca`` whose consent does not hold today."""
    day = timezone.localdate()
    names = (
        Participant.objects.filter(organisation_id=actor.organisation_id, coassessment=ca)
        .exclude(consenting_participants(day))
        .values_list("pseudonym", flat=True)
    )
    return Unsaid(said=[texts[s.material_id][s.start : s.end] for s in hidden], pseudonyms=list(names))


def memo_name(title: str) -> str:
    return _("Familiarisation memo on “%(title)s”") % {"title": title}


def _notes_and_sets(
    actor: Actor,
    ca: CoAssessment,
    materials: list[Material],
    exported: list[tuple[int, int]],
    keep_home: Unsaid,
) -> tuple[list[Memo], list[qda.Note], list[qda.CodeSet]]:
    """The memos that may leave, as notes on their texts, and the themes as sets of codes (``exported``: the
    (segment, code) of every coding that leaves). Four queries."""
    titles = {m.pk: m.title for m in materials}
    memos = [
        m
        for m in Memo.objects.filter(organisation_id=actor.organisation_id, material__coassessment=ca).order_by(
            "material_id", "author_id", "id"
        )
        if m.text.strip() and not keep_home.quoted_in(m.text)
    ]
    notes = [
        qda.Note(
            guid=guid("memo", m.pk),
            name=memo_name(titles.get(m.material_id, "")),
            text=m.text,
            creating_user=coder_guid(ca, m.author_id),
            created=m.written_at,
            attached_to=(guid("material", m.material_id),),
        )
        for m in memos
    ]
    themes = list(
        Theme.objects.filter(organisation_id=actor.organisation_id, coassessment=ca).order_by("kind", "name", "id")
    )
    codes_of: dict[int, set[int]] = {}
    for theme_id, code_id in Theme.codes.through.objects.filter(theme__coassessment=ca).values_list(
        "theme_id", "code_id"
    ):
        codes_of.setdefault(theme_id, set()).add(code_id)
    on_segment: dict[int, set[int]] = {}
    for segment_id, code_id in exported:
        on_segment.setdefault(segment_id, set()).add(code_id)
    for theme_id, segment_id in Theme.segments.through.objects.filter(theme__coassessment=ca).values_list(
        "theme_id", "segment_id"
    ):
        codes_of.setdefault(theme_id, set()).update(on_segment.get(segment_id, ()))
    sets = [
        qda.CodeSet(
            guid=guid("theme", t.pk),
            name=t.name,
            description="" if keep_home.quoted_in(t.definition) else t.definition,
            code_guids=tuple(guid("code", c) for c in sorted(codes_of.get(t.pk, ()))),
        )
        for t in themes
    ]
    return memos, notes, sets


def project_of(actor: Actor, ca: CoAssessment) -> qda.Project:
    """The co-assessment as an exchange project (see the module's rules on what leaves), in ten queries."""
    codes = list(Code.objects.filter(organisation_id=actor.organisation_id, coassessment=ca).order_by("name"))
    materials = list(Material.objects.filter(organisation_id=actor.organisation_id, coassessment=ca).order_by("id"))
    segments = list(Segment.objects.filter(material__coassessment=ca).order_by("material_id", "start", "id"))
    allowed = set(Segment.objects.filter(material__coassessment=ca).filter(consenting()).values_list("pk", flat=True))
    codings = list(
        Coding.objects.filter(segment_id__in=allowed, segment__material__coassessment=ca)
        .select_related("segment")
        .order_by("segment__material_id", "segment__start", "id")
    )
    hidden: dict[int, list[tuple[int, int]]] = {}
    for s in segments:
        if s.pk not in allowed:
            hidden.setdefault(s.material_id, []).append((s.start, s.end))
    keep_home = unsaid(actor, ca, [s for s in segments if s.pk not in allowed], {m.pk: m.text for m in materials})
    sources, movers = [], {}
    for m in materials:
        text, move = _redacted(m.text, hidden.get(m.pk, []))
        movers[m.pk] = move
        sources.append(
            qda.Source(
                guid=guid("material", m.pk),
                name=m.title,
                text=text,
                description=m.get_kind_display(),
                created=m.entered_at,
            )
        )
    exported = []
    leaving: list[tuple[int, int]] = []
    for c in codings:
        s = c.segment
        if _overlaps(s.start, s.end, hidden.get(s.material_id, [])):
            continue  # a span shared with someone whose words were left out
        leaving.append((s.pk, c.code_id))
        move = movers[s.material_id]
        exported.append(
            qda.Coding(
                guid=guid("coding", c.pk),
                source_guid=guid("material", s.material_id),
                start=move(s.start),
                end=move(s.end),
                code_guid=guid("code", c.code_id),
                coder_guid=coder_guid(ca, c.coder_id),
                created=c.created_at,
            )
        )
    memos, notes, sets = _notes_and_sets(actor, ca, materials, leaving, keep_home)
    names = coder_names(ca, [c.coder_id for c in codings] + [m.author_id for m in memos])
    users = tuple(qda.User(coder_guid(ca, user_id), name) for user_id, name in names.items())
    return qda.Project(
        name=ca.title,
        created=ca.created_at,
        description=ca.question,
        users=users,
        codes=tuple(qda.Code(guid=guid("code", c.pk), name=c.name, description=c.description) for c in codes),
        sources=tuple(sources),
        codings=tuple(exported),
        notes=tuple(notes),
        sets=tuple(sets),
    )


def export_project(actor: Actor, pk: int) -> tuple[CoAssessment, bytes]:
    """The ``.qdpx`` file of a co-assessment, for team members; audited as an export."""
    ca = selectors.for_member(actor, pk)
    project = project_of(actor, ca)
    data = qda.export_project(project)
    record(
        actor,
        Action.EXPORT,
        ca,
        detail=Detail(
            "project_file",
            material=len(project.sources),
            coding=len(project.codings),
            notes=len(project.notes),
            sets=len(project.sets),
        ),
    )
    return ca, data


def export_codebook(actor: Actor, pk: int) -> tuple[CoAssessment, bytes]:
    """The ``.qdc`` codebook of a co-assessment, for team members; audited as an export. ``ValidationError``
    when there is no code yet (a codebook file needs one)."""
    ca = selectors.for_member(actor, pk)
    project = project_of(actor, ca)
    book = qda.codebook_of(project)
    if not book.codes:  # the standard's codebook holds at least one code
        raise ValidationError(_("The codebook has no codes yet. Add a code on a coding page, then download it."))
    data = qda.export_codebook(book)
    record(actor, Action.EXPORT, ca, detail=Detail("codebook_file", count=len(book.codes)))
    return ca, data


# --- blind coding and agreement ---------------------------------------------------------------------------


def must_code_blind(actor: Actor, ca: CoAssessment) -> bool:
    """In a blind round a coder sees only their own codes until they choose to compare."""
    if not ca.blind_coding:
        return False
    member = services.membership(actor, ca)
    return member is None or member.compared_at is None


PAGE = 25  # places where coders differ shown at a time


@dataclass
class AgreementRow:
    code: Code
    figure: qda.CodeAgreement

    @property
    def alpha(self) -> str:
        return "" if self.figure.alpha is None else f"{self.figure.alpha:.2f}"


@dataclass
class DisagreementRow:
    material_id: int
    material_title: str
    text: str
    code: Code
    applied_by: list[str]
    not_applied_by: list[str]
    place: str  # its place in the order of the text, for the next page's link
    material_url: str = ""  # the material's coding page
    given_by: str = ""  # ``applied_by`` and ``not_applied_by`` as the page lists them
    not_given_by: str = ""


@dataclass
class Comparison:
    ca: CoAssessment
    blind: bool  # the actor has not chosen to compare yet: nothing of the others is shown
    coders: list[str] = field(default_factory=list)
    rows: list[AgreementRow] = field(default_factory=list)
    disagreements: list[DisagreementRow] = field(default_factory=list)  # one page of them
    disagreement_count: int = 0  # places where coders differ, all codes
    shown_count: int = 0  # places where coders differ on the chosen code (all codes when none is chosen)
    differing_codes: list[Code] = field(default_factory=list)  # the codes coders differ on, to choose from
    later: str = ""  # the place after which the next page starts; empty on the last page
    earlier: bool = False  # this is not the first page
    segments: int = 0


def _compared_codings(actor: Actor, ca: CoAssessment) -> QuerySet[Coding]:
    """The codings the figures are computed from: those on segments of participants whose consent holds."""
    return Coding.objects.filter(organisation_id=actor.organisation_id, segment__material__coassessment=ca).filter(
        Q(segment__in=Segment.objects.filter(material__coassessment=ca).filter(consenting()))
    )


FIGURES_FORMAT = "2"  # the layout of the stored figures: figures stored in another are computed again whole
SLOT = 2**32  # a place's position: the rank of its stretch times this, plus its code's id
CodingRow = tuple[int, int, int, int, int, int]  # a compared coding: id, code, coder, material, start, end
Stretch = tuple[int, int, int]  # a unit compared: material, start, end


def _people_key(actor: Actor, ca: CoAssessment) -> str:
    """Which participants' consent holds today (one aggregate over the few participants: a consent withdrawn
    or run out elsewhere changes it) and the day."""
    day = timezone.localdate()
    found = Participant.objects.filter(organisation_id=actor.organisation_id, coassessment=ca).aggregate(
        n=Count("pk", filter=consenting_participants(day)), total=Sum("pk", filter=consenting_participants(day))
    )
    return f"{found['n']}:{found['total'] or 0}:{day.isoformat()}"


def agreement_key(actor: Actor, ca: CoAssessment) -> str:
    """What the figures depend on: the layout they are stored in, the co-assessment's count of coding changes
    (moved by every service that adds or removes a coding; ``ca`` is read before the codings are) and
    :func:`_people_key`."""
    return f"{FIGURES_FORMAT}:{ca.codings_version}:{_people_key(actor, ca)}"


def _structure_of(rows: Iterable[CodingRow]) -> tuple[list[Stretch], dict[int, set[int]]]:
    """The units compared (every stretch some coder coded, in the order of the text) and the materials each
    coder coded: what every code's figure rests on besides its own codings."""
    units: set[Stretch] = set()
    coded: dict[int, set[int]] = {}
    for _pk, _code, coder, material, start, end in rows:
        units.add((material, start, end))
        coded.setdefault(coder, set()).add(material)
    return sorted(units), coded


def _structure(actor: Actor, ca: CoAssessment) -> tuple[list[Stretch], dict[int, set[int]]]:
    """:func:`_structure_of` read in two queries, without reading every coding."""
    compared = _compared_codings(actor, ca).order_by()
    units = sorted(set(compared.values_list("segment__material_id", "segment__start", "segment__end").distinct()))
    coded: dict[int, set[int]] = {}
    for coder, material in compared.values_list("coder_id", "segment__material_id").distinct():
        coded.setdefault(coder, set()).add(material)
    return units, coded


def _fingerprint(units: list[Stretch], coded: dict[int, set[int]]) -> str:
    digest = hashlib.sha256(repr(units).encode())
    digest.update(repr(sorted((coder, sorted(materials)) for coder, materials in coded.items())).encode())
    return digest.hexdigest()


def _compute(
    rows: list[CodingRow], units: list[Stretch], coded: dict[int, set[int]], code_ids: list[int]
) -> tuple[list[dict[str, Any]], list[list[Any]]]:
    """Krippendorff's alpha and the places where coders differ for each of ``code_ids`` given at least once in
    ``rows`` (their codings), on ``units`` with the materials each coder ``coded``. A code's figure depends only
    on these, so computing some codes gives the same figures as computing all."""
    as_qda = [
        qda.Coding(
            guid=str(pk_),
            source_guid=str(material_id),
            start=start,
            end=end,
            code_guid=str(code_id),
            coder_guid=str(coder_id),
        )
        for pk_, code_id, coder_id, material_id, start, end in rows
    ]
    given = {r[1] for r in rows}
    used = [str(pk_) for pk_ in code_ids if pk_ in given]
    figures, found = qda.agreement_and_disagreements(
        as_qda,
        coders=[str(u) for u in sorted(coded)],
        code_guids=used,
        units=[qda.Unit(str(m), start, end) for m, start, end in units],
        coded_sources={str(u): {str(m) for m in materials} for u, materials in coded.items()},
    )
    rank = {unit: i for i, unit in enumerate(units, start=1)}
    differing: dict[str, int] = {}
    places = []
    for d in found:
        differing[d.code_guid] = differing.get(d.code_guid, 0) + 1
        material, code = int(d.unit.source_guid), int(d.code_guid)
        places.append(
            [
                rank[(material, d.unit.start, d.unit.end)] * SLOT + code,
                material,
                d.unit.start,
                d.unit.end,
                code,
                [int(u) for u in d.applied_by],
                [int(u) for u in d.not_applied_by],
            ]
        )
    codes = [
        {
            "code": int(f.code_guid),
            "alpha": f.alpha,
            "status": f.status,
            "units": f.units,
            "coders": f.coders,
            "applied": f.applied,
            "differing": differing.get(f.code_guid, 0),
        }
        for f in figures
    ]
    return codes, places


def agreement_snapshot(actor: Actor, ca: CoAssessment) -> AgreementSnapshot:
    """The stored figures of the co-assessment, computed again first (with the places where coders differ)
    when what they rest on changed: only the codes whose codings changed, while the units compared, who coded
    which material and whose consent holds stay the same; otherwise every code. ``ca`` and each code's count
    of coding changes are read before the codings, so figures are never kept under a newer key than their
    own."""
    key = agreement_key(actor, ca)
    snapshot = AgreementSnapshot.objects.filter(organisation_id=actor.organisation_id, coassessment=ca).first()
    if snapshot is not None and snapshot.key == key:
        return snapshot
    codes = list(
        Code.objects.filter(organisation_id=actor.organisation_id, coassessment=ca)
        .order_by("name")
        .values_list("pk", "codings_version")
    )
    versions = {str(pk_): version for pk_, version in codes}
    people = key.split(":", 2)[2]
    stored: dict[str, Any] = snapshot.figures if snapshot is not None else {}
    changed: set[int] | None = None  # the codes computed again; None: all
    if stored.get("format") == FIGURES_FORMAT and stored.get("people") == people:
        units, coded = _structure(actor, ca)
        if stored.get("structure") == _fingerprint(units, coded):
            changed = {pk_ for pk_, version in codes if stored["versions"].get(str(pk_)) != version}
    columns = ("pk", "code_id", "coder_id", "segment__material_id", "segment__start", "segment__end")
    # Plain rows, not model instances: a big co-assessment has tens of thousands of codings.
    if changed is None:
        rows = list(_compared_codings(actor, ca).order_by("segment_id", "id").values_list(*columns))
        units, coded = _structure_of(rows)
        kept: list[dict[str, Any]] = []
    else:
        rows = (
            list(
                _compared_codings(actor, ca)
                .filter(code_id__in=changed)
                .order_by("segment_id", "id")
                .values_list(*columns)
            )
            if changed
            else []
        )
        kept = [f for f in stored["codes"] if str(f["code"]) in versions and f["code"] not in changed]
    computed, found = _compute(rows, units, coded, [pk_ for pk_, _v in codes if changed is None or pk_ in changed])
    by_code = {f["code"]: f for f in kept + computed}
    figures = [by_code[pk_] for pk_, _v in codes if pk_ in by_code]
    summary = {
        "format": FIGURES_FORMAT,
        "people": people,
        "structure": _fingerprint(units, coded),
        "versions": versions,
        "coders": sorted(coded),
        "segments": len(units),
        "differing": sum(f["differing"] for f in figures),
        "codes": figures,
    }
    with transaction.atomic():
        if snapshot is None:
            try:
                with transaction.atomic():
                    snapshot = AgreementSnapshot.objects.create(
                        organisation_id=actor.organisation_id, coassessment=ca, key=key, figures=summary
                    )
            except IntegrityError:  # another visit stored them first: keep theirs, which are as new
                return AgreementSnapshot.objects.get(coassessment=ca)
        else:
            # Under the row's lock (the write lock on SQLite): when another visit stored figures since these
            # were read, theirs stand, so no code's places are replaced twice or mixed with another state's.
            current = AgreementSnapshot.objects.select_for_update().filter(pk=snapshot.pk).values_list("key", flat=True)
            if list(current) != [snapshot.key]:
                return AgreementSnapshot.objects.filter(coassessment=ca).first() or snapshot
            snapshot.key, snapshot.figures = key, summary
            snapshot.save(update_fields=["key", "figures", "computed_at"])
            stale = AgreementPlace.objects.filter(snapshot=snapshot)
            if changed is not None:
                stale = stale.filter(code_id__in=changed)
            stale.delete()
        AgreementPlace.objects.bulk_create(
            AgreementPlace(
                organisation_id=actor.organisation_id,
                snapshot=snapshot,
                position=position,
                material_id=material,
                start=start,
                end=end,
                code_id=code,
                applied_by=applied,
                not_applied_by=not_applied,
            )
            for position, material, start, end, code, applied, not_applied in found
        )
    return snapshot


def comparison(
    actor: Actor, pk: int, *, details: bool = True, code: int | None = None, after: str = "", page: int = PAGE
) -> Comparison:
    """Krippendorff's alpha per code and the places where coders differ, for team members, from the stored
    figures (computed again only when the codings changed). Units are the segments of consenting participants
    that some coder coded; a coder who coded nothing in a material gives no value on its segments. A
    conversation aid: nothing waits on it. ``details=False``: only how many places differ, not which.
    ``details``: one page of the places, on ``code`` if given, after the place ``after``; only the texts of
    the places shown are read."""
    ca = selectors.for_member(actor, pk)
    if must_code_blind(actor, ca):
        return Comparison(ca=ca, blind=True)
    snapshot = agreement_snapshot(actor, ca)
    summary = snapshot.figures
    coder_ids: list[int] = summary["coders"]
    people = {m.person_id: str(m.person) for m in ca.team.all()}  # loaded with the co-assessment
    label = {u: people.get(u) or _("A former team member") for u in coder_ids}
    codes = {c.pk: c for c in Code.objects.filter(coassessment=ca).order_by("name")}
    rows = [
        AgreementRow(
            codes[f["code"]],
            qda.CodeAgreement(
                code_guid=str(f["code"]),
                alpha=f["alpha"],
                status=f["status"],
                units=f["units"],
                coders=f["coders"],
                applied=f["applied"],
            ),
        )
        for f in summary["codes"]
        if f["code"] in codes
    ]
    rows.sort(key=lambda r: r.code.name)
    result = Comparison(
        ca=ca,
        blind=False,
        coders=[label[u] for u in coder_ids],
        rows=rows,
        disagreement_count=summary["differing"],
        segments=summary["segments"],
    )
    if details:
        # How many places differ per code is part of the figures (no count over the places), and a code's
        # places go with the code, so one page of them is one index range.
        counts = {f["code"]: f["differing"] for f in summary["codes"] if f["differing"] and f["code"] in codes}
        places = AgreementPlace.objects.filter(snapshot=snapshot)
        result.differing_codes = [c for pk_, c in codes.items() if pk_ in counts]
        if code is not None:
            places = places.filter(code_id=code)
        result.shown_count = counts.get(code, 0) if code is not None else sum(counts.values())
        if after.isdigit():
            places = places.filter(position__gt=int(after))
            result.earlier = True
        shown = list(places.order_by("position")[: page + 1])
        if len(shown) > page:
            shown = shown[:page]
            result.later = str(shown[-1].position)
        result.disagreements = _with_texts(actor, ca, shown, codes, label)
    record(actor, Action.READ, ca, detail=Detail("codes_and_segments", codes=len(rows), segments=summary["segments"]))
    return result


def _with_texts(
    actor: Actor, ca: CoAssessment, shown: list[AgreementPlace], codes: dict[int, Code], label: dict[int, str]
) -> list[DisagreementRow]:
    """The places shown with the words said there, in one query reading only those stretches of text (the
    segments of the places' materials that start and end where one of them does: two short lists, quicker to
    build than one condition a place; any other segment matched is left aside)."""
    if not shown:
        return []
    said = {
        (m, s, e): (title, text)
        for m, s, e, title, text in Segment.objects.filter(
            organisation_id=actor.organisation_id,
            material__coassessment=ca,
            material_id__in={p.material_id for p in shown},
            start__in={p.start for p in shown},
            end__in={p.end for p in shown},
        )
        .annotate(said=Substr("material__text", F("start") + 1, F("end") - F("start")))
        .order_by()
        .values_list("material_id", "start", "end", "material__title", "said")
    }
    rows = []
    link = reverse("coassessment:coding", args=[0]).removesuffix("0/")  # one reverse, not one a row
    for p in shown:
        title, text = said.get((p.material_id, p.start, p.end), ("", ""))
        applied_by = [label.get(u, "") for u in p.applied_by]
        not_applied_by = [label.get(u, "") for u in p.not_applied_by]
        rows.append(
            DisagreementRow(
                material_id=p.material_id,
                material_title=title,
                text=text,
                code=codes[p.code_id],
                applied_by=applied_by,
                not_applied_by=not_applied_by,
                place=str(p.position),
                material_url=f"{link}{p.material_id}/",
                given_by=", ".join(applied_by),
                not_given_by=", ".join(not_applied_by),
            )
        )
    return rows


def team_member(actor: Actor, ca: CoAssessment) -> TeamMember | None:
    return services.membership(actor, ca)
