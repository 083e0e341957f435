from __future__ import annotations

from django.core.management import call_command

from tests.smtp import Mailbox, smtp, subject_of, text_of

__all__ = ["Mailbox", "run_jobs", "smtp", "subject_of", "text_of"]


def run_jobs() -> None:
    """Run every queued job that is due, in this process, as the worker does."""
    call_command("worker", "--batch", "--worker-id", "test-worker")
