"""Text messages behind a backend a deployment plugs in; none is sent unless ``PEERWORK_SMS_BACKEND`` names one.

Peerwork keeps no telephone numbers: a backend is given the person (their user record) and the text, and
finds the number where the deployment keeps it (its staff directory, its own SMS gateway's address book).
The text is the same plain sentence as the other channels: no name, nothing a service user said.

Two backends come with Peerwork: ``ConsoleBackend`` writes who (the user id) and the text to the log, for
trying the channel out, and ``LocmemBackend`` keeps messages in ``outbox`` for tests.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from peerwork.accounts.models import User

log = logging.getLogger(__name__)


class SmsBackend(Protocol):
    def send(self, user: User, text: str) -> bool:
        """Send ``text`` to ``user``; False when the person cannot be reached by text message."""
        ...


class ConsoleBackend:
    def send(self, user: User, text: str) -> bool:
        log.warning("Text message for user %s: %s", user.pk, text)
        return True


outbox: list[tuple[int, str]] = []


class LocmemBackend:
    def send(self, user: User, text: str) -> bool:
        outbox.append((user.pk, text))
        return True


def enabled() -> bool:
    return bool(settings.PEERWORK_SMS_BACKEND)


def backend() -> SmsBackend | None:
    """The configured backend, or None when text messages are off (the default)."""
    if not enabled():
        return None
    made: SmsBackend = import_string(settings.PEERWORK_SMS_BACKEND)()
    return made
