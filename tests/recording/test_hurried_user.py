"""The recording form is safe for a hurried user (issue 10 point 8): nothing substantive is
chosen for him, nothing is filed before he has seen and confirmed it, files chosen with a
form that has errors are kept (or he is told to choose them again), one case-number parser,
and a record can be started from a case page with the case filled in."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mingjing.cases.models import Case
from mingjing.oversight.forms import DecisionForm
from mingjing.records.models import Attachment, PendingUpload, Record, RecordStatus
from mingjing.records.services import PENDING_HOURS
from mingjing.security.models import Receipt
from tests.conftest import login_as
from tests.recording.conftest import confirm, form_data
from tests.recording.helpers import CASE_NUMBER, PNG

NEW = reverse("records:new")
CHOICES = ("category", "behaviour", "manner", "subject_kind")


def selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(1))


def test_the_new_form_chooses_nothing_substantive(cast, staff_client):
    response = staff_client.get(NEW)
    html = response.content.decode()
    assert response.status_code == 200 and "请选择…" in html
    for name in CHOICES:
        assert selected(html, name) == [""], name


def test_a_quick_submit_of_the_untouched_form_files_nothing_and_says_what_is_missing(
    cast, staff_client
):
    data = form_data(action="submit", **{name: "" for name in CHOICES})
    response = staff_client.post(NEW, data)
    html = response.content.decode()
    assert response.status_code == 200
    for message in ("请选择类别。", "请选择行为。", "请选择方式。", "请选择过问人类型。"):
        assert message in html
    assert not Record.objects.exists()


def test_submit_leads_to_a_summary_and_only_confirming_files_it(cast, staff_client):
    asked = staff_client.post(NEW, form_data(action="submit"))
    record = Record.objects.get()
    assert asked["Location"] == reverse("records:confirm", args=[record.id])
    page = staff_client.get(asked["Location"]).content.decode()
    assert "确认提交" in page and "王某" in page and CASE_NUMBER in page and "了解案件进展" in page
    assert record.status == RecordStatus.DRAFT and not Receipt.objects.exists()
    done = confirm(staff_client, asked)
    record.refresh_from_db()
    assert done["Location"] == reverse("records:detail", args=[record.id])
    assert record.status == RecordStatus.SUBMITTED and Receipt.objects.count() == 1


def test_a_draft_changed_since_the_summary_is_shown_again_not_filed(cast, staff_client):
    asked = staff_client.post(NEW, form_data(action="submit"))
    record = Record.objects.get()
    version = re.search(
        r'name="version" value="([^"]+)"', staff_client.get(asked["Location"]).content.decode()
    ).group(1)
    edit = reverse("records:edit", args=[record.id])
    staff_client.post(edit, form_data(manner="in_person"))  # another tab
    response = staff_client.post(asked["Location"], {"version": version})
    assert response.status_code == 200 and "请重新核对" in response.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.DRAFT


def test_a_submission_problem_is_told_on_the_form_and_nothing_is_saved(cast, staff_client):
    response = staff_client.post(NEW, form_data(action="submit", case_numbers=""))
    assert response.status_code == 200
    assert "请填写涉及的案号" in response.content.decode()
    assert not Record.objects.exists()


def test_a_file_chosen_with_an_error_on_a_draft_is_kept_with_the_draft(cast, staff_client):
    staff_client.post(NEW, form_data())
    record = Record.objects.get()
    edit = reverse("records:edit", args=[record.id])
    photo = SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
    response = staff_client.post(edit, {**form_data(category=""), "attachments": [photo]})
    html = response.content.decode()
    assert response.status_code == 200 and "请选择类别。" in html
    assert "已保存到草稿" in html and "现场照片.png" in html
    assert Attachment.objects.filter(record=record).count() == 1


def pending_tokens(html: str) -> list[str]:
    return re.findall(r'<input type="hidden" name="pending" value="([0-9a-f]+)"', html)


def test_a_file_chosen_with_an_error_on_a_new_form_is_kept_sealed_until_saved(cast, staff_client):
    photo = SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
    response = staff_client.post(NEW, {**form_data(behaviour=""), "attachments": [photo]})
    html = response.content.decode()
    assert response.status_code == 200 and "请选择行为。" in html
    assert "无需重新选择" in html and "现场照片.png" in html
    assert not Record.objects.exists()
    kept = PendingUpload.objects.get()
    assert PNG not in bytes(kept.sealed_content) and kept.owner == cast.people["staff"]
    tokens = pending_tokens(html)
    assert tokens == [kept.token]
    response = staff_client.post(NEW, {**form_data(), "pending": tokens})
    record = Record.objects.get()
    assert response["Location"] == reverse("records:edit", args=[record.id])
    assert Attachment.objects.get(record=record).size == len(PNG)
    assert not PendingUpload.objects.exists()
    assert "现场照片.png" in staff_client.get(response["Location"]).content.decode()


def test_a_kept_file_is_its_owners_only(cast, staff_client, client):
    photo = SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
    staff_client.post(NEW, {**form_data(behaviour=""), "attachments": [photo]})
    token = PendingUpload.objects.get().token
    login_as(client, cast.staff2)
    response = client.post(NEW, {**form_data(), "pending": [token]})
    assert response.status_code == 302
    assert not Attachment.objects.exists() and PendingUpload.objects.count() == 1


def test_kept_files_expire(cast, staff_client):
    photo = SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
    staff_client.post(NEW, {**form_data(behaviour=""), "attachments": [photo]})
    kept = PendingUpload.objects.get()
    old = timezone.now() - timedelta(hours=PENDING_HOURS + 1)
    PendingUpload.objects.filter(pk=kept.pk).update(created_at=old)
    staff_client.post(NEW, {**form_data(), "pending": [kept.token]})
    assert Record.objects.count() == 1 and not Attachment.objects.exists()
    other = SimpleUploadedFile("另一张.png", PNG, content_type="image/png")
    staff_client.post(NEW, {**form_data(form_token="t2", category=""), "attachments": [other]})
    assert list(PendingUpload.objects.values_list("size", flat=True)) == [len(PNG)]
    assert not PendingUpload.objects.filter(pk=kept.pk).exists()  # the stale one purged


@pytest.mark.parametrize("typed", ["民初123号", "民初123", "2026民初123号", "(2026)民初123号"])
def test_the_form_takes_the_short_form_the_search_finds(cast, staff_client, typed):
    found = staff_client.get(reverse("cases:search"), {"q": typed}).content.decode()
    assert CASE_NUMBER in found
    staff_client.post(NEW, form_data(case_numbers=typed))
    assert list(Record.objects.get().cases.values_list("number", flat=True)) == [CASE_NUMBER]


def test_an_ambiguous_short_form_asks_for_the_full_number_in_form_and_search(cast, staff_client):
    Case.objects.create(
        court=cast.case.court, number="（2025）豫9001民初123号", year=2025, kind="民初"
    )
    response = staff_client.post(NEW, form_data(case_numbers="民初123号"))
    html = response.content.decode()
    assert response.status_code == 200 and "对应多个案件" in html and "请填写完整案号" in html
    assert not Record.objects.exists()
    found = staff_client.get(reverse("cases:search"), {"q": "民初123号"}).content.decode()
    assert CASE_NUMBER in found and "（2025）豫9001民初123号" in found
    staff_client.post(NEW, form_data(case_numbers="2025民初123"))
    assert Record.objects.get().cases.get().number == "（2025）豫9001民初123号"


def test_a_record_starts_from_the_case_page_with_the_case_filled_in(cast, staff_client):
    page = staff_client.get(reverse("cases:detail", args=[cast.case.id])).content.decode()
    link = f"{NEW}?case={cast.case.id}"
    assert link in page and "就本案记录过问" in page
    form = staff_client.get(link).content.decode()
    assert re.search(r'name="case_numbers" value="' + re.escape(CASE_NUMBER), form)


def test_another_courts_case_cannot_be_filled_in(cast, staff_client):
    assert staff_client.get(f"{NEW}?case={cast.other_case.id}").status_code == 404
    assert staff_client.get(f"{NEW}?case=x").status_code == 404


def test_a_disclosure_decision_has_no_default():
    form = DecisionForm({"otp": "123456"})
    assert not form.is_valid()
    assert form.errors["decision"] == ["请选择“批准”或“不予批准”。"]
    assert 'value="" selected' in str(form["decision"])
