"""The monthly cycle: 我的月报告, department pages, review and submission, and the API.

Builders get the `world` fixture; reports they need are filed through the real services.
"""

from datetime import datetime, time

from django.urls import reverse
from django.utils import timezone

from mingjing.notify.models import Notification
from mingjing.reporting import calendar, services
from mingjing.reporting.models import DepartmentReport, MonthlyReport
from mingjing.security.actor import actor_for
from tests.conftest import make_record
from tests.matrix.helpers import Sent, Write, counted, every, only
from tests.matrix.roles import CIVIL_VIEWERS, ELSEWHERE, STAFF_ROLE_HOLDERS

# Everyone holding the staff role in a court files his own monthly report.
REPORTERS = STAFF_ROLE_HOLDERS
# Who sees the civil department's month (roles.CIVIL_VIEWERS): its head and administrator, the
# leader overseeing it, the inspection office and the president. Other courts' users do not
# find it.
NOT_IN_COURT_A = ELSEWHERE
OVERVIEW_VIEWERS = CIVIL_VIEWERS | {"other_court"}


def _civil_status(yes: int = 200) -> dict[str, int]:
    return {**only(CIVIL_VIEWERS, yes=yes), "other_court": 404, "supervisor": 404}


def _civil(world) -> int:
    return world.departments["civil"].id


def _staff_report(world) -> str:
    report = services.monthly_report_submit(
        actor=actor_for(world.staff), month=services.current_month(), zero=False
    )
    return reverse("reporting:review", args=[report.id])


WEB = {
    "reporting:personal": (lambda c: reverse("reporting:personal"), only(REPORTERS), 302),
    "reporting:personal_submit": (
        lambda c: reverse("reporting:personal_submit"),
        every(405),
        302,
    ),
    "reporting:departments": (
        lambda c: reverse("reporting:departments"),
        only(OVERVIEW_VIEWERS),
        302,
    ),
    "reporting:personal_confirm": (
        lambda c: reverse("reporting:personal_confirm"),
        every(405),
        302,
    ),
    "reporting:personal_direct": (
        lambda c: reverse("reporting:personal_direct"),
        every(405),
        302,
    ),
    "reporting:department": (
        lambda c: reverse("reporting:department", args=[_civil(c)]),
        _civil_status(),
        302,
    ),
    "reporting:department_submit": (
        lambda c: reverse("reporting:department_submit", args=[_civil(c)]),
        every(405),
        302,
    ),
    "reporting:department_nudge": (
        lambda c: reverse("reporting:department_nudge", args=[_civil(c)]),
        every(405),
        302,
    ),
    "reporting:review": (_staff_report, every(405), 302),
}

API = {
    "api:reports_mine": (lambda c: reverse("api:reports_mine"), every(200), 401),
    "api:reports_submit": (lambda c: reverse("api:reports_submit"), every(405), 405),
    "api:reports_department": (
        lambda c: reverse("api:reports_department", args=[_civil(c)]),
        _civil_status(),
        401,
    ),
}


# --- Writes -------------------------------------------------------------------------------


def month_now():
    return services.current_month()


def _month_text() -> str:
    return f"{services.current_month():%Y-%m}"


def _personal_submit(world, username) -> Sent:
    # Nobody has recorded anything yet (writes make the cast's records only when asked).
    data = {"month": _month_text(), "zero": "on", "affirm": "on"}
    return Sent(reverse("reporting:personal_submit"), data, counted(MonthlyReport.objects.all()))


def _previous_month():
    return calendar.previous_month(services.current_month())


def _personal_confirm(world, username) -> Sent:
    """A reporter re-confirms last month's "so far" zero report (filed on its 10th)."""
    month = _previous_month()
    user = world.users.get(username) if username else None
    if username in REPORTERS and user is not None:
        when = timezone.make_aware(datetime.combine(month.replace(day=10), time(10)))
        services.monthly_report_submit(
            actor=actor_for(user), month=month, zero=True, affirm=True, now=when
        )
    confirmed = MonthlyReport.objects.filter(month=month, zero_confirmed_at__isnull=False)
    data = {"month": f"{month:%Y-%m}", "affirm": "on"}
    return Sent(reverse("reporting:personal_confirm"), data, counted(confirmed))


def _personal_direct(world, username) -> Sent:
    """A reporter sends one of his records straight to the inspection office."""
    user = world.users.get(username) if username else None
    record_id = 999999
    if username in REPORTERS and user is not None:
        record_id = make_record(user.person).id
    direct = MonthlyReport.objects.filter(kind="direct")
    data = {"month": _month_text(), "record": record_id, "confirm": "on"}
    return Sent(reverse("reporting:personal_direct"), data, counted(direct))


def _department_submit(world, username) -> Sent:
    url = reverse("reporting:department_submit", args=[_civil(world)])
    submitted = DepartmentReport.objects.filter(department_id=_civil(world))
    missing = ",".join(
        str(p.id) for p in services.missing_people(world.departments["civil"], month_now())
    )
    data = {"month": _month_text(), "confirm": "on", "missing": missing}
    return Sent(url, data, counted(submitted))


def _department_nudge(world, username) -> Sent:
    # Nobody has reported this month: the civil staff without a report are reminded.
    url = reverse("reporting:department_nudge", args=[_civil(world)])
    nudged = Notification.objects.filter(kind="monthly-nudge")
    return Sent(url, {"month": _month_text()}, counted(nudged))


def _review(world, username) -> Sent:
    report = services.monthly_report_submit(
        actor=actor_for(world.staff), month=services.current_month(), zero=True, affirm=True
    )
    approved = MonthlyReport.objects.filter(pk=report.id, status="approved")
    url = reverse("reporting:review", args=[report.id])
    return Sent(url, {"decision": "approve"}, lambda response: approved.exists())


def _api_submit(world, username) -> Sent:
    data = {"month": _month_text(), "zero": True, "affirm": True}
    return Sent(reverse("api:reports_submit"), data, counted(MonthlyReport.objects.all()))


WEB_POST = {
    "reporting:personal_submit": Write(_personal_submit, REPORTERS),
    "reporting:personal_confirm": Write(_personal_confirm, REPORTERS),
    "reporting:personal_direct": Write(_personal_direct, REPORTERS),
    # The civil department's head sends its month to the inspection office.
    "reporting:department_submit": Write(
        _department_submit, {"head"}, others=dict.fromkeys(NOT_IN_COURT_A, 404)
    ),
    # 催报: the civil department's head only, for his own department.
    "reporting:department_nudge": Write(
        _department_nudge, {"head"}, others=dict.fromkeys(NOT_IN_COURT_A, 404)
    ),
    # The head reviews his department's reports; those who see them are refused, the rest
    # (staff included: his own report) do not find it.
    "reporting:review": Write(
        _review, {"head"}, no=404, others=dict.fromkeys(CIVIL_VIEWERS - {"head"}, 403)
    ),
}

API_POST = {
    "api:reports_submit": Write(_api_submit, REPORTERS, yes=201, anonymous=401),
}
