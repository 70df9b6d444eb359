"""The court level of the monthly cycle and compliance: counts and statuses, never contents."""

from datetime import date

import pyotp
from django.urls import reverse
from django.utils import timezone

from mingjing.notify.models import Notification
from mingjing.reporting.models import CourtReport
from tests.conftest import enrolled_totp
from tests.matrix.helpers import Sent, Write, counted, every, only
from tests.matrix.roles import CIVIL_VIEWERS as CIVIL_COMPLIANCE
from tests.matrix.roles import COURT_ROLES, ELSEWHERE


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


# --- Writes -------------------------------------------------------------------------------


def code_of(world, username) -> str:
    """A fresh second-factor code of the acting user (enrolled now), '' for anonymous."""
    if username is None:
        return ""
    return pyotp.TOTP(enrolled_totp(world.users[username])).now()


def _remind(world, username) -> Sent:
    # September is past its due date with no department report: the late heads are reminded.
    notes = Notification.objects.all()
    return Sent(reverse("court_reporting:remind"), {"month": "2026-09"}, counted(notes))


def _assemble(world, username) -> Sent:
    reports = CourtReport.objects.filter(court=world.courts["a"])
    data = {"month": "2026-09", "confirm": "yes"}
    return Sent(reverse("court_reporting:assemble"), data, counted(reports))


def _review(world, username) -> Sent:
    report_id = _court_report(world)
    reviewed = CourtReport.objects.filter(pk=report_id, status="reviewed")
    url = reverse("court_reporting:review", args=[report_id])
    data = {"note": "已阅", "otp": code_of(world, username)}
    return Sent(url, data, lambda response: reviewed.exists())


OFFICE = {"custodian", "inspector"}

WEB_POST = {
    "court_reporting:remind": Write(_remind, OFFICE),
    "court_reporting:assemble": Write(_assemble, OFFICE),
    # Another court's users do not find court A's report.
    "court_reporting:review": Write(_review, {"approver"}, others=dict.fromkeys(ELSEWHERE, 404)),
}
