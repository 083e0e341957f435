"""Who may do what in the privacy part. Every rule reads the database now; nothing is cached.

* Consents of a person: the peer worker with an active engagement with that person, any programme
  coordinator of the organisation (they run the service and its waiting list), the data protection officer.
* "Shared with my team": non-peer professionals, only what a valid consent names them or their unit for.
* Subject rights (export, rectification, anonymisation, access report), retention, evaluation keys:
  the data protection officer. Evaluation extracts: the data protection officer and managers.
* A peer worker's lived experience and declared conflicts: the peer worker themself and the programme
  coordinators of their organisation.
* A staff member's own consent (``OWN_CONSENT_ROLES``: today a peer worker's consent to use in evaluation):
  only that person gives, reads or withdraws it.

A person outside the actor's reach is "not found" (404), never "forbidden": the answer must not tell
whether someone is known to the service.
"""

from __future__ import annotations

from django.http import Http404

from peerwork.core.actor import Actor
from peerwork.core.roles import Role
from peerwork.service.models import Engagement, ServiceUser

CONSENT_ROLES = (Role.PEER_WORKER, Role.COORDINATOR, Role.DPO)
SUBJECT_RIGHTS_ROLES = (Role.DPO,)
EVALUATION_ROLES = (Role.DPO, Role.MANAGER)
LIVED_EXPERIENCE_READERS = (Role.COORDINATOR,)
PEER_WORKER_ROLES = (Role.PEER_WORKER, Role.SENIOR_PEER_WORKER)
# purpose -> the roles whose holders consent to it for themself (evaluation extracts hold peer workers only)
OWN_CONSENT_ROLES: dict[str, tuple[str, ...]] = {"evaluation": PEER_WORKER_ROLES}


def supports(actor: Actor, service_user_id: int) -> bool:
    """Does the actor have an active engagement with this person as their peer worker?"""
    return (
        actor.has(Role.PEER_WORKER)
        and Engagement.objects.filter(
            organisation_id=actor.organisation_id,
            service_user_id=service_user_id,
            peer_worker_id=actor.user.pk,
            closed_on__isnull=True,
        ).exists()
    )


def may_manage_consent(actor: Actor, service_user_id: int) -> bool:
    if actor.has(Role.COORDINATOR, Role.DPO):
        return True
    return supports(actor, service_user_id)


def person_for_consent(actor: Actor, service_user_id: int, *, for_update: bool = False) -> ServiceUser:
    """The person whose consents the actor manages, or 404 (also for roles that may never do so, after a
    403 for them: a role check first tells a manager plainly that this is not their task)."""
    actor.require(*CONSENT_ROLES)
    qs = ServiceUser.objects.filter(organisation_id=actor.organisation_id, pk=service_user_id)
    if for_update:
        qs = qs.select_for_update()
    found = qs.first()
    if found is None or not may_manage_consent(actor, service_user_id):
        raise Http404
    return found


def may_read_lived_experience(actor: Actor, peer_worker_id: int) -> bool:
    """A peer worker's own profile details: themself, or a programme coordinator of the organisation."""
    if actor.user.pk == peer_worker_id:
        return True
    return actor.has(*LIVED_EXPERIENCE_READERS)
