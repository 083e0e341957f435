"""Every write of a co-assessment: validated first, one transaction, audited.

The guardrails live here, so pages and any later API share them:

* a manager cannot run or analyse a co-assessment alone: before review and before analysis the team must
  hold a peer worker as co-researcher and someone who is not a manager;
* groups keep four to eight participants (Peerwork's default), one kind of respondent each: a service user in a
  group of service users, staff in the group of their role (managers, peer workers, professionals);
* no material before the data protection officer has approved the ethics checkpoint;
* reflexivity notes are written before analysis starts and locked from then on;
* a participant's withdrawal removes their segments, the codings on them and their words in the material,
  everywhere, in one transaction.

A refused write raises ``ValidationError({field: message})`` whose message says how to put it right, and
nothing is saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerwork.accounts.models import Membership, User
from peerwork.audit.details import Detail, parse
from peerwork.audit.models import AuditEntry
from peerwork.audit.trail import Action, record
from peerwork.core import events, validation
from peerwork.core.actor import Actor
from peerwork.core.roles import MANAGING_ROLES, PEER_ROLES, Role
from peerwork.privacy.models import Consent
from peerwork.service.models import ServiceUser

from . import guides
from .models import (
    GROUP_MAX,
    GROUP_MIN,
    AgreementSnapshot,
    CoAssessment,
    Code,
    Coding,
    Decision,
    ExportReminder,
    Group,
    Guide,
    GuideQuestion,
    Material,
    MemberComment,
    Participant,
    ReflexivityNote,
    Segment,
    TeamMember,
)

# Who may plan a co-assessment: anyone who takes part in the service's work, not the DPO or administrator.
PLANNERS = (*MANAGING_ROLES, *PEER_ROLES, Role.PROFESSIONAL)
REMOVED = "[…]"
M = TypeVar("M", bound=models.Model)


# --- who may do what --------------------------------------------------------------------------------------


def membership(actor: Actor, coassessment: CoAssessment) -> TeamMember | None:
    for m in coassessment.team.all():
        if m.person_id == actor.user.pk:
            return m
    return None


def is_member(actor: Actor, coassessment: CoAssessment) -> bool:
    return membership(actor, coassessment) is not None


def can_manage(actor: Actor, coassessment: CoAssessment) -> bool:
    """The team's lead and moderators, and the organisation's managers and coordinators, change the plan."""
    m = membership(actor, coassessment)
    if m is not None and m.role in (TeamMember.Role.LEAD, TeamMember.Role.MODERATOR):
        return True
    return actor.has(*MANAGING_ROLES)


def _require_manage(actor: Actor, coassessment: CoAssessment) -> None:
    if coassessment.organisation_id != actor.organisation_id or not can_manage(actor, coassessment):
        raise PermissionDenied


def _require_member(actor: Actor, coassessment: CoAssessment) -> None:
    if coassessment.organisation_id != actor.organisation_id or not is_member(actor, coassessment):
        raise PermissionDenied


def create_recorded(
    actor: Actor, model: type[M], *, detail: Detail | None = None, subject: models.Model | None = None, **values: Any
) -> M:
    """Inside the caller's transaction: create a row of the actor's organisation and enter it in the audit trail."""
    obj = model._default_manager.create(organisation_id=actor.organisation_id, **values)
    record(actor, Action.CREATE, obj, subject=subject, detail=detail)
    return obj


def _require_team(coassessment: CoAssessment) -> None:
    """A manager cannot enter material, mark or code alone: the same check as before review and analysis."""
    if problem := team_problem(coassessment):
        raise ValidationError({"__all__": problem})


def _require_open(coassessment: CoAssessment) -> None:
    if coassessment.status == CoAssessment.Status.FINISHED:
        raise ValidationError({"__all__": _("This co-assessment is finished; nothing in it can be changed.")})


# --- the plan ---------------------------------------------------------------------------------------------


def _clean_plan(actor: Actor, values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    title = (values.get("title") or "").strip()
    question = (values.get("question") or "").strip()
    method = values.get("method") or ""
    retention = values.get("retention_until")
    phase = values.get("phase")
    gap = values.get("gap")
    pulse_survey = values.get("pulse_survey")
    if not title:
        errors["title"] = _("Give the co-assessment a short title.")
    if not question:
        errors["question"] = _("Write the question the co-assessment answers, in plain words.")
    if method not in CoAssessment.Method.values:
        errors["method"] = _("Choose thematic analysis or systematic text condensation.")
    if not isinstance(retention, date):
        errors["retention_until"] = _("Enter the day the material is to be deleted, for example 2027-12-31.")
    elif retention <= timezone.localdate():
        errors["retention_until"] = _("The deletion date must be in the future. Enter a later date.")
    elif message := validation.date_error(retention):
        errors["retention_until"] = message
    if phase is not None and (phase.organisation_id != actor.organisation_id or phase.kind != "assessment"):
        errors["phase"] = _("Choose the co-assessment phase of one of your organisation's initiatives.")
    if gap is not None and (gap.organisation_id != actor.organisation_id or gap.source != "gap"):
        errors["gap"] = _("Choose a readiness gap of your own organisation.")
    if pulse_survey is not None and pulse_survey.organisation_id != actor.organisation_id:
        errors["pulse_survey"] = _("Choose a pulse survey of your own organisation.")
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "question": question,
        "method": method,
        "retention_until": retention,
        "phase": phase,
        "gap": gap,
        "pulse_survey": pulse_survey,
    }


def create_coassessment(actor: Actor, **values: Any) -> CoAssessment:
    """Start a co-assessment; the person who starts it joins the team as its lead."""
    actor.require(*PLANNERS)
    clean = _clean_plan(actor, values)
    with transaction.atomic():
        ca = CoAssessment.objects.create(organisation_id=actor.organisation_id, created_by=actor.user, **clean)
        TeamMember.objects.create(
            organisation_id=actor.organisation_id, coassessment=ca, person=actor.user, role=TeamMember.Role.LEAD
        )
        record(actor, Action.CREATE, ca, detail=Detail("method", method=ca.method))
    return ca


def update_plan(actor: Actor, coassessment: CoAssessment, **values: Any) -> CoAssessment:
    _require_manage(actor, coassessment)
    _require_open(coassessment)
    clean = _clean_plan(actor, values)
    if clean["method"] != coassessment.method and coassessment.analysis_started:
        raise ValidationError({"method": _("The method cannot change once analysis has started.")})
    # What the data protection officer approved: a new question or method, or keeping the material longer, is a
    # new plan and goes back to them; an earlier deletion date only keeps less, for less long.
    again = [
        name
        for name, changed in (
            ("question", clean["question"] != coassessment.question),
            ("method", clean["method"] != coassessment.method),
            ("retention_until", clean["retention_until"] > coassessment.retention_until),
        )
        if changed
    ]
    with transaction.atomic():
        for name, value in clean.items():
            setattr(coassessment, name, value)
        if coassessment.ethics_approved_on is not None and again:
            coassessment.ethics_approved_on = None
            coassessment.ethics_approved_by = None
            record(actor, Action.UPDATE, coassessment, detail=Detail("ethics_approval_cleared", fields=again))
        coassessment.save()
        record(actor, Action.UPDATE, coassessment, detail=Detail("plan"))
    return coassessment


# --- the team ---------------------------------------------------------------------------------------------


def _roles_of(organisation_id: int, user_ids: list[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for user_id, role in Membership.objects.filter(organisation_id=organisation_id, user_id__in=user_ids).values_list(
        "user_id", "role"
    ):
        out.setdefault(user_id, set()).add(role)
    return out


def team_problem(coassessment: CoAssessment) -> str | None:
    """Why the team may not yet run or analyse the co-assessment (a manager alone), or None."""
    team = list(TeamMember.objects.filter(coassessment=coassessment))
    roles = _roles_of(coassessment.organisation_id, [m.person_id for m in team])
    # a peer co-researcher counts while they hold a peer role (one who lost it no longer does)
    if not any(m.is_peer_co_researcher and roles.get(m.person_id, set()) & set(PEER_ROLES) for m in team):
        return _("Add at least one peer worker to the team as co-researcher.")
    if all(Role.MANAGER in roles.get(m.person_id, set()) for m in team):
        return _("Add someone who is not a manager to the team: a manager cannot run or analyse a co-assessment alone.")
    return None


def add_team_member(
    actor: Actor,
    coassessment: CoAssessment,
    *,
    person: User | None,
    role: str,
    is_peer_co_researcher: bool = False,
    hours_per_month: int = 0,
) -> TeamMember:
    _require_manage(actor, coassessment)
    _require_open(coassessment)
    errors: dict[str, str] = {}
    roles = _roles_of(actor.organisation_id, [person.pk]) if person is not None else {}
    if person is None or not roles.get(person.pk):
        errors["person"] = _("Choose someone who works in your organisation.")
    elif TeamMember.objects.filter(coassessment=coassessment, person=person).exists():
        errors["person"] = _("This person is already in the team.")
    if role not in TeamMember.Role.values:
        errors["role"] = _("Choose the person's role in the team.")
    if is_peer_co_researcher and person is not None and not roles.get(person.pk, set()) & set(PEER_ROLES):
        errors["is_peer_co_researcher"] = _(
            "Only a peer worker or senior peer worker can be the team's peer co-researcher. "
            "Untick the box or choose a peer worker."
        )
    if not 0 <= int(hours_per_month or 0) <= 200:
        errors["hours_per_month"] = _("Enter the hours a month, between 0 and 200.")
    if errors:
        raise ValidationError(errors)
    assert person is not None
    with transaction.atomic():
        return create_recorded(
            actor,
            TeamMember,
            subject=person,
            detail=Detail("team_role", role=role),
            coassessment=coassessment,
            person=person,
            role=role,
            is_peer_co_researcher=is_peer_co_researcher,
            hours_per_month=int(hours_per_month or 0),
        )


def remove_team_member(actor: Actor, member: TeamMember) -> None:
    ca = member.coassessment
    _require_manage(actor, ca)
    _require_open(ca)
    pk = member.pk
    with transaction.atomic():
        member.delete()
        if ca.status != CoAssessment.Status.PLANNING and (problem := team_problem(ca)):
            raise ValidationError({"__all__": _("This person cannot leave the team now. %(why)s") % {"why": problem}})
        record(actor, Action.DELETE, object_type="coassessment.teammember", object_id=str(pk), detail=Detail("removed"))


# --- groups and participants ------------------------------------------------------------------------------


def add_group(actor: Actor, coassessment: CoAssessment, *, name: str, kind: str) -> Group:
    _require_manage(actor, coassessment)
    _require_open(coassessment)
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Give the group a name, for example “Peer workers, spring”.")
    if kind not in Group.Kind.values:
        errors["kind"] = _(
            "Choose who takes part: managers, professionals, peer workers or service users. Each group holds one kind."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return create_recorded(
            actor,
            Group,
            detail=Detail("group_kind", kind=kind),
            coassessment=coassessment,
            name=name.strip(),
            kind=kind,
        )


def group_size_problems(coassessment: CoAssessment) -> list[str]:
    """A message for each group outside four to eight participants (withdrawn ones not counted)."""
    out = []
    for group in Group.objects.filter(coassessment=coassessment):
        n = Participant.objects.filter(group=group, withdrawn_at__isnull=True).count()
        if not GROUP_MIN <= n <= GROUP_MAX:
            out.append(
                _("“%(group)s” has %(n)s participants; a group needs between %(min)s and %(max)s.")
                % {"group": group.name, "n": n, "min": GROUP_MIN, "max": GROUP_MAX}
            )
    return out


# Who fits each kind of group. The kinds are kept apart because of the power between them: S2 §4.2.2 had
# managers, professionals and peer workers each convene separately (homogeneous groups talk more freely); S0 heard
# non-peer professionals among themselves; S4 managers describe skewed power between peer workers and
# professionals. So no one answers with their manager, their colleague of another kind or their peer worker in
# the room.
GROUP_ROLES: dict[str, tuple[str, ...]] = {
    Group.Kind.MANAGERS: MANAGING_ROLES,
    Group.Kind.PEER_WORKERS: PEER_ROLES,
    Group.Kind.PROFESSIONALS: (Role.PROFESSIONAL,),
}


def _kind_problem(actor: Actor, group: Group, staff_member: User | None) -> str | None:
    """Why the person does not fit the group's kind of respondent, or None. With no staff member the person
    is a service user."""
    if group.kind == Group.Kind.SERVICE_USERS:
        if staff_member is None:
            return None
        return _(
            "“%(group)s” is a group of service users. Choose a service user, or put the staff member in a group "
            "of their own kind: each kind of respondent talks in a group of its own."
        ) % {"group": group.name}
    if staff_member is None:
        return _(
            "“%(group)s” is a group of staff. Put the service user in a group of service users: each kind of "
            "respondent talks in a group of its own."
        ) % {"group": group.name}
    wanted = set(GROUP_ROLES[group.kind])
    if set(_roles_of(actor.organisation_id, [staff_member.pk]).get(staff_member.pk, set())) & wanted:
        return None
    messages = {
        Group.Kind.MANAGERS: _(
            "%(person)s is not a manager or programme coordinator, so cannot take part in “%(group)s”, a group of "
            "managers. Put them in a group of their own kind: each kind of respondent talks in a group of its own."
        ),
        Group.Kind.PEER_WORKERS: _(
            "%(person)s is not a peer worker or senior peer worker, so cannot take part in “%(group)s”, a group of "
            "peer workers. Put them in a group of their own kind: each kind of respondent talks in a group of its "
            "own."
        ),
        Group.Kind.PROFESSIONALS: _(
            "%(person)s is not a non-peer professional, so cannot take part in “%(group)s”, a group of "
            "professionals. Put them in a group of their own kind: each kind of respondent talks in a group of its "
            "own."
        ),
    }
    return messages[Group.Kind(group.kind)] % {"person": staff_member, "group": group.name}


def add_participant(
    actor: Actor,
    coassessment: CoAssessment,
    *,
    group: Group | None,
    pseudonym: str,
    service_user: ServiceUser | None = None,
    staff_member: User | None = None,
    given_on: date | None = None,
    how_given: str = "",
) -> Participant:
    """Add a participant under a pseudonym, with their consent to evaluation recorded in the consent model.
    The consent's data subject is the name key: after this, only the data protection officer reads it."""
    _require_manage(actor, coassessment)
    _require_open(coassessment)
    errors: dict[str, str] = {}
    pseudonym = (pseudonym or "").strip()
    if group is None or group.coassessment_id != coassessment.pk:
        errors["group"] = _("Choose one of this co-assessment's groups.")
    elif Participant.objects.filter(group=group, withdrawn_at__isnull=True).count() >= GROUP_MAX:
        errors["group"] = _(
            "This group already has %(max)s participants, the most a group can have. Start another group."
        ) % {"max": GROUP_MAX}
    if not pseudonym:
        errors["pseudonym"] = _("Give a pseudonym, for example “P7”. Never use the person's real name.")
    elif Participant.objects.filter(coassessment=coassessment, pseudonym=pseudonym).exists():
        errors["pseudonym"] = _("This pseudonym is taken in this co-assessment. Choose another.")
    if (service_user is None) == (staff_member is None):
        errors["service_user"] = _("Choose either the service user or the staff member who takes part, one of them.")
    elif service_user is not None and service_user.organisation_id != actor.organisation_id:
        errors["service_user"] = _("Choose a service user of your own organisation.")
    elif (
        staff_member is not None
        and not Membership.objects.filter(organisation_id=actor.organisation_id, user=staff_member).exists()
    ):
        errors["staff_member"] = _("Choose someone who works in your organisation.")
    elif group is not None and "group" not in errors and (problem := _kind_problem(actor, group, staff_member)):
        errors["service_user" if staff_member is None else "staff_member"] = problem
    if given_on is None:
        errors["given_on"] = _("Enter the day the person gave their consent.")
    elif message := validation.date_error(given_on, last=timezone.localdate()):
        errors["given_on"] = message
    if how_given not in Consent.HowGiven.values:
        errors["how_given"] = _("Choose how the person gave their consent: said out loud, on paper or digitally.")
    if errors:
        raise ValidationError(errors)
    assert group is not None and given_on is not None
    with transaction.atomic():
        consent = Consent.objects.create(
            organisation_id=actor.organisation_id,
            service_user=service_user,
            staff_member=staff_member,
            purpose=Consent.Purpose.EVALUATION,
            given_on=given_on,
            how_given=how_given,
            recorded_by=actor.user,
            # for this co-assessment only: it puts no one in evaluation extracts
            study=str(_("Co-assessment: %(title)s") % {"title": coassessment.title})[:200],
        )
        participant = Participant.objects.create(
            organisation_id=actor.organisation_id,
            coassessment=coassessment,
            group=group,
            pseudonym=pseudonym,
            consent=consent,
        )
        subject = service_user or staff_member
        record(actor, Action.CREATE, consent, subject=subject, detail=Detail("consent_purpose", purpose="evaluation"))
        record(actor, Action.CREATE, participant, subject=subject)
    return participant


def withdraw_participant(actor: Actor, participant: Participant) -> dict[str, int]:
    """The participant withdraws: their consent is withdrawn; their segments, every coding on them, and their
    words in the material (the spans of their segments, replaced by "[…]") are removed, in one transaction."""
    ca = participant.coassessment
    if ca.organisation_id != actor.organisation_id or not (can_manage(actor, ca) or actor.has(Role.DPO)):
        raise PermissionDenied
    if participant.withdrawn_at is not None:
        raise ValidationError({"__all__": _("This participant has already withdrawn.")})
    now = timezone.now()
    with transaction.atomic():
        consent = participant.consent
        if consent is not None and consent.withdrawn_at is None:
            consent.withdrawn_at = now
            consent.withdrawn_by = actor.user
            consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
            record(
                actor,
                Action.UPDATE,
                consent,
                subject=consent.service_user or consent.staff_member,
                detail=Detail("withdrawn"),
            )
        counts = _remove_participant(actor, participant, now=now)
    return counts


def _remove_participant(
    actor: Actor | None, participant: Participant, *, now: datetime, via: str = ""
) -> dict[str, int]:
    """Inside the caller's transaction: the participant's segments, every coding on them, their marked words
    (replaced by "[…]" so the others' segments keep their places) and their member-check comments go, and they
    are marked as withdrawn. With no actor (the nightly run) ``via`` says what removed them."""
    segments = list(Segment.objects.filter(participant=participant).select_related("material"))
    codings = Coding.objects.filter(segment__participant=participant).count()
    told = _remind_exported_copies(actor, participant, segments, now=now, via=via)
    by_material: dict[int, list[Segment]] = {}
    for s in segments:
        by_material.setdefault(s.material_id, []).append(s)
    for spans in by_material.values():
        material = spans[0].material
        text = material.text
        for s in sorted(spans, key=lambda s: s.start, reverse=True):
            length = s.end - s.start
            text = text[: s.start] + (REMOVED + " " * length)[:length] + text[s.end :]
        material.text = text
        material.save(update_fields=["text"])
    Segment.objects.filter(participant=participant).delete()
    codings_changed(participant.coassessment_id)
    MemberComment.objects.filter(participant=participant).delete()  # their member-check comments too
    participant.withdrawn_at = now
    participant.save(update_fields=["withdrawn_at"])
    consent = participant.consent
    subject = None if consent is None else (consent.service_user or consent.staff_member)
    detail = Detail("withdrawn_removed", segments=len(segments), codings=codings, material=len(by_material))
    _record_withdrawal_step(
        actor,
        Action.DELETE,
        participant,
        subject=subject,
        detail=detail,
        via=via,
        organisation_id=participant.organisation_id,
    )
    return {
        "segments": len(segments),
        "codings": codings,
        "materials": len(by_material),
        "told": told,
    }


def _record_withdrawal_step(
    actor: Actor | None,
    action: Action,
    obj: models.Model,
    *,
    detail: Detail,
    via: str,
    organisation_id: int,
    subject: models.Model | None = None,
) -> None:
    """Audit a step of a withdrawal: as the acting user, or, when no one acts (the retention run, a consent
    withdrawn by the system), in the organisation's trail with where it came from."""
    if actor is not None:
        record(actor, action, obj, subject=subject, detail=detail)
    else:
        record(
            None,
            action,
            obj,
            subject=subject,
            detail=detail,
            via=via or "retention run",
            organisation_id=organisation_id,
        )


# --- exported copies after a withdrawal -------------------------------------------------------------------

# The exports that hold participants' words: the project file (.qdpx: the material and its codings) and the report
# (findings and quotes). The codebook (.qdc) holds the team's codes and what they mean, none of what was said.
_WORD_EXPORTS = ("project_file", "downloaded")


def exported_with_words(coassessment: CoAssessment, *, after: datetime, before: datetime) -> dict[int, set[str]]:
    """Who downloaded a copy holding participants' words between ``after`` and ``before``, from the audit trail
    (every export is audited): user id → what they downloaded ("project", "report")."""
    rows = AuditEntry.objects.filter(
        organisation_id=coassessment.organisation_id,
        action=Action.EXPORT,
        object_type=CoAssessment._meta.label_lower,
        object_id=str(coassessment.pk),
        at__gte=after,
        at__lt=before,
        actor__isnull=False,
    ).values_list("actor_id", "detail")
    out: dict[int, set[str]] = {}
    for user_id, text in rows:
        found = parse(text)
        if found is None or found[0] not in _WORD_EXPORTS:
            continue
        kind, params = found
        if kind == "downloaded" and params.get("page") != "report":
            continue
        out.setdefault(user_id, set()).add("project" if kind == "project_file" else "report")
    return out


def _remind_exported_copies(
    actor: Actor | None, participant: Participant, segments: list[Segment], *, now: datetime, via: str
) -> int:
    """Inside the withdrawal's transaction: everyone who downloaded a copy holding the participant's words is told
    to delete it, and the co-assessment's page shows a reminder until a team member marks it done. A copy holds
    their words from the first time material with them in it was entered: material they have a segment in, or
    material of their group. Neither the reminder nor the message says who withdrew. Returns how many were told."""
    ca = participant.coassessment
    words_from = Material.objects.filter(
        Q(pk__in={s.material_id for s in segments}) | Q(group_id=participant.group_id), coassessment=ca
    ).aggregate(first=Min("entered_at"))["first"]
    if words_from is None:
        return 0
    downloads = exported_with_words(ca, after=words_from, before=now)
    if not downloads:
        return 0
    reminder = ExportReminder.objects.create(organisation_id=ca.organisation_id, coassessment=ca, exported_before=now)
    reminder.downloaded_by.set(sorted(downloads))
    detail = Detail("exported_copies", count=len(downloads))
    _record_withdrawal_step(actor, Action.CREATE, reminder, detail=detail, via=via, organisation_id=ca.organisation_id)
    events.emit(
        events.EXPORTED_COPIES_TO_DELETE,
        organisation_id=ca.organisation_id,
        recipients=sorted(downloads),
        url=reverse("coassessment:detail", args=[ca.pk]),
    )
    return len(downloads)


def open_export_reminders(coassessment: CoAssessment) -> list[ExportReminder]:
    """The reminders not yet marked done, with who downloaded, for the co-assessment's page."""
    return list(
        ExportReminder.objects.filter(coassessment=coassessment, done_at__isnull=True)
        .prefetch_related("downloaded_by")
        .order_by("exported_before", "pk")
    )


def mark_exported_copies_deleted(actor: Actor, reminder: ExportReminder) -> ExportReminder:
    """A team member says the copies exported before the withdrawal are deleted; recorded and audited."""
    ca = reminder.coassessment
    if ca.organisation_id != actor.organisation_id or not is_member(actor, ca):
        raise PermissionDenied
    if reminder.done_at is not None:
        raise ValidationError({"__all__": _("This reminder was already marked done.")})
    with transaction.atomic():
        reminder.done_at = timezone.now()
        reminder.done_by = actor.user
        reminder.save(update_fields=["done_at", "done_by"])
        record(actor, Action.UPDATE, reminder, detail=Detail("exported_copies_deleted"))
    return reminder


def consent_withdrawn(actor: Actor | None, consents: list[Consent]) -> int:
    """A consent to take part was withdrawn elsewhere (the person's consent page, the data protection officer,
    the API, erasure or the retention run): the participant it belongs to goes as if withdrawn here, in the
    same transaction. Returns how many participants were removed."""
    ids = [c.pk for c in consents if c.study and c.purpose == Consent.Purpose.EVALUATION]
    if not ids:
        return 0
    found = Participant.objects.filter(consent_id__in=ids, withdrawn_at__isnull=True).select_related(
        "consent__service_user", "consent__staff_member"
    )
    now = timezone.now()
    return sum(1 for p in found if _remove_participant(actor, p, now=now) is not None)


# --- reflexivity ------------------------------------------------------------------------------------------


def write_reflexivity_note(actor: Actor, coassessment: CoAssessment, *, text: str) -> ReflexivityNote:
    """A team member writes (or rewrites) their own note; locked once analysis has started."""
    _require_member(actor, coassessment)
    member = membership(actor, coassessment)
    assert member is not None
    if coassessment.analysis_started:
        raise ValidationError(
            {"text": _("Analysis has started, so reflexivity notes are locked. They are shown again at the end.")}
        )
    if not (text or "").strip():
        raise ValidationError(
            {"text": _("Write what you bring to this analysis: your experience, expectations and position.")}
        )
    with transaction.atomic():
        note, created = ReflexivityNote.objects.update_or_create(
            member=member, defaults={"organisation_id": actor.organisation_id, "text": text.strip()}
        )
        record(actor, Action.CREATE if created else Action.UPDATE, note, subject=actor.user)
    return note


# --- guides -----------------------------------------------------------------------------------------------


def add_guide(actor: Actor, coassessment: CoAssessment, *, kind: str, template: str = "", title: str = "") -> Guide:
    """A guide, empty or started from one of Peerwork's templates (``guides.TEMPLATES``)."""
    _require_manage(actor, coassessment)
    _require_open(coassessment)
    errors = {}
    if kind not in Guide.Kind.values:
        errors["kind"] = _("Choose an interview guide or a focus-group guide.")
    start = guides.BY_KEY.get(template) if template else None
    if template and start is None:
        errors["template"] = _("Choose one of the starting templates, or none.")
    title = (title or "").strip() or (str(start.title) if start else "")
    if not title:
        errors["title"] = _("Give the guide a title, or start from a template.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        guide = Guide.objects.create(
            organisation_id=actor.organisation_id, coassessment=coassessment, kind=kind, title=title
        )
        if start is not None:
            GuideQuestion.objects.bulk_create(
                GuideQuestion(organisation_id=actor.organisation_id, guide=guide, position=i, text=str(q))
                for i, q in enumerate(start.questions, 1)
            )
        record(actor, Action.CREATE, guide, detail=Detail("guide_kind", kind=kind))
    return guide


def save_question(actor: Actor, guide: Guide, *, text: str, question: GuideQuestion | None = None) -> GuideQuestion:
    _require_manage(actor, guide.coassessment)
    _require_open(guide.coassessment)
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the question, or remove it.")})
    with transaction.atomic():
        if question is None:
            position = guide.questions.count() + 1
            question = create_recorded(actor, GuideQuestion, guide=guide, position=position, text=text.strip())
        else:
            if question.guide_id != guide.pk:
                raise PermissionDenied
            question.text = text.strip()
            question.save(update_fields=["text"])
            record(actor, Action.UPDATE, question)
    return question


def remove_question(actor: Actor, question: GuideQuestion) -> None:
    _require_manage(actor, question.guide.coassessment)
    _require_open(question.guide.coassessment)
    pk = question.pk
    with transaction.atomic():
        question.delete()
        record(actor, Action.DELETE, object_type="coassessment.guidequestion", object_id=str(pk))


# --- the ethics checkpoint and the steps ------------------------------------------------------------------


def approve_ethics(actor: Actor, coassessment: CoAssessment, *, note: str = "") -> CoAssessment:
    """The data protection officer approves the ethics and data protection review; material may follow."""
    actor.require(Role.DPO)
    if coassessment.organisation_id != actor.organisation_id:
        raise PermissionDenied
    if not coassessment.awaiting_approval:
        raise ValidationError({"__all__": _("Only a co-assessment sent for review can be approved.")})
    with transaction.atomic():
        coassessment.ethics_approved_by = actor.user
        coassessment.ethics_approved_on = timezone.localdate()
        coassessment.ethics_note = (note or "").strip()
        coassessment.save(update_fields=["ethics_approved_by", "ethics_approved_on", "ethics_note"])
        record(actor, Action.UPDATE, coassessment, detail=Detail("ethics_approved"))
    return coassessment


def advance(actor: Actor, coassessment: CoAssessment) -> CoAssessment:
    """Move to the next status, when what that status needs is in place."""
    _require_manage(actor, coassessment)
    _require_open(coassessment)
    status = CoAssessment.Status
    order = CoAssessment.ORDER
    target = order[order.index(str(coassessment.status)) + 1]
    problems: list[str] = []
    if target in (status.ETHICS_REVIEW, status.ANALYSING) and (problem := team_problem(coassessment)):
        problems.append(problem)
    if target == status.ETHICS_REVIEW and not Group.objects.filter(coassessment=coassessment).exists():
        problems.append(_("Add at least one group."))
    if target == status.COLLECTING:
        if coassessment.ethics_approved_on is None:
            problems.append(_("The data protection officer must approve the ethics checkpoint first."))
        problems.extend(group_size_problems(coassessment))
    if target == status.ANALYSING:
        missing = TeamMember.objects.filter(coassessment=coassessment, reflexivity__isnull=True).select_related(
            "person"
        )
        names = ", ".join(str(m.person) for m in missing)
        if names:
            problems.append(
                _("Every team member writes a reflexivity note before analysis starts. Missing: %(names)s.")
                % {"names": names}
            )
    if problems:
        raise ValidationError({"__all__": " ".join(problems)})
    with transaction.atomic():
        coassessment.status = target
        coassessment.save(update_fields=["status"])
        record(actor, Action.UPDATE, coassessment, detail=Detail("coassessment_status", status=target))
    return coassessment


def set_step(actor: Actor, coassessment: CoAssessment, *, step: int) -> CoAssessment:
    _require_member(actor, coassessment)
    steps = CoAssessment.STEPS[CoAssessment.Method(coassessment.method)]
    if not 1 <= step <= steps:
        raise ValidationError({"step": _("Choose a step between 1 and %(n)s.") % {"n": steps}})
    with transaction.atomic():
        coassessment.step = step
        coassessment.save(update_fields=["step"])
        record(actor, Action.UPDATE, coassessment, detail=Detail("step", step=step))
    return coassessment


# --- material, segments, codes, codings -------------------------------------------------------------------


def add_material(
    actor: Actor, coassessment: CoAssessment, *, kind: str, title: str, text: str, group: Group | None = None
) -> Material:
    """Enter a pseudonymised transcript or notes. Refused until the ethics checkpoint is approved."""
    _require_member(actor, coassessment)
    if coassessment.ethics_approved_on is None:
        raise ValidationError(
            {
                "__all__": _(
                    "No material can be entered before the data protection officer has approved the ethics checkpoint."
                )
            }
        )
    if not coassessment.material_open:
        raise ValidationError({"__all__": _("Material is entered while collecting or analysing.")})
    _require_team(coassessment)
    errors = {}
    if kind not in Material.Kind.values:
        errors["kind"] = _("Choose a pseudonymised transcript or notes.")
    if not (title or "").strip():
        errors["title"] = _("Give the material a title, for example “Focus group 1, transcript”.")
    if not (text or "").strip():
        errors["text"] = _("Paste the pseudonymised text. Audio is never stored.")
    if group is not None and group.coassessment_id != coassessment.pk:
        errors["group"] = _("Choose one of this co-assessment's groups.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return create_recorded(
            actor,
            Material,
            detail=Detail("material_kind", kind=kind),
            coassessment=coassessment,
            group=group,
            kind=kind,
            title=title.strip(),
            text=text,
            entered_by=actor.user,
        )


def add_segment(actor: Actor, material: Material, *, participant: Participant | None, start: int, end: int) -> Segment:
    ca = material.coassessment
    _require_member(actor, ca)
    if not ca.material_open:
        raise ValidationError({"__all__": _("Segments are marked while collecting or analysing.")})
    _require_team(ca)
    errors = {}
    if participant is None or participant.coassessment_id != ca.pk or participant.withdrawn_at is not None:
        errors["participant"] = _("Choose the participant who said this.")
    if not 0 <= start < end <= len(material.text):
        errors["start"] = _("Select some of the text: the start must come before the end, within the text.")
    if errors:
        raise ValidationError(errors)
    assert participant is not None
    with transaction.atomic():
        return create_recorded(
            actor, Segment, material=material, participant=participant, start=start, end=end, created_by=actor.user
        )


def add_code(actor: Actor, coassessment: CoAssessment, *, name: str, description: str = "") -> Code:
    _require_member(actor, coassessment)
    _require_open(coassessment)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the code in a few words.")})
    if Code.objects.filter(coassessment=coassessment, name__iexact=name).exists():
        raise ValidationError({"name": _("The codebook already has this code. Choose it from the list.")})
    with transaction.atomic():
        code = create_recorded(actor, Code, coassessment=coassessment, name=name, description=description.strip())
        coding_decision(actor, coassessment, _("Code “%(code)s” added to the codebook") % {"code": name})
        return code


def coding_decision(actor: Actor, coassessment: CoAssessment, what: str, why: str = "") -> Decision:
    """Inside the caller's transaction: a change to the codebook, the segments or the codings, in the
    analysis's decision trail (undone by its own button, not by the trail's undo)."""
    return create_recorded(
        actor,
        Decision,
        detail=Detail("decision_kind", kind=Decision.Kind.CODING),
        coassessment=coassessment,
        kind=Decision.Kind.CODING,
        who=actor.user,
        what=what[:300],
        why=(why or "").strip(),
    )


def _segment_label(segment: Segment) -> str:
    """How the trail names a segment: its participant's pseudonym and its first words."""
    words = segment.material.text[segment.start : segment.end].strip()
    return _("%(pseudonym)s: “%(words)s”") % {
        "pseudonym": segment.participant.pseudonym,
        "words": words[:60] + ("…" if len(words) > 60 else ""),
    }


def rename_code(actor: Actor, code: Code, *, name: str) -> Code:
    """A better name for a code; its codings keep it."""
    ca = code.coassessment
    _require_member(actor, ca)
    _require_open(ca)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the code in a few words.")})
    if Code.objects.filter(coassessment=ca, name__iexact=name).exclude(pk=code.pk).exists():
        raise ValidationError({"name": _("The codebook already has a code by this name. Choose another name.")})
    old = code.name
    if old == name:
        return code
    with transaction.atomic():
        code.name = name
        code.save(update_fields=["name"])
        record(actor, Action.UPDATE, code, detail=Detail("code_renamed"))
        coding_decision(actor, ca, _("Code “%(old)s” renamed “%(new)s”") % {"old": old, "new": name})
    return code


def remove_code(actor: Actor, code: Code, *, confirm: bool = False) -> int:
    """Remove a code from the codebook. A code in use goes only when the person confirms that its codings
    go with it. Returns how many codings were removed."""
    ca = code.coassessment
    _require_member(actor, ca)
    _require_open(ca)
    used = Coding.objects.filter(code=code).count()
    if used and not confirm:
        raise ValidationError(
            {
                "confirm": ngettext(
                    "“%(code)s” is given to %(n)s segment. Tick the box to remove the code with its coding.",
                    "“%(code)s” is given to %(n)s segments. Tick the box to remove the code with its codings.",
                    used,
                )
                % {"code": code.name, "n": used}
            }
        )
    pk, name = code.pk, code.name
    with transaction.atomic():
        if used:
            codings_changed(ca.pk, [code.pk])
        code.delete()  # its codings go with it
        record(
            actor,
            Action.DELETE,
            object_type="coassessment.code",
            object_id=str(pk),
            detail=Detail("code_removed", codings=used),
        )
        coding_decision(
            actor,
            ca,
            ngettext(
                "Code “%(code)s” removed from the codebook, with %(n)s coding",
                "Code “%(code)s” removed from the codebook, with %(n)s codings",
                used,
            )
            % {"code": name, "n": used},
        )
    return used


def remove_segment(actor: Actor, segment: Segment) -> int:
    """Remove a segment marked by mistake, with every coding on it (the words stay in the material).
    Returns how many codings were removed."""
    material = segment.material
    ca = material.coassessment
    _require_member(actor, ca)
    if not ca.material_open:
        raise ValidationError({"__all__": _("Segments are changed while collecting or analysing.")})
    label = _segment_label(segment)
    codings = Coding.objects.filter(segment=segment).count()
    pk = segment.pk
    with transaction.atomic():
        segment.delete()  # its codings go with it
        codings_changed(ca.pk)
        record(
            actor,
            Action.DELETE,
            object_type="coassessment.segment",
            object_id=str(pk),
            detail=Detail("segment_removed", codings=codings),
        )
        coding_decision(
            actor,
            ca,
            ngettext(
                "Segment %(segment)s removed, with %(n)s coding",
                "Segment %(segment)s removed, with %(n)s codings",
                codings,
            )
            % {"segment": label, "n": codings},
        )
    return codings


def codings_changed(coassessment_id: int, code_ids: Iterable[int] | None = None) -> None:
    """Inside the caller's transaction: the codings of a co-assessment changed, so its stored agreement
    figures are computed again when next read. Every service that adds or removes a coding calls it, naming
    the codes whose codings changed when it knows them (then only those codes' figures are computed again,
    unless the stretches compared or who coded which material changed too); without them, every code's."""
    CoAssessment.objects.filter(pk=coassessment_id).update(codings_version=models.F("codings_version") + 1)
    codes = Code.objects.filter(coassessment_id=coassessment_id)
    if code_ids is not None:
        codes = codes.filter(pk__in=list(code_ids))
    codes.update(codings_version=models.F("codings_version") + 1)


def code_segment(actor: Actor, segment: Segment, *, code: Code | None, blind: bool = False) -> Coding:
    ca = segment.material.coassessment
    _require_member(actor, ca)
    if ca.status != CoAssessment.Status.ANALYSING:
        raise ValidationError({"__all__": _("Coding is done while the co-assessment is being analysed.")})
    _require_team(ca)
    if code is None or code.coassessment_id != ca.pk:
        raise ValidationError({"code": _("Choose a code from this co-assessment's codebook.")})
    if Coding.objects.filter(segment=segment, code=code, coder=actor.user).exists():
        raise ValidationError({"code": _("You have already given this segment this code.")})
    with transaction.atomic():
        codings_changed(ca.pk, [code.pk])
        coding = create_recorded(
            actor,
            Coding,
            detail=Detail("blind_coding", blind=int(blind)),
            segment=segment,
            code=code,
            coder=actor.user,
            blind=blind,
        )
        coding_decision(
            actor,
            ca,
            _("Coded %(segment)s as “%(code)s”") % {"segment": _segment_label(segment), "code": code.name},
        )
        return coding


def uncode(actor: Actor, coding: Coding) -> None:
    """Undo one's own coding."""
    if coding.organisation_id != actor.organisation_id or coding.coder_id != actor.user.pk:
        raise PermissionDenied
    pk = coding.pk
    segment = Segment.objects.select_related("material__coassessment", "participant").get(pk=coding.segment_id)
    code_name = Code.objects.filter(pk=coding.code_id).values_list("name", flat=True)[0]
    with transaction.atomic():
        codings_changed(segment.material.coassessment_id, [coding.code_id])
        coding.delete()
        record(actor, Action.DELETE, object_type="coassessment.coding", object_id=str(pk))
        coding_decision(
            actor,
            segment.material.coassessment,
            _("Coding of %(segment)s as “%(code)s” undone") % {"segment": _segment_label(segment), "code": code_name},
        )


# --- retention --------------------------------------------------------------------------------------------


def delete_expired(organisation_id: int, today: date) -> int:
    """On the deletion date: the material, segments, codings, reflexivity notes and participants (with the
    link to their consent, the name key) go; the plan, the team, the guides and the codebook stay."""
    done = 0
    for ca in CoAssessment.objects.filter(organisation_id=organisation_id, retention_until__lte=today):
        with transaction.atomic():
            n = Material.objects.filter(coassessment=ca).count() + Participant.objects.filter(coassessment=ca).count()
            if not n:
                continue
            Material.objects.filter(coassessment=ca).delete()
            Participant.objects.filter(coassessment=ca).delete()
            AgreementSnapshot.objects.filter(coassessment=ca).delete()
            codings_changed(ca.pk)
            ReflexivityNote.objects.filter(member__coassessment=ca).delete()
            record(
                None,
                Action.DELETE,
                ca,
                detail=Detail("retention_removed", count=n),
                via="retention",
                organisation_id=organisation_id,
            )
            done += 1
    return done


def remove_run_out(organisation_id: int, today: date) -> int:
    """A participant whose consent has run out (its last day is before ``today``) goes as if they had
    withdrawn: their segments, codings and marked words. One transaction per participant; returns how many."""
    done = 0
    due = Participant.objects.filter(
        organisation_id=organisation_id, withdrawn_at__isnull=True, consent__valid_until__lt=today
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            participant = (
                Participant.objects.select_for_update(of=("self",))
                .select_related("consent__service_user", "consent__staff_member")
                .filter(pk=pk, withdrawn_at__isnull=True)
                .first()
            )
            if participant is None:
                continue
            _remove_participant(None, participant, now=timezone.now(), via="retention")
            done += 1
    return done
