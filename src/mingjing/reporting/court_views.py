"""Pages of the court level: the month's departments, reminders, the court report and its
review, and compliance. Thin: court.py and compliance.py decide and count."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mingjing.accounts.reauth import reauth_required
from mingjing.accounts.throttle import limit_code_posts
from mingjing.dbrouter import reads_from_replica
from mingjing.reporting import calendar, compliance, court
from mingjing.security import policy
from mingjing.security.http import AuthedHttpRequest

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month(source) -> date:
    """The month asked for (?month=YYYY-MM), else the current month."""
    parsed = calendar.parse_month(source.get("month", ""))
    return parsed or calendar.month_start(timezone.localdate())


def _window(request: AuthedHttpRequest) -> tuple[date, int]:
    """(last month, number of months) of a compliance page: ?end=YYYY-MM&months=6|12."""
    end = calendar.parse_month(request.GET.get("end", "")) or compliance.default_end()
    months = 12 if request.GET.get("months") == "12" else 6
    return end, months


def _back_to_month(month: date) -> HttpResponse:
    return redirect(f"{reverse('court_reporting:month')}?month={month:%Y-%m}")


@login_required
@reads_from_replica
def month(request: AuthedHttpRequest) -> HttpResponse:
    actor = request.actor
    overview = court.court_month(actor, _month(request.GET))
    report = overview.report
    context = {
        "overview": overview,
        "previous": calendar.previous_month(overview.month),
        "next": calendar.next_month(overview.month),
        "may_remind": policy.may_remind_departments(actor),
        "may_assemble": policy.may_assemble_court_report(actor),
        "may_review": report is not None and policy.may_review_court_report(actor, report),
    }
    return render(request, "reporting/court_month.html", context)


@login_required
@reads_from_replica
def department_month(request: AuthedHttpRequest, department_id: int) -> HttpResponse:
    when = _month(request.GET)
    rows = court.department_month(request.actor, department_id, when)
    department = court.department_for(request.actor, department_id)
    context = {"rows": rows, "department": department, "month": when}
    return render(request, "reporting/court_department.html", context)


@login_required
@require_POST
def remind(request: AuthedHttpRequest) -> HttpResponse:
    when = _month(request.POST)
    try:
        done = court.departments_remind(actor=request.actor, month=when, request=request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        values = {"count": done.heads, "people": done.people}
        messages.success(
            request, _("已提醒 %(count)s 位部门负责人、%(people)s 位未报告人员。") % values
        )
    return _back_to_month(when)


@login_required
@require_POST
def assemble(request: AuthedHttpRequest) -> HttpResponse:
    """Assembling is irreversible for the month's figures as sent to the president: a first
    POST shows what will be assembled (rates over the expected reporters, the missing named)
    and asks for confirmation; only a POST with confirm=yes assembles."""
    when = _month(request.POST)
    if request.POST.get("confirm") != "yes":
        if not policy.may_assemble_court_report(request.actor):
            raise PermissionDenied
        overview = court.court_month(request.actor, when)
        return render(request, "reporting/court_assemble_confirm.html", {"overview": overview})
    try:
        court.court_report_assemble(actor=request.actor, month=when, confirm=True, request=request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("全院月报告已汇总，待院长审查。"))
    return _back_to_month(when)


@login_required
@require_POST
@limit_code_posts
def review(request: AuthedHttpRequest, report_id: int) -> HttpResponse:
    report = court.court_report_for(request.actor, report_id)
    note = request.POST.get("note", "")[:2000]
    otp = request.POST.get("otp", "")[:16]
    try:
        court.court_report_review(
            actor=request.actor, report=report, note=note, otp=otp, request=request
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("全院月报告已审查。"))
    return _back_to_month(report.month)


def _compliance_context(request: AuthedHttpRequest, figures, end: date, months: int) -> dict:
    return {
        "figures": figures,
        "end": end,
        "months": months,
        "windows": compliance.WINDOWS,
        "rule": {
            "months": compliance.STREAK_MONTHS,
            "min_reports": compliance.INTERVIEW_MIN_REPORTS,
            "ratio": compliance.INTERVIEW_RATIO,
        },
    }


@login_required
@reads_from_replica
def court_compliance(request: AuthedHttpRequest) -> HttpResponse:
    end, months = _window(request)
    figures = compliance.court_compliance(request.actor, end=end, months=months)
    context = _compliance_context(request, figures, end, months)
    return render(request, "reporting/compliance_court.html", context)


@login_required
@reads_from_replica
def department_compliance(request: AuthedHttpRequest, department_id: int) -> HttpResponse:
    end, months = _window(request)
    figures, mine = compliance.department_compliance(
        request.actor, department_id, end=end, months=months
    )
    context = _compliance_context(request, figures, end, months)
    context["dept"] = mine
    context["rows"] = list(zip(mine.rates, figures.court_rates, mine.report_states, strict=True))
    return render(request, "reporting/compliance_department.html", context)


def _xlsx(request: AuthedHttpRequest, department_id: int | None) -> StreamingHttpResponse:
    end, months = _window(request)
    body, name = compliance.compliance_export(
        actor=request.actor, end=end, months=months, department_id=department_id, request=request
    )
    response = StreamingHttpResponse(compliance.chunks(body), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Content-Length"] = str(len(body))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@reads_from_replica
@reauth_required
def court_compliance_xlsx(request: AuthedHttpRequest) -> StreamingHttpResponse:
    return _xlsx(request, None)


@login_required
@reads_from_replica
@reauth_required
def department_compliance_xlsx(
    request: AuthedHttpRequest, department_id: int
) -> StreamingHttpResponse:
    return _xlsx(request, department_id)
