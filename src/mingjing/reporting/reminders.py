"""The reminder rules of `mingjing tick` (seed 三(二), 四(一); DESIGN.md sections 4 and 6).

Each rule looks at the state *now* and returns the reminders that are relevant now. A reminder's
key names its subject and period, so delivering the same reminder twice creates one
notification: running tick twice, or after downtime, sends nothing twice, and a reminder whose
moment has passed (a due-soon notice after the due date) is simply no longer produced.

Reminders carry titles, months, counts and links, never a record's contents.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mingjing.notify.events import named_in
from mingjing.notify.reminders import Reminder
from mingjing.org.models import Court, Department, Person, PersonStatus
from mingjing.org.roles import Role
from mingjing.oversight.models import DisclosureRequest, DisclosureStatus
from mingjing.records.models import Record, RecordStatus
from mingjing.reporting.calendar import calendar_for, due_date, month_start, previous_month
from mingjing.reporting.models import DepartmentReport, MonthlyReport, ReportKind

DUE = "due"
OVERDUE = "overdue"
CONTACT_WARNING = timedelta(hours=24)


# --- who ---------------------------------------------------------------------------------


def people_with(court: Court, *roles: str) -> QuerySet[Person]:
    """Serving people of `court` holding one of `roles` there, with an active account."""
    return (
        Person.objects.filter(
            court=court,
            status=PersonStatus.SERVING,
            user__isnull=False,
            user__is_active=True,
            roles__court=court,
            roles__role__in=roles,
        )
        .distinct()
        .select_related("user")
    )


def missing_reporters(court: Court, month: date) -> QuerySet[Person]:
    """Serving staff of `court` who have no regular monthly report for `month`."""
    filed = MonthlyReport.objects.filter(month=month, kind=ReportKind.REGULAR).values("person_id")
    return people_with(court, Role.STAFF).exclude(id__in=filed)


# --- when --------------------------------------------------------------------------------


def reporting_month(court: Court, today: date) -> date:
    """The month being reported on today: last month while its due date (moved past a
    weekend or holiday) has not yet passed, otherwise the current month."""
    previous = previous_month(month_start(today))
    return previous if today <= due_date(court, previous) else month_start(today)


def phase(court: Court, month: date, today: date) -> str | None:
    """DUE within `remind_days_before` days of the due date, OVERDUE after it, else None."""
    due = due_date(court, month)
    if today > due:
        return OVERDUE
    if today >= due - timedelta(days=calendar_for(court).remind_days_before):
        return DUE
    return None


# --- rules -------------------------------------------------------------------------------


def staff_reminders(court: Court, month: date, when: str) -> list[Reminder]:
    """(a) Each serving staff member without a regular report for `month`."""
    label, due = f"{month:%Y-%m}", due_date(court, month)
    if when == DUE:
        title = _("%(month)s 月度报告将于 %(due)s 截止") % {"month": label, "due": due}
    else:
        title = _("%(month)s 月度报告已逾期") % {"month": label}
    body = _("您尚未报送 %(month)s 的月度报告（没有记录的，报送零报告）。") % {"month": label}
    url = reverse("reporting:personal") + f"?month={label}"
    return [
        Reminder(person.user, f"monthly-{when}:{label}", f"monthly-{when}", title, body, url)
        for person in missing_reporters(court, month)
    ]


def _department_missing(court: Court, month: date) -> dict[int, int]:
    """Department id → number of its serving staff without a regular report for `month`."""
    counts: dict[int, int] = {}
    for department_id in missing_reporters(court, month).values_list("department_id", flat=True):
        if department_id is not None:
            counts[department_id] = counts.get(department_id, 0) + 1
    return counts


def head_reminders(court: Court, month: date, when: str) -> list[Reminder]:
    """(b) Department heads: how many of their department have not reported (counts only)."""
    counts, label = _department_missing(court, month), f"{month:%Y-%m}"
    reminders = []
    for head in people_with(court, Role.DEPT_HEAD).filter(department_id__in=counts):
        assert head.department_id is not None  # filtered on department_id__in above
        values = {"month": label, "count": counts[head.department_id]}
        if when == DUE:
            title = _("本部门 %(month)s 尚有 %(count)s 人未报送月度报告") % values
        else:
            title = _("本部门 %(month)s 月度报告已逾期：%(count)s 人未报送") % values
        key = f"dept-{when}:{head.department_id}:{label}"
        url = reverse("reporting:department", args=[head.department_id]) + f"?month={label}"
        reminders.append(Reminder(head.user, key, f"dept-{when}", title, "", url))
    return reminders


def departments_without_report(court: Court, month: date) -> QuerySet[Department]:
    """Active departments with serving staff that sent no department report for `month`."""
    sent = DepartmentReport.objects.filter(court=court, month=month).values("department_id")
    staffed = people_with(court, Role.STAFF).values("department_id")
    return Department.objects.filter(court=court, is_active=True, id__in=staffed).exclude(
        id__in=sent
    )


def office_reminders(court: Court, month: date, when: str) -> list[Reminder]:
    """(c) The inspection office: departments without a department report after the due date."""
    if when != OVERDUE:
        return []
    label = f"{month:%Y-%m}"
    officers = list(people_with(court, Role.CUSTODIAN, Role.INSPECTOR))
    reminders = []
    for department in departments_without_report(court, month):
        values = {"department": department.name, "month": label}
        title = _("%(department)s 未报送 %(month)s 部门月度报告") % values
        key = f"dept-report-missing:{department.id}:{label}"
        url = reverse("court_reporting:month") + f"?month={label}"
        reminders += [
            Reminder(p.user, key, "dept-report-missing", title, "", url) for p in officers
        ]
    return reminders


def monthly_reminders(court: Court, today: date) -> list[Reminder]:
    """Rules (a)-(c) for one court, for the month being reported on today."""
    month = reporting_month(court, today)
    when = phase(court, month, today)
    if when is None:
        return []
    return (
        staff_reminders(court, month, when)
        + head_reminders(court, month, when)
        + office_reminders(court, month, when)
    )


def _contact_reminder(record: Record, now: datetime) -> Reminder:
    assert record.report_due_at is not None  # only drafts with a deadline are reminded
    due = timezone.localtime(record.report_due_at)
    url = reverse("records:edit", args=[record.id])
    values = {"id": record.id, "due": f"{due:%Y-%m-%d %H:%M}"}
    if record.report_due_at > now:
        title = _("接触报告将于 %(due)s 到期") % values
        body = _("草稿记录 #%(id)s 须在期限前提交。") % values
        return Reminder(
            record.recorder.user, f"contact-due:{record.id}", "contact-due", title, body, url
        )
    title = _("接触报告已超过 3 日期限")
    body = _("草稿记录 #%(id)s 已逾期（期限 %(due)s），提交时须说明逾期原因。") % values
    return Reminder(
        record.recorder.user, f"contact-late:{record.id}", "contact-late", title, body, url
    )


def contact_reminders(now: datetime) -> list[Reminder]:
    """(d) Recorders of off-hours contact drafts due within 24 hours, or already past due."""
    drafts = Record.objects.filter(
        status=RecordStatus.DRAFT,
        off_hours_contact=True,
        report_due_at__lte=now + CONTACT_WARNING,
        recorder__user__isnull=False,
        recorder__user__is_active=True,
    ).select_related("recorder__user")
    return [_contact_reminder(record, now) for record in drafts]


def disclosure_reminders(court: Court) -> list[Reminder]:
    """(e) The court's approvers, about each pending disclosure request (never one its records
    name, nor its requester)."""
    pending = DisclosureRequest.objects.filter(
        court=court, status=DisclosureStatus.PENDING
    ).prefetch_related("records")
    approvers = list(people_with(court, Role.APPROVER).select_related("court"))
    reminders = []
    for request in pending:
        title = _("查阅申请 #%(id)s 待审批") % {"id": request.id}
        url = reverse("oversight:disclosure_detail", args=[request.id])
        key = f"disclosure-pending:{request.id}"
        records = list(request.records.all())
        reminders += [
            Reminder(p.user, key, "disclosure-pending", title, "", url)
            for p in approvers
            if p.pk != request.requester_id and not named_in(p, records)
        ]
    return reminders


def reminders_at(now: datetime) -> list[Reminder]:
    """Every reminder relevant at `now`, titled in the site's language."""
    today = timezone.localdate(now)
    with translation.override(settings.LANGUAGE_CODE):
        reminders = contact_reminders(now)
        for court in Court.objects.order_by("id"):
            reminders += monthly_reminders(court, today) + disclosure_reminders(court)
    return reminders
