"""The co-assessments' retention job: on each co-assessment's deletion date its material goes, and a
participant whose consent has run out goes with their segments."""

from __future__ import annotations

from django.utils import timezone

from peerwork.core.jobs import job

from . import services


@job
def delete_expired(*, organisation_id: int, period: str = "") -> int:
    today = timezone.localdate()
    return services.delete_expired(organisation_id, today) + services.remove_run_out(organisation_id, today)
