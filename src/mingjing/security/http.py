"""Typed requests: what the middleware puts on a request, as mypy sees it.

`ActorMiddleware` (security/middleware.py) sets `request.actor` on every request; a view that
reads it takes an `AuthedHttpRequest` instead of Django's bare `HttpRequest`, as healthchecks
does in `hc/accounts/http.py`.
"""

from typing import cast

from django.http import HttpRequest

from mingjing.accounts.models import User
from mingjing.security.actor import Actor


class AuthedHttpRequest(HttpRequest):
    """A request behind `login_required` (or the API's token check): a user and his actor.

    `actor.person` and `actor.court` may still be None (an account with no person acts as
    nobody): narrow with `security.actor.is_known(actor)` or `known_or_403(actor)`.
    """

    user: User
    actor: Actor


class ActorHttpRequest(HttpRequest):
    """Any request past `ActorMiddleware`: the actor may be anonymous."""

    actor: Actor


def actor_of(request: HttpRequest) -> Actor:
    """`request.actor` where Django's signature says `HttpRequest` (admin hooks, middleware)."""
    return cast(ActorHttpRequest, request).actor
