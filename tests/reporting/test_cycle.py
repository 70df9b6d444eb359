"""The whole monthly cycle, from the first record to the president's review.

October 2026: the 25th is a Sunday and the court declares the 26th a holiday, so reports are
due on Tuesday the 27th. staff2 moves from the civil to the criminal division mid-month.
"""

from datetime import date

import pyotp

from mingjing.reporting import calendar
from mingjing.reporting.court import court_report_assemble, court_report_review
from mingjing.reporting.models import CourtStatus, Holiday, PersonalStatus
from mingjing.reporting.services import missing_people
from mingjing.security.actor import actor_for
from tests.conftest import enrolled_totp
from tests.reporting.helpers import (
    OCTOBER,
    at,
    file_report,
    record_submitted_at,
    review,
    send_department,
)


def _move(person, department) -> None:
    person.department = department
    person.save(update_fields=["department"])


def test_a_month_runs_from_the_first_record_to_the_presidents_review(cast):
    court = cast.courts["a"]
    Holiday.objects.create(court=court, date=date(2026, 10, 26), name="调休")
    assert calendar.due_date(court, OCTOBER) == date(2026, 10, 27)

    record_submitted_at(cast.people["staff"], at(10, 9), case=cast.case)
    mine = file_report(cast.staff, zero=False, when=at(10, 27, 18))
    assert not mine.is_late and mine.records.count() == 1

    zero = file_report(cast.staff2, zero=True, when=at(10, 20))
    _move(cast.people["staff2"], cast.departments["criminal"])
    late = file_report(cast.deptadmin, zero=True, when=at(10, 28, 9))
    assert late.is_late

    civil, criminal = cast.departments["civil"], cast.departments["criminal"]
    assert zero.department == civil  # filed in civil, stays there after the transfer
    assert cast.people["staff2"] not in missing_people(criminal, OCTOBER)

    for report in (mine, zero, late):
        assert review(cast.head, report).status == PersonalStatus.APPROVED
    sent = send_department(cast.head, civil, when=at(10, 28, 10))
    assert sent.figures["reported"] == 3
    assert sent.figures["zero"] == 2 and sent.figures["late"] == 1
    assert sent.figures["records"] == 1

    court_report = court_report_assemble(
        actor=actor_for(cast.custodian), month=OCTOBER, confirm=True
    )
    assert court_report.status == CourtStatus.ASSEMBLED
    code = pyotp.TOTP(enrolled_totp(cast.approver)).now()
    reviewed = court_report_review(
        actor=actor_for(cast.approver), report=court_report, note="已审查，无异常。", otp=code
    )
    assert reviewed.status == CourtStatus.REVIEWED
    assert reviewed.reviewed_by == cast.people["approver"]
