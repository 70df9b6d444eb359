"""Running tick at a chosen moment, and counting what it left."""

from datetime import date, datetime
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from mingjing.notify.models import Notification
from mingjing.reporting.models import MonthlyReport

NOVEMBER = date(2026, 11, 1)  # due on Wednesday 25 November; reminders from the 22nd


def at(text: str) -> datetime:
    """A moment in the court's time zone, 'YYYY-MM-DD HH:MM'."""
    return timezone.make_aware(datetime.fromisoformat(text))


def tick(when: str, *extra: str) -> str:
    out = StringIO()
    call_command("tick", "--now", at(when).isoformat(), *extra, stdout=out)
    return out.getvalue()


def recipients(kind: str) -> set[str]:
    rows = Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    return set(rows)


def keys_of(username: str) -> set[str]:
    return set(
        Notification.objects.filter(recipient__username=username).values_list("key", flat=True)
    )


def file_report(person, month: date = NOVEMBER) -> MonthlyReport:
    return MonthlyReport.objects.create(
        court=person.court,
        person=person,
        department=person.department,
        month=month,
        is_zero=True,
        submitted_at=timezone.now(),
    )
