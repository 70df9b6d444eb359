from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from mingjing.accounts import services as account_services
from mingjing.api.auth import error, ok, token_required
from mingjing.api.body import json_object
from mingjing.api.openapi import openapi_document
from mingjing.api.serializers import case_detail, case_summary, me
from mingjing.cases import selectors as case_selectors
from mingjing.security import policy
from mingjing.security.actor import actor_for


def _json_body(request: HttpRequest) -> dict:
    """The JSON object; a bad body raises BodyError, answered 400 by the API middleware."""
    return json_object(request)


@csrf_exempt
@require_POST
def auth_token(request: HttpRequest) -> JsonResponse:
    """Exchange username and password (and a TOTP code when required) for a bearer token."""
    body = _json_body(request)
    if body is None:
        return error(400, "请求体必须是 JSON 对象。")
    username, password = str(body.get("username", "")), str(body.get("password", ""))
    if not username or not password:
        return error(400, "请提供 username 和 password。")
    result = account_services.login_attempt(username=username, password=password, request=request)
    if result.user is None:
        return error(429 if result.throttled else 401, result.error)
    user = result.user
    if policy.needs_second_factor(actor_for(user)) or user.has_totp:
        if not user.has_totp:
            return error(403, "您的角色须先在网页上启用动态口令，才能使用 API。")
        code = str(body.get("otp", ""))
        if not account_services.totp_verify(user=user, code=code, request=request):
            return error(401, "需要有效的动态口令（otp 字段）。", otp_required=True)
    name = str(body.get("name", "API"))
    token, secret = account_services.api_token_create(user=user, name=name, request=request)
    return ok({"token": secret, "expires_at": token.expires_at.isoformat()}, status=201)


@csrf_exempt
@require_GET
@token_required
def whoami(request: HttpRequest) -> JsonResponse:
    return ok(me(request.actor))


@csrf_exempt
@require_GET
@token_required
def cases(request: HttpRequest) -> JsonResponse:
    if not policy.may_look_up_cases(request.actor):
        return error(403, "您的角色无权查询案件。")
    query = request.GET.get("number", "").strip()[:60]
    found = case_selectors.search_cases(request.actor, query)[:50]
    return ok({"results": [case_summary(case) for case in found]})


@csrf_exempt
@require_GET
@token_required
def case(request: HttpRequest, case_id: int) -> JsonResponse:
    try:
        found = case_selectors.case_for(request.actor, case_id)
    except Http404:
        return error(404, "案件不存在。")
    return ok(case_detail(found))


@csrf_exempt
@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    return ok(openapi_document())
