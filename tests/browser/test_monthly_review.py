"""The monthly cycle in a browser: a zero report, the head's review and department report."""

import pytest
from playwright.sync_api import expect

from mingjing.reporting.models import DepartmentReport, MonthlyReport, PersonalStatus

pytestmark = pytest.mark.browser


def test_staff_reports_zero_and_the_head_reviews_and_sends_the_department_report(
    page, phone, cast, log_in, shots
):
    staff = page
    log_in(staff, cast.staff)
    staff.goto("/reports/mine/")
    expect(staff.get_by_role("heading", level=1)).to_have_text("我的月报告")
    expect(staff.locator(".declaration")).to_contain_text("本人本月无过问")
    staff.get_by_label("本人确认以上声明属实").check()
    staff.get_by_role("button", name="提交零报告").click()
    expect(staff.locator(".messages")).to_contain_text("零报告已提交（截至目前）")
    staff.screenshot(path=shots / "monthly-zero-report.png", full_page=True)

    head = phone  # heads review on their phones too
    log_in(head, cast.head)
    head.goto(f"/reports/departments/{cast.departments['civil'].id}/")
    row = head.get_by_test_id(f"report-row-{cast.people['staff'].staff_no}")
    expect(row).to_contain_text("零报告")
    row.get_by_role("button", name="审核通过").tap()
    expect(head.locator(".messages")).to_contain_text("已审核通过")
    head.get_by_role("button", name="报送督察室").tap()
    expect(head.get_by_test_id("confirm-missing")).to_contain_text("测试staff2")
    head.get_by_role("button", name="确认报送督察室").tap()
    expect(head.locator(".messages")).to_contain_text("部门月报告已报送督察室")
    expect(head.get_by_test_id("department-report-status")).to_contain_text("已报督察室")
    head.screenshot(path=shots / "monthly-department-sent.png", full_page=True)

    report = MonthlyReport.objects.get(person=cast.people["staff"])
    assert report.status == PersonalStatus.APPROVED and report.is_zero
    # Filed before the month's end, it says "so far" until its re-confirmation.
    assert DepartmentReport.objects.get().figures["so_far"] == 1
