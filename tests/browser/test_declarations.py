"""一案一表 in the browser: the department head sees the statuses, staff declares on a phone.

Screenshots go to /tmp/mingjing-shots/ for a person to look at.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.test_phone_layout import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser


def test_the_department_head_sees_each_handlers_status(page, cast, log_in, shots):
    log_in(page, cast.head)
    page.goto(f"/cases/{cast.case.pk}/")
    rows = page.get_by_test_id("declaration-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("测试staff")
    expect(rows.first).to_contain_text("待填报")
    expect(page.get_by_test_id("my-declaration")).to_have_count(0)
    page.screenshot(path=shots / "declarations-head.png", full_page=True)


def test_staff_declares_none_in_one_tap_on_a_phone(phone, cast, log_in, shots):
    log_in(phone, cast.staff)
    phone.goto(f"/cases/{cast.case.pk}/")
    mine = phone.get_by_test_id("my-declaration")
    expect(mine).to_contain_text("本人在办理该案过程中无过问、干预、不当接触交往等情况")
    assert_no_horizontal_scroll(phone, "the case page with the declaration buttons")
    phone.screenshot(path=shots / "phone-declaration-before.png", full_page=True)

    mine.get_by_role("button", name="无相关情况").tap()
    phone.wait_for_load_state()
    expect(phone.locator(".messages")).to_contain_text("一案一表已填报")
    row = phone.get_by_test_id("declaration-row").first
    expect(row).to_contain_text("已填报")
    expect(row).to_contain_text("无相关情况")
    phone.screenshot(path=shots / "phone-declaration-after.png", full_page=True)
