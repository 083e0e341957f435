"""Plain words for stored codes in templates: a role's name, the kind of record an audit entry touched."""

from __future__ import annotations

from django import template

from peerwork.core import plain

register = template.Library()


@register.filter
def role_name(code: str | None) -> str:
    """A stored role code as the role's name in the reader's language ("peer_worker" -> "Peer worker")."""
    return plain.role_name(code)


@register.filter
def record_kind(label: str | None) -> str:
    """An ``app.model`` label as the record's name ("service.goal" -> "Goal"); other text as it is."""
    if not label:
        return ""
    return plain.kind_of_record(label) or label
