"""Every write of the peer recovery service, one module per topic.

Each function takes the acting person and keyword-only arguments, validates (the model's own field rules
as well as the service's), raises ``ValidationError({field: message})`` with a message that says how to put
it right, runs in one transaction and records the audit entry in it: nothing is ever half-saved. The pages
and the API call the same functions, so they validate the same way.

* ``referrals``   — register a person and their referral, refer again, correct details, close a referral;
* ``proposals``   — matching: propose peer workers, record the person's choice or refusal, declared conflicts;
* ``engagements`` — start (from a choice or a handover), review, close and hand over an engagement;
* ``contacts``    — log and correct contacts;
* ``goals``       — goals in the person's words, ratings, finishing a goal;
* ``guidance``    — guidance sessions for peer workers;
* ``profiles``    — peer workers' profiles and the organisation's workload and matching settings;
* ``availability`` — the peer worker's own availability, the agreed range, the hold of a new peer worker;
* ``leavers``     — a leaving peer worker's engagements: flagged for a handover, or back to the waiting list.
"""

from . import availability, contacts, engagements, goals, guidance, leavers, profiles, proposals, referrals
from ._common import plan_inputs_changed

__all__ = [
    "availability",
    "contacts",
    "engagements",
    "goals",
    "guidance",
    "leavers",
    "profiles",
    "proposals",
    "plan_inputs_changed",
    "referrals",
]
