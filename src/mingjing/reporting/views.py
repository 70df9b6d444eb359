"""Pages of the monthly cycle: 我的月报告, a department's month, review and submission.

Thin: forms check the input, services write, selectors decide what the viewer sees.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mingjing.reporting import calendar, nudges, selectors, services
from mingjing.reporting.forms import (
    DepartmentSubmitForm,
    DirectReportForm,
    MonthlyReportForm,
    ReviewForm,
)
from mingjing.reporting.models import ReportKind
from mingjing.security import policy
from mingjing.security.actor import known_or_403
from mingjing.security.http import AuthedHttpRequest


def time_left_text(left: timedelta) -> str:
    """'还有 2 天 5 小时', or that the due date has passed."""
    if left.total_seconds() <= 0:
        return _("已过截止日期")
    hours = int(left.total_seconds() // 3600)
    return _("还有 %(days)d 天 %(hours)d 小时") % {"days": hours // 24, "hours": hours % 24}


def _month_links(month) -> dict:
    return {
        "previous_month": f"{calendar.previous_month(month):%Y-%m}",
        "next_month": f"{calendar.next_month(month):%Y-%m}",
        "is_current": month == services.current_month(),
    }


def _error_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(m for ms in exc.message_dict.values() for m in ms)
    return " ".join(exc.messages)


@login_required
def personal_month(request: AuthedHttpRequest) -> HttpResponse:
    """我的月报告: the month's status, due date, records, one-click zero, history."""
    actor = request.actor
    month = selectors.month_or_current(request.GET.get("month"))
    state = selectors.personal_month(actor, month)
    context = {
        "state": state,
        "so_far_declaration": services.ZERO_DECLARATION_SO_FAR
        % {"day": f"{timezone.localdate():%Y-%m-%d}"},
        "month_over": services.month_ended(month, timezone.now()),
        "time_left": time_left_text(state.time_left),
        "history": selectors.own_reports(actor).order_by("-month", "kind", "-submitted_at")[:36],
        "declaration": services.ZERO_DECLARATION,
        "month_text": f"{month:%Y-%m}",
        **_month_links(month),
    }
    return render(request, "reporting/personal_month.html", context)


def _submitted_message(report) -> str:
    if report.kind == ReportKind.SUPPLEMENTARY:
        return _("补充报告已提交。")
    if report.is_zero and report.zero_unconfirmed:
        return _(
            "零报告已提交（截至目前）。本月结束后请再次确认全月零报告，确认前本月不计为已报告。"
        )
    if report.is_zero:
        return _("零报告已提交。")
    if report.kind == ReportKind.DIRECT:
        return _("已直报督察室。")
    return _("月报告已提交。")


@login_required
@require_POST
def personal_submit(request: AuthedHttpRequest) -> HttpResponse:
    form = MonthlyReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("月份格式应为 YYYY-MM。"))
        return redirect("reporting:personal")
    month = form.cleaned_data["month"]
    try:
        report = services.monthly_report_submit(
            actor=request.actor,
            month=month,
            zero=form.cleaned_data["zero"],
            affirm=form.cleaned_data["affirm"],
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _submitted_message(report))
    return redirect(f"{reverse('reporting:personal')}?month={month:%Y-%m}")


def _back_to_personal(month) -> HttpResponse:
    return redirect(f"{reverse('reporting:personal')}?month={month:%Y-%m}")


@login_required
@require_POST
def personal_confirm(request: AuthedHttpRequest) -> HttpResponse:
    """Re-confirm a "so far" zero report after its month ended (the declaration ticked)."""
    if not policy.may_file_monthly_report(request.actor):
        raise PermissionDenied
    form = MonthlyReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("月份格式应为 YYYY-MM。"))
        return redirect("reporting:personal")
    month = form.cleaned_data["month"]
    try:
        services.zero_report_confirm(
            actor=request.actor, month=month, affirm=form.cleaned_data["affirm"], request=request
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("已确认全月零报告。"))
    return _back_to_personal(month)


@login_required
@require_POST
def personal_direct(request: AuthedHttpRequest) -> HttpResponse:
    """信息直报: one of his unreported records straight to the inspection office. Without the
    confirmation tick nothing is sent and the page says why."""
    if not policy.may_file_monthly_report(request.actor):
        raise PermissionDenied
    form = DirectReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要直报督察室的记录。"))
        return redirect("reporting:personal")
    month = form.cleaned_data["month"]
    if not form.cleaned_data["confirm"]:
        messages.error(request, _("请勾选确认：该记录将直接报送督察室，不经部门审核。"))
        return _back_to_personal(month)
    try:
        services.direct_report_submit(
            actor=request.actor,
            month=month,
            record_ids=[form.cleaned_data["record"]],
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("已直报督察室。"))
    return _back_to_personal(month)


@login_required
def department_overview(request: AuthedHttpRequest) -> HttpResponse:
    """Every department in the viewer's scope, with its month's counts."""
    actor = request.actor
    if not policy.may_view_department_overview(actor):
        raise PermissionDenied
    month = selectors.month_or_current(request.GET.get("month"))
    context = {
        "month": month,
        "month_text": f"{month:%Y-%m}",
        "due_date": calendar.due_date(known_or_403(actor).court, month),
        "summaries": selectors.department_summaries(actor, month),
        **_month_links(month),
    }
    return render(request, "reporting/department_overview.html", context)


@login_required
def department_month(request: AuthedHttpRequest, department_id: int) -> HttpResponse:
    """Who reported, who did not, zero and late; reviews and submission for the head."""
    actor = request.actor
    department = selectors.department_for(actor, department_id)
    month = selectors.month_or_current(request.GET.get("month"))
    context = {
        "view": selectors.department_month(actor, department, month),
        "month_text": f"{month:%Y-%m}",
        "is_head": policy.heads_department(actor, department.id),
        **_month_links(month),
    }
    context["may_nudge"] = context["is_head"] and month <= services.current_month()
    return render(request, "reporting/department_month.html", context)


@login_required
@require_POST
def department_nudge(request: AuthedHttpRequest, department_id: int) -> HttpResponse:
    """催报: the head reminds his staff who have not reported the month (once a day each)."""
    department = selectors.department_for(request.actor, department_id)
    form = DepartmentSubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("月份格式应为 YYYY-MM。"))
        return redirect("reporting:department", department_id=department.id)
    month = form.cleaned_data["month"]
    try:
        done = nudges.staff_nudge(
            actor=request.actor, department=department, month=month, request=request
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _nudge_text(done))
    return redirect(_department_url(department.id, month))


def _nudge_text(done: nudges.Nudged) -> str:
    if not done.missing:
        return _("全部人员均已报告，无需催报。")
    if not done.created:
        return _("今天已催报过这些人员，未重复提醒。")
    return _("已催报 %(count)s 人。") % {"count": done.created}


def _department_url(department_id: int | None, month) -> str:
    if department_id is None:
        return f"{reverse('reporting:departments')}?month={month:%Y-%m}"
    url = reverse("reporting:department", args=[department_id])
    return f"{url}?month={month:%Y-%m}"


@login_required
@require_POST
def report_review(request: AuthedHttpRequest, report_id: int) -> HttpResponse:
    actor = request.actor
    report = selectors.report_for_review(actor, report_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审核通过或退回。"))
    else:
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.monthly_report_review(
                actor=actor,
                report=report,
                approve=approve,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            done = _("已审核通过：%(name)s") if approve else _("已退回：%(name)s")
            messages.success(request, done % {"name": report.person.name})
    return redirect(_department_url(report.department_id, report.month))


@login_required
@require_POST
def department_submit(request: AuthedHttpRequest, department_id: int) -> HttpResponse:
    actor = request.actor
    department = selectors.department_for(actor, department_id)
    form = DepartmentSubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("月份格式应为 YYYY-MM，或确认信息无效。"))
        return redirect("reporting:department", department_id=department.id)
    month = form.cleaned_data["month"]
    if not form.cleaned_data["confirm"]:
        return _department_confirm(request, department, month)
    try:
        services.department_report_submit(
            actor=actor,
            department=department,
            month=month,
            confirm=True,
            missing_ids=form.cleaned_data["missing"],
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("部门月报告已报送督察室。"))
    return redirect(_department_url(department.id, month))


def _department_confirm(request: AuthedHttpRequest, department, month) -> HttpResponse:
    """The confirmation step before sending: the missing people by name, what will be sent."""
    if not policy.may_submit_department_report(request.actor, department):
        raise PermissionDenied
    try:
        services.check_ready(request.actor, department, month)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect(_department_url(department.id, month))
    view = selectors.department_month(request.actor, department, month)
    context = {
        "view": view,
        "month_text": f"{month:%Y-%m}",
        "missing_ids": ",".join(str(p.id) for p in view.missing),
    }
    return render(request, "reporting/department_confirm.html", context)
