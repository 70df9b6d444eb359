"""The monthly cycle: 我的月报告, department pages, review and submission, and the API.

Builders get the `world` fixture; reports they need are filed through the real services.
"""

from django.urls import reverse

from mingjing.reporting import services
from mingjing.security.actor import actor_for
from tests.matrix.helpers import every, only

# Everyone holding the staff role in a court files his own monthly report.
REPORTERS = {
    "staff",
    "staff2",
    "head",
    "deptadmin",
    "leader",
    "custodian",
    "inspector",
    "approver",
    "personnel",
    "other_court",
}
# Who sees the civil department's month: its head and administrator, the leader overseeing it,
# the inspection office and the president. Other courts' users do not find it.
CIVIL_VIEWERS = {"head", "deptadmin", "leader", "custodian", "inspector", "approver"}
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
