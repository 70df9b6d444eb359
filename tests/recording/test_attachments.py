"""Attachment types, downloads through the policy, and the logged reads."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mingjing.records.files import check_file
from mingjing.security.models import AuditEvent
from tests.conftest import ROLE_USERS, login_as
from tests.matrix.roles import CONTENT_READERS
from tests.recording.helpers import ATTACHMENT_SECRET, PNG, submitted_with_attachment

READERS = CONTENT_READERS


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


GOOD = {
    "photo.jpg": b"\xff\xd8\xff\xe0" + b"\x00" * 20,
    "photo.JPEG": b"\xff\xd8\xff\xe1" + b"\x00" * 20,
    "screen.png": PNG,
    "letter.pdf": b"%PDF-1.7\n...",
    "call.mp3": b"ID3\x04\x00" + b"\x00" * 20,
    "call.m4a": b"\x00\x00\x00\x20ftypM4A " + b"\x00" * 20,
    "call.wav": b"RIFF\x24\x00\x00\x00WAVEfmt ",
    "voice.amr": b"#!AMR\n" + b"\x00" * 10,
    "note.docx": docx_bytes(),
    "短信.txt": "下午三点他又打来电话".encode(),
}
BAD = {
    "photo.jpg": b"MZ\x90\x00" + b"\x00" * 20,  # an executable renamed
    "photo.png": b"\xff\xd8\xff\xe0",  # a JPEG called PNG
    "letter.pdf": b"<html>not a pdf</html>",
    "note.docx": b"PK\x03\x04" + b"\x00" * 30,  # a zip that is not a Word document
    "note.txt": b"MZ\x00\x00binary",
    "script.js": b"alert(1)",
    "archive.zip": b"PK\x03\x04",
    "noextension": b"hello",
}


@pytest.mark.parametrize("name", list(GOOD))
def test_each_allowed_kind_of_file_is_accepted(name):
    assert check_file(name, GOOD[name])


@pytest.mark.parametrize("name", list(BAD))
def test_files_whose_contents_do_not_match_an_allowed_kind_are_refused(name):
    with pytest.raises(ValidationError):
        check_file(name, BAD[name])


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="空的"):
        check_file("a.png", b"")


@pytest.fixture
def kept(cast):
    return submitted_with_attachment(cast.people["staff"])


def download_url(kept) -> str:
    record, attachment = kept
    return reverse("records:attachment", args=[record.id, attachment.id])


@pytest.mark.parametrize("username", ROLE_USERS)
def test_a_download_is_allowed_exactly_to_those_who_read_the_contents(cast, client, kept, username):
    login_as(client, cast.users[username])
    response = client.get(download_url(kept))
    if username in READERS:
        assert response.status_code == 200
        assert response.content == ATTACHMENT_SECRET
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
    else:
        assert response.status_code == 404


def test_every_download_is_logged_as_a_read_with_no_file_name(cast, client, kept):
    login_as(client, cast.head)
    client.get(download_url(kept))
    client.get(download_url(kept))
    reads = AuditEvent.objects.filter(action="attachment.read", actor_id=cast.head.pk)
    assert reads.count() == 2
    assert "照片" not in str(list(reads.values_list("detail", flat=True)))


def test_the_record_page_lists_attachments_only_to_content_readers(cast, client, kept):
    record, _ = kept
    login_as(client, cast.custodian)
    assert (
        download_url(kept)
        in client.get(reverse("records:detail", args=[record.id])).content.decode()
    )
    login_as(client, cast.deptadmin)
    response = client.get(reverse("records:detail", args=[record.id]))
    page = response.content.decode()
    assert response.status_code == 200 and f"#{record.id}" in page
    assert download_url(kept) not in page and "照片" not in page


def test_a_downloaded_name_in_chinese_is_encoded_for_the_header(cast, client, kept):
    login_as(client, cast.staff)
    disposition = client.get(download_url(kept))["Content-Disposition"]
    assert "filename*=utf-8''" in disposition
