"""Helpers for the monthly-cycle tests: explicit moments and records submitted at them."""

from datetime import date, datetime

from django.utils import timezone

from mingjing.records.models import Record
from mingjing.reporting import services
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


def file_report(user, *, zero: bool, when: datetime, month: date = OCTOBER):
    return services.monthly_report_submit(actor=actor_for(user), month=month, zero=zero, now=when)


def review(user, report, *, approve: bool = True, reason: str = "", when=None):
    return services.monthly_report_review(
        actor=actor_for(user), report=report, approve=approve, reason=reason, now=when
    )
