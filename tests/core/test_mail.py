"""Invitation and password links are never printed or logged: without a mail server, mail goes to private files."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from peerwork.core.checks import mail_is_not_printed

SRC = str(Path(__file__).resolve().parents[2] / "src")
LINK = "https://peerwork.example.org/account/password/reset/MQ/secret-token-abc123/"

SEND = f"""
import django
django.setup()
from django.conf import settings
from django.core.mail import send_mail
print("backend", settings.EMAIL_BACKEND)
if "smtp" in settings.EMAIL_BACKEND:
    print("smtp", settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_HOST_USER, settings.EMAIL_USE_TLS)
else:
    send_mail("Choose your password", "Open {LINK} to choose it.", None, ["kari@example.invalid"])
"""


def _run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PEERWORK_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean.update(
        {
            "PYTHONPATH": SRC,
            "DJANGO_SETTINGS_MODULE": "peerwork.settings",
            "PEERWORK_DATA_DIR": str(tmp_path),
            "PEERWORK_LOG_LEVEL": "DEBUG",
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, "-c", SEND], env=clean, capture_output=True, text=True, timeout=120, cwd=tmp_path
    )


def test_without_a_mail_server_links_go_to_a_private_file_and_never_to_the_output(tmp_path):
    result = _run(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "peerwork.core.mail.PrivateFileBackend" in result.stdout
    output = result.stdout + result.stderr
    assert "secret-token-abc123" not in output
    assert "kept in" in result.stderr  # the operator is told where the mail went
    folder = tmp_path / "mail"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    [kept] = list(folder.iterdir())
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert "secret-token-abc123" in kept.read_text()


def test_with_a_mail_server_mail_goes_by_smtp(tmp_path):
    result = _run(tmp_path, PEERWORK_EMAIL_URL="smtp://peerwork:s%40cret@smtp.example.org:2525")
    assert result.returncode == 0, result.stderr
    assert "django.core.mail.backends.smtp.EmailBackend" in result.stdout
    assert "smtp smtp.example.org 2525 peerwork True" in result.stdout
    assert not (tmp_path / "mail").exists()


def test_a_console_mail_backend_is_refused(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert [m.id for m in mail_is_not_printed(None)] == ["peerwork.E002"]
    settings.EMAIL_BACKEND = "peerwork.core.mail.PrivateFileBackend"
    settings.DEBUG = False
    assert [m.id for m in mail_is_not_printed(None)] == ["peerwork.W001"]
