"""Every answer under /api/ is JSON: errors always in the documented Error shape.

Whatever goes wrong below this middleware (an unknown route, a wrong method, an oversized
body, a bad Host header, a failed CSRF check, an unexpected exception) reaches an API client
as `{"error": "<中文说明>"}` with the right status, never as an HTML page or a stack trace.
A query parameter holding NUL is refused before any view sees it, as the web forms refuse it.
"""

import logging

from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
)
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

from mingjing.api.body import NUL_REFUSED, BodyError

API_PREFIX = "/api/"
logger = logging.getLogger("mingjing.api")

MESSAGES = {
    400: "请求格式错误。",
    401: "未认证：请在 Authorization 头中提供有效的 Bearer 令牌。",
    403: "无权访问。",
    404: "接口不存在。请查阅 /api/v1/openapi.json。",
    405: "不支持该请求方法。",
    406: "只提供 JSON。",
    411: "缺少请求体长度。",
    413: "请求体过大。",
    415: "请求体必须是 JSON。",
    429: "请求过于频繁，请稍后再试。",
    500: "服务器内部错误，请求未生效。请稍后重试或联系系统管理员。",
}
TOO_BIG = "请求体过大（上限 {limit}）。"


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def error_response(status: int, message: str | None = None, **extra) -> JsonResponse:
    """The one error shape of the API: {"error": "<中文说明>", ...}; `extra` adds `fields`
    (字段名 → 中文说明) or `otp_required`, as the Error schema of api.schemas says."""
    fallback = MESSAGES.get(status) or MESSAGES[500 if status >= 500 else 400]
    return JsonResponse(
        {"error": message or fallback, **extra},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _too_big() -> JsonResponse:
    from django.conf import settings

    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    size = f"{limit // (1024 * 1024)} MB" if limit and limit >= 1024 * 1024 else f"{limit} 字节"
    return error_response(413, TOO_BIG.format(limit=size))


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class ApiErrorMiddleware:
    """Outermost for /api/: errors become JSON; a view's exception becomes a JSON 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_api(request):
            return self.get_response(request)
        if _query_has_nul(request):
            return error_response(400, NUL_REFUSED)
        response = self.get_response(request)
        if response.status_code >= 400 and not _is_json(response):
            replaced = error_response(response.status_code)
            for header in ("Allow", "WWW-Authenticate", "Retry-After"):
                if header in response:
                    replaced[header] = response[header]
            return replaced
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not is_api(request):
            return None
        if isinstance(exception, BodyError):
            return error_response(400, exception.message)
        if isinstance(exception, RequestDataTooBig):
            return _too_big()
        if isinstance(exception, TooManyFieldsSent | SuspiciousOperation | BadRequest):
            return error_response(400)
        if isinstance(exception, Http404):
            return error_response(404)
        if isinstance(exception, PermissionDenied):
            return error_response(403)
        logger.error("API 请求出错：%s %s", request.method, request.path, exc_info=exception)
        return error_response(500)


def _query_has_nul(request: HttpRequest) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    )
