"""May a signal to management name a service user? Only when that person's consent covers it.

Consent lives in the privacy app (``peerwork.privacy.consent.covers``). A signal is read by the manager it is
sent to, so the question asked is: does this person have a valid consent to share with that manager (the
manager by name, or a team the manager belongs to)? This module is the one place co-creation asks it.

When the privacy app offers no consent check, the answer is always no: a signal is then never linked to a
service user, and a sender who says their text names or describes someone is asked to remove what could
identify the person. Any error while asking also means no (fail closed, DOMAIN.md §5).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# The consent purpose that covers showing something about a person to a named recipient.
PURPOSE = "share"


def consent_check() -> Callable[..., bool] | None:
    """The privacy app's consent check, or None when it has none."""
    try:
        from peerwork.privacy import consent as privacy_consent
    except ImportError:
        return None
    fn: Any = getattr(privacy_consent, "covers", None)
    return fn if callable(fn) else None


def linking_offered() -> bool:
    return consent_check() is not None


def consent_covers(recipient: Any, service_user_id: int) -> bool:
    """``recipient`` is the Actor of the manager who will read the signal."""
    check = consent_check()
    if check is None or recipient is None:
        return False
    try:
        return bool(check(recipient, service_user_id, PURPOSE))
    except Exception:  # noqa: BLE001 — any doubt about consent means no (fail closed)
        return False
