from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from peerwork.demo.seed import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Seed the demo world (idempotent) and print a demo sign-in for each role."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Generated people only; nothing real."))
        self.stdout.write(f"Sign in at http://127.0.0.1:8000 with password  {DEMO_PASSWORD}  and one of:")
        for login in logins:
            self.stdout.write(f"  {login.username:<18} {login.role:<34} {login.organisation}")
        self.stdout.write("The two-step page shows the current code for demo accounts (demo mode only).")
