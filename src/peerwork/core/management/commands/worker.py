"""``peerwork worker``: run background jobs from the database queue, and keep the schedule.

The library's database worker (``db_worker``) runs the jobs; beside it, a housekeeping thread says every few
seconds that this worker is alive, hands back jobs left running by a worker that went quiet (killed, or its
machine lost), and enqueues the scheduled jobs whose day or week has come (``peerwork.core.jobs``).

With a broker-backed backend the broker's own worker runs the jobs; run ``peerwork worker --schedule-only``
(one process) or ``peerwork worker --schedule-once`` from cron to keep the schedule.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, connection
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from peerwork.core import jobs


class Command(BaseCommand):
    help = "Run background jobs and keep the schedule (retention, reminders, digests)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between looks at an empty queue.")
        parser.add_argument("--heartbeat", type=float, default=10.0, help="Seconds between housekeeping rounds.")
        parser.add_argument(
            "--batch", action="store_true", help="Run what is queued now, then stop (the schedule is not kept)."
        )
        parser.add_argument("--schedule-only", action="store_true", help="Keep the schedule; run no jobs.")
        parser.add_argument("--schedule-once", action="store_true", help="Enqueue what is due now, then stop.")
        parser.add_argument("--worker-id", default="", help="A name unique among the running workers.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule_once"]:
            for name in jobs.due_schedule():
                self.stdout.write(f"enqueued: {name}")
            return
        worker_id = options["worker_id"] or get_random_string(32)
        if len(worker_id) > 64:
            raise CommandError("--worker-id: at most 64 characters.")
        heartbeat = max(float(options["heartbeat"]), 0.2)
        if not jobs.uses_database_backend() and not options["schedule_only"]:
            raise CommandError(
                "The background jobs go to a broker (PEERWORK_TASKS_BACKEND): run the broker's worker, and "
                "`peerwork worker --schedule-only` for the schedule."
            )
        # Before the first job: hand back what a stopped worker abandoned (a batch run keeps no schedule).
        self._housekeeping(worker_id, schedule=not options["batch"])
        if options["batch"]:
            Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id,
                excluded_queue_names=[],
            ).run()
            return
        if options["schedule_only"]:
            while True:
                time.sleep(heartbeat)
                self._housekeeping(worker_id, schedule=True)
        stop = threading.Event()
        keeper = threading.Thread(
            target=self._keep, args=(worker_id, heartbeat, stop), name="peerwork-housekeeping", daemon=True
        )
        keeper.start()
        worker = Worker(
            queue_names=["default"],
            interval=float(options["interval"]),
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()

    def _keep(self, worker_id: str, every: float, stop: threading.Event) -> None:
        while not stop.wait(every):
            self._housekeeping(worker_id, schedule=True)
            connection.close()  # this thread's own connection; a new one next round

    def _housekeeping(self, worker_id: str, *, schedule: bool) -> None:
        close_old_connections()
        jobs.heartbeat(worker_id)
        handed_back = jobs.requeue_abandoned()
        if handed_back:
            self.stdout.write(f"{handed_back} job(s) left by a stopped worker are queued again.")
        if schedule:
            for name in jobs.due_schedule():
                self.stdout.write(f"enqueued: {name}")
