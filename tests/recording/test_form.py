"""The recording form on the web: drafts, editing, submission, cases and attachments."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mingjing.records.models import Attachment, Record, RecordStatus
from mingjing.security.models import AuditEvent, Receipt
from tests.recording.conftest import SECRET, confirm, form_data, form_time, submit_form
from tests.recording.helpers import PNG

NEW = reverse("records:new")


def post_new(client, **overrides):
    return client.post(NEW, form_data(**overrides))


def only_record():
    return Record.objects.get()


def test_the_list_has_a_prominent_record_button(cast, staff_client):
    html = staff_client.get(reverse("records:list")).content.decode()
    assert reverse("records:new") in html and "记录过问" in html


def test_the_new_form_proposes_the_current_time(cast, staff_client):
    html = staff_client.get(NEW).content.decode()
    assert form_time(delta=timedelta(0))[:13] in html
    assert 'type="datetime-local"' in html


def test_people_without_the_staff_role_cannot_record(cast, client):
    from tests.conftest import login_as

    login_as(client, cast.sysadmin)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form_data()).status_code == 403
    assert not Record.objects.exists()


def test_staff_saves_a_draft_and_finds_it_first_with_a_continue_link(cast, staff_client):
    response = post_new(staff_client)
    record = only_record()
    assert response.status_code == 302
    assert response["Location"] == reverse("records:edit", args=[record.id])
    assert record.status == RecordStatus.DRAFT
    assert list(record.cases.all()) == [cast.case]
    html = staff_client.get(reverse("records:list")).content.decode()
    assert "继续填写" in html and reverse("records:edit", args=[record.id]) in html


def test_staff_edits_a_draft_and_the_form_shows_what_was_saved(cast, staff_client):
    post_new(staff_client)
    record = only_record()
    edit = reverse("records:edit", args=[record.id])
    assert SECRET in staff_client.get(edit).content.decode()
    staff_client.post(edit, form_data(content="改正后的内容", manner="in_person"))
    record.refresh_from_db()
    assert record.manner == "in_person"
    assert "改正后的内容" in staff_client.get(edit).content.decode()


def test_submitting_makes_the_record_immutable_and_offers_the_receipt(cast, staff_client):
    asked = post_new(staff_client, action="submit")
    record = only_record()
    assert record.status == RecordStatus.DRAFT and not Receipt.objects.exists()
    response = confirm(staff_client, asked)
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED and record.submitted_at
    assert response["Location"] == reverse("records:detail", args=[record.id])
    html = staff_client.get(response["Location"]).content.decode()
    assert reverse("records:receipt_page", args=[record.id]) in html
    assert staff_client.get(reverse("records:receipt", args=[record.id])).status_code == 200
    sealed = bytes(record.sealed)
    edit = reverse("records:edit", args=[record.id])
    assert staff_client.get(edit).status_code == 302
    staff_client.post(edit, form_data(content="事后改写", action="submit"))
    record.refresh_from_db()
    assert bytes(record.sealed) == sealed and record.manner == "phone"


def test_a_double_submit_of_the_new_form_makes_one_record_and_says_so(cast, staff_client):
    confirm(staff_client, post_new(staff_client, action="submit"))
    second = post_new(staff_client, action="submit")
    assert Record.objects.count() == 1 and Receipt.objects.count() == 1
    page = staff_client.get(second["Location"]).content.decode()
    assert "该记录已经提交过了" in page


def test_a_double_submit_of_a_draft_changes_nothing_the_second_time(cast, staff_client):
    post_new(staff_client)
    record = only_record()
    edit = reverse("records:edit", args=[record.id])
    submit_form(staff_client, edit, form_data())
    events = AuditEvent.objects.count()
    second = staff_client.post(edit, form_data(action="submit", content="再来一次"))
    assert AuditEvent.objects.count() == events and Receipt.objects.count() == 1
    assert "该记录已经提交过了" in staff_client.get(second["Location"]).content.decode()


def test_saving_the_new_form_twice_as_a_draft_keeps_one_draft(cast, staff_client):
    post_new(staff_client)
    post_new(staff_client, content="第二次保存")
    assert Record.objects.count() == 1


def test_a_future_time_is_refused_with_a_clear_message(cast, staff_client):
    response = post_new(staff_client, occurred_at=form_time(timedelta(days=1)))
    assert response.status_code == 200
    assert "发生时间不能晚于现在" in response.content.decode()
    assert not Record.objects.exists()


def test_an_unknown_case_number_is_a_clear_error_and_nothing_is_saved(cast, staff_client):
    response = post_new(staff_client, case_numbers="（2026）豫9001民初999号", action="submit")
    assert "本院没有案号为“（2026）豫9001民初999号”的案件" in response.content.decode()
    assert (
        not Record.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="record.").exists()
    )


def test_another_courts_case_number_is_unknown_here(cast, staff_client):
    response = post_new(staff_client, case_numbers=cast.other_case.number)
    assert "本院没有案号为" in response.content.decode()
    assert not Record.objects.exists()


def test_case_numbers_with_half_width_brackets_and_several_cases_are_found(cast, staff_client):
    post_new(staff_client, case_numbers="(2026)豫9001民初123号，（2026）豫9001民初123号")
    assert list(only_record().cases.all()) == [cast.case]


def test_submitting_needs_a_case_or_the_no_case_box(cast, staff_client):
    response = post_new(staff_client, case_numbers="", action="submit")
    assert "请填写涉及的案号，或勾选“不涉及具体案件”" in response.content.decode()
    assert not Record.objects.exists()
    submit_form(staff_client, NEW, form_data(case_numbers="", not_about_a_case="on"))
    record = only_record()
    assert record.not_about_a_case and record.status == RecordStatus.SUBMITTED


def test_a_case_number_and_the_no_case_box_together_are_refused(cast, staff_client):
    response = post_new(staff_client, not_about_a_case="on")
    assert "已勾选“不涉及具体案件”" in response.content.decode()
    assert not Record.objects.exists()


def test_the_subject_is_picked_among_the_courts_people_and_never_sees_it(cast, client):
    from tests.conftest import login_as

    login_as(client, cast.staff)
    html = client.get(NEW).content.decode()
    assert cast.people["head"].name in html and cast.people["other_court"].name not in html
    client.post(NEW, form_data(subject_person=cast.people["head"].id, action="submit"))
    record = only_record()
    login_as(client, cast.head)
    assert client.get(reverse("records:detail", args=[record.id])).status_code == 404


def test_a_person_of_another_court_cannot_be_picked(cast, staff_client):
    response = post_new(staff_client, subject_person=cast.people["other_court"].id)
    assert response.status_code == 200
    assert not Record.objects.exists()


# Attachments ---------------------------------------------------------------------------------


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def post_with_files(client, *files, **overrides):
    return client.post(NEW, {**form_data(**overrides), "attachments": list(files)})


def test_a_photo_is_kept_with_the_record(cast, staff_client):
    post_with_files(staff_client, upload("现场.png", PNG, "image/png"))
    attachment = Attachment.objects.get()
    assert attachment.record == only_record() and attachment.size == len(PNG)


def test_a_disguised_executable_is_refused_and_nothing_is_saved(cast, staff_client):
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
    response = post_with_files(staff_client, upload("照片.jpg", exe, "image/jpeg"))
    assert "内容与其扩展名不符" in response.content.decode()
    assert not Record.objects.exists() and not Attachment.objects.exists()


def test_a_file_of_a_type_not_allowed_is_refused(cast, staff_client):
    response = post_with_files(staff_client, upload("tool.exe", b"MZ\x90\x00"))
    assert "不支持文件" in response.content.decode()
    assert not Record.objects.exists()


def test_an_oversized_attachment_is_refused_and_nothing_is_saved(cast, staff_client, settings):
    settings.MINGJING_ATTACHMENT_MAX_BYTES = 1024
    big = PNG + b"\x00" * 2048
    response = post_with_files(staff_client, upload("大.png", big), action="submit")
    assert "超过 1.0\xa0KB 的上限" in response.content.decode()
    assert not Record.objects.exists() and not Attachment.objects.exists()


def test_one_bad_file_among_good_ones_saves_nothing(cast, staff_client):
    response = post_with_files(
        staff_client, upload("a.png", PNG), upload("b.pdf", b"not a pdf at all")
    )
    assert response.status_code == 200
    assert not Attachment.objects.exists() and not Record.objects.exists()


def test_an_attachments_bytes_and_name_are_sealed_in_the_database(cast, staff_client):
    secret = PNG + "机密的请托录音转写".encode()
    post_with_files(staff_client, upload("请托材料.png", secret))
    row = Attachment.objects.values("sealed_meta", "sealed_content").get()
    stored = bytes(row["sealed_meta"]) + bytes(row["sealed_content"])
    assert "机密的请托录音转写".encode() not in stored
    assert "请托材料".encode() not in stored and b"\x89PNG" not in stored


def test_staff_removes_an_attachment_from_his_draft(cast, staff_client):
    post_with_files(staff_client, upload("a.png", PNG))
    record, attachment = only_record(), Attachment.objects.get()
    delete = reverse("records:attachment_delete", args=[record.id, attachment.id])
    assert staff_client.post(delete).status_code == 302
    assert not Attachment.objects.exists()
    assert AuditEvent.objects.filter(action="attachment.remove").exists()
