"""Months and due dates: the due day (25th by default), moved to the next working day when it
falls on a weekend or one of the court's holidays (a 调休 workday counts as working)."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from mingjing.org.models import Court
from mingjing.reporting.models import Holiday, ReportingCalendar

DEFAULT_DUE_DAY = 25


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


def parse_month(text: str) -> date | None:
    """'2026-11' → date(2026, 11, 1); None for anything else."""
    try:
        return datetime.strptime(text.strip(), "%Y-%m").date()
    except (AttributeError, ValueError):
        return None


def calendar_for(court: Court) -> ReportingCalendar:
    found = ReportingCalendar.objects.filter(court=court).first()
    return found or ReportingCalendar(court=court, due_day=DEFAULT_DUE_DAY)


def _working_days_off(court: Court, start: date, end: date) -> tuple[set[date], set[date]]:
    rows = Holiday.objects.filter(court=court, date__range=(start, end))
    holidays = {h.date for h in rows if not h.is_workday}
    workdays = {h.date for h in rows if h.is_workday}
    return holidays, workdays


def is_working_day(day: date, holidays: set[date], workdays: set[date]) -> bool:
    if day in workdays:
        return True
    return day.weekday() < 5 and day not in holidays


def due_date(court: Court, month: date) -> date:
    """The last day to report for `month`: its due day, or the next working day after it."""
    cal = calendar_for(court)
    last = (next_month(month) - timedelta(days=1)).day
    day = month.replace(day=min(cal.due_day, last))
    holidays, workdays = _working_days_off(court, day, day + timedelta(days=31))
    while not is_working_day(day, holidays, workdays):
        day += timedelta(days=1)
    return day


def due_at(court: Court, month: date) -> datetime:
    """The end of the due date, in the court's time zone."""
    end = datetime.combine(due_date(court, month) + timedelta(days=1), time.min)
    return timezone.make_aware(end)


def is_overdue(court: Court, month: date, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= due_at(court, month)
