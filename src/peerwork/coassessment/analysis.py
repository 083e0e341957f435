# ruff: noqa: E501  (translatable sentences read better unbroken)
"""Every write of the guided analysis: validated first, one transaction, audited, and entered in the
co-assessment's decision trail (who, when, what changed, why) with what it was before, so it can be undone.

Guardrails kept here, so every page and any later API share them:

* nothing here writes text for people: memos, definitions, condensates, syntheses and write-ups are typed by
  a team member and stored as typed (no automated coding or summarising of this special-category text);
* a quote comes only from a group of at least three participants still taking part, and only once the person
  choosing it confirms names and places are removed (``identifying_words`` flags words to look at);
* a manager cannot analyse alone: every write checks the team as the plan's guard does (``team_problem``);
* the member check hears only participants of the chosen group who have not withdrawn;
* findings go back to the service (an action, a contribution, "you said, we did") while analysing and after the
  co-assessment is finished; the analysis itself is closed then.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.cocreation import services as cocreation_services
from peerwork.core.actor import Actor
from peerwork.core.roles import MANAGING_ROLES, PEER_ROLES
from peerwork.readiness import services as readiness_services
from peerwork.readiness.models import ActionItem
from peerwork.readiness.roles import WRITE_ROLES as ACTION_PLAN_WRITERS

from . import services
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

# Peerwork's default: a quote only from a group of at least three participants still taking part, so that a
# reader cannot narrow a quote down to one of two people.
QUOTE_MIN_GROUP = 3

THEMATIC = CoAssessment.Method.THEMATIC
CONDENSATION = CoAssessment.Method.CONDENSATION

# What each kind of change touches, so undoing one kind leaves the later changes of other kinds in place.
_TOUCHES: dict[str, tuple[str, ...]] = {
    "grouping": ("codes", "segments"),
    "review": ("review",),
    "definition": ("name", "definition"),
    "condensate": ("condensate",),
    "synthesis": ("synthesis",),
    "quote": ("quote_id", "quote_checked_by_id"),
    "member_check": ("member_check_group_id", "member_check_sent_at"),
}


# --- guards -----------------------------------------------------------------------------------------------


def _guard(actor: Actor, ca: CoAssessment) -> None:
    """A team member, while the co-assessment is analysed or checked with its members, with a team that is
    not a manager alone."""
    if ca.organisation_id != actor.organisation_id or not services.is_member(actor, ca):
        raise PermissionDenied
    if ca.status not in (CoAssessment.Status.ANALYSING, CoAssessment.Status.MEMBER_CHECK):
        raise ValidationError({"__all__": _("The analysis is done while the co-assessment is analysed or checked.")})
    if problem := services.team_problem(ca):
        raise ValidationError({"__all__": problem})


def _feedback_guard(actor: Actor, ca: CoAssessment) -> None:
    """Taking a finding back to the service: as ``_guard``, and also once the co-assessment is finished (findings
    usually go back after the end; the analysis itself stays closed then)."""
    if ca.status == CoAssessment.Status.FINISHED:
        if ca.organisation_id != actor.organisation_id or not services.is_member(actor, ca):
            raise PermissionDenied
        if problem := services.team_problem(ca):
            raise ValidationError({"__all__": problem})
        return
    _guard(actor, ca)


def _text(value: str | None) -> str:
    return (value or "").strip()


def _own_theme(ca: CoAssessment, theme: Theme) -> None:
    if theme.coassessment_id != ca.pk:
        raise PermissionDenied


# --- the decision trail -----------------------------------------------------------------------------------


def _snapshot(theme: Theme, kind: str) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name in _TOUCHES[kind]:
        if name in ("codes", "segments"):
            fields[name] = sorted(getattr(theme, name).values_list("pk", flat=True))
        elif name == "member_check_sent_at":
            sent = theme.member_check_sent_at
            fields[name] = sent.isoformat() if sent else None
        else:
            fields[name] = getattr(theme, name)
    return fields


def _decide(
    actor: Actor,
    ca: CoAssessment,
    *,
    kind: str,
    what: str,
    why: str = "",
    before: dict[str, Any] | None = None,
) -> Decision:
    return services.create_recorded(
        actor,
        Decision,
        detail=Detail("decision_kind", kind=kind),
        coassessment=ca,
        kind=kind,
        who=actor.user,
        what=what[:300],
        why=_text(why),
        before=before,
    )


# --- thematic analysis, phase 1: familiarisation memos ----------------------------------------------------


def write_memo(actor: Actor, material: Material, *, text: str, why: str = "") -> Memo:
    ca = material.coassessment
    _guard(actor, ca)
    if material.coassessment_id != ca.pk:
        raise PermissionDenied
    if not _text(text):
        raise ValidationError({"text": _("Write what strikes you in this material, in your own words.")})
    with transaction.atomic():
        memo = Memo.objects.filter(material=material, author=actor.user).first()
        before = {"model": "memo", "pk": memo.pk, "fields": {"text": memo.text}} if memo else None
        if memo is None:
            memo = Memo.objects.create(
                organisation_id=actor.organisation_id, material=material, author=actor.user, text=_text(text)
            )
            before = {"model": "memo", "pk": memo.pk, "fields": None}
        else:
            memo.text = _text(text)
            memo.save(update_fields=["text", "written_at"])
        record(actor, Action.UPDATE, memo)
        _decide(
            actor,
            ca,
            kind=Decision.Kind.MEMO,
            what=_("Memo on “%(title)s”") % {"title": material.title},
            why=why,
            before=before,
        )
    return memo


# --- themes, preliminary themes and code groups -----------------------------------------------------------


def add_theme(
    actor: Actor,
    ca: CoAssessment,
    *,
    kind: str,
    name: str,
    codes: list[Code] | None = None,
    why: str = "",
) -> Theme:
    """A candidate theme (thematic analysis), or a preliminary theme or code group (text condensation)."""
    _guard(actor, ca)
    allowed = [Theme.Kind.THEME] if ca.method == THEMATIC else [Theme.Kind.PRELIMINARY, Theme.Kind.CODE_GROUP]
    errors: dict[str, str] = {}
    if kind not in allowed:
        errors["kind"] = _("This kind of theme does not belong to this co-assessment's method.")
    if not _text(name):
        errors["name"] = _("Name the theme in a few words.")
    elif Theme.objects.filter(coassessment=ca, kind=kind, name__iexact=_text(name)).exists():
        errors["name"] = _("There is already one with this name. Choose another name.")
    codes = list(codes or [])
    if any(c.coassessment_id != ca.pk for c in codes):
        errors["codes"] = _("Choose codes from this co-assessment's codebook.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        theme = Theme.objects.create(
            organisation_id=actor.organisation_id, coassessment=ca, kind=kind, name=_text(name)
        )
        if codes:
            theme.codes.set(codes)
        record(actor, Action.CREATE, theme, detail=Detail("theme_kind", kind=kind))
        _decide(
            actor,
            ca,
            kind=Decision.Kind.THEME,
            what=_("Added “%(name)s”") % {"name": theme.name},
            why=why,
            before={"model": "theme", "pk": theme.pk, "fields": None},
        )
    return theme


def _change(actor: Actor, theme: Theme, kind: str, what: str, why: str, apply: Any) -> Theme:
    ca = theme.coassessment
    with transaction.atomic():
        before = {"model": "theme", "pk": theme.pk, "fields": _snapshot(theme, kind)}
        apply()
        theme.save()
        record(actor, Action.UPDATE, theme, detail=Detail("theme_kind", kind=kind))
        _decide(actor, ca, kind=kind, what=what, why=why, before=before)
    return theme


def group_codes(actor: Actor, theme: Theme, *, codes: list[Code], why: str = "") -> Theme:
    """Thematic analysis, phase 3: the codes a candidate theme brings together."""
    ca = theme.coassessment
    _guard(actor, ca)
    if theme.kind != Theme.Kind.THEME:
        raise ValidationError({"codes": _("Codes are grouped into the themes of a thematic analysis.")})
    if any(c.coassessment_id != ca.pk for c in codes):
        raise ValidationError({"codes": _("Choose codes from this co-assessment's codebook.")})
    return _change(
        actor,
        theme,
        Decision.Kind.GROUPING,
        _("“%(name)s” groups %(n)s codes") % {"name": theme.name, "n": len(codes)},
        why,
        lambda: theme.codes.set(codes),
    )


def sort_segments(actor: Actor, theme: Theme, *, segments: list[Segment], why: str = "") -> Theme:
    """Text condensation, step 2: meaning units (segments) sorted into a code group."""
    ca = theme.coassessment
    _guard(actor, ca)
    if theme.kind != Theme.Kind.CODE_GROUP:
        raise ValidationError({"segments": _("Meaning units are sorted into code groups.")})
    if any(s.material.coassessment_id != ca.pk for s in segments):
        raise ValidationError({"segments": _("Choose meaning units from this co-assessment's material.")})
    return _change(
        actor,
        theme,
        Decision.Kind.GROUPING,
        _("“%(name)s” holds %(n)s meaning units") % {"name": theme.name, "n": len(segments)},
        why,
        lambda: theme.segments.set(segments),
    )


def review_theme(actor: Actor, theme: Theme, *, review: str, why: str = "") -> Theme:
    """Thematic analysis, phase 4: keep a candidate theme or set it aside (setting aside needs a reason)."""
    ca = theme.coassessment
    _guard(actor, ca)
    if review not in Theme.Review.values:
        raise ValidationError({"review": _("Choose to keep the theme or to set it aside.")})
    if review == Theme.Review.SET_ASIDE and not _text(why):
        raise ValidationError({"why": _("Say why the theme is set aside, so the team can follow the decision.")})

    def apply() -> None:
        theme.review = review

    return _change(
        actor,
        theme,
        Decision.Kind.REVIEW,
        _("“%(name)s”: %(review)s") % {"name": theme.name, "review": Theme.Review(review).label},
        why,
        apply,
    )


def define_theme(actor: Actor, theme: Theme, *, name: str, definition: str, why: str = "") -> Theme:
    """Thematic analysis, phase 5: the theme's name and a definition of what it holds."""
    ca = theme.coassessment
    _guard(actor, ca)
    errors = {}
    if not _text(name):
        errors["name"] = _("Name the theme in a few words.")
    if not _text(definition):
        errors["definition"] = _("Write what the theme holds and what it leaves out, in a sentence or two.")
    if errors:
        raise ValidationError(errors)

    def apply() -> None:
        theme.name, theme.definition = _text(name), _text(definition)

    return _change(actor, theme, Decision.Kind.DEFINITION, _("Defined “%(name)s”") % {"name": _text(name)}, why, apply)


def write_condensate(actor: Actor, theme: Theme, *, text: str, why: str = "") -> Theme:
    """Text condensation, step 3: a condensate of a code group, written in the first person."""
    ca = theme.coassessment
    _guard(actor, ca)
    if theme.kind != Theme.Kind.CODE_GROUP:
        raise ValidationError({"text": _("A condensate is written for a code group.")})
    if not _text(text):
        raise ValidationError(
            {"text": _("Write the condensate in the first person, as if the participants spoke (“I …”).")}
        )

    def apply() -> None:
        theme.condensate = _text(text)

    return _change(
        actor, theme, Decision.Kind.CONDENSATE, _("Condensate of “%(name)s”") % {"name": theme.name}, why, apply
    )


def write_synthesis(actor: Actor, theme: Theme, *, text: str, why: str = "") -> Theme:
    """Text condensation, step 4 (a synthesis in the third person), or thematic analysis, phase 6 (the write-up)."""
    ca = theme.coassessment
    _guard(actor, ca)
    if theme.kind == Theme.Kind.PRELIMINARY:
        raise ValidationError({"text": _("A synthesis is written for a code group or a theme.")})
    if not _text(text):
        raise ValidationError({"text": _("Write the synthesis in the third person (“The peer workers …”).")})

    def apply() -> None:
        theme.synthesis = _text(text)

    return _change(
        actor, theme, Decision.Kind.SYNTHESIS, _("Synthesis of “%(name)s”") % {"name": theme.name}, why, apply
    )


# --- quotes -----------------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?:…]\s*$")
_WORD = re.compile(r"\w[\w'’-]*")


def identifying_words(text: str) -> list[str]:
    """Words to look at before quoting: capitalised words inside a sentence (a name or a place, perhaps) and
    anything with a digit (an age, a date, an address). A simple check: it flags for a person to review, it
    does not decide."""
    found: list[str] = []
    for m in _WORD.finditer(text):
        word = m.group()
        before = text[: m.start()]
        starts_sentence = not before.strip() or bool(_SENTENCE_END.search(before))
        if any(ch.isdigit() for ch in word) or (word[0].isupper() and not starts_sentence and word != "I"):
            if word not in found:
                found.append(word)
    return found


def quote_problem(segment: Segment) -> str | None:
    """Why this segment cannot be quoted, or None."""
    participant = segment.participant
    if participant.withdrawn_at is not None:
        return _("This participant has withdrawn; their words cannot be quoted.")
    size = Participant.objects.filter(group_id=participant.group_id, withdrawn_at__isnull=True).count()
    if size < QUOTE_MIN_GROUP:
        return _(
            "Quotes come only from groups of at least %(min)s participants; this one has %(n)s. Choose another "
            "meaning unit."
        ) % {"min": QUOTE_MIN_GROUP, "n": size}
    return None


def set_quote(actor: Actor, theme: Theme, *, segment: Segment, deidentified: bool, why: str = "") -> Theme:
    """Choose the illustrative quote for a code group or theme, after the de-identification check."""
    ca = theme.coassessment
    _guard(actor, ca)
    if segment.material.coassessment_id != ca.pk:
        raise PermissionDenied
    if theme.kind == Theme.Kind.PRELIMINARY:
        raise ValidationError({"segment": _("Quotes illustrate a code group or a theme.")})
    if problem := quote_problem(segment):
        raise ValidationError({"segment": problem})
    if not deidentified:
        raise ValidationError(
            {
                "deidentified": _(
                    "Read the quote again and confirm that names, places and other details that could identify "
                    "someone are removed."
                )
            }
        )

    def apply() -> None:
        theme.quote = segment
        theme.quote_checked_by = actor.user

    return _change(actor, theme, Decision.Kind.QUOTE, _("Quote for “%(name)s”") % {"name": theme.name}, why, apply)


def quote_text(segment: Segment) -> str:
    return segment.material.text[segment.start : segment.end]


# --- steps ------------------------------------------------------------------------------------------------


def move_to_step(actor: Actor, ca: CoAssessment, *, step: int, why: str = "") -> CoAssessment:
    """Move the team's place in the method's steps (forward or back), in the decision trail."""
    _guard(actor, ca)
    with transaction.atomic():
        before = {"model": "coassessment", "pk": ca.pk, "fields": {"step": ca.step}}
        services.set_step(actor, ca, step=step)
        _decide(
            actor,
            ca,
            kind=Decision.Kind.STEP,
            what=_("Moved to step %(n)s: %(name)s") % {"n": step, "name": step_name(ca, step)},
            why=why,
            before=before,
        )
    return ca


THEMATIC_STEPS = (
    gettext_lazy("Familiarisation"),
    gettext_lazy("Codes"),
    gettext_lazy("Candidate themes"),
    gettext_lazy("Review the themes"),
    gettext_lazy("Define and name"),
    gettext_lazy("Write-up with quotes"),
)
CONDENSATION_STEPS = (
    gettext_lazy("Preliminary themes"),
    gettext_lazy("Meaning units into code groups"),
    gettext_lazy("Condensates in the first person"),
    gettext_lazy("Synthesis with a quote"),
)


def step_names(ca: CoAssessment) -> list[str]:
    return [str(n) for n in (THEMATIC_STEPS if ca.method == THEMATIC else CONDENSATION_STEPS)]


def step_name(ca: CoAssessment, step: int) -> str:
    names = step_names(ca)
    return names[step - 1] if 1 <= step <= len(names) else ""


# --- undo -------------------------------------------------------------------------------------------------


def undo_last(actor: Actor, ca: CoAssessment, *, kind: str) -> Decision:
    """Undo the latest change of ``kind`` not yet undone: put back what it changed, in the trail too."""
    _guard(actor, ca)
    last = (
        Decision.objects.filter(coassessment=ca, kind=kind, undone_at__isnull=True, before__isnull=False)
        .order_by("-id")
        .first()
    )
    if last is None or not isinstance(last.before, dict):
        raise ValidationError({"__all__": _("There is no change of this kind left to undo.")})
    before: dict[str, Any] = last.before
    model, pk, fields = before["model"], before["pk"], before["fields"]
    with transaction.atomic():
        if model == "theme":
            theme = Theme.objects.filter(coassessment=ca, pk=pk).first()
            if theme is not None:
                if fields is None:
                    theme.delete()
                else:
                    _restore_theme(theme, fields)
        elif model == "memo":
            memo = Memo.objects.filter(material__coassessment=ca, pk=pk).first()
            if memo is not None:
                if fields is None:
                    memo.delete()
                else:
                    memo.text = fields["text"]
                    memo.save(update_fields=["text"])
        elif model == "coassessment":
            ca.step = fields["step"]
            ca.save(update_fields=["step"])
        last.undone_at = timezone.now()
        last.save(update_fields=["undone_at"])
        record(actor, Action.UPDATE, last, detail=Detail("undone"))
        return _decide(
            actor,
            ca,
            kind=Decision.Kind.UNDO,
            what=_("Undone: %(what)s") % {"what": last.what},
        )


def _restore_theme(theme: Theme, fields: dict[str, Any]) -> None:
    """Put back what one change touched. Codes, segments, quotes and groups removed since (a participant's
    withdrawal) stay removed."""
    ca_id = theme.coassessment_id
    for name in ("name", "definition", "review", "condensate", "synthesis"):
        if name in fields:
            setattr(theme, name, fields[name])
    if "quote_id" in fields:
        quote_id = fields["quote_id"]
        theme.quote_id = quote_id if quote_id and Segment.objects.filter(pk=quote_id).exists() else None
        theme.quote_checked_by_id = fields["quote_checked_by_id"] if theme.quote_id else None
    if "member_check_group_id" in fields:
        group_id = fields["member_check_group_id"]
        theme.member_check_group_id = group_id if group_id and Group.objects.filter(pk=group_id).exists() else None
        sent = fields["member_check_sent_at"]
        theme.member_check_sent_at = parse_datetime(sent) if sent else None
    theme.save()
    if "codes" in fields:
        theme.codes.set(Code.objects.filter(coassessment_id=ca_id, pk__in=fields["codes"]))
        theme.segments.set(Segment.objects.filter(material__coassessment_id=ca_id, pk__in=fields["segments"]))


# --- member check -----------------------------------------------------------------------------------------


def send_for_member_check(actor: Actor, theme: Theme, *, group: Group | None, why: str = "") -> Theme:
    """Send a draft theme or condensate back to a group of participants for their comments."""
    ca = theme.coassessment
    _guard(actor, ca)
    if group is None or group.coassessment_id != ca.pk:
        raise ValidationError({"group": _("Choose the group whose participants comment on the draft.")})
    if not (theme.condensate or theme.definition or theme.synthesis):
        raise ValidationError({"__all__": _("Write the draft first: a definition, a condensate or a synthesis.")})

    def apply() -> None:
        theme.member_check_group = group
        theme.member_check_sent_at = timezone.now()

    return _change(
        actor,
        theme,
        Decision.Kind.MEMBER_CHECK,
        _("“%(name)s” sent to “%(group)s” for comment") % {"name": theme.name, "group": group.name},
        why,
        apply,
    )


def record_member_comment(actor: Actor, theme: Theme, *, participant: Participant | None, text: str) -> MemberComment:
    """Record a participant's comment on a draft, under their pseudonym. A withdrawn participant is not heard."""
    ca = theme.coassessment
    _guard(actor, ca)
    errors = {}
    if theme.member_check_group_id is None:
        errors["__all__"] = _("Send the draft to a group for comment first.")
    elif (
        participant is None
        or participant.group_id != theme.member_check_group_id
        or participant.withdrawn_at is not None
    ):
        errors["participant"] = _("Choose a participant of the group the draft was sent to who still takes part.")
    if not _text(text):
        errors["text"] = _("Write down the participant's comment.")
    if errors:
        raise ValidationError(errors)
    assert participant is not None
    with transaction.atomic():
        comment = services.create_recorded(
            actor, MemberComment, theme=theme, participant=participant, text=_text(text), recorded_by=actor.user
        )
        _decide(
            actor,
            ca,
            kind=Decision.Kind.MEMBER_CHECK,
            what=_("Comment from %(who)s on “%(name)s”") % {"who": participant.pseudonym, "name": theme.name},
        )
    return comment


# --- findings back into the service -----------------------------------------------------------------------


def findings(ca: CoAssessment) -> list[Theme]:
    """The findings: kept themes with a definition (thematic analysis), code groups with a synthesis (text
    condensation)."""
    if ca.method == THEMATIC:
        return list(Theme.objects.filter(coassessment=ca, kind=Theme.Kind.THEME, review=Theme.Review.KEPT))
    return list(Theme.objects.filter(coassessment=ca, kind=Theme.Kind.CODE_GROUP).exclude(synthesis=""))


def _finding(ca: CoAssessment, theme: Theme) -> None:
    if theme.pk not in {t.pk for t in findings(ca)}:
        raise ValidationError(
            {
                "__all__": _(
                    "Only a finding can be taken back to the service: a kept theme or a code group with a synthesis."
                )
            }
        )


def may_add_to_action_plan(actor: Actor) -> bool:
    """Who keeps the readiness action plan (``readiness:action_new`` in the permission matrix): managers and
    coordinators. A peer co-researcher asks one of them, or adds the finding to the initiative instead."""
    return actor.has(*ACTION_PLAN_WRITERS)


def may_add_to_initiative(actor: Actor) -> bool:
    """Who may add a contribution to an initiative (``cocreation:contribution_add``): managers, coordinators,
    peer workers and senior peer workers."""
    return actor.has(*MANAGING_ROLES, *PEER_ROLES)


def finding_to_action(actor: Actor, theme: Theme, *, owner_id: Any, due_on: date | None) -> Feedback:
    """The finding becomes an action in the readiness action plan (through the readiness part's service)."""
    if not may_add_to_action_plan(actor):
        raise PermissionDenied
    ca = theme.coassessment
    _feedback_guard(actor, ca)
    _finding(ca, theme)
    with transaction.atomic():
        action = readiness_services.create_action(
            actor, title=theme.name, owner_id=owner_id, due_on=due_on, source=ActionItem.Source.OTHER
        )
        return _feedback(actor, ca, theme, Feedback.Kind.ACTION, action=action)


def finding_to_contribution(actor: Actor, theme: Theme) -> Feedback:
    """The finding becomes a contribution in the linked initiative's co-assessment phase (through the
    co-creation part's service)."""
    if not may_add_to_initiative(actor):
        raise PermissionDenied
    ca = theme.coassessment
    _feedback_guard(actor, ca)
    _finding(ca, theme)
    if ca.phase is None:
        raise ValidationError({"__all__": _("Link the co-assessment to an initiative's co-assessment phase first.")})
    phase = ca.phase
    contributor_name = "" if actor.has(*PEER_ROLES) else _("Co-assessment “%(title)s”") % {"title": ca.title}
    with transaction.atomic():
        contribution = cocreation_services.add_contribution(
            actor,
            phase.initiative,
            phase=phase,
            summary=theme.name,
            details=theme.synthesis or theme.definition,
            contributor_name=contributor_name[:200],
        )
        return _feedback(actor, ca, theme, Feedback.Kind.CONTRIBUTION, contribution=contribution)


def you_said_we_did(actor: Actor, theme: Theme, *, you_said: str, we_did: str) -> Feedback:
    """A "you said, we did" item, shown to the staff who took part."""
    ca = theme.coassessment
    _feedback_guard(actor, ca)
    _finding(ca, theme)
    errors = {}
    if not _text(you_said):
        errors["you_said"] = _("Say in plain words what the participants said.")
    if not _text(we_did):
        errors["we_did"] = _("Say what the service did, or will do, about it.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return _feedback(actor, ca, theme, Feedback.Kind.YOU_SAID, you_said=_text(you_said), we_did=_text(we_did))


def _feedback(actor: Actor, ca: CoAssessment, theme: Theme, kind: str, **values: Any) -> Feedback:
    item = services.create_recorded(
        actor,
        Feedback,
        detail=Detail("feedback_kind", kind=kind),
        theme=theme,
        kind=kind,
        created_by=actor.user,
        **values,
    )
    _decide(
        actor,
        ca,
        kind=Decision.Kind.FEEDBACK,
        what=_("“%(name)s”: %(kind)s") % {"name": theme.name, "kind": Feedback.Kind(kind).label},
    )
    return item
