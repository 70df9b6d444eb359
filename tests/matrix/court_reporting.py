"""The court level of the monthly cycle and compliance: counts and statuses, never contents."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from mingjing.reporting.models import CourtReport
from tests.matrix.helpers import every, only

# The inspection office and the president see the whole court.
COURT_ROLES = {"custodian", "inspector", "approver"}
# Court A's civil department: also its head, its administrator and the leader overseeing it.
CIVIL_COMPLIANCE = COURT_ROLES | {"head", "deptadmin", "leader"}
# Users of another court (or of the higher court) do not find court A's departments.
ELSEWHERE = {"other_court", "supervisor"}


def _civil(c) -> int:
    return c.departments["civil"].id


def _in_court_a(allowed: set[str]) -> dict[str, int]:
    return {**only(allowed), **dict.fromkeys(ELSEWHERE, 404)}


def _court_report(c) -> int:
    report = CourtReport.objects.create(
        court=c.courts["a"],
        month=date(2026, 9, 1),
        assembled_by=c.people["custodian"],
        assembled_at=timezone.now(),
    )
    return report.id


WEB = {
    "court_reporting:month": (
        lambda c: reverse("court_reporting:month") + "?month=2026-09",
        only(COURT_ROLES),
        302,
    ),
    "court_reporting:department_month": (
        lambda c: reverse("court_reporting:department_month", args=[_civil(c)]),
        _in_court_a(COURT_ROLES),
        302,
    ),
    "court_reporting:remind": (lambda c: reverse("court_reporting:remind"), every(405), 302),
    "court_reporting:assemble": (lambda c: reverse("court_reporting:assemble"), every(405), 302),
    "court_reporting:review": (
        lambda c: reverse("court_reporting:review", args=[_court_report(c)]),
        every(405),
        302,
    ),
    "court_reporting:compliance": (
        lambda c: reverse("court_reporting:compliance"),
        only(COURT_ROLES),
        302,
    ),
    "court_reporting:compliance_xlsx": (
        lambda c: reverse("court_reporting:compliance_xlsx"),
        only(COURT_ROLES),
        302,
    ),
    "court_reporting:department_compliance": (
        lambda c: reverse("court_reporting:department_compliance", args=[_civil(c)]),
        _in_court_a(CIVIL_COMPLIANCE),
        302,
    ),
    "court_reporting:department_compliance_xlsx": (
        lambda c: reverse("court_reporting:department_compliance_xlsx", args=[_civil(c)]),
        _in_court_a(CIVIL_COMPLIANCE),
        302,
    ),
}
