# ruff: noqa: E501  (translatable sentences read better unbroken)
"""Writes for peer-led surveys: peer workers create, write, publish, close and share them; people answer.

Every write is one transaction with its audit entry. Only peer workers and senior peer workers own a survey
(Peerwork default, ``default-peer-survey``): any other role is refused with a message saying so, even where a
page would not offer the action (the API).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.accounts.models import Membership
from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core import validation
from peerwork.core.actor import Actor
from peerwork.core.anonymity import ANONYMITY_THRESHOLD
from peerwork.core.roles import PEER_ROLES

from .models import CoAssessment
from .survey_models import (
    PeerSurvey,
    SurveyAnswer,
    SurveyLink,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
)

Status = PeerSurvey.Status
Kind = SurveyQuestion.Kind
Group = SurveyResponse.Group
# Peerwork defaults: at most this many questions, options and one-time links at once; free text this long.
MAX_QUESTIONS = 40
MAX_OPTIONS = 12
MAX_LINKS = 100
MAX_TEXT = 2000


def is_owner(actor: Actor) -> bool:
    """Peer workers and senior peer workers own the organisation's peer-led surveys together."""
    return actor.has(*PEER_ROLES)


def _require_owner(actor: Actor) -> None:
    if not is_owner(actor):
        raise ValidationError(
            _(
                "Peer workers own peer-led surveys: only a peer worker or senior peer worker can create, change, close or share one. Managers and coordinators read the results once the peer workers share them."
            )
        )


def _same_organisation(actor: Actor, survey: PeerSurvey) -> None:
    if survey.organisation_id != actor.organisation_id:
        raise PermissionDenied


def _lock(survey: PeerSurvey) -> None:
    """Lock the survey's row and read it again, so two owners' changes are taken one after the other."""
    list(PeerSurvey.objects.select_for_update().filter(pk=survey.pk).values_list("pk"))
    survey.refresh_from_db()


def _require_draft(survey: PeerSurvey) -> None:
    if survey.status != Status.DRAFT:
        raise ValidationError(_("Questions can only be changed while the survey is a draft; it has been published."))


def _check_details(
    *,
    title: str,
    purpose: str,
    for_service_users: bool,
    for_peer_workers: bool,
    for_staff: bool,
    opens_on: date,
    closes_on: date,
) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the survey a short title.")
    if not purpose.strip():
        errors["purpose"] = _("Say in plain words why you ask and what happens with the answers.")
    if not (for_service_users or for_peer_workers or for_staff):
        errors["for_peer_workers"] = _("Choose at least one group the survey is for.")
    if closes_on < opens_on:
        errors["closes_on"] = _("The closing date must be on or after the opening date.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_survey(
    actor: Actor,
    *,
    title: str,
    purpose: str,
    for_service_users: bool,
    for_peer_workers: bool,
    for_staff: bool,
    opens_on: date,
    closes_on: date,
    coassessment: CoAssessment | None = None,
) -> PeerSurvey:
    _require_owner(actor)
    _check_details(
        title=title, purpose=purpose, for_service_users=for_service_users, for_peer_workers=for_peer_workers,
        for_staff=for_staff, opens_on=opens_on, closes_on=closes_on,
    )  # fmt: skip
    if coassessment is not None and coassessment.organisation_id != actor.organisation_id:
        raise ValidationError({"coassessment": _("Choose a co-assessment of your organisation.")})
    survey = PeerSurvey(
        organisation_id=actor.organisation_id,
        title=title.strip(),
        purpose=purpose.strip(),
        for_service_users=for_service_users,
        for_peer_workers=for_peer_workers,
        for_staff=for_staff,
        opens_on=opens_on,
        closes_on=closes_on,
        coassessment=coassessment,
        created_by=actor.user,
    )
    validation.clean(survey)
    survey.save()
    record(actor, Action.CREATE, survey, detail=Detail("draft"))
    return survey


@transaction.atomic
def update_survey(actor: Actor, survey: PeerSurvey, **changes: Any) -> PeerSurvey:
    """Change the title, purpose, audience or dates (the audience only while a draft)."""
    _require_owner(actor)
    _same_organisation(actor, survey)
    if survey.status == Status.CLOSED:
        raise ValidationError(_("The survey is closed; it can no longer be changed."))
    values = {
        f: changes.get(f, getattr(survey, f))
        for f in ("title", "purpose", "for_service_users", "for_peer_workers", "for_staff", "opens_on", "closes_on")
    }
    if survey.status != Status.DRAFT and any(
        values[f] != getattr(survey, f) for f in ("for_service_users", "for_peer_workers", "for_staff")
    ):
        raise ValidationError({"for_peer_workers": _("Who the survey is for cannot change once it is published.")})
    _check_details(**values)
    for field, value in values.items():
        setattr(survey, field, value.strip() if isinstance(value, str) else value)
    validation.clean(survey)
    survey.save()
    record(actor, Action.UPDATE, survey, detail=Detail("survey_changed"))
    return survey


def _check_question(kind: str, text: str, low_label: str, high_label: str, options: str) -> list[str]:
    errors: dict[str, str] = {}
    if kind not in Kind.values:
        errors["kind"] = _("Choose how people answer: a scale, a choice or their own words.")
    if not text.strip():
        errors["text"] = _("Write the question.")
    if kind == Kind.SCALE and not (low_label.strip() and high_label.strip()):
        errors["low_label"] = _("Write words for both ends of the scale, for example “Not at all” and “Very much”.")
    lines = [line.strip() for line in options.splitlines() if line.strip()]
    if kind == Kind.CHOICE and not 2 <= len(lines) <= MAX_OPTIONS:
        errors["options"] = _("Write between 2 and 12 options, one a line.")
    elif kind == Kind.CHOICE and len(set(lines)) != len(lines):
        errors["options"] = _("Each option must be different.")
    if errors:
        raise ValidationError(errors)
    return lines


@transaction.atomic
def add_question(
    actor: Actor,
    survey: PeerSurvey,
    *,
    kind: str,
    text: str,
    low_label: str = "",
    high_label: str = "",
    options: str = "",
) -> SurveyQuestion:
    _require_owner(actor)
    _same_organisation(actor, survey)
    _lock(survey)
    _require_draft(survey)
    lines = _check_question(kind, text, low_label, high_label, options)
    count = survey.questions.count()
    if count >= MAX_QUESTIONS:
        raise ValidationError(_("A survey can have at most 40 questions; shorter surveys get more answers."))
    last = survey.questions.aggregate(m=Max("position"))["m"] or 0
    question = SurveyQuestion(
        organisation_id=actor.organisation_id,
        survey=survey,
        position=last + 1,
        kind=kind,
        text=text.strip(),
        low_label=low_label.strip() if kind == Kind.SCALE else "",
        high_label=high_label.strip() if kind == Kind.SCALE else "",
        options="\n".join(lines) if kind == Kind.CHOICE else "",
    )
    validation.clean(question)
    question.save()
    record(actor, Action.CREATE, question, detail=Detail("draft"))
    return question


@transaction.atomic
def move_question(actor: Actor, question: SurveyQuestion, *, up: bool) -> None:
    """Swap a draft question with the one before (``up``) or after it."""
    _require_owner(actor)
    _same_organisation(actor, question.survey)
    _require_draft(question.survey)
    questions = list(question.survey.questions.select_for_update().order_by("position", "pk"))
    at = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = at - 1 if up else at + 1
    if not 0 <= other < len(questions):
        raise ValidationError(_("The question is already first or last."))
    questions[at], questions[other] = questions[other], questions[at]
    for position, q in enumerate(questions, start=1):
        q.position = position
    SurveyQuestion.objects.bulk_update(questions, ["position"])
    record(actor, Action.UPDATE, question, detail=Detail("question_moved"))


@transaction.atomic
def remove_question(actor: Actor, question: SurveyQuestion) -> None:
    _require_owner(actor)
    _same_organisation(actor, question.survey)
    _require_draft(question.survey)
    record(actor, Action.DELETE, question, detail=Detail("removed"))
    survey = question.survey
    question.delete()
    rest = list(survey.questions.order_by("position", "pk"))
    for position, q in enumerate(rest, start=1):
        q.position = position
    SurveyQuestion.objects.bulk_update(rest, ["position"])


@transaction.atomic
def publish_survey(actor: Actor, survey: PeerSurvey) -> PeerSurvey:
    _require_owner(actor)
    _same_organisation(actor, survey)
    _lock(survey)
    _require_draft(survey)
    if not survey.questions.exists():
        raise ValidationError(_("Write at least one question before publishing."))
    if survey.closes_on < timezone.localdate():
        raise ValidationError({"closes_on": _("The closing date has passed; choose a later one before publishing.")})
    survey.status = Status.PUBLISHED
    survey.save(update_fields=["status"])
    record(actor, Action.UPDATE, survey, detail=Detail("published"))
    return survey


@transaction.atomic
def close_survey(actor: Actor, survey: PeerSurvey) -> PeerSurvey:
    _require_owner(actor)
    _same_organisation(actor, survey)
    _lock(survey)
    if survey.status != Status.PUBLISHED:
        raise ValidationError(_("Only a published survey can be closed."))
    survey.status = Status.CLOSED
    survey.save(update_fields=["status"])
    # Unused links can no longer be answered: they are dropped.
    SurveyLink.objects.filter(survey=survey, used=False).delete()
    record(actor, Action.UPDATE, survey, detail=Detail("closed"))
    return survey


@transaction.atomic
def share_results(actor: Actor, survey: PeerSurvey, *, shared: bool = True) -> PeerSurvey:
    """The owners decide when managers and coordinators read the results (and may take that back)."""
    _require_owner(actor)
    _same_organisation(actor, survey)
    if survey.status == Status.DRAFT:
        raise ValidationError(_("Publish the survey before sharing its results."))
    survey.results_shared = shared
    survey.save(update_fields=["results_shared"])
    record(actor, Action.UPDATE, survey, detail=Detail("results_shared", shared=int(shared)))
    return survey


def _years_on(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def a_year_later(day: date) -> date:
    return _years_on(day, 1)


def a_year_earlier(day: date) -> date:
    return _years_on(day, -1)


@transaction.atomic
def run_again(actor: Actor, survey: PeerSurvey) -> PeerSurvey:
    """The survey's next round (S2 §4.4.1: the peer worker survey is annual): a draft with the same title,
    purpose, audience and questions, opening and closing a year after this round, linked to it so the next
    round's results show this round's figures beside its own. The owners change the dates and questions before
    publishing it. A round is run again once."""
    _require_owner(actor)
    _same_organisation(actor, survey)
    _lock(survey)
    if survey.status == Status.DRAFT:
        raise ValidationError(_("Publish this round before running the survey again."))
    if PeerSurvey.objects.filter(previous_round=survey).exists():
        raise ValidationError(_("This round has been run again already; open the next round from the list of rounds."))
    following = PeerSurvey(
        organisation_id=survey.organisation_id,
        title=survey.title,
        purpose=survey.purpose,
        for_service_users=survey.for_service_users,
        for_peer_workers=survey.for_peer_workers,
        for_staff=survey.for_staff,
        opens_on=a_year_later(survey.opens_on),
        closes_on=a_year_later(survey.closes_on),
        coassessment=survey.coassessment,
        previous_round=survey,
        created_by=actor.user,
    )
    validation.clean(following)
    following.save()
    SurveyQuestion.objects.bulk_create(
        [
            SurveyQuestion(
                organisation_id=survey.organisation_id,
                survey=following,
                position=q.position,
                kind=q.kind,
                text=q.text,
                low_label=q.low_label,
                high_label=q.high_label,
                options=q.options,
                copied_from=q,
            )
            for q in survey.questions.order_by("position", "pk")
        ]
    )
    record(actor, Action.CREATE, following, detail=Detail("survey_run_again"))
    return following


@transaction.atomic
def make_links(actor: Actor, survey: PeerSurvey, *, count: int) -> list[str]:
    """``count`` one-time answering links for service users. The tokens are returned once; only their hashes
    are kept, with no name, so a link cannot be traced to the person it was handed to."""
    _require_owner(actor)
    _same_organisation(actor, survey)
    if not survey.for_service_users:
        raise ValidationError(_("This survey is not for service users; links are only for them."))
    if survey.status == Status.CLOSED:
        raise ValidationError(_("The survey is closed; no more links can be made."))
    if not 1 <= count <= MAX_LINKS:
        raise ValidationError({"count": _("Make between 1 and 100 links at a time.")})
    tokens = [SurveyLink.new_token() for _i in range(count)]
    SurveyLink.objects.bulk_create(
        [
            SurveyLink(organisation_id=survey.organisation_id, survey=survey, token_hash=SurveyLink.hash_token(t))
            for t in tokens
        ]
    )
    record(actor, Action.CREATE, survey, detail=Detail("links_made", count=count))
    return tokens


# --- answering --------------------------------------------------------------------------------------------


def groups_for(actor: Actor, survey: PeerSurvey) -> list[str]:
    """The groups a signed-in person may answer as: peer workers as peer workers, any other role as staff."""
    out = []
    if survey.for_peer_workers and actor.has(*PEER_ROLES):
        out.append(Group.PEER_WORKER.value)
    if survey.for_staff and any(r not in PEER_ROLES for r in actor.roles):
        out.append(Group.STAFF.value)
    return out


def role_group_kept(survey: PeerSurvey) -> bool:
    """Whether a signed-in answer keeps the role group it was given as (peer workers or other staff). Only when
    the survey asks both and each has at least the anonymity threshold of people in the organisation: otherwise
    "answered as a peer worker" could point to one of one or two people, and the answer is kept as staff only."""
    if not (survey.for_peer_workers and survey.for_staff):
        return True
    peers: set[int] = set()
    others: set[int] = set()
    for user_id, role in Membership.objects.filter(
        organisation_id=survey.organisation_id, user__is_active=True
    ).values_list("user_id", "role"):
        (peers if role in PEER_ROLES else others).add(user_id)
    return len(peers) >= ANONYMITY_THRESHOLD and len(others) >= ANONYMITY_THRESHOLD


def is_open(survey: PeerSurvey, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return survey.status == Status.PUBLISHED and survey.opens_on <= today <= survey.closes_on


def _parse(survey: PeerSurvey, answers: Mapping[str, Any]) -> list[SurveyAnswer]:
    errors: dict[str, str] = {}
    rows: list[SurveyAnswer] = []
    for q in survey.questions.order_by("position", "pk"):
        raw = answers.get(f"q{q.pk}")
        raw = "" if raw is None else str(raw).strip()
        if raw == "":
            continue
        if q.kind == Kind.TEXT:
            if len(raw) > MAX_TEXT:
                errors[f"q{q.pk}"] = _("Write at most 2000 characters.")
            else:
                rows.append(SurveyAnswer(organisation_id=survey.organisation_id, question=q, text=raw))
            continue
        limit = 5 if q.kind == Kind.SCALE else len(q.option_list())
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if not 1 <= value <= limit:
            errors[f"q{q.pk}"] = _("Choose one of the answers offered.")
        else:
            rows.append(SurveyAnswer(organisation_id=survey.organisation_id, question=q, value=value))
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("Answer at least one question; you may leave out any you prefer not to answer."))
    return rows


def _save(survey: PeerSurvey, group: str, rows: list[SurveyAnswer]) -> None:
    response = SurveyResponse.objects.create(organisation_id=survey.organisation_id, survey=survey, group=group)
    for row in rows:
        row.response = response
    SurveyAnswer.objects.bulk_create(rows)


@transaction.atomic
def answer_signed_in(actor: Actor, survey: PeerSurvey, *, group: str, answers: Mapping[str, Any]) -> None:
    """Store one anonymous response. That the person answered and what they answered are saved in tables that
    share no key, so the answers cannot be traced back to them."""
    _same_organisation(actor, survey)
    allowed = groups_for(actor, survey)
    if not allowed:
        raise PermissionDenied
    if group not in allowed:
        raise ValidationError({"group": _("Choose one of the groups the survey is for that you belong to.")})
    if not is_open(survey):
        raise ValidationError(_("This survey is not open for answers."))
    rows = _parse(survey, answers)
    try:
        with transaction.atomic():
            participation = SurveyParticipation.objects.create(
                organisation_id=actor.organisation_id, survey=survey, user=actor.user
            )
    except IntegrityError:
        raise ValidationError(_("You have already answered this survey. Thank you.")) from None
    _save(survey, group if role_group_kept(survey) else Group.ANY_STAFF, rows)
    # The audit names the participation (that the person answered), never the response.
    record(actor, Action.CREATE, participation, detail=Detail("survey_answered"))


@transaction.atomic
def answer_with_link(token: str, *, answers: Mapping[str, Any]) -> None:
    """A service user's answers through a one-time link: the link is marked used, the answers saved apart."""
    link = (
        SurveyLink.objects.select_for_update()
        .select_related("survey")
        .filter(token_hash=SurveyLink.hash_token(token))
        .first()
    )
    if link is None:
        raise PermissionDenied
    if link.used:
        raise ValidationError(_("This link has already been used. Thank you for answering."))
    survey = link.survey
    if not is_open(survey):
        raise ValidationError(_("This survey is not open for answers."))
    rows = _parse(survey, answers)
    link.used = True
    link.save(update_fields=["used"])
    _save(survey, Group.SERVICE_USER, rows)
    record(None, Action.CREATE, link, organisation_id=survey.organisation_id, detail=Detail("survey_answered_via_link"))
