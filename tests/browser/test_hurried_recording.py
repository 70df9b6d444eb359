"""The recording form for a hurried user on a phone (issue 10 point 8): nothing chosen for
him, clear messages, the attachment kept after an error, a confirmation page, and a record
started from the case page. Prints the effort of a typical inquiry record (fields, taps)."""

import pytest
from playwright.sync_api import expect

from mingjing.records.models import Attachment, Record, RecordStatus
from tests.browser.test_recording import assert_fits_the_phone
from tests.recording.helpers import CASE_NUMBER, PNG

pytestmark = pytest.mark.browser


class Effort:
    """Counts what a user does: taps (a select counts two: open, choose) and typed fields."""

    def __init__(self, page):
        self.page, self.taps, self.typed = page, 0, 0

    def tap(self, locator) -> None:
        locator.tap()
        self.taps += 1

    def choose(self, name: str, value: str) -> None:
        self.page.locator(f"select[name={name}]").select_option(value)
        self.taps += 2

    def type(self, label: str, text: str) -> None:
        self.page.get_by_label(label, exact=True).fill(text)
        self.taps += 1
        self.typed += 1

    def attach(self, label: str, path) -> None:
        self.page.get_by_label(label).set_input_files(str(path))
        self.taps += 2  # the file input, then the file in the picker


def form_figures(page) -> dict:
    return page.evaluate(
        """() => {
          const form = document.querySelector("form.record-form");
          const shown = [...form.querySelectorAll("input, select, textarea")].filter(
            (el) => el.type !== "hidden" && el.offsetParent !== null);
          const tall = document.documentElement.scrollHeight / window.innerHeight;
          return {fields: shown.length, screens: +tall.toFixed(1)};
        }"""
    )


def test_a_quick_submit_of_the_untouched_form_is_refused_with_clear_messages(phone, cast, log_in):
    log_in(phone, cast.staff)
    phone.goto("/records/new/")
    for name in ("category", "behaviour", "manner", "subject_kind"):
        expect(phone.locator(f"select[name={name}]")).to_have_value("")
    phone.get_by_role("button", name="核对并提交").tap()
    errors = phone.locator(".errorlist")
    for message in ("请选择类别。", "请选择行为。", "请选择方式。", "请选择过问人类型。"):
        expect(errors.filter(has_text=message)).to_have_count(1)
    expect(phone.locator("[role=alert]").first).to_be_visible()
    assert_fits_the_phone(phone, "the refused form")
    assert not Record.objects.exists()


def test_an_inquiry_recorded_from_the_case_page_after_a_mistake(
    phone, cast, log_in, shots, tmp_path, capsys
):
    log_in(phone, cast.staff)
    phone.goto(f"/cases/{cast.case.id}/")
    effort = Effort(phone)
    effort.tap(phone.get_by_test_id("record-for-case"))
    expect(phone.get_by_label("涉及案件的案号")).to_have_value(CASE_NUMBER)
    figures = form_figures(phone)
    effort.choose("category", "internal_inquiry")
    effort.choose("manner", "phone")
    effort.choose("subject_kind", "internal_staff")
    effort.type("过问人姓名", "王某")
    effort.type("过问内容", "打电话询问案件何时开庭")
    effort.type("处理情况", "告知按程序办理")
    picture = tmp_path / "微信截图.png"
    picture.write_bytes(PNG)
    effort.attach("附件（照片、录音、文件）", picture)
    effort.tap(phone.get_by_role("button", name="核对并提交"))  # 行为 forgotten (once)

    expect(phone.locator(".errorlist").filter(has_text="请选择行为。")).to_have_count(1)
    expect(phone.get_by_test_id("pending-attachments")).to_contain_text("微信截图.png")
    assert not Record.objects.exists()
    expect(phone.get_by_label("过问内容", exact=True)).to_have_value("打电话询问案件何时开庭")
    effort.choose("behaviour", "progress")  # part of any record: counted
    phone.get_by_role("button", name="核对并提交").tap()  # the retry: not counted

    expect(phone.get_by_role("heading", level=1)).to_have_text("确认提交记录")
    summary = phone.get_by_test_id("confirm-summary")
    for shown in ("了解案件进展", "电话", "王某", CASE_NUMBER, "微信截图.png"):
        expect(summary).to_contain_text(shown)
    assert Record.objects.get().status == RecordStatus.DRAFT
    assert_fits_the_phone(phone, "the confirmation page")
    phone.screenshot(path=shots / "phone-record-confirm.png", full_page=True)
    effort.tap(phone.get_by_role("button", name="确认提交"))

    expect(phone.locator(".messages")).to_contain_text("记录已提交")
    record = Record.objects.get()
    assert record.status == RecordStatus.SUBMITTED and record.behaviour == "progress"
    assert Attachment.objects.get(record=record).size == len(PNG)
    with capsys.disabled():
        print(
            f"\nrecord form effort (typical inquiry, from the case page, 390 px): "
            f"{figures['fields']} fields shown, {figures['screens']} screens tall; "
            f"{effort.taps} taps, {effort.typed} typed fields (the mistake's retry not counted)"
        )


def test_a_file_chosen_with_an_error_on_a_draft_stays_with_it(phone, cast, log_in, tmp_path):
    log_in(phone, cast.staff)
    phone.goto("/records/new/")
    phone.locator("select[name=category]").select_option("internal_inquiry")
    phone.locator("select[name=behaviour]").select_option("progress")
    phone.locator("select[name=manner]").select_option("phone")
    phone.locator("select[name=subject_kind]").select_option("internal_staff")
    phone.get_by_label("过问人姓名", exact=True).fill("王某")
    phone.get_by_label("涉及案件的案号").fill("民初123号")  # the short form, expanded
    phone.get_by_role("button", name="保存草稿").tap()
    expect(phone.locator(".messages")).to_contain_text("草稿已保存")
    expect(phone.get_by_label("涉及案件的案号")).to_have_value(CASE_NUMBER)

    phone.locator("select[name=manner]").select_option("")
    picture = tmp_path / "录音.png"
    picture.write_bytes(PNG)
    phone.get_by_label("附件（照片、录音、文件）").set_input_files(str(picture))
    phone.get_by_role("button", name="保存草稿").tap()
    expect(phone.locator(".errorlist").filter(has_text="请选择方式。")).to_have_count(1)
    expect(phone.get_by_test_id("saved-attachments")).to_contain_text("录音.png")
    expect(phone.locator(".messages")).to_contain_text("已保存到草稿")
    assert Attachment.objects.filter(record=Record.objects.get()).count() == 1
