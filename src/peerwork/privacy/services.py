"""Every write of the privacy part: validated first, one transaction, audited with the person as subject.

Bad input raises ``ValidationError({field: message})`` with a message that says how to fix it, before
anything is saved.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from peerwork.accounts.models import Membership, User
from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record, record_many
from peerwork.core import jobs, validation
from peerwork.core.actor import Actor
from peerwork.core.roles import Role
from peerwork.organisations.models import Unit
from peerwork.service.models import Contact, Engagement, Goal, Referral, ServiceUser, Visibility
from peerwork.service.services import plan_inputs_changed

from . import access
from . import consent as consent_rules
from .models import STAFF_PURPOSES, Consent, ConsentItem, EvaluationExport, PseudonymKey, RetentionPolicy


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
                {"__all__": _("The form was changed in a way Peerwork cannot read. Reload the page and try again.")}
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
        errors["how_given"] = _("Choose how the person gave their consent: said out loud, on paper or digitally.")
    if scope not in Consent.GoalScope.values:
        errors["goals"] = _("Choose which goals may be shared.")
    if given_on is None:
        errors["given_on"] = _("Enter the day the person gave their consent.")
    elif message := validation.date_error(given_on, last=timezone.localdate()):
        errors["given_on"] = message
    if message := validation.date_error(valid_until):
        errors["valid_until"] = message
    if given_on and valid_until and valid_until < given_on:
        errors["valid_until"] = _(
            "The consent would end before it starts. Enter an end date on or after %(start)s, or leave it empty."
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
    elif purpose and (unit_id or user_id or goal_ids or note_ids or summaries or scope != Consent.GoalScope.NONE):
        errors["purpose"] = _(
            "Only a consent to share names a recipient and what is shared. Choose “sharing” as the purpose, "
            "or leave the recipient and what is shared empty."
        )

    goals: list[Goal] = []
    notes: list[Contact] = []
    if not errors and purpose == Consent.Purpose.SHARE:
        if scope == Consent.GoalScope.SELECTED:
            goals = list(
                Goal.objects.filter(organisation_id=actor.organisation_id, service_user=person, pk__in=goal_ids)
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


def record_consent(
    actor: Actor,
    service_user_id: int,
    *,
    purpose: str,
    how_given: str,
    given_on: date | str | None,
    valid_until: date | str | None = None,
    goals: str = Consent.GoalScope.NONE,
    contact_summaries: bool = False,
    goal_ids: Iterable[int | str] = (),
    note_ids: Iterable[int | str] = (),
    recipient_unit: int | str | None = None,
    recipient_user: int | str | None = None,
) -> Consent:
    """Record a consent the person gave. For sharing, chosen goals and notes are marked *care team*.

    Dates and ids may come as typed values (a form, a service) or as text (an import); either way the same
    checks run and each refusal names the field and how to put it right."""
    values: dict[str, Any] = {
        "purpose": purpose,
        "how_given": how_given,
        "given_on": given_on,
        "valid_until": valid_until,
        "goals": goals,
        "contact_summaries": contact_summaries,
        "goal_ids": list(goal_ids),
        "note_ids": list(note_ids),
        "recipient_unit": recipient_unit,
        "recipient_user": recipient_user,
    }
    with transaction.atomic():
        person = access.person_for_consent(actor, service_user_id, for_update=True)
        if person.anonymised_at is not None:
            raise ValidationError(
                {"__all__": _("This person's record has been anonymised; no consent can be recorded.")}
            )
        clean = _clean_consent(actor, person, values)
        chosen_goals: list[Goal] = clean.pop("_goals")
        chosen_notes: list[Contact] = clean.pop("_notes")
        consent = Consent.objects.create(
            organisation_id=actor.organisation_id, service_user=person, recorded_by=actor.user, **clean
        )
        ConsentItem.objects.bulk_create(
            [ConsentItem(organisation_id=actor.organisation_id, consent=consent, goal=g) for g in chosen_goals]
            + [ConsentItem(organisation_id=actor.organisation_id, consent=consent, contact=c) for c in chosen_notes]
        )
        record(actor, Action.CREATE, consent, subject=person, detail=Detail("consent_purpose", purpose=consent.purpose))
        _mark_care_team(actor, person, chosen_goals, chosen_notes, consent)
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
                detail=Detail("visibility_by_consent", visibility="care_team", consent=consent.pk),
            )
    for contact in notes:
        if contact.note_visibility != Visibility.CARE_TEAM:
            Contact.objects.filter(pk=contact.pk).update(note_visibility=Visibility.CARE_TEAM)
            record(
                actor,
                Action.UPDATE,
                contact,
                subject=person,
                detail=Detail("visibility_by_consent", visibility="care_team", consent=consent.pk),
            )


def withdraw_consent(actor: Actor, consent_id: int) -> Consent:
    """The person withdrew their consent: it stops counting from this moment, on every open page."""
    with transaction.atomic():
        consent = (
            Consent.objects.select_for_update()
            .filter(organisation_id=actor.organisation_id, pk=consent_id, service_user__isnull=False)
            .first()
        )
        if consent is None or consent.service_user_id is None:
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
        record(actor, Action.UPDATE, consent, subject=person, detail=Detail("withdrawn"))
        consent_rules.withdrawn(actor, [consent])
    return consent


def set_retention(actor: Actor, months: Any) -> RetentionPolicy:
    actor.require(Role.DPO)
    try:
        value = int(months)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 120:
        raise ValidationError({"months_after_last_engagement": _("Enter a whole number of months from 1 to 120.")})
    with transaction.atomic():
        policy, _created = RetentionPolicy.objects.select_for_update().get_or_create(
            organisation_id=actor.organisation_id, defaults={"updated_by": actor.user}
        )
        policy.months_after_last_engagement = value
        policy.updated_by = actor.user
        policy.save()
        record(actor, Action.UPDATE, policy, detail=Detail("retention_months", count=value))
    return policy


# --- subject rights: rectification and erasure (data protection officer) ---------------------------------


def _person_for_dpo(actor: Actor, service_user_id: int) -> ServiceUser:
    actor.require(*access.SUBJECT_RIGHTS_ROLES)
    found = (
        ServiceUser.objects.select_for_update()
        .filter(organisation_id=actor.organisation_id, pk=service_user_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


RECTIFIABLE = ("chosen_name", "phone", "email", "birth_year", "municipality", "district", "help_with")


def rectify(actor: Actor, service_user_id: int, **values: str | int | None) -> ServiceUser:
    """Correct the person's own details at their request (GDPR Art. 16). Only the fields given change; each
    must be one of ``RECTIFIABLE``."""
    unknown = set(values) - set(RECTIFIABLE)
    if unknown:
        raise TypeError(f"rectify() cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        person = _person_for_dpo(actor, service_user_id)
        if person.anonymised_at is not None:
            raise ValidationError(
                {"__all__": _("This person's record is anonymised; there is nothing left to correct.")}
            )
        errors: dict[str, str] = {}
        clean: dict[str, Any] = {}
        for name in RECTIFIABLE:
            if name in values:
                clean[name] = str(values.get(name) or "").strip()
        if "chosen_name" in clean and not clean["chosen_name"]:
            errors["chosen_name"] = _("Enter the name the person wants to be called.")
        if clean.get("email"):
            try:
                validate_email(clean["email"])
            except ValidationError:
                errors["email"] = _("Enter an e-mail address like name@example.no, or leave it empty.")
        if "birth_year" in clean:
            raw = clean["birth_year"]
            if raw == "":
                clean["birth_year"] = None
            elif not raw.isdigit() or not 1900 <= int(raw) <= _today().year:
                errors["birth_year"] = _(
                    "Enter a year of birth as four digits, from 1900 to this year, or leave it empty."
                )
            else:
                clean["birth_year"] = int(raw)
        if errors:
            raise ValidationError(errors)
        changed = [k for k, v in clean.items() if getattr(person, k) != v]
        if not changed:
            raise ValidationError({"__all__": _("Nothing was changed. Correct a field, or go back.")})
        for k in changed:
            setattr(person, k, clean[k])
        person.save(update_fields=changed)
        plan_inputs_changed(actor.organisation_id)  # year of birth and district count in matching
        record(actor, Action.UPDATE, person, subject=person, detail=Detail("rectified", fields=changed))
    return person


def erase(actor: Actor, service_user_id: int, *, confirmed: bool) -> dict[str, int]:
    """Anonymise the person's record at their request (GDPR Art. 17), keeping the figures statistics need."""
    from . import subject

    with transaction.atomic():
        person = _person_for_dpo(actor, service_user_id)
        if person.anonymised_at is not None:
            raise ValidationError(
                {
                    "__all__": _("This record was already anonymised on %(day)s.")
                    % {"day": date_format(timezone.localtime(person.anonymised_at), "SHORT_DATE_FORMAT")}
                }
            )
        if not confirmed:
            raise ValidationError({"confirm": _("Tick the box to confirm that this is the right person.")})
        if Engagement.objects.filter(
            organisation_id=actor.organisation_id, service_user=person, closed_on__isnull=True
        ).exists():
            raise ValidationError(
                {
                    "__all__": _(
                        "The person has an active engagement. "
                        "Ask their peer worker or coordinator to close it first, then anonymise."
                    )
                }
            )
        if Referral.objects.filter(
            organisation_id=actor.organisation_id, service_user=person, status__in=Referral.OPEN
        ).exists():
            raise ValidationError(
                {
                    "__all__": _(
                        "The person has an open referral on the waiting list. "
                        "Ask a coordinator to close it first, then anonymise."
                    )
                }
            )
        return subject.anonymise(person, actor=actor, reason="erasure")


# --- evaluation exports and retention ----------------------------------------------------------------------


def create_evaluation_export(actor: Actor, *, recipient: str, purpose: str) -> EvaluationExport:
    """Draw a fresh key, build the pseudonymised extract, store the key apart. Each included person gets an
    EXPORT entry in the audit trail, so their access report shows it."""
    from . import evaluation

    actor.require(*access.EVALUATION_ROLES)
    recipient, purpose = (recipient or "").strip(), (purpose or "").strip()
    errors = {}
    if not recipient:
        errors["recipient"] = _("Say who receives the extract, for example the evaluation team or a research partner.")
    if not purpose:
        errors["purpose"] = _("Say what the extract will be used for.")
    if errors:
        raise ValidationError(errors)
    key = secrets.token_bytes(32)
    with transaction.atomic():
        extract = evaluation.build_extract(actor.organisation_id, key, _today())
        export = EvaluationExport.objects.create(
            organisation_id=actor.organisation_id,
            created_by=actor.user,
            recipient=recipient[:200],
            purpose=purpose[:300],
            people=len(extract.people),
            content=extract.content,
        )
        PseudonymKey.objects.create(organisation_id=actor.organisation_id, export=export, key=key.hex())
        record(actor, Action.CREATE, export, detail=Detail("export_people", count=export.people))
        people = ServiceUser.objects.filter(organisation_id=actor.organisation_id, pk__in=extract.people).only("pk")
        record_many(actor, Action.EXPORT, [(export, p) for p in people], detail=Detail("evaluation_export"))
        peer_workers = User.objects.filter(pk__in=extract.peer_workers).only("pk")
        record_many(actor, Action.EXPORT, [(export, u) for u in peer_workers], detail=Detail("evaluation_export"))
    return export


# --- a staff member's own consent (a peer worker's consent to use in evaluation) ----------------------------


def _own_consent_purpose(actor: Actor, purpose: str) -> str:
    """The purpose, if the actor may consent to it for themself (a peer worker to evaluation), or refused."""
    roles = access.OWN_CONSENT_ROLES.get(purpose) if purpose in STAFF_PURPOSES else None
    if roles is None:
        raise ValidationError({"__all__": _("This is not something you can consent to for yourself here.")})
    actor.require(*roles)
    return purpose


def _own_in_force(actor: Actor, purpose: str) -> QuerySet[Consent]:
    """The actor's own consents for ``purpose`` valid today (one, unless two were given at the same moment;
    one that ran out no longer counts, so the person can agree again)."""
    return Consent.objects.filter(
        consent_rules.valid_q(_today()),
        organisation_id=actor.organisation_id,
        staff_member=actor.user,
        purpose=purpose,
        study="",
    )


def give_own_consent(
    actor: Actor, *, purpose: str = Consent.Purpose.EVALUATION, valid_until: date | str | None = None
) -> Consent:
    """The actor consents, for themself, from today (to evaluation: to appear under a pseudonym in extracts),
    until ``valid_until`` or until they withdraw it. The same rules as a service user's consent."""
    _own_consent_purpose(actor, purpose)
    today = _today()
    until = _as_date(valid_until, "valid_until")
    if until is not None and (message := validation.date_error(until)):
        raise ValidationError({"valid_until": message})
    if until is not None and until < today:
        raise ValidationError(
            {"valid_until": _("The end date has passed. Enter a day from today on, or leave it empty.")}
        )
    with transaction.atomic():
        if _own_in_force(actor, purpose).exists():
            raise ValidationError({"__all__": _("You have already agreed. You can withdraw it below.")})
        consent = Consent(
            organisation_id=actor.organisation_id,
            staff_member=actor.user,
            purpose=purpose,
            given_on=today,
            valid_until=until,
            how_given=Consent.HowGiven.DIGITAL,
            recorded_by=actor.user,
        )
        # The people are the signed-in actor and their organisation, and the database holds the constraints:
        # validate the values, not the links and checks again (each would cost a query).
        consent.full_clean(exclude=["organisation", "staff_member", "recorded_by"], validate_constraints=False)
        consent.save()
        record(actor, Action.CREATE, consent, subject=actor.user, detail=Detail("own_consent_given", purpose=purpose))
    return consent


def withdraw_own_consent(actor: Actor, *, purpose: str = Consent.Purpose.EVALUATION) -> Consent:
    """The actor withdraws their own consent: from now on it counts no more (extracts leave them out)."""
    _own_consent_purpose(actor, purpose)
    with transaction.atomic():
        found = _own_in_force(actor, purpose).select_for_update().first()
        if found is None:
            raise ValidationError({"__all__": _("You have not agreed, so there is nothing to withdraw.")})
        found.withdrawn_at = timezone.now()
        found.withdrawn_by = actor.user
        found.save(update_fields=["withdrawn_at", "withdrawn_by"])
        record(actor, Action.UPDATE, found, subject=actor.user, detail=Detail("own_consent_withdrawn", purpose=purpose))
        consent_rules.withdrawn(actor, [found])
    return found


def delete_pseudonym_key(actor: Actor, export_id: int) -> None:
    """End the link between an extract and the people in it, for good (S2 appendices: deletion at the end)."""
    actor.require(Role.DPO)
    with transaction.atomic():
        export = EvaluationExport.objects.filter(organisation_id=actor.organisation_id, pk=export_id).first()
        if export is None:
            raise Http404
        deleted, _n = PseudonymKey.objects.filter(organisation_id=actor.organisation_id, export=export).delete()
        if not deleted:
            raise ValidationError({"__all__": _("The key of this extract was already deleted.")})
        record(
            actor,
            Action.DELETE,
            export,
            object_type="privacy.pseudonymkey",
            detail=Detail("export_key", export=export.pk),
        )


def start_retention(actor: Actor) -> None:
    """Queue the retention run for the actor's organisation, to run in their name (a background job)."""
    from .tasks import run_retention as job  # the job module imports this one

    actor.require(Role.DPO)
    with transaction.atomic():
        jobs.enqueue(job, organisation_id=actor.organisation_id, requested_by=actor.user.pk)
        record(actor, Action.UPDATE, object_type="privacy.retentionpolicy", detail=Detail("retention_run"))


def run_retention(actor: Actor | None, organisation_id: int, today: date, *, dry_run: bool) -> list[Any]:
    """Anonymise everyone due under the organisation's policy, one transaction per person. With ``dry_run``
    nothing changes. Returns the list of ``retention.Due`` handled."""
    from . import retention, subject

    if actor is not None:
        actor.require(Role.DPO)
        organisation_id = actor.organisation_id
    found = retention.due(organisation_id, today)
    if dry_run:
        return found
    done = []
    for item in found:
        with transaction.atomic():
            person = (
                ServiceUser.objects.select_for_update()
                .filter(organisation_id=organisation_id, pk=item.service_user_id, anonymised_at__isnull=True)
                .first()
            )
            # Checked again inside the lock: something may have opened since the list was made.
            if person is None or not retention.due_now(person, today):
                continue
            subject.anonymise(person, actor=actor, reason="retention")
            done.append(item)
    return done
