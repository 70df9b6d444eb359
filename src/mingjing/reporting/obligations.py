"""Every open obligation of the monthly cycle, across months, for the home page (issue 10
point 2): not only this month's report but an overdue earlier one, a returned one, a head's
reviews still waiting from earlier months, the department reports the inspection office has
received, the court report awaiting the president.

How far back: a missing monthly report (or department report) is owed for the current month
and the `OPEN_MONTHS - 1` months before it, never for a month before the account existed
(`date_joined`: nobody owes a report for a month before he could log in). Rows that exist
are shown whatever their month: a returned report, a report awaiting review, a department
report received, a court report awaiting review.

Every function costs a fixed number of queries, whatever the number of months or items
(aggregates grouped by month; one holiday query for all due dates): counts and months only,
never a record's contents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from mingjing.org.models import Court
from mingjing.org.roles import Role
from mingjing.records.models import Record
from mingjing.reporting import calendar
from mingjing.reporting.models import (
    CourtReport,
    CourtStatus,
    DepartmentReport,
    DepartmentStatus,
    Holiday,
    MonthlyReport,
    PersonalStatus,
    ReportKind,
)
from mingjing.reporting.services import SUBMITTED_RECORDS, current_month
from mingjing.security import policy
from mingjing.security.actor import Actor

OPEN_MONTHS = 3


@dataclass(frozen=True)
class Owed:
    """One month's obligation: `state` is open, overdue, returned or supplement (personal),
    or open/overdue/returned for a department report."""

    month: date
    state: str
    due: date
    count: int = 0

    @property
    def label(self) -> str:
        return f"{self.month:%Y-%m}"


@dataclass(frozen=True)
class MonthCount:
    month: date
    count: int

    @property
    def label(self) -> str:
        return f"{self.month:%Y-%m}"


# --- months and due dates ------------------------------------------------------------------


def open_months(actor: Actor, now: datetime) -> list[date]:
    """The months a missing report is owed for, newest first (module rule)."""
    month = current_month(now)
    joined = actor.user.date_joined if actor.user is not None else now
    first = calendar.month_start(timezone.localdate(joined))
    months = []
    for _ in range(OPEN_MONTHS):
        if month < first:
            break
        months.append(month)
        month = calendar.previous_month(month)
    return months


def due_dates(court: Court, months: list[date]) -> dict[date, date]:
    """calendar.due_date for each month, with one calendar and one holiday query in all."""
    if not months:
        return {}
    due_day = calendar.calendar_for(court).due_day
    starts = {
        m: m.replace(day=min(due_day, (calendar.next_month(m) - timedelta(days=1)).day))
        for m in months
    }
    low, high = min(starts.values()), max(starts.values()) + timedelta(days=31)
    rows = Holiday.objects.filter(court=court, date__range=(low, high))
    holidays = {h.date for h in rows if not h.is_workday}
    workdays = {h.date for h in rows if h.is_workday}
    result = {}
    for month, day in starts.items():
        while not calendar.is_working_day(day, holidays, workdays):
            day += timedelta(days=1)
        result[month] = day
    return result


def _passed(due: date, now: datetime) -> bool:
    """calendar.is_overdue for a known due date."""
    return now >= timezone.make_aware(datetime.combine(due + timedelta(days=1), time.min))


# --- the reporter ----------------------------------------------------------------------------


def _unreported_months(actor: Actor, since: date) -> dict[date, int]:
    """Month → his submitted records since `since` that no report has gathered yet."""
    assert actor.person is not None
    start, _end = _bounds(since)
    times = Record.objects.filter(
        recorder=actor.person,
        status__in=SUBMITTED_RECORDS,
        submitted_at__gte=start,
        reports__isnull=True,
    ).values_list("submitted_at", flat=True)
    counts: dict[date, int] = {}
    for moment in times:
        month = calendar.month_start(timezone.localdate(moment))
        counts[month] = counts.get(month, 0) + 1
    return counts


def _bounds(month: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(month, time.min))
    return start, timezone.make_aware(datetime.combine(calendar.next_month(month), time.min))


def personal(actor: Actor, now: datetime | None = None) -> list[Owed]:
    """His reports owed: missing (open or overdue) in the open months, returned in any month,
    and supplements owed for records submitted after his report. Newest month first."""
    if not policy.may_file_monthly_report(actor) or actor.person is None:
        return []
    now = now or timezone.now()
    months = open_months(actor, now)
    if not months:
        return []
    regular: dict[date, str] = dict(
        MonthlyReport.objects.filter(
            person=actor.person, kind=ReportKind.REGULAR, month__gte=months[-1]
        ).values_list("month", "status")
    )
    returned = list(
        MonthlyReport.objects.filter(
            person=actor.person, kind=ReportKind.REGULAR, status=PersonalStatus.RETURNED
        ).values_list("month", flat=True)
    )
    unreported = _unreported_months(actor, months[-1])
    wanted = set(months) | set(returned) | set(unreported)
    dues = due_dates(actor.person.court, sorted(wanted))
    owed = _missing(months, regular, dues, now)
    owed += [Owed(month, "returned", dues[month]) for month in returned]
    owed += [
        Owed(month, "supplement", dues[month], count)
        for month, count in unreported.items()
        if month in regular and regular[month] != PersonalStatus.RETURNED
    ]
    return sorted(owed, key=lambda o: o.month, reverse=True)


def _missing(
    months: list[date], regular: dict[date, str], dues: dict[date, date], now: datetime
) -> list[Owed]:
    return [
        Owed(month, "overdue" if _passed(dues[month], now) else "open", dues[month])
        for month in months
        if month not in regular
    ]


# --- the department head ---------------------------------------------------------------------


def pending_reviews(actor: Actor) -> list[MonthCount]:
    """Reports awaiting his review, by month, any month, as the review rule decides
    (policy.reviewable_monthly_reports): his department's, never his own nor one going around
    him (naming him, direct); for the custodian, those that go around the heads."""
    if actor.person is None or actor.court is None:
        return []
    waiting = MonthlyReport.objects.filter(court=actor.court, status=PersonalStatus.SUBMITTED)
    return _by_month(policy.reviewable_monthly_reports(actor, waiting))


def _by_month(reports: QuerySet) -> list[MonthCount]:
    rows = reports.values("month").annotate(n=Count("id", distinct=True)).order_by("-month")
    return [MonthCount(row["month"], row["n"]) for row in rows]


def department_reports_owed(actor: Actor, now: datetime | None = None) -> list[Owed]:
    """The head's department reports not sent (or returned by the office), in the open
    months, newest first; `count` is the reports still awaiting his review that month."""
    if not actor.has(Role.DEPT_HEAD) or actor.department_id is None or actor.person is None:
        return []
    now = now or timezone.now()
    months = open_months(actor, now)
    if not months:
        return []
    sent = dict(
        DepartmentReport.objects.filter(
            department_id=actor.department_id, month__gte=months[-1]
        ).values_list("month", "status")
    )
    dues = due_dates(actor.person.court, months)
    owed = []
    for month in months:
        status = sent.get(month)
        if status == DepartmentStatus.SUBMITTED:
            continue
        late = _passed(dues[month], now)
        state = (
            "returned" if status == DepartmentStatus.RETURNED else ("overdue" if late else "open")
        )
        owed.append(Owed(month, state, dues[month]))
    return owed


# --- the inspection office and the president --------------------------------------------------


def received_department_reports(actor: Actor) -> list[MonthCount]:
    """Department reports received for months whose court report is not yet assembled."""
    if not policy.may_assemble_court_report(actor) or actor.court is None:
        return []
    assembled = CourtReport.objects.filter(court=actor.court, month=OuterRef("month"))
    received = DepartmentReport.objects.filter(
        court=actor.court, status=DepartmentStatus.SUBMITTED
    ).exclude(Exists(assembled))
    return _by_month(received)


def court_reports_to_review(actor: Actor) -> list[MonthCount]:
    """Assembled court reports awaiting the president's review."""
    if not actor.has(Role.APPROVER) or actor.court is None or actor.person is None:
        return []
    waiting = CourtReport.objects.filter(court=actor.court, status=CourtStatus.ASSEMBLED)
    return _by_month(waiting)
