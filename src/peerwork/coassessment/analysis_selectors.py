"""Every read of the guided analysis, scoped to the acting person and audited where it shows what people said.

The analysis (memos, themes, code groups, quotes, member-check comments, the decision trail) is read by the
co-assessment's team members only. "You said, we did" items are read by the staff who took part (through their
consent as participants) and have not withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core.actor import Actor

from . import analysis, selectors
from .models import (
    CoAssessment,
    Code,
    Decision,
    Feedback,
    Group,
    Material,
    MemberComment,
    Memo,
    Participant,
    Segment,
    Theme,
)


@dataclass
class Unit:
    """A meaning unit (segment) with its words, for sorting and quoting."""

    segment: Segment
    text: str
    flags: list[str] = field(default_factory=list)
    quotable: str | None = None  # why not, or None


@dataclass
class MaterialMemos:
    material: Material
    memos: list[Memo]
    mine: Memo | None


@dataclass
class State:
    ca: CoAssessment
    themes: list[Theme]
    codes: list[Code]
    units: list[Unit]
    groups: list[Group]
    memos: list[MaterialMemos]
    last_undoable: dict[str, Decision]

    @property
    def units_by_pk(self) -> dict[int, Unit]:
        return {u.segment.pk: u for u in self.units}


def coassessment(actor: Actor, pk: int) -> CoAssessment:
    """The co-assessment for its team members only (404 outside scope, 403 outside the team)."""
    return selectors.for_member(actor, pk)


def _themes(ca: CoAssessment) -> QuerySet[Theme]:
    return (
        Theme.objects.filter(organisation_id=ca.organisation_id, coassessment=ca)
        .select_related("quote__participant", "quote__material", "quote_checked_by", "member_check_group")
        .prefetch_related(
            "codes",
            "segments",
            Prefetch(
                "comments",
                queryset=MemberComment.objects.filter(participant__withdrawn_at__isnull=True).select_related(
                    "participant"
                ),
            ),
            Prefetch("feedback", queryset=Feedback.objects.select_related("action", "contribution")),
        )
    )


def state(actor: Actor, ca: CoAssessment, *, with_units: bool = True, with_memos: bool = False) -> State:
    """Everything a step page shows, in a fixed number of queries; audited as a reading of the material."""
    org = actor.organisation_id
    themes = list(_themes(ca))
    units: list[Unit] = []
    if with_units:
        segments = (
            Segment.objects.filter(organisation_id=org, material__coassessment=ca)
            .select_related("participant")
            .order_by("material_id", "start", "id")
        )
        # Each material's text read once, not once per segment.
        texts = dict(Material.objects.filter(organisation_id=org, coassessment=ca).values_list("id", "text"))
        sizes: dict[int, int] = {}
        for p in Participant.objects.filter(organisation_id=org, coassessment=ca, withdrawn_at__isnull=True):
            sizes[p.group_id] = sizes.get(p.group_id, 0) + 1
        for s in segments:
            text = texts.get(s.material_id, "")[s.start : s.end]
            size = sizes.get(s.participant.group_id, 0)
            why = None
            if s.participant.withdrawn_at is not None:
                why = "withdrawn"
            elif size < analysis.QUOTE_MIN_GROUP:
                why = "small group"
            units.append(Unit(s, text, analysis.identifying_words(text), why))
    memos: list[MaterialMemos] = []
    if with_memos:
        materials = (
            Material.objects.filter(organisation_id=org, coassessment=ca)
            .defer("text")
            .prefetch_related(Prefetch("memos", queryset=Memo.objects.select_related("author")))
        )
        for m in materials:
            all_memos = list(m.memos.all())
            memos.append(
                MaterialMemos(m, all_memos, next((x for x in all_memos if x.author_id == actor.user.pk), None))
            )
    last: dict[str, Decision] = {}
    for d in Decision.objects.filter(
        organisation_id=org, coassessment=ca, undone_at__isnull=True, before__isnull=False
    ).order_by("-id")[:200]:
        last.setdefault(str(d.kind), d)
    record(actor, Action.READ, ca, detail=Detail("segments", count=len(units)))
    return State(
        ca=ca,
        themes=themes,
        codes=list(Code.objects.filter(organisation_id=org, coassessment=ca).order_by("name")),
        units=units,
        groups=list(Group.objects.filter(organisation_id=org, coassessment=ca)),
        memos=memos,
        last_undoable=last,
    )


def theme(actor: Actor, ca: CoAssessment, pk: int) -> Theme:
    found = Theme.objects.filter(organisation_id=actor.organisation_id, coassessment=ca, pk=pk).first()
    if found is None:
        raise Http404
    found.coassessment = ca
    return found


def theme_for_member(actor: Actor, pk: int) -> Theme:
    """A theme with its co-assessment, for the co-assessment's team members only (404 outside the actor's
    scope, 403 outside the team)."""
    found = Theme.objects.filter(organisation_id=actor.organisation_id, pk=pk).first()
    if found is None:
        raise Http404
    found.coassessment = coassessment(actor, found.coassessment_id)
    return found


def material_for_member(actor: Actor, pk: int) -> Material:
    """A material with its co-assessment, for the co-assessment's team members only (404 outside the actor's
    scope, 403 outside the team)."""
    found = Material.objects.filter(organisation_id=actor.organisation_id, pk=pk).defer("text").first()
    if found is None:
        raise Http404
    found.coassessment = coassessment(actor, found.coassessment_id)
    return found


def material(actor: Actor, ca: CoAssessment, pk: int) -> Material:
    found = Material.objects.filter(organisation_id=actor.organisation_id, coassessment=ca, pk=pk).first()
    if found is None:
        raise Http404
    found.coassessment = ca
    return found


def segments(actor: Actor, ca: CoAssessment, pks: list[int]) -> list[Segment]:
    found = list(
        Segment.objects.filter(
            organisation_id=actor.organisation_id, material__coassessment=ca, pk__in=pks
        ).select_related("material", "participant")
    )
    if len(found) != len(set(pks)):
        raise Http404
    return found


def codes(actor: Actor, ca: CoAssessment, pks: list[int]) -> list[Code]:
    found = list(Code.objects.filter(organisation_id=actor.organisation_id, coassessment=ca, pk__in=pks))
    if len(found) != len(set(pks)):
        raise Http404
    return found


def groups(actor: Actor, ca: CoAssessment) -> list[Group]:
    """The co-assessment's groups, the choices the member-check form offers (as :func:`state` lists them)."""
    return list(Group.objects.filter(organisation_id=actor.organisation_id, coassessment=ca))


def group(actor: Actor, ca: CoAssessment, pk: int | None) -> Group | None:
    if pk is None:
        return None
    return Group.objects.filter(organisation_id=actor.organisation_id, coassessment=ca, pk=pk).first()


def member_check_participants(actor: Actor, ca: CoAssessment) -> list[Participant]:
    """Participants who may still comment (not withdrawn), pseudonyms only."""
    return list(
        Participant.objects.filter(organisation_id=actor.organisation_id, coassessment=ca, withdrawn_at__isnull=True)
        .select_related("group")
        .order_by("pseudonym")
    )


def participant(actor: Actor, ca: CoAssessment, pk: int | None) -> Participant | None:
    if pk is None:
        return None
    return Participant.objects.filter(organisation_id=actor.organisation_id, coassessment=ca, pk=pk).first()


def codebook(actor: Actor, ca: CoAssessment) -> list[Code]:
    """The co-assessment's codes by name, the choices the theme forms offer."""
    return list(Code.objects.filter(organisation_id=actor.organisation_id, coassessment=ca).order_by("name"))


def unit_choices(actor: Actor, ca: CoAssessment) -> list[Segment]:
    """The meaning units the sorting and quote forms offer (without their words: nothing read is shown)."""
    return list(
        Segment.objects.filter(organisation_id=actor.organisation_id, material__coassessment=ca)
        .select_related("participant")
        .order_by("material_id", "start", "id")
    )


def finding_ids(actor: Actor, ca: CoAssessment) -> set[int]:
    """The themes that are findings (``analysis.findings``)."""
    if ca.organisation_id != actor.organisation_id:
        raise Http404
    return {t.pk for t in analysis.findings(ca)}


def trail(actor: Actor, ca: CoAssessment, *, limit: int = 200) -> list[Decision]:
    """The decision trail, newest first."""
    return list(
        Decision.objects.filter(organisation_id=actor.organisation_id, coassessment=ca)
        .select_related("who")
        .order_by("-id")[:limit]
    )


def you_said(actor: Actor) -> list[Feedback]:
    """ "You said, we did" items of the co-assessments the actor took part in as a participant (not withdrawn)."""
    took_part = Participant.objects.filter(
        organisation_id=actor.organisation_id, consent__staff_member=actor.user, withdrawn_at__isnull=True
    ).values("coassessment_id")
    return list(
        Feedback.objects.filter(
            organisation_id=actor.organisation_id,
            kind=Feedback.Kind.YOU_SAID,
            theme__coassessment_id__in=took_part,
        )
        .select_related("theme__coassessment")
        .order_by("-created_at", "-id")
    )
