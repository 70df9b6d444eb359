"""API endpoints for monthly reports. Exposes `urlpatterns`, `OPENAPI_PATHS` and
`OPENAPI_SCHEMAS`, merged by mingjing.api.urls and mingjing.api.openapi.

The caller's own reports and filing one; a department's month as counts and statuses only,
under the same policy as the web (another court's department answers 404).
"""

import re
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from mingjing.api.auth import error, ok, token_required
from mingjing.api.body import json_object
from mingjing.api.limits import MONTH_PATTERN
from mingjing.reporting import calendar, selectors, services
from mingjing.reporting.models import MonthlyReport, PersonalStatus, ReportKind

BAD_REQUEST = "请求内容有误，请按字段说明修改。"
MONTH_HELP = "必填，格式 YYYY-MM（2000–2099 年），如 2026-11。"


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def report_out(report: MonthlyReport) -> dict:
    """One of the caller's own reports (record ids only: they are his own)."""
    return {
        "id": report.id,
        "month": f"{report.month:%Y-%m}",
        "kind": report.kind,
        "is_zero": report.is_zero,
        "status": report.status,
        "submitted_at": _iso(report.submitted_at),
        "is_late": report.is_late,
        "department": report.department.name if report.department else None,
        "record_ids": sorted(r.id for r in report.records.all()),
        "reviewed_at": _iso(report.reviewed_at),
        "return_reason": report.return_reason,
    }


def _person_row(report: MonthlyReport) -> dict:
    return {
        "person_id": report.person_id,
        "name": report.person.name,
        "kind": report.kind,
        "status": report.status,
        "is_zero": report.is_zero,
        "is_late": report.is_late,
        "submitted_at": _iso(report.submitted_at),
    }


def department_out(view: selectors.DepartmentMonth) -> dict:
    """A department's month: counts and statuses, never a record."""
    sent = view.department_report
    return {
        "department": {"id": view.department.id, "name": view.department.name},
        "month": f"{view.month:%Y-%m}",
        "due_date": view.due_date.isoformat(),
        "overdue": view.overdue,
        "counts": view.counts,
        "reports": [_person_row(row.report) for row in view.rows],
        "missing": [{"person_id": p.id, "name": p.name} for p in view.missing],
        "department_report": {
            "status": sent.status,
            "submitted_at": _iso(sent.submitted_at),
            "is_late": sent.is_late,
        }
        if sent
        else None,
    }


def parse_month(value) -> date | None:
    """'2026-11' → date(2026, 11, 1), exactly as MONTH_PATTERN (the OpenAPI) says; else None."""
    if not isinstance(value, str) or not re.fullmatch(MONTH_PATTERN, value):
        return None
    return calendar.parse_month(value)


def _submit_input(request: HttpRequest) -> tuple[dict | None, dict[str, str]]:
    body = json_object(request)
    errors = {}
    month = parse_month(body.get("month"))
    if month is None:
        errors["month"] = MONTH_HELP
    if not isinstance(body.get("zero", False), bool):
        errors["zero"] = "应为 true 或 false。"
    for name in sorted(set(body) - {"month", "zero"}):
        errors[name] = "未知字段。"
    return ({"month": month, "zero": body.get("zero", False)} if not errors else None), errors


@csrf_exempt
@require_GET
@token_required
def reports_mine(request: HttpRequest) -> JsonResponse:
    """The caller's own monthly reports, newest month first."""
    found = selectors.own_reports(request.actor).prefetch_related("records")
    return ok({"results": [report_out(r) for r in found.order_by("-month", "kind")[:120]]})


@csrf_exempt
@require_POST
@token_required
def reports_submit(request: HttpRequest) -> JsonResponse:
    """File the caller's report for a month: {"month": "2026-11", "zero": false}."""
    data, errors = _submit_input(request)
    if errors:
        return error(400, BAD_REQUEST, fields=errors)
    try:
        report = services.monthly_report_submit(actor=request.actor, request=request, **data)
    except PermissionDenied as exc:
        return error(403, str(exc) or "无权填报月报告。")
    except ValidationError as exc:
        return error(409, " ".join(exc.messages))
    return ok(report_out(report), status=201)


@csrf_exempt
@require_GET
@token_required
def reports_department(request: HttpRequest, department_id: int) -> JsonResponse:
    """A department's month (?month=YYYY-MM, default the current one): counts and statuses."""
    actor = request.actor
    try:
        department = selectors.department_for(actor, department_id)
    except Http404:
        return error(404, "部门不存在。")
    except PermissionDenied:
        return error(403, "无权查看该部门的月报告情况。")
    given = request.GET.get("month")
    month = parse_month(given) if given is not None else selectors.month_or_current(None)
    if month is None:
        return error(400, BAD_REQUEST, fields={"month": MONTH_HELP.replace("必填，", "")})
    return ok(department_out(selectors.department_month(actor, department, month)))


urlpatterns = [
    path("reports", reports_mine, name="reports_mine"),
    path("reports/submit", reports_submit, name="reports_submit"),
    path("reports/departments/<int:department_id>", reports_department, name="reports_department"),
]

# --- OpenAPI ------------------------------------------------------------------------------

_STR = {"type": "string"}
_BOOL = {"type": "boolean"}
_INT = {"type": "integer"}
_NTIME = {"type": ["string", "null"], "format": "date-time"}
_MONTH = {"type": "string", "pattern": MONTH_PATTERN}
_KIND = {"type": "string", "enum": list(ReportKind.values), "description": "月报告或补充报告"}
_STATUS = {
    "type": "string",
    "enum": list(PersonalStatus.values),
    "description": "已报告、已审核、已退回",
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(name: str) -> dict:
    return {"application/json": {"schema": _ref(name)}}


_REPORT = {
    "type": "object",
    "description": "本人的一份月报告",
    "properties": {
        "id": {**_INT, "description": "月报告 ID"},
        "month": {**_MONTH, "description": "月份 YYYY-MM"},
        "kind": _KIND,
        "is_zero": {**_BOOL, "description": "零报告"},
        "status": _STATUS,
        "submitted_at": {**_NTIME, "description": "报告时间"},
        "is_late": {**_BOOL, "description": "逾期（截止日期后首次报告）"},
        "department": {"type": ["string", "null"], "description": "报告时所在部门"},
        "record_ids": {"type": "array", "items": _INT, "description": "所含记录的 ID"},
        "reviewed_at": {**_NTIME, "description": "审核时间"},
        "return_reason": {**_STR, "description": "退回原因（退回时）"},
    },
}

_COUNTS = {
    "type": "object",
    "description": "人数统计",
    "properties": {
        "reported": {**_INT, "description": "已提交月报告的人数"},
        "zero": {**_INT, "description": "零报告人数"},
        "late": {**_INT, "description": "逾期报告人数"},
        "unreviewed": {**_INT, "description": "待审核的报告数（含补充报告）"},
        "approved": {**_INT, "description": "已审核通过的月报告数"},
        "returned": {**_INT, "description": "已退回待重新提交的月报告数"},
        "missing": {**_INT, "description": "未报告人数（按当前部门）"},
    },
}

_PERSON_ROW = {
    "type": "object",
    "description": "一份个人报告的状态（不含记录）",
    "properties": {
        "person_id": {**_INT, "description": "人员 ID"},
        "name": {**_STR, "description": "姓名"},
        "kind": _KIND,
        "status": _STATUS,
        "is_zero": {**_BOOL, "description": "零报告"},
        "is_late": {**_BOOL, "description": "逾期"},
        "submitted_at": {**_NTIME, "description": "报告时间"},
    },
}

_DEPARTMENT = {
    "type": "object",
    "description": "部门某月的报告情况：只有数字和状态",
    "properties": {
        "department": {
            "type": "object",
            "description": "部门",
            "properties": {
                "id": {**_INT, "description": "部门 ID"},
                "name": {**_STR, "description": "部门名称"},
            },
        },
        "month": {**_MONTH, "description": "月份 YYYY-MM"},
        "due_date": {"type": "string", "format": "date", "description": "截止日期"},
        "overdue": {**_BOOL, "description": "已过截止日期"},
        "counts": _ref("ReportCounts"),
        "reports": {"type": "array", "items": _ref("ReportPersonRow"), "description": "个人报告"},
        "missing": {
            "type": "array",
            "description": "未报告的人员（按当前部门）",
            "items": {
                "type": "object",
                "properties": {
                    "person_id": {**_INT, "description": "人员 ID"},
                    "name": {**_STR, "description": "姓名"},
                },
            },
        },
        "department_report": {
            "type": ["object", "null"],
            "description": "部门月报告（未报送时为 null）",
            "properties": {
                "status": {**_STR, "description": "submitted 已报督察室，returned 督察室退回"},
                "submitted_at": {**_NTIME, "description": "报送时间"},
                "is_late": {**_BOOL, "description": "逾期报送"},
            },
        },
    },
}

_SUBMIT = {
    "type": "object",
    "required": ["month"],
    "additionalProperties": False,
    "description": "填报某月报告。未知字段会被拒绝（400）。",
    "properties": {
        "month": {**_MONTH, "description": "月份 YYYY-MM，不能是以后的月份"},
        "zero": {
            **_BOOL,
            "description": "零报告（本月有已提交的记录时拒绝）；月报告已提交后再报为补充报告",
        },
    },
}

OPENAPI_SCHEMAS = {
    "MonthlyReport": _REPORT,
    "MonthlyReportInput": _SUBMIT,
    "ReportCounts": _COUNTS,
    "ReportPersonRow": _PERSON_ROW,
    "DepartmentMonth": _DEPARTMENT,
}

_AUTH = {"401": {"description": "未认证", "content": _json("Error")}}
_LIST = {
    "type": "object",
    "properties": {"results": {"type": "array", "items": _ref("MonthlyReport")}},
}

OPENAPI_PATHS = {
    "/api/v1/reports": {
        "get": {
            "summary": "本人的月报告（最新月份在前）",
            "responses": {
                "200": {
                    "description": "月报告列表",
                    "content": {"application/json": {"schema": _LIST}},
                },
                **_AUTH,
            },
        }
    },
    "/api/v1/reports/submit": {
        "post": {
            "summary": "填报本人某月的月报告（零报告、含记录的报告、补充报告或退回后重新提交）",
            "requestBody": {"required": True, "content": _json("MonthlyReportInput")},
            "responses": {
                "201": {"description": "已提交", "content": _json("MonthlyReport")},
                "400": {"description": "请求内容有误", "content": _json("FieldErrors")},
                "403": {"description": "不是本院在职干警", "content": _json("Error")},
                "409": {"description": "按规则拒绝（有记录不能零报告）", "content": _json("Error")},
                **_AUTH,
            },
        }
    },
    "/api/v1/reports/departments/{department_id}": {
        "get": {
            "summary": "部门某月的报告情况（只有数字和状态）",
            "parameters": [
                {"name": "department_id", "in": "path", "required": True, "schema": _INT},
                {
                    "name": "month",
                    "in": "query",
                    "required": False,
                    "schema": _MONTH,
                    "description": "月份 YYYY-MM，默认本月",
                },
            ],
            "responses": {
                "200": {"description": "部门月报告情况", "content": _json("DepartmentMonth")},
                "400": {"description": "月份格式不正确", "content": _json("FieldErrors")},
                "403": {"description": "无权查看该部门", "content": _json("Error")},
                "404": {"description": "部门不存在或不在本院", "content": _json("Error")},
                **_AUTH,
            },
        }
    },
}
