"""System checks of our own; the deploy ones run with ``manage.py check --deploy``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.checks import Warning as CheckWarning


@register(Tags.security, deploy=True)
def demo_mode_off(app_configs: Any, **kwargs: Any) -> list[Error]:
    if settings.DEMO_MODE:
        return [
            Error(
                "PEERWORK_DEMO_MODE is on: demo sign-in help would be shown to anyone.",
                hint="Unset PEERWORK_DEMO_MODE in production.",
                id="peerwork.E001",
            )
        ]
    return []


@register(Tags.security)
def mail_is_not_printed(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """E-mail carries sign-in links: it must never go to the console or the log."""
    backend = settings.EMAIL_BACKEND
    if backend.endswith(("console.EmailBackend",)):
        return [
            Error(
                "E-mail is printed to the console, and with it every invitation and password link.",
                hint="Set PEERWORK_EMAIL_URL, or leave it unset to keep mail in private files.",
                id="peerwork.E002",
            )
        ]
    if backend == "peerwork.core.mail.PrivateFileBackend" and not settings.DEBUG:
        return [
            CheckWarning(
                f"No mail server is configured (PEERWORK_EMAIL_URL): invitations and password links are not "
                f"sent but kept in {settings.EMAIL_FILE_PATH}, readable only by the server's user.",
                hint="Set PEERWORK_EMAIL_URL=smtp://user:password@host:port to send them.",
                id="peerwork.W001",
            )
        ]
    return []
