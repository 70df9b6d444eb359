"""催报 (issue 10 point 11): a head reminds the staff of his department who have not reported
a month; the inspection office reminds departments and people, before the due date too
(court.departments_remind calls `nudge_missing`).

Any month up to the current one may be reminded (a late November report is still owed in
December), never a future one. Each person is reminded at most
once a day for a month, whoever presses (the notification's key names the day), so a second
click changes nothing but the audit chain, which records every press with counts only.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mingjing.notify import events
from mingjing.org.models import Department, Person
from mingjing.reporting import calendar
from mingjing.reporting.services import current_month, missing_people
from mingjing.security import audit, policy
from mingjing.security.actor import Actor


@dataclass(frozen=True)
class Nudged:
    missing: int  # people without a regular report for the month
    created: int  # of them, reminded now (the others were today already)


def check_open_month(month: date, now: datetime) -> None:
    """Refuse a future month (module rule)."""
    if month > current_month(now):
        raise ValidationError(_("不能催报以后月份的报告。"))


def nudge_missing(people: list[Person], month: date, now: datetime, sender: str) -> int:
    """Remind `people` (who have not reported `month`); the number newly reminded today."""
    return events.monthly_report_nudged(
        people=people,
        month=month,
        day=timezone.localdate(now),
        sender=sender,
        url=reverse("reporting:personal") + f"?month={month:%Y-%m}",
    )


def staff_nudge(
    *,
    actor: Actor,
    department: Department,
    month: date,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Nudged:
    """The head reminds his department's staff who have not reported `month` (催报)."""
    # Who sends the department's report is who presses its 催报: its head, nobody else.
    if not policy.may_submit_department_report(actor, department):
        raise PermissionDenied(_("只有本部门负责人可以催报本部门人员。"))
    now = now or timezone.now()
    month = calendar.month_start(month)
    check_open_month(month, now)
    with transaction.atomic():
        missing = [p for p in missing_people(department, month) if p.pk != _person_id(actor)]
        created = nudge_missing(missing, month, now, _("部门负责人"))
        audit.log_event(
            action="reporting.staff_nudge",
            actor=actor,
            obj=department,
            detail={"month": f"{month:%Y-%m}", "missing": len(missing), "created": created},
            request=request,
        )
    return Nudged(missing=len(missing), created=created)


def _person_id(actor: Actor) -> int | None:
    return actor.person.pk if actor.person is not None else None
