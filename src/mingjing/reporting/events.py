"""The monthly cycle's event points, told through notify/events.py (issue 10 point 1).

The services call one of these after their write (inside its transaction: the notification
commits with the event, its email goes after). Each names who must act and where; the
wording and the delivery are notify's.
"""

from django.urls import reverse

from mingjing.notify import events
from mingjing.org.models import Person
from mingjing.org.roles import Role
from mingjing.reporting.models import CourtReport, DepartmentReport, MonthlyReport
from mingjing.security import policy


def _personal_url(report: MonthlyReport) -> str:
    return reverse("reporting:personal") + f"?month={report.month:%Y-%m}"


def _review_url(report: MonthlyReport) -> str:
    return reverse("reporting:department", args=[report.department_id]) + (
        f"?month={report.month:%Y-%m}"
    )


def returned(report: MonthlyReport) -> int:
    """The reporter must fix and resubmit his returned report."""
    return events.report_returned(
        person=report.person,
        month=report.month,
        moment=report.reviewed_at,
        url=_personal_url(report),
    )


def resubmitted(report: MonthlyReport) -> int:
    """Its reviewer reviews it again: the department's head, or the custodian when the report
    goes around the head (his own, a direct report, one naming him: policy.goes_around_head),
    the approver when it also names a custodian; never a person its records name."""
    if policy.goes_around_head(report):
        office = Role.APPROVER if policy.names_custodian(report) else Role.CUSTODIAN
        reviewers = events.people_holding(report.court, office)
    else:
        reviewers = events.people_holding(
            report.court, Role.DEPT_HEAD, department_id=report.department_id
        ).exclude(pk=report.person_id)
        if not reviewers.exists():  # a department without a head: the office takes it
            reviewers = events.people_holding(report.court, Role.CUSTODIAN)
    return events.report_resubmitted(
        reviewers=reviewers.exclude(pk=report.person_id),
        month=report.month,
        report_id=report.pk,
        moment=report.submitted_at,
        url=_review_url(report),
        records=report.records.all(),
    )


def department_sent(report: DepartmentReport) -> int:
    """The inspection office receives the department's report."""
    return events.department_report_sent(
        court=report.court,
        department_name=report.department.name,
        month=report.month,
        report_id=report.pk,
        moment=report.submitted_at,
        url=reverse("court_reporting:month") + f"?month={report.month:%Y-%m}",
    )


def _court_url(report: CourtReport) -> str:
    return reverse("court_reporting:month") + f"?month={report.month:%Y-%m}"


def court_assembled(report: CourtReport, assembler: Person | None) -> int:
    """The president reviews the court report."""
    return events.court_report_assembled(
        court=report.court,
        month=report.month,
        report_id=report.pk,
        assembler=assembler,
        url=_court_url(report),
    )


def court_reviewed(report: CourtReport, reviewer: Person | None) -> int:
    """The inspection office reads the president's note."""
    return events.court_report_reviewed(
        court=report.court,
        month=report.month,
        report_id=report.pk,
        reviewer=reviewer,
        url=_court_url(report),
    )
