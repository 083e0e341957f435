"""Every write in readiness: validate, one transaction, audit entry.

Each write runs the model's own validation (``validation.clean``: field lengths, choices, the plausible-date
bounds on every date field, no NUL characters) before it saves, whichever page or API route called it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.accounts.models import Membership, User
from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core import validation
from peerwork.core.actor import Actor
from peerwork.core.roles import PEER_ROLES
from peerwork.organisations.models import Position, Unit

from . import selectors
from .attention import POINT_BY_CODE
from .instrument import DOMAIN_BY_CODE, VALID_VALUES
from .items import round_items
from .models import (
    ActionItem,
    Comment,
    CoreTask,
    CustomItem,
    Group,
    Invitation,
    JobDescription,
    JobDescriptionVersion,
    Orientation,
    PositionJobDescription,
    ReadinessSettings,
    Response,
    Risk,
    RoleType,
    Round,
    TeamBriefing,
    TreatmentHistoryDeclaration,
)
from .roles import GROUP_ROLES, LEAD_ROLES, WRITE_ROLES

MAX_LINKS = 200
TRAINING_MAX = 1000
COMMENT_LENGTH = 2000  # as the comment forms and the API allow


def _unit(actor: Actor, unit_id: Any, field: str = "unit") -> Unit:
    unit = Unit.objects.filter(organisation_id=actor.organisation_id, pk=unit_id).first() if unit_id else None
    if unit is None:
        raise ValidationError({field: _("Choose a team from the list.")})
    return unit


def _member(actor: Actor, user_id: Any, field: str, message: str) -> User:
    if not user_id:
        raise ValidationError({field: message})
    found = User.objects.filter(pk=user_id, memberships__organisation_id=actor.organisation_id).distinct().first()
    if found is None:
        raise ValidationError({field: _("Choose a person from this organisation.")})
    return found


# --- Organisation settings and own questions ------------------------------------------------------------


def settings_for(organisation_id: int) -> ReadinessSettings:
    found = ReadinessSettings.objects.filter(organisation_id=organisation_id).first()
    return found or ReadinessSettings(organisation_id=organisation_id)


@transaction.atomic
def update_settings(actor: Actor, *, committee_limit: int) -> ReadinessSettings:
    actor.require(*LEAD_ROLES)
    errors = {}
    if not 1 <= committee_limit <= 20:
        errors["committee_limit"] = _("Give a number between 1 and 20.")
    if errors:
        raise ValidationError(errors)
    obj = ReadinessSettings.objects.select_for_update().filter(organisation_id=actor.organisation_id).first()
    obj = obj or ReadinessSettings(organisation_id=actor.organisation_id)
    obj.committee_limit = committee_limit
    validation.clean(obj)
    obj.save()
    record(actor, Action.UPDATE, obj)
    return obj


@transaction.atomic
def add_custom_item(actor: Actor, *, domain: str, text_en: str, text_nb: str, text_da: str) -> CustomItem:
    actor.require(*LEAD_ROLES)
    texts = {"text_en": text_en.strip(), "text_nb": text_nb.strip(), "text_da": text_da.strip()}
    if domain not in DOMAIN_BY_CODE:
        raise ValidationError({"domain": _("Choose the domain the question belongs to.")})
    if not any(texts.values()):
        raise ValidationError(
            {
                "text_en": _(
                    "Write the question in at least one language; add the others so everyone can answer in their own."  # noqa: E501
                )
            }
        )
    item = CustomItem(organisation_id=actor.organisation_id, domain=domain, **texts)
    validation.clean(item)
    item.save()
    record(actor, Action.CREATE, item)
    return item


@transaction.atomic
def set_custom_item_active(actor: Actor, item_id: int, active: bool) -> CustomItem:
    actor.require(*LEAD_ROLES)
    item = CustomItem.objects.filter(organisation_id=actor.organisation_id, pk=item_id).first()
    if item is None:
        raise PermissionDenied
    item.active = active
    validation.clean(item)
    item.save(update_fields=["active"])
    record(actor, Action.UPDATE, item)
    return item


# --- Rounds and invitations -----------------------------------------------------------------------------


def _save_invitations(invitations: list[Invitation]) -> None:
    """Validate each invitation (its round, organisation and person were checked by the caller) and save."""
    for invitation in invitations:
        validation.clean(invitation, exclude=["organisation", "round", "user"])
    Invitation.objects.bulk_create(invitations)


def _make_links(actor: Actor, rnd: Round, group: str, count: int) -> list[str]:
    tokens = [Invitation.new_token() for _i in range(count)]
    _save_invitations(
        [
            Invitation(
                organisation_id=actor.organisation_id,
                round=rnd,
                group=group,
                token_hash=Invitation.hash_token(t),
            )
            for t in tokens
        ]
    )
    return tokens


@transaction.atomic
def start_round(
    actor: Actor,
    *,
    title: str,
    groups: Iterable[str],
    unit_id: int | None = None,
    invite_members: bool = True,
    links: Mapping[str, int] | None = None,
    opens_on: date | None = None,
    closes_on: date | None = None,
) -> tuple[Round, dict[str, list[str]]]:
    """Open a round and invite the chosen groups: members by sign-in, others by single-use links.

    Returns the round and the link tokens per group; the tokens are not stored and are shown only once.
    """
    actor.require(*LEAD_ROLES)
    groups = [g for g in dict.fromkeys(groups) if g in Group.values]
    links = {g: int(n) for g, n in (links or {}).items() if g in Group.values and int(n) > 0}
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the round a title, for example 'Before the start, spring'.")
    if not groups:
        errors["groups"] = _("Choose at least one group to ask; ideally all four, as they see things differently.")
    unit = _unit(actor, unit_id) if unit_id else None
    opens_on = opens_on or timezone.localdate()
    for field, value in (("opens_on", opens_on), ("closes_on", closes_on)):
        if message := validation.date_error(value):
            errors[field] = message
    if closes_on and closes_on < opens_on and "closes_on" not in errors:
        errors["closes_on"] = _("The closing date must be on or after the opening date.")
    if any(n > MAX_LINKS for n in links.values()):
        errors["links"] = _("Make at most %(n)d links per group at a time.") % {"n": MAX_LINKS}
    if Group.SERVICE_USER_REP in groups and not links.get(Group.SERVICE_USER_REP):
        errors["links"] = _("Service-user representatives have no sign-in: say how many answer links to make for them.")
    if errors:
        raise ValidationError(errors)

    rnd = Round(
        organisation_id=actor.organisation_id,
        title=title.strip(),
        unit=unit,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=actor.user,
    )
    validation.clean(rnd, exclude=["organisation", "unit", "created_by"])
    rnd.save()
    rnd.custom_items.set(CustomItem.objects.filter(organisation_id=actor.organisation_id, active=True))
    invited = 0
    if invite_members:
        wanted_roles = {role: g for g in groups for role in GROUP_ROLES[g]}
        memberships = Membership.objects.filter(
            organisation_id=actor.organisation_id, role__in=list(wanted_roles), user__is_active=True
        )
        if unit is not None:
            # Managers without a team are asked about every team; others only about their own.
            memberships = memberships.filter(unit=unit) | memberships.filter(
                role__in=GROUP_ROLES[Group.MANAGER], unit__isnull=True
            )
        order = list(Group.values)
        chosen: dict[int, str] = {}
        for m in memberships.order_by("id"):
            group = wanted_roles[m.role]
            if m.user_id not in chosen or order.index(group) < order.index(chosen[m.user_id]):
                chosen[m.user_id] = group
        _save_invitations(
            [
                Invitation(organisation_id=actor.organisation_id, round=rnd, group=g, user_id=uid)
                for uid, g in chosen.items()
            ]
        )
        invited = len(chosen)
    tokens = {g: _make_links(actor, rnd, g, n) for g, n in links.items() if g in groups}
    record(
        actor,
        Action.CREATE,
        rnd,
        detail=Detail("round_opened", invited=invited, links=sum(len(t) for t in tokens.values())),
    )
    return rnd, tokens


@transaction.atomic
def add_links(actor: Actor, round_id: int, group: str, count: int) -> list[str]:
    actor.require(*LEAD_ROLES)
    rnd = Round.objects.filter(organisation_id=actor.organisation_id, pk=round_id).first()
    if rnd is None:
        raise PermissionDenied
    if group not in Group.values:
        raise ValidationError({"group": _("Choose a group.")})
    if not 1 <= count <= MAX_LINKS:
        raise ValidationError({"count": _("Make between 1 and %(n)d links.") % {"n": MAX_LINKS}})
    if rnd.status != Round.Status.OPEN:
        raise ValidationError({"count": _("This round is closed; open it again before making new links.")})
    tokens = _make_links(actor, rnd, group, count)
    record(actor, Action.CREATE, rnd, detail=Detail("links_made", count=count))
    return tokens


@transaction.atomic
def set_round_status(actor: Actor, round_id: int, status: str) -> Round:
    actor.require(*LEAD_ROLES)
    rnd = Round.objects.filter(organisation_id=actor.organisation_id, pk=round_id).first()
    if rnd is None:
        raise PermissionDenied
    if status not in Round.Status.values:
        raise ValidationError({"status": _("Choose open or closed.")})
    rnd.status = status
    if status == Round.Status.CLOSED and not rnd.closes_on:
        rnd.closes_on = max(timezone.localdate(), rnd.opens_on)
    validation.clean(rnd, exclude=["organisation", "unit", "created_by"])
    rnd.save(update_fields=["status", "closes_on"])
    record(actor, Action.UPDATE, rnd, detail=Detail("round_status", status=status))
    return rnd


def _check_open(invitation: Invitation) -> None:
    if invitation.completed:
        raise ValidationError(_("These answers have already been submitted; each invitation can be used once."))
    if invitation.round.status != Round.Status.OPEN:
        raise ValidationError(_("This round has closed, so answers can no longer be changed."))


def _audit_answer(
    actor: Actor | None, invitation: Invitation, action: str, obj: Any = None, detail: Detail | None = None
) -> None:
    if actor is not None:
        record(actor, action, obj, object_type="" if obj else "readiness.response", detail=detail)
    else:
        record(
            None,
            action,
            obj,
            object_type="" if obj else "readiness.response",
            detail=detail,
            organisation_id=invitation.organisation_id,
            via="answer link",
        )


@transaction.atomic
def save_answers(
    invitation: Invitation,
    values: Mapping[str, Any],
    *,
    actor: Actor | None = None,
    anonymous: bool | None = None,
) -> Response:
    """Keep what has been answered so far as a draft. Incomplete answers are fine here."""
    invitation = Invitation.objects.select_for_update().select_related("round").get(pk=invitation.pk)
    _check_open(invitation)
    codes = {i.code for i in round_items(invitation.round)}
    clean: dict[str, int] = {}
    for code, raw in values.items():
        if code not in codes or raw in (None, ""):
            continue
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = -1
        if value not in VALID_VALUES:
            raise ValidationError({code: _("Choose one of the answers, or 'Don't know'.")})
        clean[code] = value
    draft = Response.objects.filter(invitation=invitation).first()
    if draft is None:
        draft = Response(
            organisation_id=invitation.organisation_id,
            round=invitation.round,
            group=invitation.group,
            invitation=invitation,
            anonymous=True,
        )
    draft.answers = {**draft.answers, **clean}
    if anonymous is not None and invitation.user_id:
        draft.anonymous = anonymous
    validation.clean(draft, exclude=["organisation", "round", "invitation", "respondent"])
    draft.save()
    _audit_answer(actor, invitation, Action.UPDATE, draft, detail=Detail("answer_draft"))
    return draft


@transaction.atomic
def submit(invitation: Invitation, *, actor: Actor | None = None, anonymous: bool = True) -> Response:
    """Submit a complete set of answers. Anonymous answers are stored with no link to the person."""
    invitation = Invitation.objects.select_for_update().select_related("round").get(pk=invitation.pk)
    _check_open(invitation)
    draft = Response.objects.filter(invitation=invitation).first()
    answers = draft.answers if draft else {}
    missing = [i for i in round_items(invitation.round) if i.code not in answers]
    if missing or draft is None:  # with no draft every question is still missing
        domains = sorted({i.domain for i in missing}, key=lambda d: int(d[1:]))
        raise ValidationError(
            _(
                "%(n)d questions have no answer yet, in: %(domains)s. Answer them or choose 'Don't know'; "
                "what you have answered is saved as a draft."
            )
            % {"n": len(missing), "domains": ", ".join(str(DOMAIN_BY_CODE[d].title) for d in domains)}
        )
    anonymous = anonymous or invitation.user_id is None
    today = timezone.localdate()
    if anonymous:
        # A fresh row with a fresh random id, no person, no invitation and only a date: nothing ties it back.
        response = Response(
            organisation_id=invitation.organisation_id,
            round=invitation.round,
            group=invitation.group,
            status=Response.Status.SUBMITTED,
            anonymous=True,
            answers=answers,
            submitted_on=today,
        )
        validation.clean(response, exclude=["organisation", "round"])
        draft.delete()
        response.save(force_insert=True)
        _audit_answer(
            actor, invitation, Action.CREATE, None, detail=Detail("anonymous_answers", round=invitation.round_id)
        )
    else:
        response = draft
        response.status = Response.Status.SUBMITTED
        response.anonymous = False
        response.respondent_id = invitation.user_id
        response.submitted_on = today
        validation.clean(response, exclude=["organisation", "round", "invitation", "respondent"])
        response.save()
        _audit_answer(actor, invitation, Action.CREATE, response, detail=Detail("named_answers"))
    invitation.completed = True
    invitation.save(update_fields=["completed"])
    return response


# --- Risk register --------------------------------------------------------------------------------------


@transaction.atomic
def save_risk(
    actor: Actor, *, unit_id: int, code: str, status: str, notes: str = "", review_on: date | None = None
) -> Risk:
    actor.require(*WRITE_ROLES)
    unit = _unit(actor, unit_id)
    if code not in POINT_BY_CODE:
        raise ValidationError({"code": _("Choose a point of attention B1–B13.")})
    if status not in Risk.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status in (Risk.Status.WATCH, Risk.Status.ACTION_NEEDED) and review_on is None:
        raise ValidationError({"review_on": _("Set a date to look at this again, so it does not drop out of sight.")})
    risk = Risk.objects.select_for_update().filter(organisation_id=actor.organisation_id, unit=unit, code=code).first()
    created = risk is None
    risk = risk or Risk(organisation_id=actor.organisation_id, unit=unit, code=code)
    risk.status, risk.notes, risk.review_on, risk.updated_by = status, notes.strip(), review_on, actor.user
    validation.clean(risk, exclude=["organisation", "unit", "updated_by"])
    risk.save()
    record(actor, Action.CREATE if created else Action.UPDATE, risk)
    return risk


# --- Action plan ----------------------------------------------------------------------------------------

# Links the service resolved within the organisation itself; the model's validation checks the rest.
_CHECKED_LINKS = ["organisation", "owner", "unit", "round", "risk", "created_by"]


def _action_fields(actor: Actor, *, title: str, owner_id: Any, due_on: date | None) -> tuple[str, User, date]:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Say what needs to happen, in a few words.")
    owner = None
    try:
        owner = _member(
            actor,
            owner_id,
            "owner",
            _("Choose who owns this action: an action without an owner rarely happens."),
        )
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if due_on is None:
        errors["due_on"] = _("Give a due date, so the action can be followed up.")
    elif message := validation.date_error(due_on):
        errors["due_on"] = message
    if "\x00" in title:
        errors["title"] = validation.nul_message()
    if errors or owner is None or due_on is None:  # a missing owner or date has its error above
        raise ValidationError(errors)
    return title.strip(), owner, due_on


@transaction.atomic
def create_action(
    actor: Actor,
    *,
    title: str,
    owner_id: Any,
    due_on: date | None,
    source: str = ActionItem.Source.OTHER,
    source_ref: str = "",
    unit_id: int | None = None,
    round_id: int | None = None,
    risk_id: int | None = None,
) -> ActionItem:
    actor.require(*WRITE_ROLES)
    title, owner, due_on = _action_fields(actor, title=title, owner_id=owner_id, due_on=due_on)
    if source not in ActionItem.Source.values:
        source = ActionItem.Source.OTHER
    org = actor.organisation_id
    unit = Unit.objects.filter(organisation_id=org, pk=unit_id).first() if unit_id else None
    rnd = Round.objects.filter(organisation_id=org, pk=round_id).first() if round_id else None
    risk = Risk.objects.filter(organisation_id=org, pk=risk_id).first() if risk_id else None
    if risk is not None and unit is None:
        unit = risk.unit
    action = ActionItem(
        organisation_id=org,
        title=title,
        owner=owner,
        due_on=due_on,
        source=source,
        source_ref=source_ref[:40],
        unit=unit,
        round=rnd,
        risk=risk,
        created_by=actor.user,
    )
    validation.clean(action, exclude=_CHECKED_LINKS)
    action.save()
    record(actor, Action.CREATE, action)
    return action


@transaction.atomic
def update_action(
    actor: Actor, action_id: int, *, title: str, owner_id: Any, due_on: date | None, status: str
) -> ActionItem:
    actor.require(*WRITE_ROLES)
    action = ActionItem.objects.select_for_update().filter(organisation_id=actor.organisation_id, pk=action_id).first()
    if action is None:
        raise PermissionDenied
    title, owner, due_on = _action_fields(actor, title=title, owner_id=owner_id, due_on=due_on)
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status == ActionItem.Status.DONE and action.status != ActionItem.Status.DONE:
        action.done_on = timezone.localdate()
    elif status != ActionItem.Status.DONE:
        action.done_on = None
    action.title, action.owner, action.due_on, action.status = title, owner, due_on, status
    validation.clean(action, exclude=_CHECKED_LINKS)
    action.save()
    record(actor, Action.UPDATE, action)
    return action


@transaction.atomic
def update_action_progress(actor: Actor, action_id: int, *, status: str, note: str = "") -> ActionItem:
    """The owner of an action (or someone who keeps the plan) marks how it is going, with a short note."""
    try:
        action = selectors.action(actor, action_id)
    except Http404:
        raise PermissionDenied from None
    if action.owner_id != actor.user.pk and not actor.has(*WRITE_ROLES):
        raise PermissionDenied
    action = ActionItem.objects.select_for_update().get(pk=action.pk)
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status == ActionItem.Status.DONE and action.status != ActionItem.Status.DONE:
        action.done_on = timezone.localdate()
    elif status != ActionItem.Status.DONE:
        action.done_on = None
    action.status = status
    validation.clean(action, exclude=_CHECKED_LINKS)
    comment = None
    if len(note.strip()) > COMMENT_LENGTH:
        raise ValidationError({"note": _("Shorten the comment to at most %(n)d characters.") % {"n": COMMENT_LENGTH}})
    if note.strip():
        comment = Comment(organisation_id=actor.organisation_id, author=actor.user, action=action, text=note.strip())
        validation.clean(comment, exclude=["organisation", "author", "action"])
    action.save(update_fields=["status", "done_on"])
    record(actor, Action.UPDATE, action, detail=Detail("progress", status=status))
    if comment is not None:
        comment.save()
        record(actor, Action.CREATE, comment)
    return action


# --- Comments and points of attention from readers -----------------------------------------------------


@transaction.atomic
def add_comment(
    actor: Actor,
    *,
    text: str,
    kind: str = Comment.Kind.COMMENT,
    round_id: int | None = None,
    unit_id: int | None = None,
    code: str = "",
    action_id: int | None = None,
    private_to_id: Any = None,
) -> Comment:
    """A comment or point of attention on what the person may read: a round's results, a team's register
    (optionally one of its points), or an action. ``private_to_id``: one manager who alone sees it, with
    the author."""
    if sum(1 for t in (round_id, unit_id, action_id) if t) != 1:
        raise ValidationError(_("Say what the comment is about: a round, a team's register or an action."))
    comment = Comment(organisation_id=actor.organisation_id, author=actor.user, text=text.strip(), kind=kind)
    try:
        if round_id:
            comment.round = selectors.round_for(actor, round_id)
        elif unit_id:
            comment.unit = selectors.unit(actor, unit_id)
        else:
            comment.action = selectors.action(actor, action_id or 0)
    except Http404:
        raise PermissionDenied from None
    errors: dict[str, str] = {}
    if not comment.text:
        errors["text"] = _("Write your comment, or your point of attention, in a few words.")
    elif len(comment.text) > COMMENT_LENGTH:
        errors["text"] = _("Shorten the comment to at most %(n)d characters.") % {"n": COMMENT_LENGTH}
    if code:
        if comment.unit is None or code not in POINT_BY_CODE:
            errors["code"] = _("Choose a point of attention B1–B13 from the list.")
        comment.code = code
    if private_to_id:
        manager = selectors.managers(actor).filter(pk=private_to_id).first()
        if manager is None:
            errors["private_to"] = _("Choose a manager from the list, or share it with everyone who reads this.")
        comment.private_to = manager
    if errors:
        raise ValidationError(errors)
    validation.clean(comment, exclude=["organisation", "author", "round", "unit", "action", "private_to"])
    comment.save()
    record(actor, Action.CREATE, comment, subject=comment.private_to)
    return comment


# --- Job descriptions -----------------------------------------------------------------------------------


@transaction.atomic
def save_job_description(
    actor: Actor,
    *,
    job_description_id: int | None = None,
    title: str,
    role_form: str,
    role_type: str,
    core_tasks: Iterable[str],
    tasks: str,
    demarcation: str,
    hours_per_week: Any,
    reporting_line: str,
    supervision: str,
    does_not_do: str,
) -> JobDescriptionVersion:
    """Save the builder's form as a new version (the first, or the next of an existing description)."""
    actor.require(*LEAD_ROLES)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the role a title, for example 'Peer support worker, FACT team'.")
    if role_form not in Position.RoleForm.values:
        errors["role_form"] = _("Choose the role form.")
    if role_type not in RoleType.values:
        errors["role_type"] = _("Choose the role type.")
    tasks_chosen = [c for c in CoreTask.values if c in set(core_tasks)]
    if not tasks_chosen:
        errors["core_tasks"] = _("Choose at least one of the three core tasks of peer work.")
    for field, value, message in (
        ("tasks", tasks, _("Describe what the peer worker does in this role.")),
        (
            "demarcation",
            demarcation,
            _(
                "Say how the role differs from others in the team, so colleagues know what the peer worker is "
                "there for."
            ),
        ),
        ("reporting_line", reporting_line, _("Say who the peer worker reports to.")),
        ("supervision", supervision, _("Say who supervises the peer worker and how often.")),
        (
            "does_not_do",
            does_not_do,
            _("Say what the role does not do, for example no coercive measures."),
        ),
    ):
        if not str(value).strip():
            errors[field] = message
    try:
        hours = Decimal(str(hours_per_week))
        if not Decimal(0) < hours <= Decimal(60):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["hours_per_week"] = _("Give the hours per week as a number between 1 and 60.")
        hours = Decimal(0)
    if errors:
        raise ValidationError(errors)
    org = actor.organisation_id
    if job_description_id:
        jd = JobDescription.objects.select_for_update().filter(organisation_id=org, pk=job_description_id).first()
        if jd is None:
            raise PermissionDenied
        if jd.title != title.strip():
            jd.title = title.strip()
            jd.save(update_fields=["title"])
    else:
        jd = JobDescription.objects.create(organisation_id=org, title=title.strip())
    last = jd.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = JobDescriptionVersion.objects.create(
        organisation_id=org,
        job_description=jd,
        number=last + 1,
        role_form=role_form,
        role_type=role_type,
        core_tasks=tasks_chosen,
        tasks=tasks.strip(),
        demarcation=demarcation.strip(),
        hours_per_week=hours,
        reporting_line=reporting_line.strip(),
        supervision=supervision.strip(),
        does_not_do=does_not_do.strip(),
        created_by=actor.user,
    )
    record(actor, Action.CREATE, version)
    return version


@transaction.atomic
def attach_job_description(actor: Actor, *, version_id: int, position_ids: Iterable[int]) -> int:
    actor.require(*LEAD_ROLES)
    org = actor.organisation_id
    version = JobDescriptionVersion.objects.filter(organisation_id=org, pk=version_id).first()
    if version is None:
        raise PermissionDenied
    positions = list(Position.objects.filter(organisation_id=org, pk__in=list(position_ids)))
    if not positions:
        raise ValidationError({"positions": _("Choose at least one position.")})
    for p in positions:
        PositionJobDescription.objects.update_or_create(
            organisation_id=org, position=p, defaults={"version": version, "attached_by": actor.user}
        )
        record(actor, Action.UPDATE, p, detail=Detail("job_description_version", version=version.pk))
    return len(positions)


# --- Orientation and team briefings ---------------------------------------------------------------------


@transaction.atomic
def save_orientation(
    actor: Actor,
    *,
    position_id: int,
    contact_person_id: Any = None,
    buddy_id: Any = None,
    intro_meeting_on: date | None = None,
    job_coaching: str = Orientation.Coaching.UNKNOWN,
    first_supervision_on: date | None = None,
    status: str = Orientation.Status.PLANNED,
    training: str = "",
) -> Orientation:
    actor.require(*WRITE_ROLES)
    position = (
        Position.objects.filter(organisation_id=actor.organisation_id, pk=position_id).select_related("holder").first()
    )
    if position is None:
        raise PermissionDenied
    errors: dict[str, str] = {}
    people: dict[str, User | None] = {}
    for field, uid in (("contact_person", contact_person_id), ("buddy", buddy_id)):
        person = None
        if uid:
            try:
                person = _member(actor, uid, field, "")
            except ValidationError as exc:
                errors[field] = exc.message_dict[field][0]
            if person is not None and person.pk == position.holder_id:
                errors[field] = _("Choose someone other than the new peer worker.")
        people[field] = person
    if job_coaching not in Orientation.Coaching.values:
        errors["job_coaching"] = _("Choose whether job coaching is wanted.")
    if status not in Orientation.Status.values:
        errors["status"] = _("Choose a status.")
    if status == Orientation.Status.COMPLETED and (people.get("buddy") is None or people.get("contact_person") is None):
        errors["status"] = _("An orientation is completed only when a contact person and a buddy are named.")
    for field, value in (("intro_meeting_on", intro_meeting_on), ("first_supervision_on", first_supervision_on)):
        if message := validation.date_error(value):
            errors[field] = message
    training = training.strip()
    if len(training) > TRAINING_MAX:
        errors["training"] = _("Keep the training to %(n)d characters or fewer.") % {"n": TRAINING_MAX}
    if errors:
        raise ValidationError(errors)
    orientation = Orientation.objects.select_for_update().filter(position=position).first()
    created = orientation is None
    orientation = orientation or Orientation(organisation_id=actor.organisation_id, position=position)
    orientation.contact_person, orientation.buddy = people["contact_person"], people["buddy"]
    orientation.intro_meeting_on, orientation.first_supervision_on = intro_meeting_on, first_supervision_on
    orientation.job_coaching, orientation.status = job_coaching, status
    orientation.training = training
    validation.clean(orientation, exclude=["organisation", "position", "contact_person", "buddy"])
    orientation.save()
    record(actor, Action.CREATE if created else Action.UPDATE, orientation, subject=position.holder)
    return orientation


@transaction.atomic
def record_briefing(actor: Actor, *, unit_id: int | None, held_on: date | None, topics: str = "") -> TeamBriefing:
    actor.require(*WRITE_ROLES)
    unit = _unit(actor, unit_id)
    if held_on is None:
        raise ValidationError({"held_on": _("Give the date the team was briefed.")})
    if held_on > timezone.localdate():
        raise ValidationError(
            {"held_on": _("Record a briefing once it has taken place; the date cannot be in the future.")}
        )
    if message := validation.date_error(held_on):
        raise ValidationError({"held_on": message})
    briefing = TeamBriefing(
        organisation_id=actor.organisation_id,
        unit=unit,
        held_on=held_on,
        topics=topics.strip(),
        recorded_by=actor.user,
    )
    validation.clean(briefing, exclude=["organisation", "unit", "recorded_by"])
    briefing.save()
    record(actor, Action.CREATE, briefing)
    return briefing


# --- A peer worker's own placement declaration ----------------------------------------------------------


@transaction.atomic
def declare_treatment(
    actor: Actor, *, unit_id: int | None, disclosure: str = TreatmentHistoryDeclaration.Disclosure.PRIVATE
) -> TreatmentHistoryDeclaration:
    """Name a unit where the peer worker was treated, or change what others may see of it.

    Nothing is shown to anyone else unless ``disclosure`` says so; naming the unit again only changes that.
    """
    actor.require(*PEER_ROLES)
    unit = _unit(actor, unit_id)
    if disclosure not in TreatmentHistoryDeclaration.Disclosure.values:
        raise ValidationError({"disclosure": _("Choose what, if anything, others may see.")})
    declaration, created = TreatmentHistoryDeclaration.objects.update_or_create(
        organisation_id=actor.organisation_id, peer_worker=actor.user, unit=unit, defaults={"disclosure": disclosure}
    )
    record(actor, Action.CREATE if created else Action.UPDATE, declaration, subject=actor.user)
    return declaration


@transaction.atomic
def withdraw_declaration(actor: Actor, declaration_id: int) -> None:
    found = TreatmentHistoryDeclaration.objects.filter(
        organisation_id=actor.organisation_id, peer_worker=actor.user, pk=declaration_id
    ).first()
    if found is None:
        raise PermissionDenied
    record(actor, Action.DELETE, found, subject=actor.user)
    found.delete()
