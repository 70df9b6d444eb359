"""Issue 10 points 3 and 5 at phone width (390 px): no hollow reports, and the direct line
around a named head."""

from datetime import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mingjing.reporting import calendar, services
from mingjing.reporting.models import DepartmentReport, MonthlyReport
from mingjing.security.actor import actor_for
from tests.browser.conftest import PHONE
from tests.browser.test_phone_layout import assert_no_horizontal_scroll
from tests.conftest import make_record

pytestmark = pytest.mark.browser

LAST = calendar.previous_month(services.current_month())


def _another_phone(browser, site):
    context = browser.new_context(base_url=site, locale="zh-CN", **PHONE)
    context.set_default_timeout(10_000)
    return context, context.new_page()


def test_a_so_far_zero_report_is_reconfirmed_and_the_head_confirms_the_missing(
    phone, browser, site, cast, log_in, shots
):
    when = timezone.make_aware(datetime(LAST.year, LAST.month, 2, 10))
    services.monthly_report_submit(
        actor=actor_for(cast.staff), month=LAST, zero=True, affirm=True, now=when
    )
    staff = phone
    log_in(staff, cast.staff)
    staff.goto("/")
    staff.get_by_text(f"确认 {LAST:%Y-%m} 全月零报告").first.tap()
    expect(staff.get_by_test_id("zero-confirm")).to_contain_text("截至目前")
    assert_no_horizontal_scroll(staff, "the re-confirmation of a zero report")
    staff.screenshot(path=shots / "zero-reconfirm-phone.png", full_page=True)
    staff.get_by_test_id("zero-confirm").get_by_label("本人确认以上声明属实").check()
    staff.get_by_role("button", name="确认全月零报告").tap()
    expect(staff.locator(".messages")).to_contain_text("已确认全月零报告")
    assert MonthlyReport.objects.get().is_final

    context, head = _another_phone(browser, site)
    try:
        log_in(head, cast.head)
        head.goto(f"/reports/departments/{cast.departments['civil'].id}/?month={LAST:%Y-%m}")
        head.get_by_role("button", name="审核通过").first.tap()
        head.get_by_role("button", name="报送督察室").tap()
        missing = head.get_by_test_id("confirm-missing")
        expect(missing).to_contain_text("测试staff2")
        expect(missing).to_contain_text("测试deptadmin")
        assert_no_horizontal_scroll(head, "the department report's confirmation")
        head.screenshot(path=shots / "department-confirm-phone.png", full_page=True)
        assert not DepartmentReport.objects.exists()
        head.get_by_role("button", name="确认报送督察室").tap()
        expect(head.locator(".messages")).to_contain_text("部门月报告已报送督察室")
    finally:
        context.close()
    assert {p["name"] for p in DepartmentReport.objects.get().figures["missing_people"]} >= {
        "测试staff2",
        "测试deptadmin",
    }


def test_a_report_naming_the_head_never_shows_on_his_phone(
    phone, browser, site, cast, log_in, shots
):
    named = make_record(cast.people["staff2"], subject_person=cast.people["head"])
    services.monthly_report_submit(
        actor=actor_for(cast.staff2), month=services.current_month(), zero=False
    )
    head = phone
    log_in(head, cast.head)
    head.goto(f"/reports/departments/{cast.departments['civil'].id}/")
    expect(head.get_by_role("heading", level=1)).to_contain_text("部门月报告")
    expect(head.get_by_test_id("missing-people")).to_contain_text("测试staff")
    expect(head.get_by_text("测试staff2")).to_have_count(0)
    expect(head.get_by_role("button", name="审核通过")).to_have_count(0)
    assert_no_horizontal_scroll(head, "the head's department page")
    head.screenshot(path=shots / "around-the-head-phone.png", full_page=True)

    # The custodian (second factor, not a phone user here) reviews it instead of the head:
    # tests/reporting/test_month_as_users_meet_it.py does it on his pages.
    around = MonthlyReport.objects.get()
    services.monthly_report_review(actor=actor_for(cast.custodian), report=around, approve=True)
    report = MonthlyReport.objects.get()
    assert report.status == "approved" and named in report.records.all()

    # 信息直报: a staff member sends a record straight to the inspection office.
    context, staff = _another_phone(browser, site)
    try:
        record = make_record(cast.people["staff"])
        log_in(staff, cast.staff)
        staff.goto("/reports/mine/")
        staff.locator("details.direct-report summary").first.tap()
        staff.get_by_label("确认直报督察室").check()
        staff.get_by_test_id(f"direct-{record.id}").tap()
        expect(staff.locator(".messages")).to_contain_text("已直报督察室")
        assert_no_horizontal_scroll(staff, "my monthly report with a direct report")
    finally:
        context.close()
    head.reload()
    expect(head.get_by_role("button", name="审核通过")).to_have_count(0)
    assert MonthlyReport.objects.filter(kind="direct").count() == 1
