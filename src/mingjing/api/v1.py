"""/api/v1 on django-ninja: one NinjaAPI whose routers validate requests with api.schemas, and
the OpenAPI document generated from them.

Around ninja, what the API promised before stays: a body is read by api.body (depth, NUL,
64-bit integers), bearer tokens from accounts, and every error in the one shape of
api.middleware — `{"error": "<中文说明>"}`, with `fields` (字段名 → 中文说明) when the body's
fields are wrong.
"""

import json

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer

from mingjing.api.auth import bearer_user, error
from mingjing.api.body import BodyError, parse_object
from mingjing.api.middleware import MESSAGES, error_response
from mingjing.records.rules import CASE_NUMBER_CHARS, MAX_CASE_NUMBERS
from mingjing.security.actor import actor_for

BAD_REQUEST = "请求内容有误，请按字段说明修改。"
NOT_AN_OBJECT = "请求体必须是 JSON 对象。"
UNAUTHENTICATED = "未认证：请在 Authorization 头中提供有效的 Bearer 令牌。"


class BodyParser(Parser):
    """The body through api.body: refuses what the API refused before ninja."""

    def parse_body(self, request: HttpRequest) -> dict:
        return parse_object(request.body)


class ChineseJSON(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


class BearerToken(HttpBearer):
    """`Authorization: Bearer …`: puts the user and the actor on the request."""

    def __call__(self, request: HttpRequest):
        user = bearer_user(request)
        if user is None:
            return None
        request.user = user
        request.actor = actor_for(user)  # type: ignore[attr-defined]
        return user

    def authenticate(self, request: HttpRequest, token: str):  # pragma: no cover - see __call__
        return None


api = NinjaAPI(
    title="明镜 Mingjing API",
    version="1",
    auth=BearerToken(),
    parser=BodyParser(),
    renderer=ChineseJSON(),
    urls_namespace="api",
    docs_url=None,
    openapi_url=None,
)


# --- Errors in the one shape ---------------------------------------------------------------


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, str] = {}
    for problem in exc.errors:
        loc = [str(part) for part in problem.get("loc", ())]
        if loc[:1] == ["body"] and len(loc) <= 2:
            return error(400, NOT_AN_OBJECT)
        name = loc[2] if loc[:1] == ["body"] else loc[-1]
        fields.setdefault(name, chinese_message(name, problem))
    return error(400, BAD_REQUEST, fields=fields)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = error(401, UNAUTHENTICATED)
    response["WWW-Authenticate"] = 'Bearer realm="mingjing"'
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, BodyError):
        return error_response(400, exc.__cause__.message)
    return error_response(exc.status_code, MESSAGES.get(exc.status_code))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(404)


# --- Pydantic's errors in Chinese ----------------------------------------------------------


def _choices(problem: dict) -> str:
    expected = str(problem.get("ctx", {}).get("expected", ""))
    return "必填，可选值：" + "、".join(part.strip(" '") for part in expected.split(",")) + "。"


FIELD_HELP = {
    "case_numbers": '应为案号字符串的数组，如 ["（2026）豫9001民初123号"]。',
    "subject_person_id": "应为本院人员的 ID（整数）或 null。",
    "month": "必填，格式 YYYY-MM（2000–2099 年），如 2026-11。",
    "none_to_report": "必填，应为 true 或 false。",
}
CASE_NUMBERS_LIMIT = f"至多 {MAX_CASE_NUMBERS} 个案号，每个不超过 {CASE_NUMBER_CHARS} 个字。"
BY_TYPE = {
    "extra_forbidden": "未知字段。",
    "missing": "必填。",
    "string_type": "应为字符串。",
    "bool_type": "应为 true 或 false。",
    "int_type": "应为整数。",
    "int_parsing": "应为整数。",
    "list_type": "应为数组。",
}


def chinese_message(name: str, problem: dict) -> str:
    """One Chinese sentence for a pydantic error on field `name`."""
    kind, ctx = problem.get("type", ""), problem.get("ctx", {})
    if kind == "value_error":
        return str(ctx.get("error", "")) or "格式不正确。"
    if kind == "extra_forbidden":
        return BY_TYPE[kind]
    if name == "case_numbers" and kind in ("too_long", "string_too_long"):
        return CASE_NUMBERS_LIMIT
    if kind == "literal_error":
        return _choices(problem)
    if name in FIELD_HELP:
        return FIELD_HELP[name]
    if kind == "string_too_long":
        return f"不能超过 {ctx.get('max_length')} 个字。"
    return BY_TYPE.get(kind, "格式不正确。")


# --- Routers and the document --------------------------------------------------------------


def _routers() -> None:
    from mingjing.api import declarations, records, reports, views

    for module in (views, records, declarations, reports):
        api.add_router("", module.router)


_routers()


ERROR_REF = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
# What any operation may answer, whatever its handler says (api.middleware and api.body).
COMMON = {
    "400": "请求格式错误：非 JSON、嵌套过深、含空字符、整数超出范围或查询参数含空字符",
    "500": "服务器内部错误，请求未生效（不含调用栈）",
}
TOO_BIG = {"413": "请求体过大"}


def openapi_document() -> dict:
    """The OpenAPI 3.1 document of /api/v1, generated from the routers and their schemas,
    with the errors every operation may answer and the security scheme named `bearer`."""
    document = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1")))
    components = document.setdefault("components", {})
    schemes = components.get("securitySchemes", {})
    components["securitySchemes"] = {"bearer": schemes.pop("BearerToken"), **schemes}
    for operations in document["paths"].values():
        for operation in operations.values():
            _complete(operation)
    return document


def _complete(operation: dict) -> None:
    for requirement in operation.get("security", []):
        if "BearerToken" in requirement:
            requirement["bearer"] = requirement.pop("BearerToken")
    common = {**COMMON, **(TOO_BIG if "requestBody" in operation else {})}
    for status, description in common.items():
        operation["responses"].setdefault(
            status, {"description": description, "content": ERROR_REF}
        )
