"""Helpers for the monthly-cycle tests: explicit moments and records submitted at them."""

from datetime import date, datetime

from django.utils import timezone

from mingjing.records.models import Record
from mingjing.reporting import calendar, services
from mingjing.security.actor import actor_for
from tests.conftest import make_record

OCTOBER = date(2026, 10, 1)


def at(month: int, day: int, hour: int = 10, year: int = 2026) -> datetime:
    """A moment in the court's time zone."""
    return timezone.make_aware(datetime(year, month, day, hour))


def record_submitted_at(person, when: datetime, **options) -> Record:
    """A real submitted record (sealed, audited) whose submission is moved to `when`."""
    record = make_record(person, **options)
    Record.objects.filter(pk=record.pk).update(submitted_at=when)
    record.refresh_from_db()
    return record


def month_end(month: date) -> datetime:
    """09:00 on the first day after `month`: when a "so far" zero report is re-confirmed."""
    return at(calendar.next_month(month).month, 1, 9, year=calendar.next_month(month).year)


def file_report(user, *, zero: bool, when: datetime, month: date = OCTOBER, final: bool = True):
    """File through the service. A zero report filed before the month's end says "so far";
    with `final` (most tests are about other things) it is re-confirmed at the month's end, as
    its reporter would, so that it counts; `final=False` leaves it "so far"."""
    report = services.monthly_report_submit(
        actor=actor_for(user), month=month, zero=zero, affirm=zero, now=when
    )
    if final and report.zero_unconfirmed:
        report = confirm_zero(user, month=month, when=max(when, month_end(month)))
    return report


def confirm_zero(user, *, month: date = OCTOBER, when: datetime | None = None):
    return services.zero_report_confirm(
        actor=actor_for(user), month=month, affirm=True, now=when or month_end(month)
    )


def send_department(user, department, *, month: date = OCTOBER, when: datetime | None = None):
    """The head sends, having confirmed the missing people the page named."""
    missing = [p.id for p in services.missing_people(department, month)]
    return services.department_report_submit(
        actor=actor_for(user),
        department=department,
        month=month,
        confirm=True,
        missing_ids=missing,
        now=when,
    )


def review(user, report, *, approve: bool = True, reason: str = "", when=None):
    return services.monthly_report_review(
        actor=actor_for(user), report=report, approve=approve, reason=reason, now=when
    )


def post_confirmed(client, url: str, data: dict):
    """POST as the page's user does when a confirmation comes first (the department report,
    the court assembly): the first POST shows the confirmation page, whose hidden fields
    (the missing people it named, confirm) are sent back with the second."""
    import re

    page = client.post(url, data)
    if page.status_code != 200:
        return page
    html = page.content.decode()
    hidden = dict(
        re.findall(r'<input type="hidden" name="(missing|confirm)" value="([^"]*)"', html)
    )
    assert "confirm" in hidden, "no confirmation step on the page"
    return client.post(url, {**data, **hidden})
