"""The printable 一案一表 (PDF and DOCX): contents only for those who may read them."""

import io
import zipfile

import pytest
from django.urls import reverse

from mingjing.declarations.services import declaration_declare
from mingjing.security.models import AuditEvent
from tests.conftest import SECRET_CONTENT, SECRET_SUBJECT
from tests.declarations.conftest import actor

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_text(body: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def pdf_text(body: bytes) -> str:
    pypdf = pytest.importorskip("pypdf")
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(body)).pages)


@pytest.fixture
def declared(cast, own_record):
    declaration_declare(actor=actor(cast.staff), case=cast.case, none_to_report=False)
    return own_record


def download(login, user, case, fmt: str):
    return login(user).get(reverse(f"declarations:form_{fmt}", args=[case.id]))


def test_the_pdf_is_an_a4_pdf(cast, login, declared):
    response = download(login, cast.head, cast.case, "pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 1000
    assert "attachment" in response["Content-Disposition"]


def test_the_docx_names_the_case_and_its_court(cast, login, declared):
    response = download(login, cast.head, cast.case, "docx")
    assert response["Content-Type"] == DOCX
    text = docx_text(response.content)
    assert cast.case.number in text and cast.courts["a"].name in text
    assert 'w:eastAsia="宋体"' in text


def test_the_department_head_prints_the_contents_and_each_is_a_logged_read(cast, login, declared):
    text = docx_text(download(login, cast.head, cast.case, "docx").content)
    assert SECRET_CONTENT in text
    reads = AuditEvent.objects.filter(action="record.read", object_id=str(declared.id))
    assert reads.count() == 1
    assert AuditEvent.objects.filter(action="declarations.print").get().detail["read"] == 1


def test_the_department_admin_prints_counts_never_contents(cast, login, declared):
    text = docx_text(download(login, cast.deptadmin, cast.case, "docx").content)
    assert "内容保密（共 1 条记录）" in text
    assert SECRET_CONTENT not in text and SECRET_SUBJECT not in text
    assert not AuditEvent.objects.filter(action="record.read").exists()


def test_the_pdf_text_follows_the_same_rule(cast, login, declared):
    withheld = pdf_text(download(login, cast.deptadmin, cast.case, "pdf").content)
    assert cast.case.number in withheld
    assert "请托关照" not in withheld and SECRET_SUBJECT not in withheld
    shown = pdf_text(download(login, cast.custodian, cast.case, "pdf").content)
    assert "请托关照" in shown


def test_a_pending_declaration_is_printed_as_pending(cast, login):
    text = docx_text(download(login, cast.staff, cast.case, "docx").content)
    assert "待填报" in text and "尚未填报" in text


def test_a_colleague_without_counts_may_not_print(cast, login):
    assert download(login, cast.staff2, cast.case, "pdf").status_code == 403
    assert download(login, cast.other_court, cast.case, "docx").status_code == 404
