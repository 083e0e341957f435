"""Deploy checks of our own, run by ``manage.py check --deploy``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


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
