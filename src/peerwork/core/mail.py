"""Where e-mail goes when no mail server is configured: private files, never the console or the log.

Invitations and password resets carry sign-in links; printing them would hand an account to anyone who can
read the server's output. Without ``PEERWORK_EMAIL_URL`` each message is written to a file under
``EMAIL_FILE_PATH`` (``PEERWORK_DATA_DIR/mail``) in a directory only the server's user may open.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.filebased import EmailBackend

log = logging.getLogger(__name__)


class PrivateFileBackend(EmailBackend):
    file_path: str  # set by Django's file backend from EMAIL_FILE_PATH

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        os.chmod(self.file_path, 0o700)

    def open(self) -> bool:
        if self.stream is None:
            fd = os.open(self._get_filename(), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            self.stream = os.fdopen(fd, "ab")
            return True
        return False

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = super().send_messages(email_messages)
        if sent:
            # Only the count and the folder: the messages themselves carry sign-in links.
            log.warning("No mail server is configured: %d e-mail(s) kept in %s, not sent.", sent, self.file_path)
        return sent
