"""``{% cite keys %}``: citations as links with readable text to their entries on the Sources page.

``keys`` is a tuple of citation keys (``Item.source``, ``Check.source``…) or one key; several keys may also be
given as separate arguments. Unknown keys raise, so a typo fails the page's test instead of showing nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from peerwork.core import sources

register = template.Library()


def _keys(args: Iterable[object]) -> list[str]:
    out: list[str] = []
    for arg in args:
        if isinstance(arg, str):
            out.append(arg)
        elif isinstance(arg, Iterable):
            out.extend(str(k) for k in arg)
    return out


def _sources_page() -> str:
    """The Sources page's address. A page may cite dozens of times, so it is reversed once for each URL
    configuration and prefix."""
    return _sources_page_in(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@functools.lru_cache(maxsize=16)
def _sources_page_in(urlconf: Any, prefix: str) -> str:
    return reverse("core:sources", urlconf=urlconf)


@register.simple_tag
def cite(*args: object) -> SafeString:
    keys = _keys(args)
    if not keys:
        return SafeString("")
    page = _sources_page()
    return format_html_join(
        "; ",
        '<a class="source-link" href="{}#{}">{}</a>',
        ((page, key, sources.get(key).label) for key in keys),
    )


@register.simple_tag
def source_link(key: str) -> SafeString:
    """A link to a whole source (``"S1"``) on the Sources page."""
    source = sources.SOURCES[key]
    return format_html(
        '<a class="source-link" href="{}#{}">{}</a>', reverse("core:sources"), source.anchor, source.short
    )
