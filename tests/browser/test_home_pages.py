"""Home pages, login, logout, case search and the language switch, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CASE_NUMBER = "（2026）豫9001民初123号"


def open_menu(page):
    page.locator("details.menu > summary").click()
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav).to_be_visible()
    return nav


def test_staff_logs_in_and_sees_his_tasks(page, cast, log_in):
    log_in(page, cast.staff)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page).to_have_title(re.compile("我的待办"))
    expect(page.get_by_role("heading", level=1)).to_have_text("我的待办")
    expect(page.locator("details.menu > summary")).to_contain_text("测试staff")
    staff = page.locator('section[data-role="staff"]')
    expect(staff.get_by_role("heading", level=2)).to_have_text("干警")
    task = staff.get_by_role("link", name="我承办/参与的案件")
    expect(task).to_be_visible()
    expect(staff).to_contain_text("您当前参与办理 1 件案件")
    expect(page.locator('section[data-role="dept_head"]')).to_have_count(0)

    task.click()
    expect(page).to_have_url(re.compile(r"/cases/\?mine=1$"))
    expect(page.get_by_role("link", name=CASE_NUMBER)).to_be_visible()


def test_department_head_sees_staff_and_head_sections(page, cast, log_in):
    log_in(page, cast.head)

    expect(page.get_by_role("heading", level=1)).to_have_text("我的待办")
    staff = page.locator('section[data-role="staff"]')
    head = page.locator('section[data-role="dept_head"]')
    expect(staff.get_by_role("heading", level=2)).to_have_text("干警")
    expect(head.get_by_role("heading", level=2)).to_have_text("部门负责人")
    # Sections follow the order of the roles: his own work first, then his department's.
    roles = page.locator("section.card[data-role]").evaluate_all(
        "sections => sections.map(s => s.dataset.role)"
    )
    assert roles.index("staff") < roles.index("dept_head"), roles
    # He handles no case himself, so his staff section offers no case task.
    expect(staff.get_by_role("link", name="我承办/参与的案件")).to_have_count(0)


def test_wrong_password_shows_the_chinese_error(page, cast, log_in):
    log_in(page, cast.staff, password="not-the-password")

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    error = page.locator("main form").get_by_role("alert")
    expect(error).to_contain_text("用户名或密码不正确")
    # The username is kept, the password is not echoed back.
    expect(page.get_by_label("用户名")).to_have_value("staff")
    expect(page.get_by_label("密码")).to_have_value("")
    expect(page.locator("details.menu")).to_have_count(0)


def test_logout_through_the_menu_returns_to_login(page, cast, log_in):
    log_in(page, cast.staff)
    nav = open_menu(page)

    nav.get_by_role("button", name="退出登录").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("登录明镜")
    expect(page.get_by_role("status")).to_contain_text("您已安全退出。")
    expect(page.locator("details.menu")).to_have_count(0)
    # The session is really gone: the home page sends him back to the login form.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_case_search_accepts_half_width_brackets(page, cast, log_in):
    log_in(page, cast.staff)
    open_menu(page).get_by_role("link", name="案件查询").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("案件查询")

    box = page.get_by_role("searchbox", name="案号")
    expect(box).to_be_focused()
    box.fill("(2026)豫9001民初123号")
    page.get_by_role("button", name="查询").click()

    result = page.get_by_role("link", name=CASE_NUMBER)
    expect(result).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("豫9002"))).to_have_count(0)
    result.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(CASE_NUMBER)
    handlers = page.locator("section.card", has=page.get_by_role("heading", name="办案人员"))
    expect(handlers).to_contain_text("承办法官：测试staff")


def test_language_switch_sets_html_lang(page, cast, log_in):
    log_in(page, cast.staff)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "zh-CN")
    switch = page.locator("footer form")
    english = switch.locator('button[name="language"][value="en"]')

    english.click()

    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(english).to_have_attribute("aria-current", "true")
    # A language switch names every language in that language, whatever the page's language.
    expect(switch.get_by_role("button", name="English", exact=True)).to_have_count(1)
    chinese = switch.get_by_role("button", name="简体中文", exact=True)
    expect(chinese).to_have_count(1)

    chinese.click()
    expect(html).to_have_attribute("lang", "zh-CN")
    expect(switch.get_by_role("button", name="English", exact=True)).to_have_count(1)


def test_pages_have_an_icon(page, cast):
    page.goto("/accounts/login/")
    icon = page.locator('head link[rel~="icon"]')
    href = icon.first.get_attribute("href") if icon.count() else "/favicon.ico"
    response = page.request.get(href)
    assert response.ok, f"the page icon {href} answers {response.status}: add <link rel=icon>"
