"""Every write of the privacy part: validated first, one transaction, audited with the person as subject.

Bad input raises ``ValidationError({field: message})`` with a message that says how to fix it, before
anything is saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from peerwork.accounts.models import Membership, Role
from peerwork.core.actor import Actor
from peerwork.organisations.models import Unit
from peerwork.service.models import Contact, Goal, ServiceUser, Visibility

from . import access
from .audit import Action, record
from .models import Consent, ConsentItem, RetentionPolicy


def _today() -> date:
    return timezone.localdate()


def _ids(values: Any) -> list[int]:
    if values in (None, ""):
        return []
    if isinstance(values, int | str):
        values = [values]
    out = []
    for v in values:
        try:
            out.append(int(v))
        except (TypeError, ValueError):
            raise ValidationError(
                {
                    "__all__": _(
                        "The form was changed in a way Peerwork cannot read. Reload the page and try again."
                    )
                }
            ) from None
    return sorted(set(out))


def _as_date(value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: _("Enter a real date, for example 2026-03-31.")}) from None


def _clean_consent(actor: Actor, person: ServiceUser, values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    purpose = values.get("purpose") or ""
    how = values.get("how_given") or ""
    scope = values.get("goals") or Consent.GoalScope.NONE
    summaries = bool(values.get("contact_summaries"))
    goal_ids = _ids(values.get("goal_ids"))
    note_ids = _ids(values.get("note_ids"))
    unit_id = _ids(values.get("recipient_unit"))
    user_id = _ids(values.get("recipient_user"))
    given_on = _as_date(values.get("given_on"), "given_on")
    valid_until = _as_date(values.get("valid_until"), "valid_until")

    if purpose not in Consent.Purpose.values:
        errors["purpose"] = _("Choose what the person consented to.")
    if how not in Consent.HowGiven.values:
        errors["how_given"] = _(
            "Choose how the person gave their consent: said out loud, on paper or digitally."
        )
    if scope not in Consent.GoalScope.values:
        errors["goals"] = _("Choose which goals may be shared.")
    if given_on is None:
        errors["given_on"] = _("Enter the day the person gave their consent.")
    if given_on and valid_until and valid_until < given_on:
        errors["valid_until"] = _(
            "The consent would end before it starts. "
            "Enter an end date on or after %(start)s, or leave it empty."
        ) % {"start": date_format(given_on, "SHORT_DATE_FORMAT")}

    unit = user = None
    if purpose == Consent.Purpose.SHARE:
        if len(unit_id) > 1 or len(user_id) > 1 or (unit_id and user_id):
            errors["recipient_unit"] = _("Choose one recipient: either a team or a person, not both.")
        elif not unit_id and not user_id:
            errors["recipient_unit"] = _("Choose the team or the person the consent allows sharing with.")
        elif unit_id:
            # Another organisation's team gets the same answer as a team that does not exist.
            unit = Unit.objects.filter(organisation_id=actor.organisation_id, pk=unit_id[0]).first()
            if unit is None:
                errors["recipient_unit"] = _("Choose a team of your own organisation.")
        else:
            member = (
                Membership.objects.filter(
                    organisation_id=actor.organisation_id, user_id=user_id[0], role=Role.PROFESSIONAL
                )
                .select_related("user")
                .first()
            )
            if member is None:
                errors["recipient_user"] = _("Choose a professional who works in your organisation.")
            else:
                user = member.user
        if scope == Consent.GoalScope.NONE and not summaries and not note_ids:
            errors["goals"] = _("Choose what may be shared: goals, contact summaries or particular notes.")
        if scope == Consent.GoalScope.SELECTED and not goal_ids:
            errors["goal_ids"] = _("Choose at least one goal, or choose “all goals”.")
    elif purpose and (
        unit_id or user_id or goal_ids or note_ids or summaries or scope != Consent.GoalScope.NONE
    ):
        errors["purpose"] = _(
            "Only a consent to share names a recipient and what is shared. Choose “sharing” as the purpose, "
            "or leave the recipient and what is shared empty."
        )

    goals: list[Goal] = []
    notes: list[Contact] = []
    if not errors and purpose == Consent.Purpose.SHARE:
        if scope == Consent.GoalScope.SELECTED:
            goals = list(
                Goal.objects.filter(
                    organisation_id=actor.organisation_id, service_user=person, pk__in=goal_ids
                )
            )
            if len(goals) != len(goal_ids):
                errors["goal_ids"] = _(
                    "One of the chosen goals is not this person's. Reload the page and choose again."
                )
        if note_ids:
            notes = list(
                Contact.objects.filter(
                    organisation_id=actor.organisation_id, engagement__service_user=person, pk__in=note_ids
                ).exclude(note="")
            )
            if len(notes) != len(note_ids):
                errors["note_ids"] = _(
                    "One of the chosen notes is not about this person. Reload the page and choose again."
                )
    if errors:
        raise ValidationError(errors)
    return {
        "purpose": purpose,
        "how_given": how,
        "goals": scope if purpose == Consent.Purpose.SHARE else Consent.GoalScope.NONE,
        "contact_summaries": summaries and purpose == Consent.Purpose.SHARE,
        "recipient_unit": unit,
        "recipient_user": user,
        "given_on": given_on,
        "valid_until": valid_until,
        "_goals": goals,
        "_notes": notes,
    }


def record_consent(actor: Actor, service_user_id: int, values: dict[str, Any]) -> Consent:
    """Record a consent the person gave. For sharing, chosen goals and notes are marked *care team*."""
    with transaction.atomic():
        person = access.person_for_consent(actor, service_user_id, for_update=True)
        if person.anonymised_at is not None:
            raise ValidationError(
                {"__all__": _("This person's record has been anonymised; no consent can be recorded.")}
            )
        clean = _clean_consent(actor, person, values)
        goals: list[Goal] = clean.pop("_goals")
        notes: list[Contact] = clean.pop("_notes")
        consent = Consent.objects.create(
            organisation_id=actor.organisation_id, service_user=person, recorded_by=actor.user, **clean
        )
        ConsentItem.objects.bulk_create(
            [ConsentItem(organisation_id=actor.organisation_id, consent=consent, goal=g) for g in goals]
            + [ConsentItem(organisation_id=actor.organisation_id, consent=consent, contact=c) for c in notes]
        )
        record(actor, Action.CREATE, consent, subject=person, detail=f"purpose={consent.purpose}")
        _mark_care_team(actor, person, goals, notes, consent)
    return consent


def _mark_care_team(
    actor: Actor, person: ServiceUser, goals: Iterable[Goal], notes: Iterable[Contact], consent: Consent
) -> None:
    for goal in goals:
        if goal.visibility != Visibility.CARE_TEAM:
            Goal.objects.filter(pk=goal.pk).update(visibility=Visibility.CARE_TEAM)
            record(
                actor,
                Action.UPDATE,
                goal,
                subject=person,
                detail=f"visibility care_team by consent {consent.pk}",
            )
    for contact in notes:
        if contact.note_visibility != Visibility.CARE_TEAM:
            Contact.objects.filter(pk=contact.pk).update(note_visibility=Visibility.CARE_TEAM)
            record(
                actor,
                Action.UPDATE,
                contact,
                subject=person,
                detail=f"visibility care_team by consent {consent.pk}",
            )


def withdraw_consent(actor: Actor, consent_id: int) -> Consent:
    """The person withdrew their consent: it stops counting from this moment, on every open page."""
    with transaction.atomic():
        consent = (
            Consent.objects.select_for_update()
            .filter(organisation_id=actor.organisation_id, pk=consent_id)
            .first()
        )
        if consent is None:
            actor.require(*access.CONSENT_ROLES)
            raise Http404
        person = access.person_for_consent(actor, consent.service_user_id)
        if consent.withdrawn_at is not None:
            raise ValidationError(
                {
                    "__all__": _("This consent was already withdrawn on %(day)s.")
                    % {"day": date_format(timezone.localtime(consent.withdrawn_at), "SHORT_DATE_FORMAT")}
                }
            )
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = actor.user
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        record(actor, Action.UPDATE, consent, subject=person, detail="withdrawn")
    return consent


def set_retention(actor: Actor, months: Any) -> RetentionPolicy:
    actor.require(Role.DPO)
    try:
        value = int(months)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 120:
        raise ValidationError(
            {"months_after_last_engagement": _("Enter a whole number of months from 1 to 120.")}
        )
    with transaction.atomic():
        policy, _created = RetentionPolicy.objects.select_for_update().get_or_create(
            organisation_id=actor.organisation_id, defaults={"updated_by": actor.user}
        )
        policy.months_after_last_engagement = value
        policy.updated_by = actor.user
        policy.save()
        record(actor, Action.UPDATE, policy, detail=f"months={value}")
    return policy
