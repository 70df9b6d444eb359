"""The binding copy (入卷件): each handler's complete 一案一表, printed by himself or (when he
cannot) by the custodian or the approver, with corrections; a co-handler or anyone else gets
no contents (docs/declarations.md).
"""

import io
import logging
import zipfile

import pytest
from django.urls import reverse

from mingjing import pdf
from mingjing.cases.models import Assignment, AssignmentRole
from mingjing.declarations.services import declaration_declare
from mingjing.records.services import amendment_add
from mingjing.security.models import AuditEvent
from tests.conftest import SECRET_CONTENT, SECRET_SUBJECT, make_record
from tests.declarations.conftest import actor

pypdf = pytest.importorskip("pypdf")
CORRECTION = "通话时间应为下午三点，地点为立案大厅"


def pdf_text(body: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(body)).pages)


def docx_text(body: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def embedded_font_files(body: bytes) -> list[str]:
    """The base names of the fonts whose file is inside the PDF (FontFile2: TrueType)."""
    names = []
    for page in pypdf.PdfReader(io.BytesIO(body)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor.get_object():
                    names.append(str(font["/BaseFont"]))
    return names


@pytest.fixture
def amended(cast):
    """staff (承办法官) recorded about the case and corrected it; staff2 is the case's clerk."""
    clerk = AssignmentRole.CLERK
    Assignment.objects.create(case=cast.case, person=cast.people["staff2"], role=clerk)
    record = make_record(cast.people["staff"], case=cast.case)
    amendment_add(actor=actor(cast.staff), record=record, reason="记错时间", correction=CORRECTION)
    declaration_declare(actor=actor(cast.staff), case=cast.case, none_to_report=False)
    declaration_declare(actor=actor(cast.staff2), case=cast.case, none_to_report=True)
    return record


def binding(login, user, case, person, fmt="pdf"):
    url = reverse(f"declarations:binding_{fmt}", args=[case.id, person.id])
    return login(user).get(url)


def test_the_pdf_embeds_a_truetype_cjk_font(cast, login, amended):
    response = binding(login, cast.staff, cast.case, cast.people["staff"])
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert pdf.cjk_font().embedded, "install fonts-arphic-uming (.ci/run does)"
    assert embedded_font_files(response.content), "no font file inside the PDF"
    assert b"STSong-Light" not in response.content


def test_the_handler_prints_his_complete_binding_copy_with_corrections(cast, login, amended):
    response = binding(login, cast.staff, cast.case, cast.people["staff"])
    text = pdf_text(response.content)
    assert "入卷件" in text and cast.case.number in text
    assert "请托关照" in text and SECRET_SUBJECT in text
    assert "更正事由" in text and "下午三点" in text
    assert "内容保密" not in text


def test_the_binding_copy_in_word_carries_the_corrections_too(cast, login, amended):
    response = binding(login, cast.staff, cast.case, cast.people["staff"], "docx")
    assert response.status_code == 200
    text = docx_text(response.content)
    assert SECRET_CONTENT in text and CORRECTION in text and "入卷件" in text


def test_the_whole_case_form_carries_corrections_for_whoever_reads_them(cast, login, amended):
    response = login(cast.head).get(reverse("declarations:form_pdf", args=[cast.case.id]))
    assert response.status_code == 200
    assert "下午三点" in pdf_text(response.content)


def test_the_clerk_gets_no_contents_and_is_told_where_the_binding_copy_comes_from(
    cast, login, amended
):
    response = login(cast.staff2).get(reverse("declarations:form_docx", args=[cast.case.id]))
    assert response.status_code == 200
    text = docx_text(response.content)
    assert "内容保密（共 1 条记录）" in text and "由每位办案人员本人打印" in text
    assert CORRECTION not in text and SECRET_CONTENT not in text


def test_the_clerk_prints_his_own_binding_copy_but_not_the_judges(cast, login, amended):
    own = binding(login, cast.staff2, cast.case, cast.people["staff2"], "docx")
    assert own.status_code == 200 and "无过问、干预" in docx_text(own.content)
    assert binding(login, cast.staff2, cast.case, cast.people["staff"]).status_code == 403


def test_the_custodian_prints_any_handlers_binding_copy_and_each_read_is_logged(
    cast, login, amended
):
    response = binding(login, cast.custodian, cast.case, cast.people["staff"])
    assert response.status_code == 200
    assert "下午三点" in pdf_text(response.content)
    printed = AuditEvent.objects.get(action="declarations.print")
    assert printed.detail["binding"] == [cast.people["staff"].id]
    assert printed.detail["read"] == 1
    reads = AuditEvent.objects.filter(action="record.read", actor_name__contains="custodian")
    assert reads.count() == 1


def test_a_record_naming_the_custodian_never_reaches_him_on_a_binding_copy(cast, login, amended):
    naming = make_record(
        cast.people["staff"], case=cast.case, subject_person=cast.people["custodian"]
    )
    amendment_add(
        actor=actor(cast.staff), record=naming, reason="补充", correction="督察室某某打来电话"
    )
    response = binding(login, cast.custodian, cast.case, cast.people["staff"], "docx")
    assert response.status_code == 200
    text = docx_text(response.content)
    assert CORRECTION in text  # the record that does not name him
    assert "督察室某某" not in text and "内容保密" not in text  # no hint of the other
    complete = binding(login, cast.approver, cast.case, cast.people["staff"], "docx")
    assert "督察室某某" in docx_text(complete.content)
    mine = binding(login, cast.staff, cast.case, cast.people["staff"], "docx")
    assert "督察室某某" in docx_text(mine.content)


@pytest.mark.parametrize("username", ["head", "deptadmin", "inspector", "leader"])
def test_nobody_else_prints_a_binding_copy(cast, login, amended, username):
    response = binding(login, cast.users[username], cast.case, cast.people["staff"])
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="declarations.print").exists()


def test_a_binding_copy_of_someone_not_handling_the_case_is_refused(cast, login, amended):
    response = binding(login, cast.custodian, cast.case, cast.people["head"])
    assert response.status_code == 403
    other = binding(login, cast.other_court, cast.case, cast.people["staff"])
    assert other.status_code == 404


def test_the_case_page_offers_the_binding_copies_to_whoever_may_print_them(cast, login, amended):
    client = login(cast.custodian)
    page = client.get(reverse("cases:detail", args=[cast.case.id])).content.decode()
    for person in (cast.people["staff"], cast.people["staff2"]):
        assert reverse("declarations:binding_pdf", args=[cast.case.id, person.id]) in page
    mine = login(cast.staff2).get(reverse("cases:detail", args=[cast.case.id])).content.decode()
    staff2_copy = reverse("declarations:binding_pdf", args=[cast.case.id, cast.people["staff2"].id])
    judge_copy = reverse("declarations:binding_pdf", args=[cast.case.id, cast.people["staff"].id])
    assert staff2_copy in mine and judge_copy not in mine


def test_without_a_truetype_font_the_pdf_falls_back_with_a_warning(monkeypatch, caplog, settings):
    settings.PDF_FONT = "/nonexistent/font.ttc"
    monkeypatch.setattr(pdf, "CANDIDATES", (("/usr/share/fonts/opentype/noto/x.ttc", 0),))
    monkeypatch.setattr(pdf, "_registered", [])
    with caplog.at_level(logging.WARNING, logger="mingjing.pdf"):
        font = pdf.cjk_font()
    assert font.name == pdf.FALLBACK_FONT and not font.embedded
    assert "fonts-arphic-uming" in caplog.text
