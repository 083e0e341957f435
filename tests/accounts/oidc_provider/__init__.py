"""A real OpenID provider (django-oauth-toolkit) for the tests, run in its own process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests


@contextmanager
def running(clients: list[dict[str, str]]) -> Iterator[str]:
    """Start the provider with these clients (client_id, client_secret, redirect_uri); yields its base address
    (its issuer is ``<base>/o``) and stops it afterwards."""
    root = Path(__file__).resolve().parents[3]
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.accounts.oidc_provider.serve"],
        cwd=root,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(root)},
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(json.dumps(clients) + "\n")
    process.stdin.close()
    try:
        yield f"http://127.0.0.1:{int(process.stdout.readline())}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def subject_at(op: str, username: str) -> str:
    """The subject (``sub``) the provider gives a person, as its administrators would look it up."""
    return requests.get(f"{op}/subject/", params={"username": username}, timeout=10).text
