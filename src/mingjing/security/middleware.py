import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, gettext_noop

from mingjing.security.actor import actor_for
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
