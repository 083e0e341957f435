"""Service users and their referrals: register, refer again, correct the person's details, close.

Writes that two coordinators might do at the same moment change the referral's status with a *conditional*
UPDATE on the status it must have, under a row lock where the database has one, so the second of two
simultaneous attempts gets a clear message instead of a duplicate.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.audit.details import Detail
from peerwork.audit.trail import Action, record
from peerwork.core import validation
from peerwork.core.actor import Actor
from peerwork.core.roles import Role

from ..models import LifeArea, MatchProposal, Referral, ServiceUser
from ._common import UNCHANGED, plan_inputs_changed, provided, today, validate

WORD_LISTS = ("languages", "help_areas", "interests", "background", "services_used")


def referral_for_update(actor: Actor, pk: int) -> Referral:
    actor.require(Role.COORDINATOR)
    found = (
        Referral.objects.select_for_update()
        .select_related("service_user")
        .filter(organisation_id=actor.organisation_id, pk=pk)
        .first()
    )
    if found is None:
        raise ValidationError({"referral": _("This referral does not exist in your organisation.")})
    return found


def move_referral(referral: Referral, from_statuses: tuple[str, ...], to: str, reason: str = "") -> None:
    """Change the status only if it is still one of ``from_statuses``; else someone else was first."""
    moved = Referral.objects.filter(pk=referral.pk, status__in=from_statuses).update(
        status=to, status_reason=reason, status_changed_at=timezone.now()
    )
    if not moved:
        current = Referral.objects.filter(pk=referral.pk).values_list("status", flat=True).first()
        label = dict(Referral.Status.choices).get(current or "", current)
        raise ValidationError(
            {
                "referral": _(
                    "Someone else changed this referral a moment ago: it is now “%(status)s”. "
                    "Nothing was saved. Reload the page to see what was done."
                )
                % {"status": label}
            }
        )
    referral.status = to
    referral.status_reason = reason
    plan_inputs_changed(referral.organisation_id)


def _clean_person(values: dict[str, Any]) -> dict[str, Any]:
    """Tidy and check the person's details that were given (a partial update gives only some)."""
    out = dict(values)
    errors = {}
    if "chosen_name" in out:
        out["chosen_name"] = (out["chosen_name"] or "").strip()
        if not out["chosen_name"]:
            errors["chosen_name"] = _("Enter the name the person wants to be called; a first name is enough.")
    year = out.get("birth_year")
    if year is not None and not 1900 <= int(year) <= today().year:
        errors["birth_year"] = _("Enter a year of birth between 1900 and this year, or leave it empty.")
    for key in WORD_LISTS:
        if key in out:
            out[key] = sorted({str(v).strip().lower() for v in out[key] or [] if str(v).strip()})
    bad_areas = set(out.get("help_areas", [])) - set(LifeArea.values)
    if bad_areas:
        errors["help_areas"] = _("Choose life areas from the list.")
    if "wishes" in out:
        wishes = []
        for wish in out["wishes"] or []:
            if not isinstance(wish, dict) or not wish.get("kind") or wish.get("value") in (None, ""):
                errors["wishes"] = _("Each wish needs a kind and a value.")
                break
            wishes.append({"kind": str(wish["kind"]), "value": wish["value"], "firm": bool(wish.get("firm"))})
        out["wishes"] = wishes
    if errors:
        raise ValidationError(errors)
    return out


def _new_referral(
    actor: Actor,
    person: ServiceUser,
    *,
    source: str,
    referrer: str,
    received_on: date | None,
    wanted_experience: list[str] | None,
    needs_evenings: bool,
    needs_weekends: bool,
) -> Referral:
    """The unsaved referral, checked; the caller saves it inside its transaction."""
    errors = {}
    if source not in Referral.Source.values:
        errors["source"] = _("Choose who referred the person.")
    received = received_on or today()
    if received > today():
        errors["received_on"] = _("The date received cannot be in the future. Enter today's date or earlier.")
    elif message := validation.date_error(received):
        errors["received_on"] = message
    if errors:
        raise ValidationError(errors)
    found = Referral(
        organisation_id=actor.organisation_id,
        service_user=person,
        created_by=actor.user,
        source=source,
        referrer=referrer,
        received_on=received,
        wanted_experience=sorted(set(wanted_experience or [])),
        needs_evenings=needs_evenings,
        needs_weekends=needs_weekends,
    )
    validate(found)
    return found


def new_referral_for(actor: Actor, person: ServiceUser, *, reason: str, like: Referral | None) -> Referral:
    """A waiting referral for someone sent back to the waiting list, saved inside the caller's transaction:
    from the same source and received on the same day as ``like`` (their earlier referral), so the time
    already waited counts; received today when there was none."""
    found = _new_referral(
        actor,
        person,
        source=like.source if like else Referral.Source.PROFESSIONAL,
        referrer=like.referrer if like else "",
        received_on=like.received_on if like else None,
        wanted_experience=like.wanted_experience if like else None,
        needs_evenings=like.needs_evenings if like else False,
        needs_weekends=like.needs_weekends if like else False,
    )
    found.status_reason = reason
    found.status_changed_at = timezone.now()
    found.save()
    plan_inputs_changed(found.organisation_id)
    return found


def create_referral(
    actor: Actor,
    *,
    chosen_name: str,
    source: str,
    phone: str = "",
    email: str = "",
    birth_year: int | None = None,
    languages: list[str] | None = None,
    municipality: str = "",
    district: str = "",
    gender: str = "",
    help_with: str = "",
    help_areas: list[str] | None = None,
    interests: list[str] | None = None,
    background: list[str] | None = None,
    services_used: list[str] | None = None,
    wishes: list[dict[str, Any]] | None = None,
    referrer: str = "",
    received_on: date | None = None,
    wanted_experience: list[str] | None = None,
    needs_evenings: bool = False,
    needs_weekends: bool = False,
) -> Referral:
    """Register a new person and their referral in one step (coordinators)."""
    actor.require(Role.COORDINATOR)
    details = _clean_person(
        {
            "chosen_name": chosen_name,
            "phone": phone,
            "email": email,
            "birth_year": birth_year,
            "languages": languages,
            "municipality": municipality,
            "district": district,
            "gender": gender,
            "help_with": help_with,
            "help_areas": help_areas,
            "interests": interests,
            "background": background,
            "services_used": services_used,
            "wishes": wishes,
        }
    )
    person = ServiceUser(organisation_id=actor.organisation_id, created_by=actor.user, **details)
    validate(person)
    found = _new_referral(
        actor,
        person,
        source=source,
        referrer=referrer,
        received_on=received_on,
        wanted_experience=wanted_experience,
        needs_evenings=needs_evenings,
        needs_weekends=needs_weekends,
    )
    with transaction.atomic():
        person.save()
        found.service_user = person
        found.save()
        plan_inputs_changed(actor.organisation_id)
        record(actor, Action.CREATE, person, subject=person)
        record(actor, Action.CREATE, found, subject=person)
    return found


def refer_again(
    actor: Actor,
    *,
    service_user_id: int,
    source: str,
    referrer: str = "",
    received_on: date | None = None,
    wanted_experience: list[str] | None = None,
    needs_evenings: bool = False,
    needs_weekends: bool = False,
) -> Referral:
    """A new referral for someone already known (e.g. after an earlier engagement closed)."""
    actor.require(Role.COORDINATOR)
    person = ServiceUser.objects.filter(organisation_id=actor.organisation_id, pk=service_user_id).first()
    if person is None:
        raise ValidationError({"service_user": _("This person is not registered in your organisation.")})
    found = _new_referral(
        actor,
        person,
        source=source,
        referrer=referrer,
        received_on=received_on,
        wanted_experience=wanted_experience,
        needs_evenings=needs_evenings,
        needs_weekends=needs_weekends,
    )
    try:
        with transaction.atomic():
            found.save()
            plan_inputs_changed(actor.organisation_id)
            record(actor, Action.CREATE, found, subject=person)
    except IntegrityError:
        raise ValidationError(
            {"service_user": _("This person already has an open referral. Open that one instead.")}
        ) from None
    return found


def update_person(
    actor: Actor,
    *,
    service_user_id: int,
    chosen_name: str = UNCHANGED,
    phone: str = UNCHANGED,
    email: str = UNCHANGED,
    birth_year: int | None = UNCHANGED,
    languages: list[str] = UNCHANGED,
    municipality: str = UNCHANGED,
    district: str = UNCHANGED,
    gender: str = UNCHANGED,
    help_with: str = UNCHANGED,
    help_areas: list[str] = UNCHANGED,
    interests: list[str] = UNCHANGED,
    background: list[str] = UNCHANGED,
    services_used: list[str] = UNCHANGED,
    wishes: list[dict[str, Any]] = UNCHANGED,
) -> ServiceUser:
    """Correct the person's details; only the fields given change (coordinators)."""
    actor.require(Role.COORDINATOR)
    cleaned = _clean_person(
        provided(
            chosen_name=chosen_name,
            phone=phone,
            email=email,
            birth_year=birth_year,
            languages=languages,
            municipality=municipality,
            district=district,
            gender=gender,
            help_with=help_with,
            help_areas=help_areas,
            interests=interests,
            background=background,
            services_used=services_used,
            wishes=wishes,
        )
    )
    with transaction.atomic():
        person = (
            ServiceUser.objects.select_for_update()
            .filter(organisation_id=actor.organisation_id, pk=service_user_id, anonymised_at__isnull=True)
            .first()
        )
        if person is None:
            raise ValidationError({"service_user": _("This person is not registered in your organisation.")})
        for key, value in cleaned.items():
            setattr(person, key, value)
        validate(person)
        person.save(update_fields=list(cleaned))
        plan_inputs_changed(actor.organisation_id)
        record(actor, Action.UPDATE, person, subject=person, detail=Detail("person_fields", fields=sorted(cleaned)))
    return person


def close_referral(actor: Actor, *, referral_id: int, status: str, reason: str) -> Referral:
    """Refer back or decline, with the reason (coordinators). A pending proposal is withdrawn."""
    if status not in (Referral.Status.REFERRED_BACK, Referral.Status.DECLINED):
        raise ValidationError({"status": _("Choose “refer back” or “decline”.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write the reason, so the referrer and the person know why.")})
    with transaction.atomic():
        referral = referral_for_update(actor, referral_id)
        move_referral(referral, Referral.OPEN, status, reason)
        MatchProposal.objects.filter(referral=referral, outcome=MatchProposal.Outcome.PENDING).update(
            outcome=MatchProposal.Outcome.WITHDRAWN, decided_at=timezone.now()
        )
        record(
            actor,
            Action.UPDATE,
            referral,
            subject=referral.service_user,
            detail=Detail("referral_status", status=status),
        )
    return referral
