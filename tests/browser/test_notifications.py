"""Events notify at once, on a phone (issue 10 point 1): the head returns a report; the staff
member, logging in, sees the notification and the returned report on his home page, and the
notification takes him to the report."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mingjing.reporting.models import MonthlyReport, PersonalStatus
from mingjing.reporting.services import current_month
from tests.browser.test_phone_layout import assert_no_horizontal_scroll
from tests.reporting.helpers import file_report

pytestmark = pytest.mark.browser


def test_a_returned_report_reaches_the_staff_member_at_once(page, phone, cast, log_in, shots):
    file_report(cast.staff, zero=True, when=timezone.now(), month=current_month())
    month = f"{current_month():%Y-%m}"

    head = page
    log_in(head, cast.head)
    head.goto(f"/reports/departments/{cast.departments['civil'].id}/")
    row = head.get_by_test_id(f"report-row-{cast.people['staff'].staff_no}")
    row.get_by_label("退回原因").fill("请核对本月是否确无情况")
    row.get_by_role("button", name="退回").click()
    expect(head.locator(".messages")).to_contain_text("已退回")
    assert MonthlyReport.objects.get(person=cast.people["staff"]).status == PersonalStatus.RETURNED

    staff = phone
    log_in(staff, cast.staff)
    expect(staff.get_by_role("heading", level=1)).to_have_text("我的待办")
    task = staff.locator('section[data-role="staff"] li.urgent')
    expect(task.first).to_contain_text(f"修改并重新报送 {month} 月报告")
    expect(staff.locator("summary .nav-count")).to_have_text("1")
    assert_no_horizontal_scroll(staff, "the home page with a returned report")
    staff.screenshot(path=shots / "notify-home-returned.png", full_page=True)

    staff.goto("/notifications/")
    note = staff.get_by_role("button", name=f"{month} 月报告被退回")
    expect(note).to_be_visible()
    expect(staff.locator("main")).not_to_contain_text("请核对本月是否确无情况")
    assert_no_horizontal_scroll(staff, "the notification list")
    staff.screenshot(path=shots / "notify-list-returned.png", full_page=True)
    note.tap()
    expect(staff).to_have_url(re.compile(rf"/reports/mine/\?month={month}$"))
    expect(staff.get_by_role("heading", level=1)).to_have_text("我的月报告")
