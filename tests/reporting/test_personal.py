"""The personal monthly report: records or zero, due dates, lateness, supplements, returns."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mingjing.reporting import calendar, selectors, services
from mingjing.reporting.models import Holiday, MonthlyReport, PersonalStatus, ReportKind
from mingjing.security.actor import actor_for
from mingjing.security.models import AuditEvent
from tests.reporting.helpers import OCTOBER, at, file_report, record_submitted_at, review

pytestmark = pytest.mark.django_db


def test_a_zero_report_is_filed_on_time_in_his_department(cast):
    report = file_report(cast.staff, zero=True, when=at(10, 20))
    assert report.is_zero and not report.is_late
    assert report.kind == ReportKind.REGULAR
    assert report.status == PersonalStatus.SUBMITTED
    assert report.department == cast.departments["civil"]
    event = AuditEvent.objects.filter(action="monthly_report.submit").get()
    assert event.detail == {"month": "2026-10", "zero": True, "records": 0}


def test_a_zero_report_is_refused_when_he_has_submitted_records_that_month(cast):
    record_submitted_at(cast.people["staff"], at(10, 5))
    with pytest.raises(ValidationError, match="不能作零报告"):
        file_report(cast.staff, zero=True, when=at(10, 20))
    assert not MonthlyReport.objects.exists()


def test_a_report_without_records_must_be_an_explicit_zero(cast):
    with pytest.raises(ValidationError, match="零报告"):
        file_report(cast.staff, zero=False, when=at(10, 20))


def test_a_report_gathers_the_records_submitted_in_its_month_only(cast):
    staff = cast.people["staff"]
    october = record_submitted_at(staff, at(10, 5))
    record_submitted_at(staff, at(11, 2))
    record_submitted_at(staff, at(9, 30, hour=23))
    report = file_report(cast.staff, zero=False, when=at(10, 20))
    assert list(report.records.all()) == [october]


def test_a_record_is_reported_in_the_month_it_was_submitted_whatever_it_is_about(cast):
    record = record_submitted_at(cast.people["staff"], at(11, 3))
    record.occurred_at = at(10, 30)
    record.save(update_fields=["occurred_at"])
    report = file_report(cast.staff, zero=False, when=at(11, 10), month=date(2026, 11, 1))
    assert list(report.records.all()) == [record]


def test_the_month_boundary_is_the_courts_midnight_not_utc(cast):
    # 1 November 00:30 in Beijing is still 31 October in UTC: it belongs to November.
    record_submitted_at(cast.people["staff"], at(11, 1, hour=0))
    report = file_report(cast.staff, zero=True, when=at(10, 31))
    assert report.is_zero


def test_someone_without_the_staff_role_files_no_report(cast):
    with pytest.raises(PermissionDenied):
        file_report(cast.outsider, zero=True, when=at(10, 20))


def test_a_report_for_a_month_to_come_is_refused(cast):
    with pytest.raises(ValidationError, match="以后月份"):
        file_report(cast.staff, zero=True, when=at(9, 20))


# --- Due dates, lateness, overdue ----------------------------------------------------------


def test_the_due_date_moves_off_a_sunday_and_then_off_a_holiday(cast):
    court = cast.courts["a"]
    assert date(2026, 10, 25).weekday() == 6
    assert calendar.due_date(court, OCTOBER) == date(2026, 10, 26)
    Holiday.objects.create(court=court, date=date(2026, 10, 26), name="调休")
    assert calendar.due_date(court, OCTOBER) == date(2026, 10, 27)


def test_a_weekend_worked_in_exchange_keeps_the_25th(cast):
    court = cast.courts["a"]
    Holiday.objects.create(court=court, date=date(2026, 10, 25), is_workday=True)
    assert calendar.due_date(court, OCTOBER) == date(2026, 10, 25)


def test_a_report_on_the_moved_due_date_is_on_time_and_the_day_after_late(cast):
    Holiday.objects.create(court=cast.courts["a"], date=date(2026, 10, 26), name="假日")
    on_time = file_report(cast.staff, zero=True, when=at(10, 27, hour=23))
    late = file_report(cast.staff2, zero=True, when=at(10, 28, hour=0))
    assert not on_time.is_late
    assert late.is_late


def test_no_report_after_the_due_date_is_overdue_without_a_row(cast):
    actor = actor_for(cast.staff)
    before = selectors.personal_month(actor, OCTOBER, now=at(10, 26, hour=20))
    after = selectors.personal_month(actor, OCTOBER, now=at(10, 27, hour=0))
    assert before.state == "open"
    assert after.state == "overdue"
    assert not MonthlyReport.objects.exists()


# --- Supplementary reports -----------------------------------------------------------------


def test_a_record_submitted_after_the_report_goes_into_a_supplementary_report(cast):
    staff = cast.people["staff"]
    first = record_submitted_at(staff, at(10, 5))
    regular = file_report(cast.staff, zero=False, when=at(10, 10))
    later = record_submitted_at(staff, at(10, 28))
    regular.refresh_from_db()
    assert list(regular.records.all()) == [first]
    state = selectors.personal_month(actor_for(cast.staff), OCTOBER, now=at(10, 29))
    assert state.pending == [later] and state.may_submit and not state.may_zero
    supplement = file_report(cast.staff, zero=False, when=at(10, 29))
    assert supplement.kind == ReportKind.SUPPLEMENTARY
    assert list(supplement.records.all()) == [later]
    assert list(regular.records.all()) == [first]
    assert supplement.is_late


def test_a_second_report_with_nothing_new_is_refused(cast):
    file_report(cast.staff, zero=True, when=at(10, 10))
    with pytest.raises(ValidationError, match="没有需要补充报告"):
        file_report(cast.staff, zero=False, when=at(10, 11))
    with pytest.raises(ValidationError):
        file_report(cast.staff, zero=True, when=at(10, 11))


def test_a_record_after_a_so_far_zero_report_replaces_it(cast):
    zero = file_report(cast.staff, zero=True, when=at(10, 10), final=False)
    assert zero.zero_unconfirmed and zero.zero_through == date(2026, 10, 10)
    record = record_submitted_at(cast.people["staff"], at(10, 12))
    report = file_report(cast.staff, zero=False, when=at(10, 13))
    assert report.pk == zero.pk and report.kind == ReportKind.REGULAR
    assert not report.is_zero and list(report.records.all()) == [record]
    assert report.status == PersonalStatus.SUBMITTED and report.declaration == ""


def test_a_record_after_a_final_zero_report_makes_a_supplementary_report(cast):
    zero = file_report(cast.staff, zero=True, when=at(11, 2), month=date(2026, 10, 1))
    assert zero.is_final and zero.declaration == services.ZERO_DECLARATION
    record = record_submitted_at(cast.people["staff"], at(10, 12))
    supplement = file_report(cast.staff, zero=False, when=at(11, 3))
    zero.refresh_from_db()
    assert zero.is_zero and not zero.records.exists()
    assert supplement.kind == ReportKind.SUPPLEMENTARY
    assert list(supplement.records.all()) == [record]


# --- Return and resubmission ---------------------------------------------------------------


def test_a_returned_report_is_resubmitted_with_the_months_new_records(cast):
    staff = cast.people["staff"]
    first = record_submitted_at(staff, at(10, 5))
    report = file_report(cast.staff, zero=False, when=at(10, 10))
    review(cast.head, report, approve=False, reason="请核对本月记录是否完整")
    report.refresh_from_db()
    assert report.status == PersonalStatus.RETURNED
    assert report.return_reason == "请核对本月记录是否完整"
    second = record_submitted_at(staff, at(10, 15))
    again = file_report(cast.staff, zero=False, when=at(10, 28))
    assert again.pk == report.pk
    assert again.status == PersonalStatus.SUBMITTED
    assert set(again.records.all()) == {first, second}
    assert not again.is_late, "lateness is that of the first filing"
    assert again.return_reason == "" and again.reviewed_by is None
    assert MonthlyReport.objects.count() == 1
    assert AuditEvent.objects.filter(action="monthly_report.resubmit").count() == 1


def test_a_returned_report_with_records_cannot_become_zero(cast):
    record_submitted_at(cast.people["staff"], at(10, 5))
    report = file_report(cast.staff, zero=False, when=at(10, 10))
    review(cast.head, report, approve=False, reason="补充处理情况")
    with pytest.raises(ValidationError, match="不能作零报告"):
        file_report(cast.staff, zero=True, when=at(10, 12))


def test_a_return_needs_a_reason_and_changes_nothing_without_one(cast):
    report = file_report(cast.staff, zero=True, when=at(10, 10))
    with pytest.raises(ValidationError) as raised:
        review(cast.head, report, approve=False, reason="   ")
    assert "reason" in raised.value.message_dict
    report.refresh_from_db()
    assert report.status == PersonalStatus.SUBMITTED


def test_an_approved_report_is_not_reviewed_twice(cast):
    report = file_report(cast.staff, zero=True, when=at(10, 10))
    review(cast.head, report)
    with pytest.raises(ValidationError, match="已审核"):
        review(cast.head, report, approve=False, reason="再看看")


# --- The page ------------------------------------------------------------------------------


def test_my_page_shows_the_due_date_the_records_and_the_zero_button(cast, login):
    client = login(cast.staff)
    page = client.get(reverse("reporting:personal"), {"month": "2026-10"}).content.decode()
    assert "2026-10-26" in page
    assert services.ZERO_DECLARATION in page
    assert "提交零报告" in page


def test_one_click_files_a_zero_report_from_the_page(cast, login):
    client = login(cast.staff)
    month = services.current_month()
    response = client.post(
        reverse("reporting:personal_submit"),
        {"month": f"{month:%Y-%m}", "zero": "on", "affirm": "on"},
        follow=True,
    )
    assert "零报告已提交（截至目前）" in response.content.decode()
    report = MonthlyReport.objects.get(person=cast.people["staff"])
    assert report.is_zero and report.zero_unconfirmed
    assert report.declaration.startswith("截至") and report.declaration_version


def test_a_zero_report_without_the_declaration_ticked_is_refused(cast, login):
    client = login(cast.staff)
    month = services.current_month()
    response = client.post(
        reverse("reporting:personal_submit"), {"month": f"{month:%Y-%m}", "zero": "on"}, follow=True
    )
    assert response.status_code == 200
    assert "零报告须确认声明" in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_the_page_links_the_records_the_month_gathers(cast, login):
    record = record_submitted_at(cast.people["staff"], at(10, 5))
    client = login(cast.staff)
    page = client.get(reverse("reporting:personal"), {"month": "2026-10"}).content.decode()
    assert reverse("records:detail", args=[record.id]) in page
    assert "提交零报告" not in page
    assert "提交月报告" in page


def test_zero_refused_on_the_page_shows_a_clear_message(cast, login):
    record_submitted_at(cast.people["staff"], at(10, 5))
    client = login(cast.staff)
    response = client.post(
        reverse("reporting:personal_submit"),
        {"month": "2026-10", "zero": "on", "affirm": "on"},
        follow=True,
    )
    assert "不能作零报告" in response.content.decode()
    assert not MonthlyReport.objects.exists()
