"""The session flag that a second factor was given at login (set by security.authn_views); the
middleware that asks for it is security.middleware.SecondFactorMiddleware."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

SESSION_KEY = "mingjing_2fa_ok"

# The idle expiry (SESSION_COOKIE_AGE) is renewed by saving the session, at most once this
# often: a plain GET writes nothing, and a session dies 29 to 30 minutes after its last use.
RENEWED_KEY = "mingjing_renewed"


def renew_seconds() -> int:
    return int(getattr(settings, "MINGJING_SESSION_RENEW_SECONDS", 60))


class IdleExpiryMiddleware:
    """Renews a signed-in session's idle expiry when its last renewal is older than
    MINGJING_SESSION_RENEW_SECONDS, instead of saving the session on every request
    (SESSION_SAVE_EVERY_REQUEST), which made every GET a database write."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        session = getattr(request, "session", None)
        # Loading first: a cookie whose session has expired or is unknown leaves no key.
        if session is not None and list(session.keys()) and session.session_key:
            now = int(timezone.now().timestamp())
            renewed = session.get(RENEWED_KEY)
            if not isinstance(renewed, int) or not 0 <= now - renewed < renew_seconds():
                session[RENEWED_KEY] = now  # modified: saved with a fresh expire_date
        return self.get_response(request)
