"""Issue 10, point 9 on a phone (390 px): record, open the receipt, download the PDF and the
JSON, verify each by upload on the verify page, and see a tampered file refused."""

import json

import pytest
from playwright.sync_api import expect

from mingjing.records.models import Record
from tests.browser.test_recording import assert_fits_the_phone
from tests.recording.helpers import CASE_NUMBER

pytestmark = pytest.mark.browser


def record_on_the_phone(phone) -> None:
    phone.goto("/records/new/")
    phone.locator("select[name=category]").select_option("internal_inquiry")
    phone.locator("select[name=behaviour]").select_option("progress")
    phone.locator("select[name=manner]").select_option("phone")
    phone.locator("select[name=subject_kind]").select_option("internal_staff")
    phone.get_by_label("过问人姓名").fill("王某")
    phone.get_by_label("过问内容").fill("打电话询问案件何时开庭")
    phone.get_by_label("涉及案件的案号").fill(CASE_NUMBER)
    phone.get_by_label("处理情况").fill("告知按程序办理，已如实记录")
    phone.get_by_role("button", name="核对并提交").tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("确认提交记录")
    phone.get_by_role("button", name="确认提交").tap()
    expect(phone.locator(".messages")).to_contain_text("记录已提交")


def download(phone, test_id: str):
    with phone.expect_download() as info:
        phone.get_by_test_id(test_id).tap()
    return info.value


def verify_upload(phone, path) -> None:
    phone.get_by_label("上传回执文件（JSON 或 PDF，不超过 2 MB）").set_input_files(str(path))
    phone.get_by_role("button", name="验证").tap()
    phone.wait_for_load_state()


def test_staff_keeps_a_printable_receipt_and_verifies_it_by_upload(
    phone, cast, log_in, shots, tmp_path
):
    log_in(phone, cast.staff)
    record_on_the_phone(phone)
    record = Record.objects.get()

    phone.get_by_test_id("receipt-link").tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("提交回执")
    facts = phone.get_by_test_id("receipt-facts")
    expect(facts).to_contain_text(CASE_NUMBER)
    expect(facts).to_contain_text(cast.people["staff"].name)
    expect(facts).to_contain_text("UTC+08:00")
    assert_fits_the_phone(phone, "the receipt page")
    phone.screenshot(path=shots / "phone-receipt.png", full_page=True)

    pdf = download(phone, "receipt-pdf")
    assert pdf.suggested_filename == f"receipt-{record.pk}.pdf"
    pdf_path = tmp_path / pdf.suggested_filename
    pdf.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    receipt = download(phone, "receipt-json")
    json_path = tmp_path / "receipt.json"
    receipt.save_as(json_path)

    phone.get_by_test_id("verify-link").tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("验证回执")
    verify_upload(phone, pdf_path)
    expect(phone.get_by_test_id("verdict")).to_contain_text("签名有效")
    expect(phone.get_by_test_id("signed-facts")).to_contain_text(str(record.pk))
    assert_fits_the_phone(phone, "the verify page with a result")
    phone.screenshot(path=shots / "phone-receipt-verified.png", full_page=True)

    verify_upload(phone, json_path)
    expect(phone.get_by_test_id("verdict")).to_contain_text("签名有效")

    document = json.loads(json_path.read_text(encoding="utf-8"))
    document["payload"]["submitted_at"] = "2020-01-01T00:00:00+00:00"
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    verify_upload(phone, forged)
    expect(phone.get_by_test_id("verdict")).to_contain_text("签名无效")

    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    verify_upload(phone, picture)
    expect(phone.get_by_test_id("verify-error")).to_contain_text("无法识别的文件")
