"""The co-assessments' retention job: on each co-assessment's deletion date its material goes."""

from __future__ import annotations

from django.utils import timezone

from peerwork.core.jobs import job

from . import services


@job
def delete_expired(*, organisation_id: int, period: str = "") -> int:
    return services.delete_expired(organisation_id, timezone.localdate())
