"""The ``PEERWORK_OIDC`` list, checked (no model import, so settings.py checks it at start; docs/operations.md)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")


@dataclass(frozen=True)
class Provider:
    id: str
    organisation: str  # the organisation's slug
    label: str
    issuer: str
    client_id: str
    client_secret: str
    mfa_trusted: bool
    mfa_amr: frozenset[str]
    mfa_acr: frozenset[str]

    def second_factor_passed(self, claims: dict[str, Any]) -> bool:
        """Whether the ID token says the person passed the organisation's own second factor, and this
        organisation's second factor is trusted; otherwise Peerwork asks for its own code."""
        if not self.mfa_trusted:
            return False
        amr = claims.get("amr") or []
        if isinstance(amr, str):
            amr = [amr]
        return bool(self.mfa_amr & {str(a) for a in amr}) or str(claims.get("acr", "")) in self.mfa_acr


def _problem(index: int, text: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"PEERWORK_OIDC, provider {index + 1}: {text} (see docs/operations.md).")


def parse(raw: str | list[dict[str, Any]]) -> list[Provider]:
    """The providers configured, checked; a mistake names the provider and the key to fix."""
    if not raw:
        return []
    try:
        items = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured(f"PEERWORK_OIDC is not valid JSON: {exc} (see docs/operations.md).") from exc
    if not isinstance(items, list):
        raise ImproperlyConfigured("PEERWORK_OIDC must be a JSON list of providers (see docs/operations.md).")
    providers: list[Provider] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise _problem(i, "each provider is a JSON object")
        for key in ("id", "organisation", "issuer", "client_id"):
            if not isinstance(item.get(key), str) or not item[key]:
                raise _problem(i, f'"{key}" is missing')
        if not _ID.match(item["id"]) or item["id"] in ("callback", "invitation"):
            raise _problem(i, '"id" takes lower-case letters, digits, - and _ only')
        secret = item.get("client_secret") or os.environ.get(str(item.get("client_secret_env", "")), "")
        if not secret:
            raise _problem(i, 'give "client_secret_env" (the name of a variable holding the secret)')
        mfa = item.get("mfa", "totp")
        if mfa not in ("trusted", "totp"):
            raise _problem(i, '"mfa" is "trusted" (the organisation\'s second factor counts) or "totp"')
        issuer = item["issuer"].rstrip("/")
        if not issuer.startswith(("https://", "http://")):
            raise _problem(i, '"issuer" is the provider\'s address, starting with https://')
        providers.append(
            Provider(
                id=item["id"],
                organisation=item["organisation"],
                label=str(item.get("label") or ""),
                issuer=issuer,
                client_id=item["client_id"],
                client_secret=secret,
                mfa_trusted=mfa == "trusted",
                mfa_amr=frozenset(item.get("mfa_amr", ["mfa"])),
                mfa_acr=frozenset(item.get("mfa_acr", [])),
            )
        )
    if len({p.id for p in providers}) != len(providers):
        raise ImproperlyConfigured('PEERWORK_OIDC: two providers have the same "id".')
    return providers
