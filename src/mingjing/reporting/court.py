"""The court level of the monthly cycle (seed 三(二)): every department's status and counts,
reminders to late departments, the court report assembled by the inspection office and
reviewed by the president.

Counts and statuses only: nothing here reads a record's sealed contents. Every figure is an
aggregate query (values().annotate()), so a page costs a fixed number of queries whatever the
size of the court.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mingjing.notify.events import notify_people
from mingjing.org.models import Court, Department, Person, PersonStatus
from mingjing.org.roles import Role
from mingjing.records.models import Behaviour, Category, Record, SubjectKind
from mingjing.reporting import calendar, events, nudges
from mingjing.reporting.models import (
    CourtReport,
    CourtStatus,
    DepartmentReport,
    MonthlyReport,
    ReportKind,
)
from mingjing.security import audit, policy, transitions
from mingjing.security.actor import Actor, known_or_403
from mingjing.security.authn import totp_verify

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

REMINDER_KIND = "dept_late"


# --- who must report -----------------------------------------------------------------------


def reporters(court: Court) -> QuerySet[Person]:
    """Serving staff of the court (holders of the staff role): everyone reports monthly."""
    return Person.objects.filter(
        court=court,
        status=PersonStatus.SERVING,
        roles__court=court,
        roles__role=Role.STAFF,
    )


def regular_reports(court: Court, month: date) -> QuerySet[MonthlyReport]:
    return MonthlyReport.objects.filter(court=court, month=month, kind=ReportKind.REGULAR)


def month_records(court: Court, month: date) -> QuerySet[Record]:
    """Records reported for `month` (regular or supplementary reports): plain fields only."""
    reported = MonthlyReport.objects.filter(court=court, month=month, records=OuterRef("pk"))
    return Record.objects.filter(court=court).filter(Exists(reported))


def _count_by(queryset: QuerySet[Any], key: str, **extra: Any) -> dict[Any, dict[str, Any]]:
    """{key value: count} (and any extra conditional counts) in one grouped query."""
    rows = queryset.order_by().values(key).annotate(n=Count("id"), **extra)
    return {row[key]: row for row in rows}


# --- the month's overview --------------------------------------------------------------------


# --- the one selector behind every figure ---------------------------------------------------
#
# Every figure of the month pages (court totals, a department's line, its people) is a sum of
# PersonLine values from `month_lines`: the court page sums a department's lines, the totals
# sum the departments, the drill-down lists the lines. One source, so they always agree
# (tests/reporting/test_figures.py walks every total against its breakdown).
#
# Expected reporters of a department: those who filed their regular report there, and its
# serving staff with no regular report anywhere (missing). A "so far" zero report still to be
# re-confirmed is neither reported nor missing: it is counted as awaiting confirmation.

FIGURES = (
    "staff",
    "reported",
    "zero",
    "so_far",
    "missing",
    "late",
    "records",
    "supplementary",
    "direct",
    "forwarded_late",
)


@dataclass
class PersonLine:
    """One expected reporter's month: his regular report (if any) and counts of the rest."""

    person: Person
    department_id: int | None
    report: MonthlyReport | None = None
    supplementary: int = 0
    direct: int = 0
    forwarded_late: int = 0
    records: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    is_missing: bool = False

    @property
    def staff(self) -> int:
        """Expected here: he filed his regular report here, or he is missing (a line holding
        only a supplementary or direct report filed before a transfer expects nobody)."""
        return int(self.report is not None or self.is_missing)

    @property
    def reported(self) -> int:
        return int(self.report is not None and self.report.is_final)

    @property
    def zero(self) -> int:
        return int(self.reported == 1 and self.report is not None and self.report.is_zero)

    @property
    def so_far(self) -> int:
        return int(self.report is not None and not self.report.is_final)

    @property
    def missing(self) -> int:
        return int(self.is_missing)

    @property
    def late(self) -> int:
        return int(self.report is not None and self.report.is_late)


def _lines_from(
    reports: list[MonthlyReport], missing: list[Person], categories: list[dict[str, Any]]
) -> dict[int | None, list[PersonLine]]:
    lines: dict[tuple[int | None, int], PersonLine] = {}
    for report in reports:
        key = (report.department_id, report.person_id)
        line = lines.setdefault(key, PersonLine(report.person, report.department_id))
        if report.kind == ReportKind.REGULAR:
            line.report = report
        elif report.kind == ReportKind.SUPPLEMENTARY:
            line.supplementary += 1
        else:
            line.direct += 1
        line.forwarded_late += int(report.forwarded_late)
    for person in missing:
        key = (person.department_id, person.id)
        lines.setdefault(key, PersonLine(person, person.department_id)).is_missing = True
    for row in categories:
        line = lines[(row["department_id"], row["person_id"])]
        if row["records__category"] is not None:
            line.records += row["n"]
            line.by_category[row["records__category"]] = row["n"]
    grouped: dict[int | None, list[PersonLine]] = {}
    for key in sorted(lines, key=lambda k: (lines[k].person.staff_no, k[0] or 0)):
        grouped.setdefault(key[0], []).append(lines[key])
    return grouped


def month_lines(court: Court, month: date) -> dict[int | None, list[PersonLine]]:
    """{department id: its expected reporters' lines} for the month, in three queries."""
    reports = MonthlyReport.objects.filter(court=court, month=month)
    reported = regular_reports(court, month).filter(person=OuterRef("pk"))
    missing = reporters(court).filter(~Exists(reported)).distinct()
    categories: list[dict[str, Any]] = [
        dict(row)
        for row in reports.order_by()
        .values("department_id", "person_id", "records__category")
        .annotate(n=Count("records", distinct=True))
    ]
    return _lines_from(list(reports.select_related("person")), list(missing), categories)


@dataclass
class DepartmentMonth:
    """One department's line on the court's month page: the sum of its people's lines."""

    department: Department | None
    staff: int = 0
    reported: int = 0
    zero: int = 0
    so_far: int = 0
    missing: int = 0
    late: int = 0
    records: int = 0
    supplementary: int = 0
    direct: int = 0
    forwarded_late: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    report: DepartmentReport | None = None
    overdue: bool = False

    def add(self, line: PersonLine | DepartmentMonth) -> None:
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + getattr(line, name))
        for category, n in line.by_category.items():
            self.by_category[category] = self.by_category.get(category, 0) + n

    @property
    def state(self) -> str:
        """submitted, returned, overdue (not in after the due date) or pending."""
        if self.report is not None:
            return self.report.status
        return "overdue" if self.overdue else "pending"

    @property
    def is_late(self) -> bool:
        return self.state == "overdue" or bool(self.report and self.report.is_late)

    @property
    def report_rate(self) -> float | None:
        """Final reports over the expected reporters (never over those who reported)."""
        return self.reported / self.staff if self.staff else None

    @property
    def zero_rate(self) -> float | None:
        """Final zero reports over the expected reporters."""
        return self.zero / self.staff if self.staff else None

    @property
    def report_rate_text(self) -> str:
        rate = self.report_rate
        return "" if rate is None else f"{rate * 100:.1f}%"

    @property
    def zero_rate_text(self) -> str:
        rate = self.zero_rate
        return "" if rate is None else f"{rate * 100:.1f}%"

    def categories(self) -> list[tuple[StrOrPromise, int]]:
        return [(label, self.by_category.get(value, 0)) for value, label in Category.choices]


@dataclass
class CourtMonth:
    court: Court
    month: date
    due: date
    overdue: bool
    rows: list[DepartmentMonth]
    totals: DepartmentMonth
    report: CourtReport | None
    lines: dict[int | None, list[PersonLine]] = field(default_factory=dict)

    @property
    def late_departments(self) -> list[DepartmentMonth]:
        return [row for row in self.rows if row.state in ("overdue", "returned") and self.overdue]

    @property
    def missing_people(self) -> list[PersonLine]:
        return [line for rows in self.lines.values() for line in rows if line.missing]


def _department_row(
    department: Department | None,
    lines: list[PersonLine],
    report: DepartmentReport | None,
    overdue: bool,
) -> DepartmentMonth:
    row = DepartmentMonth(department=department, report=report, overdue=overdue)
    for line in lines:
        row.add(line)
    return row


def _totals(rows: list[DepartmentMonth]) -> DepartmentMonth:
    total = DepartmentMonth(department=None)
    for row in rows:
        total.add(row)
    return total


def court_month_for(court: Court, month: date) -> CourtMonth:
    """The month's overview for a court, without any check (callers authorize)."""
    overdue = calendar.is_overdue(court, month)
    lines = month_lines(court, month)
    reports = {
        r.department_id: r for r in DepartmentReport.objects.filter(court=court, month=month)
    }
    departments = list(Department.objects.filter(court=court, is_active=True).order_by("code"))
    rows = [
        _department_row(d, lines.get(d.id, []), reports.get(d.id), overdue) for d in departments
    ]
    shown = {d.id for d in departments}
    rest = [line for key, found in lines.items() if key not in shown for line in found]
    if rest:
        rows.append(_department_row(None, rest, None, False))
    return CourtMonth(
        court=court,
        month=month,
        due=calendar.due_date(court, month),
        overdue=overdue,
        rows=rows,
        totals=_totals(rows),
        report=CourtReport.objects.filter(court=court, month=month).first(),
        lines=lines,
    )


def court_month(actor: Actor, month: date) -> CourtMonth:
    """The court's month page: inspection office and president only."""
    if not policy.may_view_court_reports(actor):
        raise PermissionDenied
    return court_month_for(known_or_403(actor).court, month)


def department_for(actor: Actor, department_id: int) -> Department:
    """A department of the actor's court, or 404."""
    if actor.court is None:
        raise Http404
    department = Department.objects.filter(court=actor.court, pk=department_id).first()
    if department is None:
        raise Http404
    return department


def department_month(actor: Actor, department_id: int, month: date) -> list[PersonLine]:
    """Each expected reporter of a department for the month: the lines its court row sums."""
    department = department_for(actor, department_id)
    if not policy.may_view_court_reports(actor):
        raise PermissionDenied
    return month_lines(known_or_403(actor).court, month).get(department.id, [])


def court_report_for(actor: Actor, report_id: int) -> CourtReport:
    """A court report of the actor's court (404 otherwise) that he may see (403)."""
    report = CourtReport.objects.filter(pk=report_id).first()
    if report is None or not policy.same_court(actor, report):
        raise Http404
    if not policy.may_view_court_reports(actor):
        raise PermissionDenied
    return report


# --- reminders -------------------------------------------------------------------------------


def _head_users(court: Court, department_ids: list[int]) -> QuerySet[Person]:
    return Person.objects.filter(
        court=court,
        department_id__in=department_ids,
        status=PersonStatus.SERVING,
        user__isnull=False,
        roles__court=court,
        roles__role=Role.DEPT_HEAD,
    )


@dataclass(frozen=True)
class Reminded:
    heads: int  # department heads newly reminded
    people: int  # people without a report for the month newly reminded (today)


def departments_remind(
    *, actor: Actor, month: date, now: datetime | None = None, request: HttpRequest | None = None
) -> Reminded:
    """The inspection office's 催报 for `month`: the heads of departments whose report is not in
    and the people who have not reported (issue 10 point 11).

    After the due date, the late departments' heads, once a month (`dept-late:<department>:
    <YYYY-MM>`); before it, the heads of departments not yet in, once a day. People are
    reminded once a day (nudges.py). A second click changes nothing but the audit chain.
    """
    if not policy.may_remind_departments(actor):
        raise PermissionDenied
    court = known_or_403(actor).court
    now = now or timezone.now()
    nudges.check_open_month(month, now)
    overview = court_month_for(court, month)
    overdue = calendar.is_overdue(court, month, now)
    owing = [
        row.department.id for row in overview.rows if row.department and row.state != "submitted"
    ]
    with transaction.atomic():
        heads = sum(
            _remind_head(head, month, overview.due, overdue, timezone.localdate(now))
            for head in _head_users(court, owing).select_related("department", "user")
        )
        filed = MonthlyReport.objects.filter(month=month, kind=ReportKind.REGULAR)
        missing = list(
            reporters(court)
            .exclude(pk__in=filed.values("person_id"))
            .distinct()
            .select_related("user", "court")
        )
        people = nudges.nudge_missing(missing, month, now, _("督察室"))
        audit.log_event(
            action="reporting.departments_remind",
            actor=actor,
            detail={
                "month": f"{month:%Y-%m}",
                "departments": len(owing),
                "created": heads,
                "people": people,
            },
            request=request,
        )
    return Reminded(heads=heads, people=people)


def _department_url(head: Person, month: date) -> str:
    url = reverse("reporting:department", args=[head.department_id])
    return f"{url}?month={month:%Y-%m}"


def _remind_head(head: Person, month: date, due: date, overdue: bool, day: date) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        title, body = _reminder_text(head, month, due, overdue)
    label = f"{month:%Y-%m}"
    if overdue:
        key, kind = f"dept-late:{head.department_id}:{label}", REMINDER_KIND
    else:
        key, kind = f"dept-remind:{head.department_id}:{label}:{day:%Y-%m-%d}", "dept_remind"
    made = notify_people(
        [head], key=key, kind=kind, title=title, body=body, url=_department_url(head, month)
    )
    return len(made)


def _reminder_text(head: Person, month: date, due: date, overdue: bool) -> tuple[str, str]:
    """Title and body in the court's language: the department and the month, nothing more."""
    values = {"month": f"{month:%Y-%m}", "due": f"{due:%Y-%m-%d}"}
    if overdue:
        title = _("%(month)s 部门月报告已逾期，请尽快审核报送") % values
    else:
        title = _("请于 %(due)s 前审核报送 %(month)s 部门月报告") % values
    body = _("督察室提醒：%(department)s %(month)s 的部门月报告尚未报送督察室。") % {
        "department": head.department.name if head.department else "",
        "month": f"{month:%Y-%m}",
    }
    return title, body


# --- the court report --------------------------------------------------------------------------


def _choice_counts(
    queryset: QuerySet[Any], key: str, choices: Iterable[tuple[str, Any]]
) -> dict[str, int]:
    counts = {value: row["n"] for value, row in _count_by(queryset, key).items()}
    return {value: counts.get(value, 0) for value, _label in choices}


def _department_figures(row: DepartmentMonth) -> dict[str, Any]:
    return {
        "name": row.department.name if row.department else "",
        **{name: getattr(row, name) for name in FIGURES},
        "report": row.state,
        "report_late": row.is_late,
    }


def court_figures(court: Court, month: date) -> dict[str, Any]:
    """The court report's figures: counts only, JSON-safe (department keys are strings)."""
    overview = court_month_for(court, month)
    totals, records = overview.totals, month_records(court, month)
    return {
        "month": f"{month:%Y-%m}",
        **{name: getattr(totals, name) for name in FIGURES},
        # Rates over the expected reporters: 1 zero report of 60 expected is 1.7%, not 100%.
        "report_rate": round(totals.report_rate, 4) if totals.report_rate is not None else None,
        "zero_rate": round(totals.zero_rate, 4) if totals.zero_rate is not None else None,
        "missing_people": [
            {"id": line.person.id, "name": line.person.name, "department": line.department_id}
            for line in overview.missing_people
        ],
        "by_category": _choice_counts(records, "category", Category.choices),
        "by_behaviour": _choice_counts(records, "behaviour", Behaviour.choices),
        "by_subject_kind": _choice_counts(records, "subject_kind", SubjectKind.choices),
        "by_department": {
            str(row.department.id if row.department else 0): _department_figures(row)
            for row in overview.rows
        },
        "departments_late": sum(1 for row in overview.rows if row.department and row.is_late),
        "departments_missing": sum(
            1 for row in overview.rows if row.department and row.report is None
        ),
    }


def court_report_assemble(
    *, actor: Actor, month: date, confirm: bool = False, request: HttpRequest | None = None
) -> CourtReport:
    """Assemble (or, before the president's review, re-assemble) the month's court report.

    Only once confirmed (`confirm`): the confirmation page shows the rates over the expected
    reporters and names the missing people and departments first (court_views.assemble)."""
    if not policy.may_assemble_court_report(actor):
        raise PermissionDenied
    if not confirm:
        raise ValidationError(_("请先确认汇总：核对未报告的人员和部门后再汇总。"))
    known = known_or_403(actor)
    with transaction.atomic():
        # The month's first assembly has no row to lock: serialise on the court instead.
        transitions.lock_parent(Court, known.court.pk)
        report = (
            CourtReport.objects.select_for_update().filter(court=known.court, month=month).first()
        )
        reviewed = _("院长已审查该月报告，不能重新汇总。")
        if report is not None and report.status == CourtStatus.REVIEWED:
            raise ValidationError(reviewed)
        report = report or CourtReport(court=known.court, month=month)
        report.figures = court_figures(known.court, month)
        report.assembled_by, report.assembled_at = known.person, timezone.now()
        if report.pk is None:
            report.save()
        else:
            transitions.save_if(report, reviewed, status=CourtStatus.ASSEMBLED)
        audit.log_event(
            action="reporting.court_assemble",
            actor=actor,
            obj=report,
            detail={"month": f"{month:%Y-%m}", "reported": report.figures["reported"]},
            request=request,
        )
        events.court_assembled(report, known.person)
    return report


def court_report_review(
    *,
    actor: Actor,
    report: CourtReport,
    note: str,
    otp: str,
    request: HttpRequest | None = None,
) -> CourtReport:
    """The president's review of an assembled court report, with his note and a fresh TOTP
    code (DESIGN.md section 5: re-authentication before approving).

    The code is checked before the transaction, so that a wrong one stays counted and
    audited (`totp_verify` commits on its own); the state is checked again under lock.
    """
    if not policy.may_review_court_report(actor, report):
        raise PermissionDenied
    if report.status == CourtStatus.REVIEWED:
        raise ValidationError(_("该月报告已经审查。"))
    if actor.user is None or not totp_verify(user=actor.user, code=otp or "", request=request):
        raise ValidationError(_("动态口令不正确或已使用过，请输入验证器上新的 6 位数字。"))
    with transaction.atomic():
        report = CourtReport.objects.select_for_update().get(pk=report.pk)
        if report.status == CourtStatus.REVIEWED:
            raise ValidationError(_("该月报告已经审查。"))
        report.status = CourtStatus.REVIEWED
        report.review_note = note.strip()
        report.reviewed_by, report.reviewed_at = actor.person, timezone.now()
        transitions.save_if(report, _("该月报告已经审查。"), status=CourtStatus.ASSEMBLED)
        audit.log_event(
            action="reporting.court_review",
            actor=actor,
            obj=report,
            detail={"month": f"{report.month:%Y-%m}", "note_length": len(report.review_note)},
            request=request,
        )
        events.court_reviewed(report, actor.person)
    return report
