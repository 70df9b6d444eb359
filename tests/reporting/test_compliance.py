"""Compliance on a constructed six months (2026-05 … 2026-10): on-time rates, zero streaks,
the interview marker, late contact reports and the XLSX export."""

import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mingjing.reporting import compliance
from mingjing.reporting.calendar import next_month
from mingjing.security.models import AuditEvent
from tests.conftest import SECRET_CONTENT, SECRET_SUBJECT, login_as, make_record
from tests.reporting.test_court import department_report, file_report

MONTHS = [date(2026, m, 1) for m in range(5, 11)]
OCTOBER = MONTHS[-1]
QUERY = "?end=2026-10&months=6"


def _civil(people) -> None:
    """All zero; in October staff2 is late and deptadmin does not report."""
    for month in MONTHS:
        file_report(people["staff"], month)
        file_report(people["head"], month)
        file_report(people["staff2"], month, late=month == OCTOBER)
        if month != OCTOBER:
            file_report(people["deptadmin"], month)


def _office(people, record) -> None:
    """The custodian had something to report in August; the inspector never."""
    for month in MONTHS:
        file_report(people["custodian"], month, records=[record] if month.month == 8 else [])
        file_report(people["inspector"], month)


def _politics(people, record) -> None:
    for month in MONTHS:
        file_report(people["personnel"], month, records=[record] if month.month in (6, 9) else [])


def _contacts(people) -> None:
    """Two off-hours contacts reported by civil staff in October, one of them late."""
    for late in (False, True):
        record = make_record(people["staff"])
        record.off_hours_contact, record.is_late = True, late
        record.occurred_at = timezone.make_aware(datetime(2026, 10, 10, 20, 0))
        record.save()


@pytest.fixture
def history(cast, records):
    people = cast.people
    _civil(people)
    _office(people, records.office)
    _politics(people, records.office)
    _contacts(people)
    for month in MONTHS:
        department_report(cast, month=month, late=month == OCTOBER)
    return cast


def _figures(cast):
    return compliance.compliance_for(cast.courts["a"], end=OCTOBER, months=6)


def _dept(figures, code):
    return next(d for d in figures.departments if d.department.code == code)


def test_on_time_rate_by_month(history):
    figures = _figures(history)
    civil = _dept(figures, "MY1")
    assert [r.rate for r in civil.rates] == [1, 1, 1, 1, 1, 0.5]
    assert civil.on_time == pytest.approx(22 / 24)
    assert figures.court_rates[-1].rate == pytest.approx(5 / 7)
    assert civil.report_states == ["on_time"] * 5 + ["late"]


def test_zero_streaks_per_person_and_department(history):
    figures = _figures(history)
    civil, office = _dept(figures, "MY1"), _dept(figures, "ZH")
    streaks = {p.person.name: p.streak for p in civil.people + office.people}
    assert streaks == {
        "测试staff": 6,
        "测试staff2": 6,
        "测试head": 6,
        "测试deptadmin": 0,
        "测试custodian": 2,
        "测试inspector": 6,
    }
    assert civil.zero_streak == 6 and office.zero_streak == 2
    assert civil.full_zero_people == 3


def test_zero_shares_and_the_interview_marker(history):
    figures = _figures(history)
    assert (figures.court_reports, figures.court_zero) == (41, 38)
    civil, office, politics = (_dept(figures, c) for c in ("MY1", "ZH", "ZZ"))
    assert civil.zero_share == 1 and civil.interview
    assert not office.interview  # 1 in 12 is more than a third of the court's 3 in 41
    assert not politics.interview  # too few reports to judge
    assert [d.department.code for d in figures.interviews] == ["MY1"]


def test_no_department_is_marked_when_the_whole_court_reports_nothing():
    assert not compliance.is_interview_case(30, 30, 100, 100)
    assert compliance.is_interview_case(30, 30, 100, 90)
    assert not compliance.is_interview_case(11, 11, 100, 90)


def test_late_contact_reports_are_counted(history):
    figures = _figures(history)
    civil = _dept(figures, "MY1")
    assert (civil.contacts, civil.contacts_late) == (2, 1)
    assert (figures.contacts, figures.contacts_late) == (2, 1)


def test_a_twelve_month_window(history):
    figures = compliance.compliance_for(history.courts["a"], end=OCTOBER, months=12)
    assert len(figures.months) == 12 and figures.months[0] == date(2025, 11, 1)
    assert _dept(figures, "MY1").rates[0].rate == 0


def test_the_head_sees_his_department_marked(history, client):
    login_as(client, history.head)
    url = reverse("court_reporting:department_compliance", args=[history.departments["civil"].id])
    response = client.get(url + QUERY)
    html = response.content.decode()
    assert response.status_code == 200 and "建议约谈" in html
    assert SECRET_CONTENT not in html and SECRET_SUBJECT not in html


def test_the_head_does_not_see_another_department(history, client):
    login_as(client, history.head)
    url = reverse("court_reporting:department_compliance", args=[history.departments["office"].id])
    assert client.get(url).status_code == 403


def test_the_court_page_lists_interviews(history, client):
    login_as(client, history.inspector)
    response = client.get(reverse("court_reporting:compliance") + QUERY)
    assert [d.department.code for d in response.context["figures"].interviews] == ["MY1"]
    assert 'data-testid="interviews"' in response.content.decode()


def _workbook(response):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _cells(book) -> list[str]:
    return [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]


def test_the_export_opens_and_holds_no_contents(history, client):
    login_as(client, history.custodian)
    response = client.get(reverse("court_reporting:compliance_xlsx") + QUERY)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    book = _workbook(response)
    assert book.sheetnames == ["按时报告率", "零报告", "个人连续零报告", "接触报告"]
    zero = {row[0]: row for row in book["零报告"].iter_rows(values_only=True)}
    assert zero["民事审判第一庭"][-1] == "是"
    text = " ".join(_cells(book))
    assert SECRET_CONTENT not in text and SECRET_SUBJECT not in text
    assert AuditEvent.objects.filter(action="reporting.compliance_export").count() == 1


def test_the_department_export_holds_only_that_department(history, client):
    login_as(client, history.deptadmin)
    url = reverse(
        "court_reporting:department_compliance_xlsx", args=[history.departments["civil"].id]
    )
    book = _workbook(client.get(url + QUERY))
    departments = {row[0] for row in book["个人连续零报告"].iter_rows(min_row=2, values_only=True)}
    assert departments == {"民事审判第一庭"}


def test_months_default_to_the_last_complete_month():
    assert compliance.default_end(date(2026, 11, 28)) == date(2026, 10, 1)
    assert compliance.months_ending(date(2026, 2, 1), 3) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        next_month(date(2026, 1, 1)),
    ]


def test_the_export_writes_rates_and_counts_as_formatted_numbers(history, client):
    """Issue 10 point 11: a rate is the number 0.875 shown as 87.5%, a count an integer."""
    login_as(client, history.custodian)
    book = _workbook(client.get(reverse("court_reporting:compliance_xlsx") + QUERY))
    rates = list(book["按时报告率"].iter_rows(min_row=2))
    court = rates[-1]
    assert court[0].value == "全院"
    filled = [cell for row in rates for cell in row[1:] if cell.value is not None]
    assert filled, "the export has rates"
    for cell in filled:
        assert cell.data_type == "n" and isinstance(cell.value, int | float), cell
        assert 0 <= cell.value <= 1 and cell.number_format == "0.0%"
    zero = {row[0].value: row for row in book["零报告"].iter_rows(min_row=2)}
    civil = zero["民事审判第一庭"]
    reports, zeros, share = civil[1], civil[2], civil[3]
    assert isinstance(reports.value, int) and reports.data_type == "n"
    assert reports.number_format == "#,##0" and isinstance(zeros.value, int)
    assert share.number_format == "0.0%" and share.value == pytest.approx(
        zeros.value / reports.value
    )
    assert isinstance(zero["全院"][1].value, int)
    for row in book["个人连续零报告"].iter_rows(min_row=2):
        assert isinstance(row[3].value, int) and isinstance(row[4].value, int)
    for row in book["接触报告"].iter_rows(min_row=2):
        assert isinstance(row[1].value, int) and row[1].number_format == "#,##0"
