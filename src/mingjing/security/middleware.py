import logging
from collections.abc import Callable
from typing import cast
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, gettext_noop

from mingjing.accounts.middleware import SESSION_KEY
from mingjing.security import policy
from mingjing.security.actor import actor_for
from mingjing.security.http import AuthedHttpRequest
from mingjing.security.sealing import SealError
from mingjing.security.signals import current_request

logger = logging.getLogger("mingjing.security")

# A sealed value that does not open for the row and field that hold it (tampered with, or
# copied from another row, field or court): shown as this page, never as a 500 and never as
# the other row's text (security/sealing.py, docs/security-sealing.md).
SEAL_REFUSED_STATUS = 409
SEAL_REFUSED_TITLE = gettext_noop("内容无法打开")
SEAL_REFUSED_MESSAGE = gettext_noop(
    "该内容未通过密封校验：它可能被篡改，或是从其他记录、其他字段复制而来。"
    "系统拒绝显示，请联系系统管理员核查。"
)


class ActorMiddleware:
    """Puts `request.actor` (who is asking, his court and roles) on every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        actor = SimpleLazyObject(lambda: actor_for(getattr(request, "user", None)))
        request.actor = actor  # type: ignore[attr-defined]
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponseBase | None:
        if not isinstance(exception, SealError):
            return None
        user = getattr(request, "user", None)
        logger.error(
            "sealed value refused on %s (user %s): %s",
            request.path,
            getattr(user, "pk", None),
            exception,
        )
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"error": gettext(SEAL_REFUSED_MESSAGE)},
                status=SEAL_REFUSED_STATUS,
                json_dumps_params={"ensure_ascii": False},
            )
        context = {"title": SEAL_REFUSED_TITLE, "message": SEAL_REFUSED_MESSAGE}
        return render(request, "web/error.html", context, status=SEAL_REFUSED_STATUS)


_OPEN_PREFIXES = ("/static/", "/i18n/", "/api/", "/healthz")


def _open_paths() -> tuple[str, ...]:
    names = ("accounts:totp_verify", "accounts:totp_enrol", "accounts:logout", "accounts:login")
    return tuple(reverse(name) for name in names)


class SecondFactorMiddleware:
    """Roles that need a second factor reach nothing but enrolment and verification before it.

    The API is exempt: its tokens can only be made from a session that has passed this check.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if self._must_stop(request):
            # Only a signed-in user is stopped (_must_stop).
            user = cast(AuthedHttpRequest, request).user
            target = "accounts:totp_verify" if user.has_totp else "accounts:totp_enrol"
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse(target)}?{query}")
        return self.get_response(request)

    def _must_stop(self, request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.session.get(SESSION_KEY):
            return False
        if request.path.startswith(_OPEN_PREFIXES) or request.path in _open_paths():
            return False
        actor = cast(AuthedHttpRequest, request).actor
        return policy.needs_second_factor(actor) or bool(user.has_totp)
