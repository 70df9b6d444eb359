"""Recording an inquiry on a phone, from the list to a verified receipt."""

import json

import pytest
from playwright.sync_api import expect

from mingjing.records.models import Attachment, Record, RecordStatus
from mingjing.security.receipts import verify_receipt
from tests.recording.helpers import CASE_NUMBER, PNG

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390


def assert_fits_the_phone(page, what: str) -> None:
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert sizes["inner"] == PHONE_WIDTH, sizes
    assert sizes["scroll"] <= sizes["inner"], f"{what} scrolls sideways on a phone: {sizes}"


def test_staff_records_an_inquiry_on_a_phone_and_keeps_a_verified_receipt(
    phone, cast, log_in, shots, tmp_path
):
    log_in(phone, cast.staff)
    phone.goto("/records/")
    phone.get_by_test_id("record-new").tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("记录过问")
    assert_fits_the_phone(phone, "the recording form")

    phone.locator("select[name=category]").select_option("internal_inquiry")
    phone.locator("select[name=behaviour]").select_option("progress")
    phone.locator("select[name=manner]").select_option("phone")
    phone.locator("select[name=subject_kind]").select_option("internal_staff")
    phone.get_by_label("过问人姓名").fill("王某")
    phone.get_by_label("过问内容").fill("打电话询问案件何时开庭")
    phone.get_by_label("涉及案件的案号").fill(CASE_NUMBER)
    phone.get_by_label("处理情况").fill("告知按程序办理，已如实记录")
    picture = tmp_path / "message.png"
    picture.write_bytes(PNG)
    phone.get_by_label("附件（照片、录音、文件）").set_input_files(str(picture))
    phone.screenshot(path=shots / "phone-record-form.png", full_page=True)
    phone.get_by_role("button", name="核对并提交").tap()

    expect(phone.get_by_role("heading", level=1)).to_have_text("确认提交记录")
    expect(phone.get_by_test_id("confirm-summary")).to_contain_text("message.png")
    assert_fits_the_phone(phone, "the confirmation page")
    phone.get_by_role("button", name="确认提交").tap()

    expect(phone.locator(".messages")).to_contain_text("记录已提交")
    assert_fits_the_phone(phone, "the record page")
    expect(phone.get_by_role("link", name="message.png")).to_be_visible()
    phone.get_by_test_id("receipt-link").tap()
    with phone.expect_download() as download_info:
        phone.get_by_test_id("receipt-json").tap()
    document = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    phone.screenshot(path=shots / "phone-record-submitted.png", full_page=True)

    assert verify_receipt(document).valid
    record = Record.objects.get()
    assert record.status == RecordStatus.SUBMITTED
    assert list(record.cases.values_list("number", flat=True)) == [CASE_NUMBER]
    assert Attachment.objects.get(record=record).size == len(PNG)
    assert document["payload"]["object_id"] == str(record.pk)
