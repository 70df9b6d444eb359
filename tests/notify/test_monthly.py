"""Rules (a)-(c): staff, department heads and the inspection office, around the due date."""

from mingjing.notify.models import Notification
from mingjing.org.models import PersonStatus
from mingjing.reporting.models import DepartmentReport
from tests.matrix.roles import COURT_STAFF
from tests.notify.helpers import NOVEMBER, at, file_report, keys_of, recipients, tick

COURT_A_STAFF = COURT_STAFF


def test_nothing_before_the_reminder_window(cast):
    tick("2026-11-21 09:00")
    assert not Notification.objects.exists()


def test_staff_without_a_report_are_reminded_as_the_due_date_nears(cast):
    file_report(cast.people["staff2"])
    cast.people["personnel"].status = PersonStatus.TRANSFERRED
    cast.people["personnel"].save()
    tick("2026-11-22 09:00")
    expected = (COURT_A_STAFF - {"staff2", "personnel"}) | {"other_court"}
    assert recipients("monthly-due") == expected
    assert keys_of("staff") == {"monthly-due:2026-11"}
    assert not keys_of("sysadmin") | keys_of("supervisor") | keys_of("outsider")


def test_overdue_reminder_comes_once_after_the_due_date(cast):
    tick("2026-11-24 09:00")
    tick("2026-11-26 09:00")
    tick("2026-11-27 09:00")
    assert keys_of("staff") == {"monthly-due:2026-11", "monthly-overdue:2026-11"}
    assert Notification.objects.filter(kind="monthly-overdue").count() == 10


def test_heads_get_counts_of_their_departments_missing_reports(cast):
    file_report(cast.people["staff2"])
    tick("2026-11-23 09:00")
    head = Notification.objects.get(recipient=cast.head, kind="dept-due")
    assert "3" in head.title and head.key == f"dept-due:{cast.departments['civil'].id}:2026-11"
    assert recipients("dept-due") == {"head", "other_court"}
    tick("2026-11-26 09:00")
    assert recipients("dept-overdue") == {"head", "other_court"}


def test_no_head_reminder_when_the_whole_department_reported(cast):
    for name in ("staff", "staff2", "head", "deptadmin"):
        file_report(cast.people[name])
    tick("2026-11-23 09:00")
    assert recipients("dept-due") == {"other_court"}


def test_office_hears_of_departments_without_a_report_only_after_the_due_date(cast):
    tick("2026-11-25 20:00")
    assert not recipients("dept-report-missing")
    DepartmentReport.objects.create(
        court=cast.courts["a"],
        department=cast.departments["civil"],
        month=NOVEMBER,
        submitted_by=cast.people["head"],
        submitted_at=at("2026-11-25 10:00"),
    )
    tick("2026-11-26 09:00")
    assert recipients("dept-report-missing") == {"custodian", "inspector"}
    office, politics = cast.departments["office"].id, cast.departments["politics"].id
    assert {k for k in keys_of("inspector") if k.startswith("dept-report")} == {
        f"dept-report-missing:{office}:2026-11",
        f"dept-report-missing:{politics}:2026-11",
    }
