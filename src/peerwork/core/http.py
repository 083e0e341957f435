"""The typed request every signed-in page receives.

``ActorMiddleware`` lets a page through only once the person has signed in, passed two-step verification and
holds a role in an organisation, and then sets ``request.actor``. Views annotate their request as
``ActorRequest`` so the type checker knows the actor is there (the pattern healthchecks uses for its
authenticated requests); a view that may run before that (``@public``, ``@signed_in_only``) takes a plain
``HttpRequest``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from peerwork.accounts.models import User

    from .actor import Actor


class PeerworkRequest(HttpRequest):
    """Any request once the middleware has run: ``actor`` is None on pages that need no sign-in."""

    actor: Actor | None
    memberships: list[Any]
    htmx: HtmxDetails
    api_token_id: int  # set for API calls made with a personal token


class ActorRequest(PeerworkRequest):
    """A request to a page that needs sign-in: the middleware let it through only with an actor."""

    actor: Actor


class SignedInRequest(PeerworkRequest):
    """A request to a ``@signed_in_only`` page (the two-step verification steps): the middleware let it through
    only once the person has signed in with their password, so ``user`` is never anonymous."""

    user: User
