"""The words of each kind of notification, written in whatever language is active when they are read."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from peerwork.core import events

# What each kind is called on the choices page, in the order shown there.
LABELS: dict[str, Promise] = {
    events.ENGAGEMENT_STARTED: gettext_lazy("A new engagement is yours"),
    events.PROPOSAL_WAITING: gettext_lazy("A proposal is waiting for your answer"),
    events.SIGNAL_ACKNOWLEDGED: gettext_lazy("A signal you sent was acknowledged"),
    events.CONTRIBUTION_DECIDED: gettext_lazy("A decision on a proposal you made"),
    events.REVIEWS_DUE: gettext_lazy("Reviews coming up"),
    events.GUIDANCE_OVERDUE: gettext_lazy("Guidance overdue"),
    events.WEEKLY_DIGEST: gettext_lazy("The week in short (coordinators)"),
    events.CASELOAD_TO_HAND_OVER: gettext_lazy("A leaving peer worker's engagements to hand over"),
    events.EXPORTED_COPIES_TO_DELETE: gettext_lazy("Exported copies to delete after a participant withdrew"),
}


def message(kind: str, counts: Mapping[str, int]) -> str:
    """One plain sentence; numbers only, never a name (the link leads to the rest)."""
    if kind == events.ENGAGEMENT_STARTED:
        return _("A new engagement has been started with you as the peer worker. Open it to see who and when.")
    if kind == events.PROPOSAL_WAITING:
        return _("You have been proposed as peer worker for someone. Say whether you can take it on.")
    if kind == events.SIGNAL_ACKNOWLEDGED:
        return _("The manager you sent a signal to has read it and acknowledged it.")
    if kind == events.CONTRIBUTION_DECIDED:
        return _("A decision has been made on a proposal you made. Open the initiative to see what came of it.")
    if kind == events.REVIEWS_DUE:
        n = counts.get("engagements", 0)
        return ngettext(
            "%(n)d engagement is due for a review within two weeks.",
            "%(n)d engagements are due for a review within two weeks.",
            n,
        ) % {"n": n}
    if kind == events.GUIDANCE_OVERDUE:
        n = counts.get("peer_workers", 0)
        return ngettext(
            "%(n)d peer worker you guide has not had guidance for longer than agreed.",
            "%(n)d peer workers you guide have not had guidance for longer than agreed.",
            n,
        ) % {"n": n}
    if kind == events.WEEKLY_DIGEST:
        parts = [
            ngettext("%(n)d person waiting for a peer worker", "%(n)d people waiting for a peer worker", c) % {"n": c}
            for c in [counts.get("waiting", 0)]
        ]
        parts.append(
            ngettext("%(n)d review coming up", "%(n)d reviews coming up", counts.get("reviews", 0))
            % {"n": counts.get("reviews", 0)}
        )
        parts.append(
            ngettext(
                "%(n)d peer worker overdue for guidance",
                "%(n)d peer workers overdue for guidance",
                counts.get("guidance", 0),
            )
            % {"n": counts.get("guidance", 0)}
        )
        parts.append(
            ngettext(
                "%(n)d proposal waiting for a decision",
                "%(n)d proposals waiting for a decision",
                counts.get("proposals", 0),
            )
            % {"n": counts.get("proposals", 0)}
        )
        return _("This week: %(parts)s.") % {"parts": "; ".join(parts)}
    if kind == events.CASELOAD_TO_HAND_OVER:
        n = counts.get("engagements", 0)
        return ngettext(
            "A peer worker has left. %(n)d engagement needs a new peer worker: propose one, or put the person "
            "back on the waiting list.",
            "A peer worker has left. %(n)d engagements need a new peer worker: propose one for each, or put the "
            "person back on the waiting list.",
            n,
        ) % {"n": n}
    if kind == events.EXPORTED_COPIES_TO_DELETE:
        return _(
            "A participant in a co-assessment has withdrawn. A copy you downloaded from it before then (a project "
            "file or a report) still holds their words: delete it, then mark it done on the co-assessment's page."
        )
    raise ValueError(f"unknown kind {kind!r}")


def subject(kind: str) -> str:
    return _("Peerwork: %(what)s") % {"what": LABELS[kind]}
