"""Reads for the monthly cycle. Each takes the actor and returns only what he may see:
statuses and counts by policy.may_view_department_reports, records by records.selectors."""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from mingjing.org.models import Department, Person
from mingjing.records import selectors as record_selectors
from mingjing.records.models import Record
from mingjing.reporting import calendar, services
from mingjing.reporting.models import (
    DepartmentReport,
    MonthlyReport,
    PersonalStatus,
    ReportKind,
)
from mingjing.security import policy
from mingjing.security.actor import Actor, known_or_403


def month_or_current(text: str | None, now: datetime | None = None) -> date:
    """The month named 'YYYY-MM', or the current one when absent or malformed."""
    return calendar.parse_month(text or "") or services.current_month(now)


# --- Personal ------------------------------------------------------------------------------


@dataclass
class PersonalMonth:
    """One person's month: due date, his reports, their records and what is still unreported."""

    month: date
    due_date: date
    time_left: timedelta
    regular: MonthlyReport | None
    supplements: list[MonthlyReport]
    pending: list[Record]
    has_records: bool
    direct: list[MonthlyReport] = field(default_factory=list)
    month_ended: bool = False

    @property
    def so_far(self) -> bool:
        """His regular report is a "so far" zero report still to be re-confirmed."""
        return self.regular is not None and self.regular.zero_unconfirmed

    @property
    def must_confirm(self) -> bool:
        """The month is over and its "so far" zero report waits for re-confirmation."""
        return self.so_far and self.month_ended

    @property
    def overdue(self) -> bool:
        """No report (or a returned one) after the due date: derived, never stored."""
        open_ = self.regular is None or self.regular.status == PersonalStatus.RETURNED
        return open_ and self.time_left.total_seconds() <= 0

    @property
    def state(self) -> str:
        if self.regular is None:
            return "overdue" if self.overdue else "open"
        return self.regular.status

    @property
    def may_submit(self) -> bool:
        returned = self.regular is not None and self.regular.status == PersonalStatus.RETURNED
        return self.regular is None or returned or bool(self.pending)

    @property
    def may_zero(self) -> bool:
        """A zero report only as the regular report, and only with no records this month."""
        regular_open = self.regular is None or self.regular.status == PersonalStatus.RETURNED
        return regular_open and not self.has_records


def own_reports(actor: Actor) -> QuerySet[MonthlyReport]:
    """The actor's own reports, newest month first."""
    if actor.person is None:
        return MonthlyReport.objects.none()
    return MonthlyReport.objects.filter(person=actor.person).select_related("department")


def personal_month(actor: Actor, month: date, now: datetime | None = None) -> PersonalMonth:
    """The actor's month (his own reports and records only)."""
    if not policy.may_file_monthly_report(actor):
        raise PermissionDenied
    now = now or timezone.now()
    known = known_or_403(actor)
    person = known.person
    reports = list(own_reports(actor).filter(month=month).prefetch_related("records"))
    regular = next((r for r in reports if r.kind == ReportKind.REGULAR), None)
    return PersonalMonth(
        month=month,
        due_date=calendar.due_date(known.court, month),
        time_left=calendar.due_at(known.court, month) - now,
        regular=regular,
        supplements=[r for r in reports if r.kind == ReportKind.SUPPLEMENTARY],
        pending=list(services.unreported_records(person, month).order_by("submitted_at")),
        has_records=services.records_of_month(person, month).exists(),
        direct=[r for r in reports if r.kind == ReportKind.DIRECT],
        month_ended=services.month_ended(month, now),
    )


def zero_confirmations_due(actor: Actor, now: datetime | None = None) -> list[MonthlyReport]:
    """His "so far" zero reports of ended months (the task on his home page)."""
    if actor.person is None or not policy.may_file_monthly_report(actor):
        return []
    return services.zero_confirmations_due(actor.person, now)


# --- Department ----------------------------------------------------------------------------


def department_for(actor: Actor, department_id: int) -> Department:
    """The department if the actor may see its reports: 404 for another court's, else 403."""
    department = Department.objects.filter(pk=department_id, court=actor.court).first()
    if actor.court is None or department is None:
        raise Http404("部门不存在")
    if not policy.may_view_department_reports(actor, department):
        raise PermissionDenied
    return department


def departments_in_view(actor: Actor) -> QuerySet[Department]:
    """The departments whose monthly statuses the actor sees."""
    if not policy.may_view_department_overview(actor):
        return Department.objects.none()
    found = Department.objects.filter(court=actor.court, is_active=True)
    scope = policy.department_ids_for_counts(actor)
    return found if scope is None else found.filter(pk__in=scope)


@dataclass
class ReportRow:
    """One report as the viewer sees it: records only those he may read, plus a count of
    the records whose metadata he may see (records naming him are in neither)."""

    report: MonthlyReport
    records: list[Record]
    record_count: int
    may_review: bool
    forward_late: bool = False  # approving it forwards it as its own item (补报)


@dataclass
class DepartmentMonth:
    department: Department
    month: date
    due_date: date
    overdue: bool
    rows: list[ReportRow]
    missing: list[Person]
    department_report: DepartmentReport | None
    may_submit: bool
    counts: dict[str, Any] = field(default_factory=dict)


def _row(
    report: MonthlyReport,
    readable: list[Record],
    countable: Collection[int],
    reviewable: Collection[int],
    sent: bool,
) -> ReportRow:
    ids = [r.id for r in report.records.all()]
    may_review = report.id in reviewable and report.status == PersonalStatus.SUBMITTED
    return ReportRow(
        report=report,
        records=[r for r in readable if r.id in ids],
        record_count=sum(1 for i in ids if i in countable),
        may_review=may_review,
        forward_late=may_review and sent,
    )


def visible_department_reports(
    actor: Actor, department: Department, month: date
) -> QuerySet[MonthlyReport]:
    """The department's reports of the month the actor may see (policy.may_see_monthly_report):
    for the head, never one going around him, neither row nor count."""
    return policy.monthly_reports_visible(actor, services.department_reports(department, month))


def _rows(actor: Actor, department: Department, month: date) -> list[ReportRow]:
    visible = visible_department_reports(actor, department, month)
    reports = list(
        visible.prefetch_related("records").order_by("person__staff_no", "kind", "submitted_at")
    )
    reviewable = set(policy.reviewable_monthly_reports(actor, visible).values_list("id", flat=True))
    sent = services.department_report_sent(department.id, month)
    record_ids = {r.id for report in reports for r in report.records.all()}
    readable = list(
        record_selectors.records_with_contents(actor)
        .filter(pk__in=record_ids)
        .order_by("submitted_at")
    )
    countable = set(
        record_selectors.records_with_metadata(actor)
        .filter(pk__in=record_ids)
        .values_list("id", flat=True)
    )
    return [_row(report, readable, countable, reviewable, sent) for report in reports]


def _counts(rows: list[ReportRow], missing: list[Person]) -> dict[str, Any]:
    regular = [row.report for row in rows if row.report.kind == ReportKind.REGULAR]
    return {
        "reported": sum(1 for r in regular if r.is_final),
        "so_far": sum(1 for r in regular if not r.is_final),
        "zero": sum(1 for r in regular if r.is_zero and r.is_final),
        "late": sum(1 for r in regular if r.is_late),
        "unreviewed": sum(1 for row in rows if row.report.status == PersonalStatus.SUBMITTED),
        "approved": sum(1 for r in regular if r.status == PersonalStatus.APPROVED),
        "returned": sum(1 for r in regular if r.status == PersonalStatus.RETURNED),
        "missing": len(missing),
    }


def department_month(
    actor: Actor, department: Department, month: date, now: datetime | None = None
) -> DepartmentMonth:
    """Who reported, who did not, zero and late, for a department the actor may see."""
    if not policy.may_view_department_reports(actor, department):
        raise PermissionDenied
    rows = _rows(actor, department, month)
    missing = services.missing_people(department, month)
    sent = DepartmentReport.objects.filter(department=department, month=month).first()
    return DepartmentMonth(
        department=department,
        month=month,
        due_date=calendar.due_date(department.court, month),
        overdue=calendar.is_overdue(department.court, month, now),
        rows=rows,
        missing=missing,
        department_report=sent,
        may_submit=policy.may_submit_department_report(actor, department),
        counts=_counts(rows, missing),
    )


def report_for_review(actor: Actor, report_id: int) -> MonthlyReport:
    """A report the actor may review; another court's, or one he may not see, is 404."""
    report = MonthlyReport.objects.filter(pk=report_id, court=actor.court).first()
    if actor.court is None or report is None:
        raise Http404("月报告不存在")
    department = report.department
    visible = department is not None and policy.may_view_department_reports(actor, department)
    if not policy.may_see_monthly_report(actor, report):
        raise Http404("月报告不存在")
    if not (visible or policy.may_review_monthly_report(actor, report)):
        raise Http404("月报告不存在")
    return report


def department_summaries(
    actor: Actor, month: date
) -> list[tuple[Department, dict[str, Any], bool]]:
    """Each department in view with its counts and whether its report was sent."""
    sent = set(
        DepartmentReport.objects.filter(court=actor.court, month=month).values_list(
            "department_id", flat=True
        )
    )
    result = []
    for department in departments_in_view(actor):
        reports = list(visible_department_reports(actor, department, month))
        rows = [ReportRow(r, [], 0, False) for r in reports]
        counts = _counts(rows, services.missing_people(department, month))
        result.append((department, counts, department.id in sent))
    return result
