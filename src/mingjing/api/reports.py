"""API endpoints for monthly reports: the caller's own reports and filing one; a department's
month as counts and statuses only, under the same policy as the web (another court's
department answers 404). Field rules: api.schemas (MonthlyReportInput).
"""

import re
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Query, Router, Status

from mingjing.api import schemas as s
from mingjing.api.auth import error
from mingjing.api.limits import MONTH_PATTERN
from mingjing.reporting import calendar, selectors, services
from mingjing.reporting.models import MonthlyReport
from mingjing.security.http import AuthedHttpRequest

router = Router(tags=["reports"])
MONTH_QUERY = Query(None, description="月份 YYYY-MM，默认本月")


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


@router.get(
    "/reports",
    url_name="reports_mine",
    summary="本人的月报告（最新月份在前）",
    response={200: s.MonthlyReportList, 401: s.Error},
)
def reports_mine(request: AuthedHttpRequest):
    """The caller's own monthly reports, newest month first."""
    found = selectors.own_reports(request.actor).prefetch_related("records")
    return {"results": [report_out(r) for r in found.order_by("-month", "kind")[:120]]}


@router.post(
    "/reports/submit",
    url_name="reports_submit",
    summary="填报本人某月的月报告（零报告、含记录的报告、补充报告或退回后重新提交）",
    response={201: s.MonthlyReport, 400: s.FieldErrors, 401: s.Error, 403: s.Error, 409: s.Error},
)
def reports_submit(request: AuthedHttpRequest, data: s.MonthlyReportInput):
    """File the caller's report for a month: {"month": "2026-11", "zero": false}."""
    month = parse_month(data.month)
    try:
        report = services.monthly_report_submit(
            actor=request.actor,
            request=request,
            month=month,  # type: ignore[arg-type]  # MonthlyReportInput checked the pattern
            zero=data.zero,
            affirm=data.affirm,
        )
    except PermissionDenied as exc:
        return error(403, str(exc) or "无权填报月报告。")
    except ValidationError as exc:
        return error(409, " ".join(exc.messages))
    return Status(201, report_out(report))


@router.get(
    "/reports/departments/{int:department_id}",
    url_name="reports_department",
    summary="部门某月的报告情况（只有数字和状态）",
    response={200: s.DepartmentMonth, 400: s.FieldErrors, 401: s.Error, 403: s.Error, 404: s.Error},
)
def reports_department(
    request: AuthedHttpRequest,
    department_id: int,
    month: s.Month | None = MONTH_QUERY,
):
    """A department's month (?month=YYYY-MM, default the current one): counts and statuses."""
    actor = request.actor
    try:
        department = selectors.department_for(actor, department_id)
    except Http404:
        return error(404, "部门不存在。")
    except PermissionDenied:
        return error(403, "无权查看该部门的月报告情况。")
    chosen = parse_month(month) if month is not None else selectors.month_or_current(None)
    return department_out(selectors.department_month(actor, department, chosen))  # type: ignore[arg-type]
