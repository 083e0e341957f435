"""A job for the worker tests: the first run stops half-way (the test kills its worker there)."""

from __future__ import annotations

import time
from pathlib import Path

from peerwork.core.jobs import job


@job
def remember(*, organisation_id: int, folder: str) -> str:
    started = Path(folder) / "started"
    if not started.exists():
        started.write_text("started")
        time.sleep(120)  # the test kills the worker while it waits here
    (Path(folder) / "done").write_text("done")
    return "done"
