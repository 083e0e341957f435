"""The client's address, the one place that decides it: the API throttle and the sign-in lockout both use it.

By default the address is the connection's own (``REMOTE_ADDR``). Behind a reverse proxy every request comes
from the proxy, so the operator names the header the proxy sets (``PEERWORK_TRUSTED_PROXY_HEADER``, e.g.
``X-Forwarded-For``) and how many proxies of their own stand in front (``PEERWORK_TRUSTED_PROXY_COUNT``). Only
the entries those proxies appended are trusted; whatever the client wrote into the header itself is not.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(value: str) -> str | None:
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of the client as seen by the first trusted proxy, or the connection's address."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    header: str = getattr(settings, "PEERWORK_TRUSTED_PROXY_HEADER", "")
    count: int = getattr(settings, "PEERWORK_TRUSTED_PROXY_COUNT", 0)
    if not header or count < 1:
        return remote
    key = "HTTP_" + header.upper().replace("-", "_")
    hops = [hop for hop in (request.META.get(key) or "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote  # the header is missing or shorter than our own proxies make it: not to be trusted
    return _valid(hops[-count]) or remote
