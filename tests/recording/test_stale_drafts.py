"""Two tabs: a draft page loaded before submission and saved after it changes nothing.

Issue 8 point 4: a stale form once turned a submitted record back into a draft (status draft,
submitted_at empty, receipt and submit event still there). Each test loads the edit page,
submits in another request, then posts the stale page; "meanwhile" variants let the
submission land while the stale request is already under way (after the view read the
record), which is the window the bug lived in.
"""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mingjing.records import services
from mingjing.records.models import Attachment, Record, RecordStatus
from mingjing.security import receipts
from mingjing.security.actor import actor_for
from mingjing.security.authn import api_token_create
from mingjing.security.models import AuditEvent, Receipt
from tests.recording.conftest import form_data, submit_form
from tests.recording.helpers import PNG, record_input
from tests.recording.test_api import body as api_body

pytestmark = pytest.mark.django_db

LOST = "本页的修改没有保存"


def new_draft(client) -> Record:
    client.post(reverse("records:new"), form_data())
    return Record.objects.get()


def submit_in_other_tab(client, record: Record) -> None:
    edit = reverse("records:edit", args=[record.id])
    response = submit_form(client, edit, form_data(form_token="other-tab"))
    assert response["Location"] == reverse("records:detail", args=[record.id])


def snapshot(record: Record) -> dict:
    record.refresh_from_db()
    return {
        "status": record.status,
        "submitted_at": record.submitted_at,
        "sealed": bytes(record.sealed),
        "manner": record.manner,
        "receipts": Receipt.objects.count(),
        "receipt": receipts.receipt_for(record).pk,
        "submits": AuditEvent.objects.filter(action="record.submit").count(),
        "attachments": record.attachments.count(),
    }


def assert_still_submitted(record: Record, before: dict) -> None:
    after = snapshot(record)
    assert after == before
    assert after["status"] == RecordStatus.SUBMITTED and after["submitted_at"] is not None


def submit_meanwhile(monkeypatch, record: Record, user) -> None:
    """The other tab's submission lands once the stale request has read the record."""
    from mingjing.records import views

    original = views.RecordForm

    class FormReadAfterTheSubmission(original):
        def __init__(self, *args, **kwargs):
            fresh = Record.objects.get(pk=record.pk)
            if fresh.status == RecordStatus.DRAFT:
                services.record_submit(actor=actor_for(user), record=fresh, require_case=True)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(views, "RecordForm", FormReadAfterTheSubmission)


def test_a_stale_draft_page_saved_after_submission_changes_nothing(cast, staff_client):
    record = new_draft(staff_client)
    edit = reverse("records:edit", args=[record.id])
    assert staff_client.get(edit).status_code == 200  # tab 1 loads the draft
    submit_in_other_tab(staff_client, record)  # tab 2 submits it
    before = snapshot(record)
    response = staff_client.post(edit, form_data(content="事后改写", manner="in_person"))
    assert response.status_code == 302
    assert response["Location"] == reverse("records:detail", args=[record.id])
    assert LOST in staff_client.get(response["Location"]).content.decode()
    assert_still_submitted(record, before)


@pytest.mark.parametrize("action", ["draft", "submit"])
def test_a_submission_landing_while_the_stale_page_is_saved_wins(
    cast, staff_client, monkeypatch, action
):
    record = new_draft(staff_client)
    edit = reverse("records:edit", args=[record.id])
    staff_client.get(edit)
    submit_meanwhile(monkeypatch, record, cast.staff)
    response = staff_client.post(
        edit, form_data(content="事后改写", manner="in_person", action=action)
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("records:detail", args=[record.id])
    page = staff_client.get(response["Location"]).content.decode()
    assert "该记录已经提交过了" in page and LOST in page
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED and record.submitted_at is not None
    assert record.manner == "phone"
    assert Receipt.objects.count() == 1
    assert AuditEvent.objects.filter(action="record.submit").count() == 1
    assert not AuditEvent.objects.filter(action="record.draft", object_id=str(record.id)).filter(
        seq__gt=AuditEvent.objects.get(action="record.submit").seq
    )


def test_a_stale_page_with_a_new_attachment_adds_no_file_after_submission(
    cast, staff_client, monkeypatch
):
    record = new_draft(staff_client)
    edit = reverse("records:edit", args=[record.id])
    staff_client.get(edit)
    submit_meanwhile(monkeypatch, record, cast.staff)
    photo = SimpleUploadedFile("迟到的照片.png", PNG, content_type="image/png")
    response = staff_client.post(edit, {**form_data(), "attachments": [photo]})
    assert response["Location"] == reverse("records:detail", args=[record.id])
    assert not Attachment.objects.exists()
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED


def test_removing_an_attachment_from_a_stale_page_after_submission_keeps_it(cast, staff_client):
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    staff_client.post(reverse("records:new"), {**form_data(), "attachments": [photo]})
    record, attachment = Record.objects.get(), Attachment.objects.get()
    staff_client.get(reverse("records:edit", args=[record.id]))
    submit_in_other_tab(staff_client, record)
    before = snapshot(record)
    delete = reverse("records:attachment_delete", args=[record.id, attachment.id])
    response = staff_client.post(delete)
    assert response["Location"] == reverse("records:detail", args=[record.id])
    assert LOST in staff_client.get(response["Location"]).content.decode()
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert_still_submitted(record, before)


def test_the_services_refuse_a_stale_copy_of_a_submitted_record(cast):
    actor = actor_for(cast.staff)
    stale = services.record_save_draft(actor=actor, data=record_input())
    attachment = services.attachment_add(actor=actor, record=stale, name="a.png", data=PNG)
    services.record_submit(actor=actor, record=Record.objects.get(pk=stale.pk))
    before = snapshot(Record.objects.get(pk=stale.pk))
    assert stale.status == RecordStatus.DRAFT  # the copy a page or a call loaded
    with pytest.raises(ValidationError, match="已经提交"):
        services.record_save_draft(actor=actor, data=record_input(manner="in_person"), record=stale)
    with pytest.raises(ValidationError, match="已经提交"):
        services.attachment_add(actor=actor, record=stale, name="b.png", data=PNG)
    attachment.record = stale
    with pytest.raises(ValidationError, match="已经提交"):
        services.attachment_remove(actor=actor, attachment=attachment)
    with pytest.raises(ValidationError, match="已经提交过了"):
        services.record_submit(actor=actor, record=stale)
    assert_still_submitted(Record.objects.get(pk=stale.pk), before)


def test_an_api_put_racing_a_submission_answers_409_and_changes_nothing(
    cast, staff_client, client, monkeypatch
):
    from mingjing.api import records as api

    record = new_draft(staff_client)
    _token, secret = api_token_create(user=cast.staff, name="测试")
    original = api.parse_record_input

    def parsed_after_the_submission(body):
        fresh = Record.objects.get(pk=record.pk)
        if fresh.status == RecordStatus.DRAFT:
            services.record_submit(actor=actor_for(cast.staff), record=fresh, require_case=True)
        return original(body)

    monkeypatch.setattr(api, "parse_record_input", parsed_after_the_submission)
    payload = json.dumps(api_body(manner="in_person", content="事后改写"))
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    response = client.put(
        reverse("api:records_detail", args=[record.id]), payload, content_type="application/json"
    )
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/json")
    assert "记录已提交，不能修改" in response.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED and record.submitted_at is not None
    assert record.manner == "phone" and Receipt.objects.count() == 1
