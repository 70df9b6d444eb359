"""Receipts people can use (issue 10, point 9): the receipt page, the printable PDF, and the
verify page taking an uploaded file (JSON or the PDF) as well as pasted text."""

import base64
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mingjing.security.receipts import MAX_RECEIPT_FILE_BYTES, PDF_MARKER
from tests.declarations.test_binding_copy import embedded_font_files, pdf_text

VERIFY = "security:receipt_verify"


def upload(client, name: str, data: bytes, content_type="application/octet-stream"):
    file = SimpleUploadedFile(name, data, content_type=content_type)
    response = client.post(reverse(VERIFY), {"receipt_file": file, "receipt": ""})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def staff_client(cast, login):
    return login(cast.staff)


def receipt_pdf(client, record) -> bytes:
    response = client.get(reverse("records:receipt_pdf", args=[record.id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def receipt_json(client, record) -> bytes:
    response = client.get(reverse("records:receipt", args=[record.id]))
    assert response.status_code == 200
    return response.content


def test_the_record_page_links_the_receipt_page_and_the_verify_page(cast, staff_client, records):
    page = staff_client.get(reverse("records:detail", args=[records.own.id])).content.decode()
    assert reverse("records:receipt_page", args=[records.own.id]) in page
    assert reverse(VERIFY) in page


def test_the_receipt_page_shows_local_time_case_recorder_digest_and_how_to_verify(
    cast, staff_client, records
):
    response = staff_client.get(reverse("records:receipt_page", args=[records.own.id]))
    assert response.status_code == 200
    page = response.content.decode()
    submitted = timezone.localtime(records.own.submitted_at)
    assert submitted.strftime("%Y-%m-%d %H:%M") in page and "UTC+08:00" in page
    assert cast.case.number in page and cast.people["staff"].name in page
    receipt = json.loads(receipt_json(staff_client, records.own))
    assert receipt["payload"]["digest"] in page
    assert reverse("records:receipt_pdf", args=[records.own.id]) in page
    assert reverse(VERIFY) in page and "如何验证" in page


def test_the_receipt_pdf_embeds_its_font_and_names_the_record(cast, staff_client, records):
    body = receipt_pdf(staff_client, records.own)
    assert embedded_font_files(body)
    text = pdf_text(body)
    assert f"#{records.own.id}" in text and cast.case.number in text
    assert "如何验证" in text and cast.people["staff"].name in text


def test_the_receipt_pdf_verifies_by_upload(staff_client, records, client):
    page = upload(client, "receipt.pdf", receipt_pdf(staff_client, records.own))
    assert "签名有效" in page and "审计链中对应的提交事件与回执一致" in page
    assert f'<dd class="wrap-anywhere">{records.own.id}</dd>' in page


def test_the_json_receipt_verifies_by_upload(staff_client, records, client):
    page = upload(client, "receipt.json", receipt_json(staff_client, records.own))
    assert "签名有效" in page


def _tampered_pdf(body: bytes) -> bytes:
    found = re.search(rb"MJRECEIPT1:([A-Za-z0-9+/=]+)", body)
    document = json.loads(base64.b64decode(found.group(1)))
    document["payload"]["submitted_at"] = "2020-01-01T00:00:00+00:00"
    forged = base64.b64encode(json.dumps(document).encode())
    return body.replace(found.group(1), forged)


def test_a_tampered_pdf_is_refused_with_a_clear_message(staff_client, records, client):
    page = upload(client, "receipt.pdf", _tampered_pdf(receipt_pdf(staff_client, records.own)))
    assert "签名无效：回执被改动过" in page and "签名有效" not in page


def test_a_tampered_json_file_is_refused(staff_client, records, client):
    document = json.loads(receipt_json(staff_client, records.own))
    document["payload"]["object_id"] = "999"
    page = upload(client, "receipt.json", json.dumps(document).encode())
    assert "签名无效" in page


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "无法识别的文件"),
        ("empty.json", b"", "上传的文件是空的"),
        ("broken.json", b'{"payload": ', "不是有效的 JSON"),
        ("deep.json", b"{" + b'"a":[' * 5000, "不是有效的 JSON"),
        ("latin.json", b'{"payload": "\xff\xfe"}', "不是有效的 JSON"),
        ("other.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF", "不是本系统生成的回执"),
        ("bad.pdf", b"%PDF-1.4\n(" + PDF_MARKER.encode() + b"AAAAAAAAAAAAAAAAAAA=)", "已损坏"),
        ("big.json", b"{" + b" " * (MAX_RECEIPT_FILE_BYTES + 1) + b"}", "文件过大"),
    ],
)
def test_a_bad_file_gets_a_chinese_message_never_a_500(client, db, name, data, message):
    page = upload(client, name, data)
    assert message in page and 'role="alert"' in page


def test_the_declaration_pdf_is_no_receipt(cast, login, records, client):
    body = login(cast.head).get(reverse("declarations:form_pdf", args=[cast.case.id])).content
    assert "不是本系统生成的回执" in upload(client, "form.pdf", body)


def test_pasting_still_works_and_an_empty_form_says_what_to_do(staff_client, records, client):
    text = receipt_json(staff_client, records.own).decode()
    assert "签名有效" in client.post(reverse(VERIFY), {"receipt": text}).content.decode()
    page = client.post(reverse(VERIFY), {"receipt": ""}).content.decode()
    assert "请上传回执文件" in page
    deep = client.post(reverse(VERIFY), {"receipt": "[" * 15000})
    assert deep.status_code == 200 and "不是有效的 JSON" in deep.content.decode()


def test_only_the_recorder_sees_the_receipt_page_and_pdf(cast, login, records):
    for name in ("receipt_page", "receipt_pdf"):
        url = reverse(f"records:{name}", args=[records.own.id])
        assert login(cast.staff).get(url).status_code == 200
        assert login(cast.custodian).get(url).status_code == 404
        assert login(cast.head).get(url).status_code == 404


def test_a_draft_has_no_receipt_page(cast, login, records):
    url = reverse("records:receipt_page", args=[records.draft.id])
    assert login(cast.staff).get(url).status_code == 404
    assert (
        login(cast.staff).get(reverse("records:detail", args=[records.draft.id])).status_code == 200
    )


def test_the_pdf_text_is_extractable(staff_client, records):
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(receipt_pdf(staff_client, records.own)))
    assert str(reader.metadata.get("/Keywords", "")).startswith(PDF_MARKER)
