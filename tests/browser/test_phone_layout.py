"""The pages on a 390px-wide phone: no sideways scrolling, a reachable menu, touch-sized forms.

Screenshots go to /tmp/mingjing-shots/ for a person to look at.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390
CASE_NUMBER = "（2026）豫9001民初123号"


def assert_no_horizontal_scroll(page, what: str) -> None:
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert sizes["inner"] == PHONE_WIDTH, sizes
    assert sizes["scroll"] <= sizes["inner"], f"{what} scrolls sideways on a phone: {sizes}"


def test_home_page_fits_the_phone(phone, cast, log_in, shots):
    log_in(phone, cast.head)
    expect(phone.get_by_role("heading", level=1)).to_have_text("我的待办")
    expect(phone.locator('section[data-role="staff"]')).to_be_visible()
    expect(phone.locator('section[data-role="dept_head"]')).to_be_visible()

    assert_no_horizontal_scroll(phone, "the home page")
    phone.screenshot(path=shots / "phone-home.png", full_page=True)


@pytest.mark.parametrize(
    "name, path",
    [
        ("search", "/cases/?q=%E6%B0%91%E5%88%9D123"),
        ("mine", "/cases/?mine=1"),
        ("detail", None),
        ("security", "/accounts/security/"),
    ],
)
def test_other_pages_fit_the_phone(phone, cast, log_in, shots, name, path):
    log_in(phone, cast.staff)
    phone.goto(path or f"/cases/{cast.case.pk}/")
    expect(phone.locator("main h1")).to_be_visible()
    if name != "security":
        expect(phone.locator("main")).to_contain_text(CASE_NUMBER)

    assert_no_horizontal_scroll(phone, f"the {name} page")
    phone.screenshot(path=shots / f"phone-{name}.png", full_page=True)


def test_navigation_is_reached_through_the_menu(phone, cast, log_in, shots):
    log_in(phone, cast.staff)
    nav = phone.get_by_role("navigation", name="主导航")
    expect(nav).to_be_hidden()

    phone.locator("details.menu > summary").tap()

    expect(nav).to_be_visible()
    expect(nav.get_by_role("link")).to_contain_text(["我的待办", "案件查询", "账号安全"])
    expect(nav.get_by_role("link", name="我的待办")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("button", name="退出登录")).to_be_visible()
    box = nav.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH, box
    assert_no_horizontal_scroll(phone, "the home page with the menu open")
    phone.screenshot(path=shots / "phone-menu-open.png")

    nav.get_by_role("link", name="案件查询").tap()
    expect(phone).to_have_url(re.compile(r"/cases/$"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("案件查询")


def test_login_form_is_made_for_fingers(phone, cast, shots):
    phone.goto("/accounts/login/")
    form = phone.locator("main form")
    expect(form).to_be_visible()
    assert_no_horizontal_scroll(phone, "the login page")
    phone.screenshot(path=shots / "phone-login.png", full_page=True)

    inputs = form.locator("input:not([type=hidden])")
    expect(inputs).to_have_count(2)
    for field in inputs.all():
        size = field.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
        name = field.get_attribute("name")
        assert size >= 16, f"input {name} is {size}px: iOS would zoom in on focus"
    buttons = form.get_by_role("button")
    expect(buttons).to_have_count(1)
    for button in buttons.all():
        box = button.bounding_box()
        assert box and box["height"] >= 44, f"button {button.inner_text()!r} is too short: {box}"


def test_wrong_password_on_the_phone(phone, cast, log_in, shots):
    log_in(phone, cast.staff, password="not-the-password")
    expect(phone.locator("main form").get_by_role("alert")).to_contain_text("用户名或密码不正确")
    assert_no_horizontal_scroll(phone, "the login page with an error")
    phone.screenshot(path=shots / "phone-login-error.png", full_page=True)
