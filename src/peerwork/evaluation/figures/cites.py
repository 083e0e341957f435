"""What each dashboard figure rests on: the source sections behind what it shows, and Peerwork's own choice of
how it is computed (``default-figures``). The labels are the figures' own; the Sources page lists them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from peerwork.core.sources import Cites

D = "default-figures"

FIGURES: dict[str, tuple[StrOrPromise, Cites]] = {
    # individual level (S2 §6.1 levels; S3 on the service and on recovery)
    "engagements_active": (_("Engagements during the period"), ("s3-service", "s2-levels", D)),
    "engagements_started": (_("Engagements started"), ("s3-service", D)),
    "engagements_closed": (_("Engagements closed"), ("s3-service", D)),
    "goals_rated": (_("Goals with progress rated"), ("s3-recovery", "s2-outcomes", D)),
    "goals_improved_share": (_("Goals rated higher than at the start"), ("s3-recovery", "s2-outcomes", D)),
    "goals_mean_change": (_("Average change in own rating"), ("s3-recovery", "s2-outcomes", D)),
    "goals_achieved": (_("Goals reached"), ("s3-recovery", D)),
    "contacts": (_("Contacts"), ("s3-flexibility", D)),
    "contact_hours": (_("Hours of contact"), ("s3-flexibility", "s3-boundaries", D)),
    "contacts_by_channel": (_("Contacts by how they took place"), ("s3-flexibility", D)),
    "closures_by_reason": (_("Why engagements closed"), ("s3-service", D)),
    # service level
    "reach": (_("People reached"), ("s2-outcomes", D)),
    "new_people": (_("People reached for the first time"), ("s2-outcomes", D)),
    "referrals_received": (_("Referrals received"), ("s3-service", D)),
    "wait_median_days": (_("Median wait from referral to start"), ("s1-tasks", D)),
    "waiting_now": (_("Waiting now"), ("s1-tasks", D)),
    "longest_wait_days": (_("Longest wait now"), ("s1-tasks", D)),
    "accompaniments": (_("Accompaniments to services"), ("s3-areas", D)),
    "people_accompanied": (_("People accompanied to services"), ("s3-areas", D)),
    "group_reach": (_("People reached through groups and courses"), ("s1-tasks", D)),
    "group_reach_waiting": (_("Of them, offered their place while waiting"), ("s1-tasks", D)),
    "group_sessions": (_("Group and course sessions held"), ("s1-tasks", D)),
    "signals_raised": (_("Signals raised"), ("s2-direct", D)),
    "signals_acknowledged_share": (_("Signals acknowledged"), ("s2-direct", D)),
    "signals_ack_median_hours": (_("Median time to acknowledgement"), ("s2-direct", D)),
    "signals_resolved": (_("Signals resolved"), ("s2-direct", D)),
    # organisation level
    "initiatives": (_("Initiatives"), ("s2-cocreation", "s4-cocreation", D)),
    "initiatives_early_share": (
        _("Initiatives with peer workers in the early phases"),
        ("s2-cocreation", "s2-delivery-only", D),
    ),
    "initiatives_any_share": (_("Initiatives with peer workers at all"), ("s2-cocreation", D)),
    "initiatives_by_phase": (_("Initiatives with peer workers, by phase"), ("s2-cocreation", "s2-delivery-only", D)),
    "contributions_made": (_("Proposals made"), ("s2-functions", D)),
    "adoption_rate": (_("Adoption rate of proposals"), ("s2-functions", "default-pending", D)),
    "decision_median_days": (_("Median days to a decision"), ("default-pending", D)),
    "contribution_outcomes": (_("What came of proposals"), ("s2-functions", "default-pending", D)),
    "boards": (_("Boards and committees"), ("s4-cocreation", D)),
    "boards_led_by_peer_workers": (_("Led by a peer worker"), ("s4-cocreation", "s2-direct", D)),
    "boards_replacing_user_org": (_("Boards where peer workers replace user organisations"), ("s4-user-orgs", D)),
    "seats_by_kind": (_("Board seats by kind"), ("s4-user-orgs", D)),
    "committees_per_peer_worker": (_("Boards per peer worker"), ("s1-b1", D)),
    "committees_most": (_("Most boards held by one peer worker"), ("s1-b1", D)),
}


def cites_of(key: str) -> Cites:
    return FIGURES[key][1] if key in FIGURES else (D,)
