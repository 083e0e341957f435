"""Home pages made for each role.

A person sees one section per role they hold, in the order of ``HOME_ORDER``. Each section is a template
``core/home/<role>.html`` filled by the callables other apps register with
``hooks.register(hooks.home_section(role))``; a returned key ending in ``_home_template`` names a template
to include in that section.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from . import hooks
from .actor import Actor
from .roles import HOME_ORDER, Role

F = TypeVar("F", bound=Callable[..., Any])


def sections_for(actor: Actor) -> list[dict[str, Any]]:
    out = []
    for role in HOME_ORDER:
        if role in actor.roles:
            context: dict[str, Any] = {}
            for gather in hooks.get(hooks.home_section(role)):
                context.update(gather(actor))
            extras = [v for k, v in sorted(context.items()) if k.endswith("_home_template")]
            out.append(
                {
                    "role": str(role),
                    "label": Role(role).label,
                    "template": f"core/home/{role}.html",
                    "extra_templates": extras,
                    **context,
                }
            )
    return out


def section(role: str, *, order: int = 0) -> Callable[[F], F]:
    """Shorthand for ``hooks.register(hooks.home_section(role))``: add what ``fn(actor)`` returns to the
    home page of ``role``."""
    return hooks.register(hooks.home_section(role), order=order)
