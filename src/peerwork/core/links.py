"""One-time answering links (a readiness round's invitations, a peer-led survey's links): a random token goes
out in the link, and only its SHA-256 is stored, so a copy of the database opens no link."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
