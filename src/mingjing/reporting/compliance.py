"""Compliance with the monthly cycle (seed 三(二), 五(一)): on-time rates, zero-report streaks,
late contact reports, and the departments whose "zero records" the inspection office should
talk to their heads about (约谈).

The interview marker (建议约谈) — the rule, in one place:
  over the last STREAK_MONTHS months, a department that filed at least INTERVIEW_MIN_REPORTS
  personal reports is marked when its share of non-zero reports is at most 1/INTERVIEW_RATIO of
  the court's (its zero share is "much higher" than the court's). Zero shares sit near 100%
  everywhere (most months nobody is asked anything), so the comparison is made on the small
  non-zero share, where differences show. When the whole court reports nothing, no department
  stands out and none is marked.

Figures, never contents: every number is an aggregate query over plain fields.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mingjing.org.models import Court, Department, Person
from mingjing.records.models import Record, RecordStatus
from mingjing.reporting import calendar
from mingjing.reporting.court import department_for, reporters
from mingjing.reporting.models import DepartmentReport, MonthlyReport, ReportKind
from mingjing.security import audit, policy
from mingjing.security.actor import Actor, known_or_403
from mingjing.security.spreadsheet import Rate, append_row

STREAK_MONTHS = 6
INTERVIEW_MIN_REPORTS = 12
INTERVIEW_RATIO = 3
WINDOWS = (6, 12)
SUBMITTED = (RecordStatus.SUBMITTED, RecordStatus.SCREENED, RecordStatus.DISPOSED)


def months_ending(end: date, count: int) -> list[date]:
    """`count` months, oldest first, ending with `end`."""
    months = [end]
    while len(months) < count:
        months.append(calendar.previous_month(months[-1]))
    return months[::-1]


def default_end(today: date | None = None) -> date:
    """The last complete month: this month's reports are still coming in."""
    return calendar.previous_month(calendar.month_start(today or timezone.localdate()))


def percent(value: float | None) -> str:
    """0.875 → '87.5%'; '' when there is nothing to divide."""
    return "" if value is None else f"{value * 100:.1f}%"


@dataclass
class MonthRate:
    month: date
    expected: int = 0
    reported: int = 0
    on_time: int = 0

    @property
    def rate(self) -> float | None:
        """On-time personal reports over those expected (never below those filed)."""
        base = max(self.expected, self.reported)
        return self.on_time / base if base else None

    @property
    def rate_text(self) -> str:
        return percent(self.rate)


@dataclass
class PersonStreak:
    person: Person
    streak: int = 0  # consecutive zero reports up to the last month
    reported: int = 0  # reports filed in the streak window

    @property
    def full(self) -> bool:
        return self.streak >= STREAK_MONTHS


@dataclass
class DepartmentCompliance:
    department: Department
    rates: list[MonthRate]
    report_states: list[str]  # per month: on_time, late, missing
    reports: int = 0
    zero: int = 0
    zero_streak: int = 0  # consecutive months in which every report was zero
    people: list[PersonStreak] = field(default_factory=list)
    contacts: int = 0
    contacts_late: int = 0
    interview: bool = False

    @property
    def zero_share(self) -> float | None:
        return self.zero / self.reports if self.reports else None

    @property
    def zero_share_text(self) -> str:
        return percent(self.zero_share)

    @property
    def on_time_text(self) -> str:
        return percent(self.on_time)

    @property
    def streaks(self) -> list[PersonStreak]:
        """People by their zero streak, longest first."""
        return sorted(self.people, key=lambda p: (-p.streak, p.person.staff_no))

    @property
    def full_zero_people(self) -> int:
        return sum(1 for p in self.people if p.full)

    @property
    def on_time(self) -> float | None:
        return _overall(self.rates)


@dataclass
class Compliance:
    court: Court
    months: list[date]
    streak_months: list[date]
    court_rates: list[MonthRate]
    departments: list[DepartmentCompliance]
    court_reports: int = 0
    court_zero: int = 0
    contacts: int = 0
    contacts_late: int = 0

    @property
    def court_zero_share(self) -> float | None:
        return self.court_zero / self.court_reports if self.court_reports else None

    @property
    def court_on_time(self) -> float | None:
        return _overall(self.court_rates)

    @property
    def court_zero_share_text(self) -> str:
        return percent(self.court_zero_share)

    @property
    def court_on_time_text(self) -> str:
        return percent(self.court_on_time)

    @property
    def interviews(self) -> list[DepartmentCompliance]:
        return [d for d in self.departments if d.interview]


def _overall(rates: list[MonthRate]) -> float | None:
    return MonthRate(
        month=date.min,
        expected=sum(r.expected for r in rates),
        reported=sum(r.reported for r in rates),
        on_time=sum(r.on_time for r in rates),
    ).rate


def is_interview_case(reports: int, zero: int, court_reports: int, court_zero: int) -> bool:
    """The 建议约谈 rule (see the module docstring)."""
    if reports < INTERVIEW_MIN_REPORTS or not court_reports:
        return False
    court_nonzero = (court_reports - court_zero) / court_reports
    if court_nonzero <= 0:
        return False
    return (reports - zero) / reports * INTERVIEW_RATIO <= court_nonzero


# --- queries ------------------------------------------------------------------------------


def final_reports(court: Court, months: list[date]) -> QuerySet[MonthlyReport]:
    """Regular reports that count (not a "so far" zero report still to be re-confirmed)."""
    unconfirmed = Q(is_zero=True, zero_confirmed_at__isnull=True)
    regular = MonthlyReport.objects.filter(court=court, kind=ReportKind.REGULAR, month__in=months)
    return regular.exclude(unconfirmed)


def _report_rows(court: Court, months: list[date]) -> dict[tuple[int | None, date], dict[str, Any]]:
    """(department_id, month) → {n, zero, on_time}, in one grouped query."""
    rows = (
        final_reports(court, months)
        .order_by()
        .values("department_id", "month")
        .annotate(
            n=Count("id"),
            zero=Count("id", filter=Q(is_zero=True)),
            on_time=Count("id", filter=Q(is_late=False)),
        )
    )
    return {(row["department_id"], row["month"]): dict(row) for row in rows}


def _department_states(court: Court, months: list[date]) -> dict[tuple[int | None, date], str]:
    rows = (
        DepartmentReport.objects.filter(court=court, month__in=months)
        .order_by()
        .values_list("department_id", "month", "is_late")
    )
    return {(d, m): ("late" if late else "on_time") for d, m, late in rows}


def _person_reports(court: Court, months: list[date]) -> dict[int, dict[date, bool]]:
    # No ordering: the model's (by person, i.e. court and staff number) joined every person
    # of the database to sort rows that only fill a dict (docs/scale.md).
    rows = final_reports(court, months).order_by().values_list("person_id", "month", "is_zero")
    result: dict[int, dict[date, bool]] = {}
    for person_id, month, is_zero in rows:
        result.setdefault(person_id, {})[month] = is_zero
    return result


def _contact_rows(court: Court, months: list[date]) -> dict[int | None, dict[str, Any]]:
    start = timezone.make_aware(datetime.combine(months[0], time.min))
    end = timezone.make_aware(datetime.combine(calendar.next_month(months[-1]), time.min))
    rows = (
        Record.objects.filter(court=court, off_hours_contact=True, status__in=SUBMITTED)
        .filter(occurred_at__gte=start, occurred_at__lt=end)
        .order_by()
        .values("department_id")
        .annotate(n=Count("id"), late=Count("id", filter=Q(is_late=True)))
    )
    return {row["department_id"]: dict(row) for row in rows}


def _staff_by_department(court: Court) -> dict[int | None, list[Person]]:
    result: dict[int | None, list[Person]] = {}
    for person in (
        reporters(court).order_by("staff_no").only("id", "name", "staff_no", "department_id")
    ):
        result.setdefault(person.department_id, []).append(person)
    return result


# --- assembling ----------------------------------------------------------------------------


def _streak(values: list[bool]) -> int:
    """How many True values end the list."""
    count = 0
    for value in reversed(values):
        if not value:
            break
        count += 1
    return count


def _person_streak(person: Person, filed: dict[date, bool], window: list[date]) -> PersonStreak:
    zero_months = [filed.get(month) is True for month in window]
    reported = sum(1 for month in window if month in filed)
    return PersonStreak(person=person, streak=_streak(zero_months), reported=reported)


@dataclass
class _Data:
    reports: dict[tuple[int | None, date], dict[str, Any]]
    states: dict[tuple[int | None, date], str]
    people: dict[int, dict[date, bool]]
    persons: dict[int | None, list[Person]]
    contacts: dict[int | None, dict[str, Any]]


def _department(
    dept: Department, data: _Data, months: list[date], window: list[date]
) -> DepartmentCompliance:
    staff = data.persons.get(dept.id, [])
    rates = []
    for month in months:
        row = data.reports.get((dept.id, month), {})
        rates.append(MonthRate(month, len(staff), row.get("n", 0), row.get("on_time", 0)))
    window_rows = [data.reports.get((dept.id, month), {}) for month in window]
    all_zero = [bool(r.get("n")) and r.get("zero") == r.get("n") for r in window_rows]
    contacts = data.contacts.get(dept.id, {})
    return DepartmentCompliance(
        department=dept,
        rates=rates,
        report_states=[data.states.get((dept.id, m), "missing") for m in months],
        reports=sum(r.get("n", 0) for r in window_rows),
        zero=sum(r.get("zero", 0) for r in window_rows),
        zero_streak=_streak(all_zero),
        people=[_person_streak(p, data.people.get(p.id, {}), window) for p in staff],
        contacts=contacts.get("n", 0),
        contacts_late=contacts.get("late", 0),
    )


def _court_rates(departments: list[DepartmentCompliance], months: list[date]) -> list[MonthRate]:
    rates = [MonthRate(month) for month in months]
    for dept in departments:
        for total, rate in zip(rates, dept.rates, strict=True):
            total.expected += rate.expected
            total.reported += rate.reported
            total.on_time += rate.on_time
    return rates


def compliance_for(court: Court, *, end: date, months: int = 6) -> Compliance:
    """The court's compliance figures, without any check (callers authorize)."""
    span = months_ending(end, months)
    window = months_ending(end, STREAK_MONTHS)
    everything = sorted(set(span) | set(window))
    data = _Data(
        reports=_report_rows(court, everything),
        states=_department_states(court, span),
        people=_person_reports(court, window),
        persons=_staff_by_department(court),
        contacts=_contact_rows(court, span),
    )
    depts = Department.objects.filter(court=court, is_active=True).order_by("code")
    departments = [_department(d, data, span, window) for d in depts]
    result = Compliance(
        court=court,
        months=span,
        streak_months=window,
        court_rates=_court_rates(departments, span),
        departments=departments,
        # The court's figures are the sums of the departments shown (totals = breakdown).
        court_reports=sum(d.reports for d in departments),
        court_zero=sum(d.zero for d in departments),
        contacts=sum(r["n"] for r in data.contacts.values()),
        contacts_late=sum(r["late"] for r in data.contacts.values()),
    )
    for dept in departments:
        dept.interview = is_interview_case(
            dept.reports, dept.zero, result.court_reports, result.court_zero
        )
    return result


def court_compliance(actor: Actor, *, end: date, months: int = 6) -> Compliance:
    """The court-wide compliance page: inspection office and president."""
    if not policy.may_view_court_compliance(actor):
        raise PermissionDenied
    return compliance_for(known_or_403(actor).court, end=end, months=months)


def department_compliance(
    actor: Actor, department_id: int, *, end: date, months: int = 6
) -> tuple[Compliance, DepartmentCompliance]:
    """One department's figures beside the court's: 404 for another court, 403 if not his."""
    department = department_for(actor, department_id)
    if not policy.may_view_department_compliance(actor, department):
        raise PermissionDenied
    figures = compliance_for(known_or_403(actor).court, end=end, months=months)
    mine = next(d for d in figures.departments if d.department.id == department.id)
    return figures, mine


def visible_departments(actor: Actor) -> list[Department]:
    """Departments whose compliance page the actor may open (for links)."""
    if not policy.may_view_some_compliance(actor):
        return []
    ids = policy.department_ids_for_counts(actor)
    departments = Department.objects.filter(court=actor.court, is_active=True)
    if ids is not None:
        departments = departments.filter(id__in=ids)
    return list(departments.order_by("code"))


# --- export --------------------------------------------------------------------------------


def _rates_sheet(book: Any, figures: Compliance, departments: list[DepartmentCompliance]) -> None:
    sheet = book.create_sheet(_("按时报告率"))
    append_row(sheet, [_("部门")] + [f"{m:%Y-%m}" for m in figures.months] + [_("合计")])
    for dept in departments:
        cells = [Rate(r.rate) for r in dept.rates] + [Rate(dept.on_time)]
        append_row(sheet, [dept.department.name] + cells)
    court = [Rate(r.rate) for r in figures.court_rates] + [Rate(figures.court_on_time)]
    append_row(sheet, [_("全院")] + court)


def _zero_sheet(book: Any, figures: Compliance, departments: list[DepartmentCompliance]) -> None:
    sheet = book.create_sheet(_("零报告"))
    append_row(
        sheet,
        [
            _("部门"),
            _("报告数"),
            _("零报告数"),
            _("零报告占比"),
            _("连续全零月数"),
            _("连续六个月零报告人数"),
            _("建议约谈"),
        ],
    )
    for d in departments:
        append_row(
            sheet,
            [
                d.department.name,
                d.reports,
                d.zero,
                Rate(d.zero_share),
                d.zero_streak,
                d.full_zero_people,
                _("是") if d.interview else "",
            ],
        )
    share = Rate(figures.court_zero_share)
    append_row(sheet, [_("全院"), figures.court_reports, figures.court_zero, share, "", "", ""])


def _people_sheet(book: Any, departments: list[DepartmentCompliance]) -> None:
    sheet = book.create_sheet(_("个人连续零报告"))
    append_row(sheet, [_("部门"), _("姓名"), _("工号"), _("近六个月报告数"), _("连续零报告月数")])
    for dept in departments:
        for p in dept.people:
            row = [dept.department.name, p.person.name, p.person.staff_no, p.reported, p.streak]
            append_row(sheet, row)


def _contacts_sheet(book: Any, departments: list[DepartmentCompliance]) -> None:
    sheet = book.create_sheet(_("接触报告"))
    append_row(sheet, [_("部门"), _("非工作时间或场所接触报告"), _("其中逾期报告")])
    for dept in departments:
        append_row(sheet, [dept.department.name, dept.contacts, dept.contacts_late])


def workbook_bytes(figures: Compliance, departments: list[DepartmentCompliance]) -> bytes:
    """The export: figures and names only, never a record's contents."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    _rates_sheet(book, figures, departments)
    _zero_sheet(book, figures, departments)
    _people_sheet(book, departments)
    _contacts_sheet(book, departments)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def chunks(data: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def compliance_export(
    *,
    actor: Actor,
    end: date,
    months: int,
    department_id: int | None = None,
    request: HttpRequest | None = None,
) -> tuple[bytes, str]:
    """The XLSX for the court or one department, logged in the audit chain; (bytes, name)."""
    if department_id is None:
        figures = court_compliance(actor, end=end, months=months)
        departments, scope = figures.departments, "court"
    else:
        figures, mine = department_compliance(actor, department_id, end=end, months=months)
        departments, scope = [mine], f"department-{mine.department.id}"
    audit.log_event(
        action="reporting.compliance_export",
        actor=actor,
        obj=departments[0].department if department_id else None,
        detail={"scope": scope, "end": f"{end:%Y-%m}", "months": months},
        request=request,
    )
    return workbook_bytes(figures, departments), f"compliance-{scope}-{end:%Y-%m}.xlsx"
