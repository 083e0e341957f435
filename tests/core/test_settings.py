"""Production settings pass Django's deployment checks; secrets come only from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[2] / "src")


def run_check(tmp_path, **env: str) -> subprocess.CompletedProcess[str]:
    # The browser tests' switch for Playwright's event loop must not leak into a production check.
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PEERWORK_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean.update({"PYTHONPATH": SRC, "PEERWORK_DATA_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "-m", "peerwork.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "PEERWORK_SECRET_KEY": "p" * 20 + "-a-long-random-production-secret-from-the-vault-0123456789",
    "PEERWORK_DEBUG": "0",
    "PEERWORK_ALLOWED_HOSTS": "peerwork.example.org",
    "PEERWORK_AUDIT_KEYS": "2026-11:" + "k" * 40,
    "PEERWORK_EMAIL_URL": "smtp://peerwork:secret@smtp.example.org:587",
}


def test_production_settings_pass_check_deploy(tmp_path):
    result = run_check(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_demo_mode_is_refused_in_production(tmp_path):
    result = run_check(tmp_path, **PRODUCTION, PEERWORK_DEMO_MODE="1")
    assert result.returncode != 0
    assert "peerwork.E001" in result.stderr + result.stdout


def test_no_secret_key_no_production(tmp_path):
    result = run_check(tmp_path, PEERWORK_DEBUG="0")
    assert result.returncode != 0
    assert "Set PEERWORK_SECRET_KEY" in result.stderr


def test_no_audit_key_no_production(tmp_path):
    without = {k: v for k, v in PRODUCTION.items() if k != "PEERWORK_AUDIT_KEYS"}
    result = run_check(tmp_path, **without)
    assert result.returncode != 0
    assert "Set PEERWORK_AUDIT_KEYS" in result.stderr


def test_a_short_audit_key_is_refused(tmp_path):
    result = run_check(tmp_path, **{**PRODUCTION, "PEERWORK_AUDIT_KEYS": "k1:short"})
    assert result.returncode != 0
    assert "at least 32 characters" in result.stderr


def test_pages_send_a_content_security_policy(world):
    response = world.client("manager").get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
