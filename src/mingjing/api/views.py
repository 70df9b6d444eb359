"""/api/v1: the token exchange, the caller, case lookups and the OpenAPI document."""

from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from mingjing.api import schemas as s
from mingjing.api.auth import error
from mingjing.api.serializers import case_detail, case_summary, me
from mingjing.cases import selectors as case_selectors
from mingjing.security import authn as account_services
from mingjing.security import policy
from mingjing.security.actor import actor_for
from mingjing.security.http import AuthedHttpRequest

router = Router()
DENIED = {401: s.Error, 403: s.Error}


@router.post(
    "/auth/token",
    auth=None,
    url_name="auth_token",
    summary="以用户名、密码（及动态口令）换取令牌",
    response={201: s.Token, 400: s.FieldErrors, 401: s.Error, 403: s.Error, 429: s.Error},
)
def auth_token(request: HttpRequest, data: s.TokenInput):
    """Exchange username and password (and a TOTP code when required) for a bearer token."""
    if not data.username or not data.password:
        return error(400, "请提供 username 和 password。")
    result = account_services.login_attempt(
        username=data.username, password=data.password, request=request
    )
    if result.user is None:
        return error(429 if result.throttled else 401, result.error)
    user = result.user
    if policy.needs_second_factor(actor_for(user)) or user.has_totp:
        if not user.has_totp:
            return error(403, "您的角色须先在网页上启用动态口令，才能使用 API。")
        if not account_services.totp_verify(user=user, code=data.otp, request=request):
            return error(401, "需要有效的动态口令（otp 字段）。", otp_required=True)
    token, secret = account_services.api_token_create(user=user, name=data.name, request=request)
    return Status(201, {"token": secret, "expires_at": token.expires_at.isoformat()})


@router.get("/me", url_name="me", summary="当前账号", response={200: s.Me, **DENIED})
def whoami(request: AuthedHttpRequest):
    return me(request.actor)


@router.get(
    "/cases", url_name="cases", summary="按案号查询案件", response={200: s.CaseList, **DENIED}
)
def cases(request: AuthedHttpRequest, number: str = Query("", description="案号或其一部分")):
    if not policy.may_look_up_cases(request.actor):
        return error(403, "您的角色无权查询案件。")
    found = case_selectors.search_cases(request.actor, number.strip()[:60])[:50]
    return {"results": [case_summary(case) for case in found]}


@router.get(
    "/cases/{int:case_id}",
    url_name="case",
    summary="案件详情",
    response={200: s.CaseDetail, 404: s.Error, **DENIED},
)
def case(request: AuthedHttpRequest, case_id: int):
    try:
        found = case_selectors.case_for(request.actor, case_id)
    except Http404:
        return error(404, "案件不存在。")
    return case_detail(found)


@router.get(
    "/openapi.json",
    auth=None,
    url_name="openapi",
    summary="本接口文档（OpenAPI 3.1）",
    response={200: dict},
)
def openapi(request: HttpRequest):
    from mingjing.api.v1 import openapi_document

    return openapi_document()
