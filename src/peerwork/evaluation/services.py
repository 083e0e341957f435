"""Writes in evaluation: the quarter's pulse survey and anonymous answers to it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core import validation
from peerwork.core.actor import Actor

from .items import DONT_KNOW, ITEMS_VERSION, Condition, groups_for
from .models import PulseAnswer, PulseParticipation, PulseResponse, PulseSurvey, quarter_of


def survey_for(organisation_id: int, day: date | None = None) -> PulseSurvey:
    """The survey of the quarter holding ``day`` (today by default), created the first time it is asked for:
    the survey recurs every quarter without anyone having to set it up."""
    start, end = quarter_of(day or timezone.localdate())
    survey, _created = PulseSurvey.objects.get_or_create(
        organisation_id=organisation_id, period_start=start, defaults={"period_end": end}
    )
    if survey.items_version < ITEMS_VERSION and not survey.responses.exists():
        # Opened before the statements changed but not answered yet: it may ask today's statements. Once
        # anyone has answered, it keeps the wording they answered.
        survey.items_version = ITEMS_VERSION
        survey.save(update_fields=["items_version"])
    return survey


def is_open(survey: PulseSurvey, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return survey.period_start <= today <= survey.period_end


@transaction.atomic
def submit_pulse(actor: Actor, survey: PulseSurvey, *, group: str, answers: Mapping[str, int | str | None]) -> None:
    """Store one anonymous response. Who answered and what they answered are saved in separate tables
    that share no key, so the answers cannot be traced back to the person."""
    if survey.organisation_id != actor.organisation_id:
        raise PermissionDenied
    allowed = groups_for(actor.roles)
    if not allowed:
        raise PermissionDenied
    if group not in allowed:
        raise ValidationError({"group": _("Choose one of the groups your roles belong to.")})
    if not is_open(survey):
        raise ValidationError({"__all__": _("This survey is closed. The survey for the current quarter is open.")})
    errors: dict[str, str] = {}
    given: dict[str, int] = {}
    for condition in Condition.values:
        raw = answers.get(condition)
        if raw is None or raw == "":
            errors[condition] = _("Choose an answer, or “Don't know”.")
            continue
        try:
            value = int(raw)
        except (TypeError, ValueError):
            errors[condition] = _("Choose an answer from the scale.")
            continue
        if value not in (DONT_KNOW, 1, 2, 3, 4, 5):
            errors[condition] = _("Choose an answer from the scale.")
        elif value != DONT_KNOW:
            given[condition] = value
    if errors:
        raise ValidationError(errors)
    if not given:
        raise ValidationError({"__all__": _("Answer at least one statement; “Don't know” on every one says nothing.")})
    try:
        with transaction.atomic():
            participation = PulseParticipation.objects.create(
                organisation_id=actor.organisation_id, survey=survey, user=actor.user
            )
    except IntegrityError:
        raise ValidationError({"__all__": _("You have already answered this quarter's survey. Thank you.")}) from None
    response = PulseResponse(organisation_id=actor.organisation_id, survey=survey, group=group)
    validation.clean(response)
    response.save()
    rows = [
        PulseAnswer(organisation_id=actor.organisation_id, response=response, condition=c, value=v)
        for c, v in given.items()
    ]
    for row in rows:
        validation.clean(row)
    PulseAnswer.objects.bulk_create(rows)
    # The audit names the participation (that the person answered), never the response.
    record(actor, Action.CREATE, participation, detail=Detail("pulse_answered"))
