"""The roles a person can hold in an organisation, and the groups of roles that rules name.

Defined once, at the bottom of the layers, so the actor, the permission matrix and every app name the same
roles without importing each other.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    MANAGER = "manager", _("Manager")
    COORDINATOR = "coordinator", _("Programme coordinator")
    PEER_WORKER = "peer_worker", _("Peer worker")
    SENIOR_PEER_WORKER = "senior_peer_worker", _("Senior peer worker / supervisor")
    PROFESSIONAL = "professional", _("Non-peer professional")
    DPO = "dpo", _("Data protection officer")


# The order in which a person with several roles lands on a home page.
HOME_ORDER = (
    Role.COORDINATOR,
    Role.SENIOR_PEER_WORKER,
    Role.PEER_WORKER,
    Role.MANAGER,
    Role.PROFESSIONAL,
    Role.DPO,
    Role.ADMINISTRATOR,
)

EVERYONE = frozenset(Role)
# People who do peer work themselves (the peer worker and the senior peer worker who supervises).
PEER_ROLES = (Role.PEER_WORKER, Role.SENIOR_PEER_WORKER)
# People who manage or coordinate the service.
MANAGING_ROLES = (Role.MANAGER, Role.COORDINATOR)
