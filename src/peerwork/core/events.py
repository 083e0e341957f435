"""What happened, for the people who should be told: the domain apps emit, the notifications app listens.

A service calls ``emit(Event(...))`` inside its transaction, after its write. The event names its kind,
the organisation, the people to tell and a link to the page where they see the rest; it carries no name or
words about anyone (the link only), so a message made from it holds no personal data of service users.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from . import hooks

ENGAGEMENT_STARTED = "engagement_started"
PROPOSAL_WAITING = "proposal_waiting"
SIGNAL_ACKNOWLEDGED = "signal_acknowledged"
CONTRIBUTION_DECIDED = "contribution_decided"
REVIEWS_DUE = "reviews_due"
GUIDANCE_OVERDUE = "guidance_overdue"
WEEKLY_DIGEST = "weekly_digest"
CASELOAD_TO_HAND_OVER = "caseload_to_hand_over"
EXPORTED_COPIES_TO_DELETE = "exported_copies_to_delete"
KINDS = (
    ENGAGEMENT_STARTED,
    PROPOSAL_WAITING,
    SIGNAL_ACKNOWLEDGED,
    CONTRIBUTION_DECIDED,
    REVIEWS_DUE,
    GUIDANCE_OVERDUE,
    WEEKLY_DIGEST,
    CASELOAD_TO_HAND_OVER,
    EXPORTED_COPIES_TO_DELETE,
)


@dataclass(frozen=True)
class Event:
    kind: str
    organisation_id: int
    recipient_ids: tuple[int, ...]
    url: str
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown event kind {self.kind!r}")


def emit(
    kind: str,
    *,
    organisation_id: int,
    recipients: Iterable[int | None],
    url: str,
    by: int | None = None,
    **counts: int,
) -> None:
    """Tell ``recipients`` (user ids; None is skipped) that ``kind`` happened; ``counts`` are numbers only.
    ``by`` is the person who acted: nobody is told of what they did themselves."""
    ids = tuple(sorted({r for r in recipients if r is not None and r != by}))
    if not ids:
        return
    event = Event(kind=kind, organisation_id=organisation_id, recipient_ids=ids, url=url, counts=counts)
    for listener in hooks.get(hooks.EVENTS):
        listener(event)
