"""The consent check: may this reader see this part of this person's peer support record, right now?

S1 B4: what a person tells their peer worker reaches the care team only with that person's consent. Every
function here fails closed — no valid consent on record, an unknown purpose, a missing organisation, any
doubt — means no. Nothing is cached: each call asks the database at the moment of reading, so a withdrawal
recorded a second ago already hides the data on the next page load.

A consent is valid for a reader when
* it was given on or before today, is not withdrawn, and has not run out (``valid_until`` empty or ≥ today);
* for sharing: the reader is the named person, or a member of the named unit (memberships are read fresh
  for every request, so leaving a team ends access too).

Goals and notes carry a visibility set by the peer worker (``service.models.Visibility``). Both keys are
needed for a professional to see one: the item is marked *care team*, and a valid consent covers it (all
goals, or this goal or note chosen in the consent). Recording a consent for chosen goals or notes marks
them *care team* (``services.record_consent``), so the person's explicit choice is enough in practice.

For the peer recovery service's selectors:

    from peerwork.privacy import consent
    consent.shared_with(actor, service_user_id, "goals")        # any goal may be shown to this reader?
    consent.shared_with(actor, service_user_id, goal)           # this Goal?
    consent.shared_with(actor, service_user_id, contact)        # this Contact's note?
    consent.shared_with(actor, service_user_id, "contact_summaries")
    consent.visible_goals_for_professional(actor)               # QuerySet[Goal] the reader may see
    consent.visible_notes_for_professional(actor)               # QuerySet[Contact] whose note they may see
    consent.covers(actor, service_user_id, purpose)             # a valid consent for this purpose exists

The same rules hold for every data subject (``Consent`` holds a service user's consents and a staff
member's own, for example a peer worker's consent to appear in evaluation extracts):

    consent.consented_ids(organisation_id, "evaluation")        # service users, as a subquery
    consent.consented_staff_ids(organisation_id, "evaluation")  # peer workers and other staff, as a subquery
    consent.covers_self(actor, "evaluation")                    # the actor's own consent is valid now
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from peerwork.core import hooks
from peerwork.core.actor import Actor
from peerwork.service.models import Contact, Goal, Visibility

from .models import STAFF_PURPOSES, Consent, ConsentItem

SHAREABLE = ("goals", "contact_summaries")


def today() -> date:
    return timezone.localdate()


def valid_q(on: date | None = None, prefix: str = "") -> Q:
    """Consents valid on ``on`` (today by default): given, not withdrawn, not run out."""
    on = on or today()
    p = prefix
    return Q(**{f"{p}given_on__lte": on, f"{p}withdrawn_at__isnull": True}) & (
        Q(**{f"{p}valid_until__isnull": True}) | Q(**{f"{p}valid_until__gte": on})
    )


def recipient_q(actor: Actor, prefix: str = "") -> Q:
    """Sharing consents whose recipient is the reader: the named person, or a unit they are a member of."""
    q = Q(**{f"{prefix}recipient_user_id": actor.user.pk})
    if actor.unit_ids:
        q |= Q(**{f"{prefix}recipient_unit_id__in": sorted(actor.unit_ids)})
    return q


def sharing_consents(actor: Actor, on: date | None = None) -> QuerySet[Consent]:
    """Every sharing consent valid now whose recipient is the reader, in the reader's organisation."""
    if actor is None or not getattr(actor, "organisation_id", None):
        return Consent.objects.none()
    return Consent.objects.filter(
        valid_q(on), recipient_q(actor), organisation_id=actor.organisation_id, purpose=Consent.Purpose.SHARE
    )


def visible_goals_for_professional(actor: Actor, service_user_id: int | None = None) -> QuerySet[Goal]:
    """Goals the reader may see under a valid sharing consent (marked *care team* and covered)."""
    consents = sharing_consents(actor)
    if service_user_id is not None:
        consents = consents.filter(service_user_id=service_user_id)
    all_goals = consents.filter(service_user_id=OuterRef("service_user_id"), goals=Consent.GoalScope.ALL)
    chosen = ConsentItem.objects.filter(
        consent__in=consents.filter(goals=Consent.GoalScope.SELECTED), goal_id=OuterRef("pk")
    )
    qs = Goal.objects.filter(organisation_id=actor.organisation_id, visibility=Visibility.CARE_TEAM)
    if service_user_id is not None:
        qs = qs.filter(service_user_id=service_user_id)
    return qs.filter(Exists(all_goals) | Exists(chosen))


def visible_notes_for_professional(actor: Actor, service_user_id: int | None = None) -> QuerySet[Contact]:
    """Contacts whose note the reader may read: marked *care team* and chosen in a valid sharing consent."""
    consents = sharing_consents(actor)
    if service_user_id is not None:
        consents = consents.filter(service_user_id=service_user_id)
    chosen = ConsentItem.objects.filter(consent__in=consents, contact_id=OuterRef("pk"))
    qs = Contact.objects.filter(organisation_id=actor.organisation_id, note_visibility=Visibility.CARE_TEAM)
    if service_user_id is not None:
        qs = qs.filter(engagement__service_user_id=service_user_id)
    return qs.filter(Exists(chosen)).exclude(note="")


def summaries_shared_with(actor: Actor) -> QuerySet[Consent]:
    return sharing_consents(actor).filter(contact_summaries=True)


def shared_with(actor: Actor, service_user_id: int, what: Any) -> bool:
    """May ``actor`` see ``what`` of this person now? ``what`` is ``"goals"``, ``"contact_summaries"``, a
    ``Goal`` or a ``Contact`` (its note). Anything else — or any error — is no."""
    try:
        if isinstance(what, Goal):
            return (
                what.service_user_id == service_user_id
                and visible_goals_for_professional(actor, service_user_id).filter(pk=what.pk).exists()
            )
        if isinstance(what, Contact):
            return visible_notes_for_professional(actor, service_user_id).filter(pk=what.pk).exists()
        if what == "goals":
            return visible_goals_for_professional(actor, service_user_id).exists()
        if what == "contact_summaries":
            return summaries_shared_with(actor).filter(service_user_id=service_user_id).exists()
    except Exception:  # noqa: BLE001 — any doubt about consent means no (fail closed)
        return False
    return False


def covers(actor: Actor, service_user_id: int, purpose: str) -> bool:
    """Is there a valid consent of this person for ``purpose``? For sharing, it must name the reader.
    Unknown purposes (for example one another part of Peerwork invents) are refused."""
    try:
        if purpose not in Consent.Purpose.values or actor is None:
            return False
        qs = Consent.objects.filter(
            valid_q(), organisation_id=actor.organisation_id, service_user_id=service_user_id, purpose=purpose
        )
        if purpose == Consent.Purpose.SHARE:
            qs = qs.filter(recipient_q(actor))
        return qs.exists()
    except Exception:  # noqa: BLE001
        return False


def consented_ids(organisation_id: int, purpose: str, on: date | None = None) -> QuerySet[Any]:
    """Ids of the organisation's people with a valid consent for a purpose that names no recipient
    (evaluation, text messages, peer support), as a subquery-friendly values list."""
    if purpose not in Consent.Purpose.values or purpose == Consent.Purpose.SHARE:
        return Consent.objects.none().values_list("service_user_id", flat=True)
    return (
        Consent.objects.filter(
            valid_q(on), organisation_id=organisation_id, purpose=purpose, service_user__isnull=False, study=""
        )
        .values_list("service_user_id", flat=True)
        .distinct()
    )


def consented_staff_ids(organisation_id: int, purpose: str, on: date | None = None) -> QuerySet[Any]:
    """Ids of the organisation's peer workers and other staff whose own consent for ``purpose`` is valid on
    ``on`` (today by default), as a subquery-friendly values list. The same rules as for service users: no
    consent on record, a withdrawn one or one that has run out — the person is not in the list."""
    if purpose not in STAFF_PURPOSES:
        return Consent.objects.none().values_list("staff_member_id", flat=True)
    return (
        Consent.objects.filter(
            valid_q(on), organisation_id=organisation_id, purpose=purpose, staff_member__isnull=False, study=""
        )
        .values_list("staff_member_id", flat=True)
        .distinct()
    )


def covers_self(actor: Actor, purpose: str) -> bool:
    """Is the actor's own consent for ``purpose`` valid now? Any doubt is no."""
    try:
        return (
            actor is not None
            and consented_staff_ids(actor.organisation_id, purpose).filter(staff_member_id=actor.user.pk).exists()
        )
    except Exception:  # noqa: BLE001
        return False


def withdrawn(actor: Actor | None, consents: list[Consent]) -> int:
    """Tell the rest of Peerwork that ``consents`` have just been withdrawn (inside the withdrawal's
    transaction): each part removes what rested on them (``hooks.CONSENT_WITHDRAWN``). Returns how many pieces
    were removed."""
    if not consents:
        return 0
    return sum(fn(actor, consents) or 0 for fn in hooks.get(hooks.CONSENT_WITHDRAWN))
