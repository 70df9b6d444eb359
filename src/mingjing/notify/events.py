"""Event notifications (issue 10 point 1): the moment something needs someone, he is told.

The domain services (records, oversight, reporting) sit above notify and call these functions
at their event points, naming the people who must act; notify never imports them. Each event
is one notification per recipient, in-app at once, and emailed after the event's transaction
commits when email is configured (`MINGJING_EMAIL_HOST`), once (services.notification_email).

What a notification may say (DESIGN.md section 3): a month, a number, a department's name and
a link, never a record's subject or contents. A notification about records never goes to a
person those records name (policy.is_named_subject: his id or his name among their indexes),
whatever his roles, nor to the person whose action caused it.

Keys make each event idempotent per recipient: the same event told twice is one notification.
Where the same thing can happen again (a report returned a second time), the key carries the
moment of the event. The keys of pending disclosure requests are those of tick's reminders
(reporting/reminders.py), so tick never repeats what the event already said.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from mingjing.notify.models import Notification
from mingjing.notify.services import notification_email
from mingjing.org.models import Court, Person, PersonStatus
from mingjing.org.roles import Role
from mingjing.security import policy
from mingjing.security.actor import Actor

if TYPE_CHECKING:
    from mingjing.records.models import Record

INSPECTION_OFFICE = (Role.CUSTODIAN, Role.INSPECTOR)


# --- who --------------------------------------------------------------------------------------


def people_holding(court: Court, *roles: str, department_id: int | None = None) -> QuerySet[Person]:
    """Serving people of `court` holding one of `roles` there (in `department_id` if given),
    with an active account: those a notification can reach."""
    people = Person.objects.filter(
        court=court,
        status=PersonStatus.SERVING,
        user__isnull=False,
        user__is_active=True,
        roles__court=court,
        roles__role__in=roles,
    )
    if department_id is not None:
        people = people.filter(department_id=department_id)
    return people.distinct().select_related("user", "court")


def named_in(person: Person, records: Sequence[Record]) -> bool:
    """True when any of `records` names `person` as its subject (policy's named-subject rule)."""
    actor = Actor(user=person.user, person=person, court=person.court)
    return any(policy.is_named_subject(actor, record) for record in records)


# --- sending ----------------------------------------------------------------------------------


def notify_people(
    people: Iterable[Person],
    *,
    key: str,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    records: Iterable[Record] = (),
    exclude: Person | None = None,
) -> list[Notification]:
    """Tell each of `people` (less `exclude` and anyone `records` name) once; the new ones.

    Email goes after the surrounding transaction commits, so a rolled-back event sends none.
    """
    about = list(records)
    made = []
    for person in people:
        user = person.user
        if user is None or not user.is_active or (exclude is not None and person.pk == exclude.pk):
            continue
        if about and named_in(person, about):
            continue
        notification, created = Notification.objects.get_or_create(
            recipient=user,
            key=key,
            defaults={"kind": kind, "title": title[:200], "body": body, "url": url[:300]},
        )
        if created:
            made.append(notification)
    if made:
        transaction.on_commit(lambda: _email(made))
    return made


def _email(notifications: list[Notification]) -> None:
    for notification in notifications:
        notification_email(notification)


def _stamp(moment: datetime | None) -> str:
    return f"{moment:%Y%m%d%H%M%S%f}" if moment else ""


def _site_language() -> Any:
    """Notifications are written in the court's language, whatever the actor's page shows."""
    return translation.override(settings.LANGUAGE_CODE)


# --- the events -------------------------------------------------------------------------------


def report_returned(*, person: Person, month: date, moment: datetime | None, url: str) -> int:
    """The head returned `person`'s monthly report: he must fix and resubmit it."""
    with _site_language():
        title = _("%(month)s 月报告被退回，请修改后重新报送") % {"month": f"{month:%Y-%m}"}
        body = _("审核人退回了您的月报告，退回原因请在月报告页面查看。")
    made = notify_people(
        [person],
        key=f"report-returned:{month:%Y-%m}:{_stamp(moment)}",
        kind="report-returned",
        title=title,
        body=body,
        url=url,
    )
    return len(made)


def report_resubmitted(
    *,
    reviewers: Iterable[Person],
    month: date,
    report_id: int,
    moment: datetime | None,
    url: str,
    records: Iterable[Record] = (),
) -> int:
    """A returned report came back: its reviewer must review it again (never one whom its
    `records` name)."""
    with _site_language():
        title = _("有 1 份退回的 %(month)s 月报告已重新报送，待审核") % {"month": f"{month:%Y-%m}"}
    made = notify_people(
        reviewers,
        key=f"report-resubmitted:{report_id}:{_stamp(moment)}",
        kind="report-resubmitted",
        title=title,
        url=url,
        records=records,
    )
    return len(made)


def disclosure_requested(
    *,
    approvers: Iterable[Person],
    disclosure_id: int,
    records: Iterable[Record],
    url: str,
    requester: Person,
) -> int:
    """A disclosure request awaits the approver's decision (never one the records name)."""
    with _site_language():
        title = _("查阅申请 #%(id)s 待审批") % {"id": disclosure_id}
    made = notify_people(
        approvers,
        key=f"disclosure-pending:{disclosure_id}",
        kind="disclosure-pending",
        title=title,
        url=url,
        records=records,
        exclude=requester,
    )
    return len(made)


def disclosure_decided(
    *, requester: Person, disclosure_id: int, approved: bool, records: Iterable[Record], url: str
) -> int:
    """The approver decided: the requester learns the outcome (its note is on the page)."""
    with _site_language():
        if approved:
            title = _("查阅申请 #%(id)s 已批准") % {"id": disclosure_id}
        else:
            title = _("查阅申请 #%(id)s 未获批准") % {"id": disclosure_id}
    made = notify_people(
        [requester],
        key=f"disclosure-decided:{disclosure_id}",
        kind="disclosure-decided",
        title=title,
        url=url,
        records=records,
    )
    return len(made)


def contact_report_late(*, court: Court, record: Record, recorder: Person, url: str) -> int:
    """A contact report came in after its 3-day deadline: the inspection office follows up."""
    with _site_language():
        title = _("有 1 件接触报告逾期提交")
        body = _("一件接触交往报告超过三日期限后提交，请在逾期接触报告中查看。")
    made = notify_people(
        people_holding(court, *INSPECTION_OFFICE),
        key=f"contact-late-submitted:{record.pk}",
        kind="contact-late-submitted",
        title=title,
        body=body,
        url=url,
        records=[record],
        exclude=recorder,
    )
    return len(made)


def department_report_sent(
    *,
    court: Court,
    department_name: str,
    month: date,
    report_id: int,
    moment: datetime | None,
    url: str,
) -> int:
    """A department's monthly report arrived at the inspection office."""
    values = {"department": department_name, "month": f"{month:%Y-%m}"}
    with _site_language():
        title = _("%(department)s 已报送 %(month)s 部门月报告") % values
    made = notify_people(
        people_holding(court, *INSPECTION_OFFICE),
        key=f"department-report:{report_id}:{_stamp(moment)}",
        kind="department-report",
        title=title,
        url=url,
    )
    return len(made)


def court_report_assembled(
    *, court: Court, month: date, report_id: int, assembler: Person | None, url: str
) -> int:
    """The court report awaits the president's review."""
    with _site_language():
        title = _("%(month)s 全院月度报告待您审查") % {"month": f"{month:%Y-%m}"}
    made = notify_people(
        people_holding(court, Role.APPROVER),
        key=f"court-report-assembled:{report_id}",
        kind="court-report-assembled",
        title=title,
        url=url,
        exclude=assembler,
    )
    return len(made)


def court_report_reviewed(
    *, court: Court, month: date, report_id: int, reviewer: Person | None, url: str
) -> int:
    """The president reviewed the court report: the inspection office reads his note."""
    with _site_language():
        title = _("院长已审查 %(month)s 全院月度报告") % {"month": f"{month:%Y-%m}"}
    made = notify_people(
        people_holding(court, *INSPECTION_OFFICE),
        key=f"court-report-reviewed:{report_id}",
        kind="court-report-reviewed",
        title=title,
        url=url,
        exclude=reviewer,
    )
    return len(made)


def monthly_report_nudged(
    *, people: Iterable[Person], month: date, day: date, sender: str, url: str
) -> int:
    """催报: a head (or the inspection office) reminds people who have not reported `month`.
    Once per person, month and day, whoever presses the button."""
    label = f"{month:%Y-%m}"
    with _site_language():
        title = _("请报送 %(month)s 月度报告") % {"month": label}
        body = _("%(sender)s催报：您尚未报送 %(month)s 的月度报告（没有记录的，报送零报告）。") % {
            "sender": sender,
            "month": label,
        }
    made = notify_people(
        people,
        key=f"monthly-nudge:{label}:{day:%Y-%m-%d}",
        kind="monthly-nudge",
        title=title,
        body=body,
        url=url,
    )
    return len(made)
