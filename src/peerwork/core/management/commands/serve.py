"""``peerwork serve``: run Peerwork for production (``./run serve``, the container's command).

Before serving: apply migrations, collect the static files into ``STATIC_ROOT`` (WhiteNoise serves them with
hashed names and a year-long cache) and run ``check --deploy``, refusing to start on any warning. Then it
runs gunicorn and, when this version of Peerwork has a background worker command (``peerwork help`` lists
it), that worker beside it: if either stops, the other is stopped too and ``serve`` exits, so a supervisor
(systemd, the container engine) restarts the whole. ``--no-worker`` serves pages only (the worker runs
elsewhere); ``--worker-only`` runs only the worker (a second container, without the setup steps).
"""

from __future__ import annotations

import hashlib
import os
import signal
import sys
import time
from pathlib import Path
from subprocess import Popen, TimeoutExpired  # noqa: S404 - starts gunicorn and the worker, ours, no shell
from types import FrameType
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

# The background worker's command, first found wins: Peerwork's own worker (jobs and their schedule), else
# the task library's database worker.
WORKER_COMMANDS = ("worker", "db_worker")


def worker_command() -> str | None:
    """The name of the background worker's management command in this version of Peerwork, if it has one."""
    available = get_commands()
    return next((name for name in WORKER_COMMANDS if name in available), None)


def static_fingerprint() -> str:
    """Names, sizes and times of every static file the finders see, and the storage: when they are the same
    as at the last collection, collecting again would write the same files (and compressing takes a while)."""
    digest = hashlib.sha256(str(settings.STORAGES["staticfiles"]).encode())
    found: dict[str, str] = {}
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            found.setdefault(path, storage.path(path))
    for path, real in sorted(found.items()):
        info = os.stat(real)
        digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


class Command(BaseCommand):
    help = (
        "Serve Peerwork for production: apply migrations, collect static files, run the deployment checks, then "
        "run gunicorn, and the background worker beside it when this version has one."
    )
    requires_system_checks: list[str] = []  # `check --deploy` runs below, and refuses warnings too

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("PEERWORK_BIND", "127.0.0.1:8000"),
            help="Address and port to listen on (default PEERWORK_BIND or 127.0.0.1:8000).",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", "") or 3),
            help="gunicorn worker processes (default WEB_CONCURRENCY or 3).",
        )
        parser.add_argument(
            "--collect-only",
            action="store_true",
            help="Only collect the static files (when they changed) and stop: for building a container image.",
        )
        parser.add_argument("--no-worker", action="store_true", help="Serve pages only; the worker runs elsewhere.")
        parser.add_argument(
            "--worker-only",
            action="store_true",
            help="Run only the background worker (no migrations, no pages): for a separate worker container.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker = None if options["no_worker"] else worker_command()
        python = sys.executable
        if options["worker_only"]:
            if worker is None:
                self.stdout.write("This version of Peerwork has no background worker: nothing to run.")
                return
            self.stdout.write(f"Starting the background worker (peerwork {worker}).")
            sys.stdout.flush()
            os.execv(python, [python, "-m", "peerwork.cli", worker])  # noqa: S606 - replaces this process

        if options["collect_only"]:
            self.collect_static()
            return
        self.stdout.write("Applying migrations…")
        call_command("migrate", interactive=False, verbosity=0)
        self.collect_static()
        self.stdout.write("Running the deployment checks…")
        call_command("check", deploy=True, fail_level="WARNING")
        connections.close_all()

        web = [
            python,
            "-m",
            "gunicorn",
            "peerwork.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["processes"]),
            "--error-logfile",
            "-",
            "--no-control-socket",
        ]  # more settings: gunicorn's own GUNICORN_CMD_ARGS
        self.stdout.write(f"Serving on {options['bind']} with gunicorn.")
        if worker is None:
            self.stdout.write("No background worker in this version (or --no-worker): pages only.")
            sys.stdout.flush()
            os.execv(python, web)  # noqa: S606 - gunicorn takes over this process and its signals
        self.stdout.write(f"Starting the background worker (peerwork {worker}) beside it.")
        sys.stdout.flush()
        code = supervise({"gunicorn": web, "worker": [python, "-m", "peerwork.cli", worker]}, self.stderr.write)
        if code:
            raise CommandError(f"Stopped: a process ended with exit code {code}.", returncode=code)

    def collect_static(self) -> None:
        fingerprint = static_fingerprint()
        stamp = Path(settings.STATIC_ROOT) / ".peerwork-collected"
        if stamp.is_file() and stamp.read_text(encoding="utf-8") == fingerprint:
            self.stdout.write("Static files already collected.")
            return
        self.stdout.write("Collecting static files…")
        call_command("collectstatic", interactive=False, verbosity=0)
        stamp.write_text(fingerprint, encoding="utf-8")


def supervise(commands: dict[str, list[str]], say: Any) -> int:
    """Run every command; when one ends (or SIGTERM/SIGINT arrives) stop the others. Returns 0 after a
    requested stop, otherwise the exit code of the process that ended first (1 if that was 0)."""
    processes = {name: Popen(argv) for name, argv in commands.items()}  # noqa: S603 - fixed argv, no shell
    requested: list[int] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        requested.append(signum)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        ended: tuple[str, int] | None = None
        while ended is None and not requested:
            for name, process in processes.items():
                if process.poll() is not None:
                    ended = (name, process.returncode)
                    break
            else:
                time.sleep(0.2)
        if ended is not None:
            say(f"The {ended[0]} process stopped (exit code {ended[1]}); stopping the others.")
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 30
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except TimeoutExpired:
                process.kill()
                process.wait()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if ended is None:
        return 0
    return ended[1] or 1
