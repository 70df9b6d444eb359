"""一案一表 over the API: a case's declarations, declaring, and "may this case be closed?".

The same policy as the web: case lookups through cases.selectors (another court's case: 404),
counts only where policy.may_view_declaration_counts allows, never contents.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from mingjing.api.auth import error, ok, token_required
from mingjing.api.body import json_object
from mingjing.cases import selectors as case_selectors
from mingjing.declarations import services as declarations
from mingjing.declarations.models import DeclarationStatus
from mingjing.security import policy

NOT_FOUND = "案件不存在。"
NO_LOOKUP = "您的角色无权查询案件。"


def _declaration_json(row: declarations.DeclarationRow) -> dict:
    declaration = row.declaration
    summary = None
    if row.record_count is not None and not row.is_pending:
        summary = {"none_to_report": declaration.none_to_report, "records": row.record_count}
    return {
        "name": row.person.name,
        "staff_no": row.person.staff_no,
        "roles": row.roles,
        "status": declaration.status,
        "declared_at": declaration.declared_at.isoformat() if declaration.declared_at else None,
        "bound_at": declaration.bound_at.isoformat() if declaration.bound_at else None,
        "summary": summary,
    }


def _case(request: HttpRequest, case_id: int):
    return case_selectors.case_for(request.actor, case_id)


@csrf_exempt
@require_GET
@token_required
def case_declarations(request: HttpRequest, case_id: int) -> JsonResponse:
    try:
        case = _case(request, case_id)
    except Http404:
        return error(404, NOT_FOUND)
    rows = declarations.declaration_rows(request.actor, case)
    data = {"case_id": case.id, "case_number": case.number}
    return ok({**data, "declarations": [_declaration_json(row) for row in rows]})


@csrf_exempt
@require_POST
@token_required
def declare(request: HttpRequest, case_id: int) -> JsonResponse:
    """Body {"none_to_report": true|false}: the calling handler's declaration."""
    try:
        case = _case(request, case_id)
    except Http404:
        return error(404, NOT_FOUND)
    choice = _none_to_report(request)
    if choice is None:
        return error(400, "请求体必须是 JSON 对象，且 none_to_report 为 true 或 false。")
    try:
        declarations.declaration_declare(
            actor=request.actor, case=case, none_to_report=choice, request=request
        )
    except PermissionDenied as exc:
        return error(403, str(exc))
    except ValidationError as exc:
        return error(400, exc.messages[0])
    rows = declarations.declaration_rows(request.actor, case)
    mine = next(r for r in rows if policy.is_case_handler(request.actor, {r.person.id}))
    return ok(_declaration_json(mine))


def _none_to_report(request: HttpRequest) -> bool | None:
    body = json_object(request)
    value = body.get("none_to_report")
    return value if isinstance(value, bool) and set(body) == {"none_to_report"} else None


def _close_check(request: HttpRequest, find) -> JsonResponse:
    try:
        case = find()
    except Http404:
        return error(404, NOT_FOUND)
    return ok(declarations.close_check(request.actor, case).as_json())


@csrf_exempt
@require_GET
@token_required
def close_check(request: HttpRequest, case_id: int) -> JsonResponse:
    """By id, like /cases/{id}: a case the caller may not look up is simply not found."""
    return _close_check(request, lambda: _case(request, case_id))


@csrf_exempt
@require_GET
@token_required
def close_check_by_number(request: HttpRequest) -> JsonResponse:
    """By 案号, like /cases?number=: roles without case lookup are refused outright."""
    if not policy.may_ask_may_close(request.actor):
        return error(403, NO_LOOKUP)
    number = request.GET.get("number", "")[:60]
    if not number.strip():
        return error(400, "请提供案号（number 参数）。")
    return _close_check(request, lambda: declarations.case_by_number(request.actor, number))


urlpatterns = [
    path("declarations/cases/<int:case_id>", case_declarations, name="declarations_case"),
    path("declarations/cases/<int:case_id>/declare", declare, name="declarations_declare"),
    path(
        "declarations/cases/<int:case_id>/close-check",
        close_check,
        name="declarations_close_check",
    ),
    path(
        "declarations/close-check",
        close_check_by_number,
        name="declarations_close_check_by_number",
    ),
]

# --- OpenAPI -------------------------------------------------------------------------------

_STR = {"type": "string"}
_NTIME = {"type": ["string", "null"], "format": "date-time"}
_CASE_ID = {"name": "case_id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _ref(name: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}


_ERRORS = {
    "401": {"description": "未认证", "content": _ref("Error")},
    "403": {"description": "无权限", "content": _ref("Error")},
    "404": {"description": "案件不存在或不在本院", "content": _ref("Error")},
}

OPENAPI_SCHEMAS = {
    "Declaration": {
        "type": "object",
        "description": "一位办案人员的一案一表（只有状态和件数，从不含记录内容）",
        "properties": {
            "name": {**_STR, "description": "办案人员姓名"},
            "staff_no": {**_STR, "description": "工号"},
            "roles": {"type": "array", "items": _STR, "description": "在本案中的办案角色"},
            "status": {
                "type": "string",
                "enum": list(DeclarationStatus.values),
                "description": "待填报、已填报、已入卷",
            },
            "declared_at": {**_NTIME, "description": "填报时间"},
            "bound_at": {**_NTIME, "description": "入卷时间"},
            "summary": {
                "type": ["object", "null"],
                "description": "填报内容概要；调用者无权查看件数或尚未填报时为 null",
                "properties": {
                    "none_to_report": {"type": "boolean", "description": "声明无相关情况"},
                    "records": {"type": "integer", "description": "与本案有关的已提交记录件数"},
                },
            },
        },
    },
    "CaseDeclarations": {
        "type": "object",
        "properties": {
            "case_id": {"type": "integer", "description": "案件 ID"},
            "case_number": {**_STR, "description": "案号"},
            "declarations": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Declaration"},
            },
        },
    },
    "CloseCheck": {
        "type": "object",
        "description": "能否报结：全部办案人员均已填报一案一表时 may_close 为 true",
        "properties": {
            "case_id": {"type": "integer", "description": "案件 ID"},
            "case_number": {**_STR, "description": "案号"},
            "may_close": {"type": "boolean", "description": "能否报结"},
            "pending": {
                "type": "array",
                "description": "尚未填报的办案人员",
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {**_STR, "description": "姓名"},
                        "staff_no": {**_STR, "description": "工号"},
                        "roles": {"type": "array", "items": _STR, "description": "办案角色"},
                    },
                },
            },
        },
    },
}

OPENAPI_PATHS = {
    "/api/v1/declarations/cases/{case_id}": {
        "get": {
            "summary": "案件的一案一表（各办案人员的填报状态）",
            "parameters": [_CASE_ID],
            "responses": {
                "200": {"description": "一案一表", "content": _ref("CaseDeclarations")},
                **_ERRORS,
            },
        }
    },
    "/api/v1/declarations/cases/{case_id}/declare": {
        "post": {
            "summary": "本人填报一案一表（无相关情况，或已记录相关情况）",
            "parameters": [_CASE_ID],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["none_to_report"],
                            "additionalProperties": False,
                            "properties": {
                                "none_to_report": {
                                    "type": "boolean",
                                    "description": (
                                        "true：无相关情况；false：申报本人与本案有关的已提交记录"
                                    ),
                                }
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": {"description": "本人的一案一表", "content": _ref("Declaration")},
                "400": {"description": "请求错误或不符合填报条件", "content": _ref("Error")},
                **_ERRORS,
            },
        }
    },
    "/api/v1/declarations/cases/{case_id}/close-check": {
        "get": {
            "summary": "能否报结（按案件 ID）",
            "parameters": [_CASE_ID],
            "responses": {
                "200": {"description": "能否报结", "content": _ref("CloseCheck")},
                **_ERRORS,
            },
        }
    },
    "/api/v1/declarations/close-check": {
        "get": {
            "summary": "能否报结（按案号，全角半角括号、空格均可）",
            "parameters": [
                {
                    "name": "number",
                    "in": "query",
                    "required": True,
                    "schema": _STR,
                    "description": "完整案号，如（2026）豫9001民初123号",
                }
            ],
            "responses": {
                "200": {"description": "能否报结", "content": _ref("CloseCheck")},
                "400": {"description": "缺少案号", "content": _ref("Error")},
                **_ERRORS,
            },
        }
    },
}
