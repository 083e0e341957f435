"""What a peer worker's availability means, in words: whether they are open to new people, what still keeps
a new peer worker on hold, and each change in their availability history. Shared by the pages, the API and
the services (``services/availability.py`` holds the writes)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from peerwork.core import hooks

from .models import AvailabilityChange, PeerWorkerProfile


def orientation_complete(organisation_id: int, user_ids: list[int]) -> set[int]:
    """Who among ``user_ids`` has completed orientation, as the parts that know orientation say (readiness,
    through the ``orientation_complete`` hook: the service is a lower layer and does not import it)."""
    done: set[int] = set()
    for answer in hooks.get(hooks.ORIENTATION_COMPLETE):
        done |= set(answer(organisation_id, user_ids))
    return done


def missing_for(profile: PeerWorkerProfile, orientation_done: bool) -> list[str]:
    """What still keeps a new peer worker on hold, in words (empty when the hold may be lifted). Peerwork
    default: the languages they speak and agreed hours (matching needs them to propose anyone well) and a
    completed orientation; lived experience stays optional and never holds anyone back."""
    missing = []
    if not profile.languages:
        missing.append(_("the languages they speak, in their matching profile"))
    if not profile.working_hours:
        missing.append(_("agreed working hours, on this page"))
    if not orientation_done:
        missing.append(_("an orientation marked as completed, in readiness"))
    return missing


def _day(value: Any) -> str:
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return date_format(day, "DATE_FORMAT")


def status_text(profile: PeerWorkerProfile, today: date) -> str:
    """One sentence: open to new people, paused (until when), or new and on hold."""
    if profile.on_hold:
        return _("New: not open to new people until profile and orientation are complete.")
    if profile.open_to_new(today):
        return _("Open to new people.")
    if profile.resumes_on is not None:
        return _("New referrals paused: open to new people again on %(day)s.") % {"day": _day(profile.resumes_on)}
    return _("New referrals paused until further notice.")


def _yes_no(value: Any) -> str:
    return _("yes") if value else _("no")


def change_texts(change: AvailabilityChange) -> list[str]:
    """What one change did, in words (no field names, codes or ISO dates)."""
    kind = change.kind
    if kind == AvailabilityChange.Kind.HOLD:
        return [_("New peer worker: not open to new people until profile and orientation are complete")]
    if kind == AvailabilityChange.Kind.LIFTED:
        return [_("Profile and orientation complete: open to new people")]
    v = change.values or {}
    out = []
    if "capacity_min" in v or "capacity_max" in v:
        out.append(
            _("Agreed range: from %(lo)s to %(hi)s engagements")
            % {"lo": v.get("capacity_min"), "hi": v.get("capacity_max")}
        )
    if "accepting" in v:
        if v["accepting"]:
            out.append(_("Open to new people again"))
        elif v.get("resumes_on"):
            out.append(_("Paused new referrals until %(day)s") % {"day": _day(v["resumes_on"])})
        else:
            out.append(_("Paused new referrals"))
    elif "resumes_on" in v:
        if v["resumes_on"]:
            out.append(_("Open to new people again on %(day)s") % {"day": _day(v["resumes_on"])})
        else:
            out.append(_("No day set to open again"))
    if "capacity" in v:
        out.append(_("Most active engagements: %(n)s") % {"n": v["capacity"]})
    if "evenings" in v:
        out.append(_("Works evenings: %(answer)s") % {"answer": _yes_no(v["evenings"])})
    if "weekends" in v:
        out.append(_("Works weekends: %(answer)s") % {"answer": _yes_no(v["weekends"])})
    if "working_hours" in v:
        out.append(_("Changed the agreed hours"))
    return out
