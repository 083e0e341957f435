from __future__ import annotations

from typing import Any

from django import template

from ..models import Group
from ..roles import LEAD_ROLES, PARTNER_ROLES, READ_ROLES, WRITE_ROLES

register = template.Library()
_GROUPS = dict(Group.choices)


@register.filter
def group_label(code: str) -> Any:
    return _GROUPS.get(code, code)


@register.filter
def can_read_readiness(actor: Any) -> bool:
    return bool(actor) and actor.has(*READ_ROLES)


@register.filter
def is_readiness_partner(actor: Any) -> bool:
    return bool(actor) and actor.has(*PARTNER_ROLES)


@register.filter
def can_lead_readiness(actor: Any) -> bool:
    return bool(actor) and actor.has(*LEAD_ROLES)


@register.filter
def can_write_readiness(actor: Any) -> bool:
    return bool(actor) and actor.has(*WRITE_ROLES)


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None
