"""/api/v1/records: create, update, submit, read and amend, with the web's policy."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mingjing.records.models import Amendment, Record, RecordStatus
from mingjing.security.authn import api_token_create
from mingjing.security.models import AuditEvent
from mingjing.security.receipts import verify_receipt
from tests.conftest import SECRET_CONTENT
from tests.recording.helpers import CASE_NUMBER, api_record_body

LIST = reverse("api:records_list")


def detail(record_id: int) -> str:
    return reverse("api:records_detail", args=[record_id])


def api(client, user):
    _, secret = api_token_create(user=user, name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


body = api_record_body


def send(client, method: str, url: str, data) -> object:
    payload = data if isinstance(data, str) else json.dumps(data)
    return getattr(client, method)(url, payload, content_type="application/json")


def test_staff_creates_updates_and_submits_a_draft_and_gets_a_verifiable_receipt(cast, client):
    api(client, cast.staff)
    created = send(client, "post", LIST, body())
    assert created.status_code == 201
    record_id = created.json()["id"]
    assert created.json()["status"] == "draft" and created.json()["cases"] == [CASE_NUMBER]
    updated = send(client, "put", detail(record_id), body(manner="in_person"))
    assert updated.status_code == 200 and updated.json()["manner"] == "in_person"
    submitted = send(client, "post", reverse("api:records_submit", args=[record_id]), {})
    assert submitted.status_code == 200
    assert submitted.json()["record"]["status"] == RecordStatus.SUBMITTED
    assert verify_receipt(submitted.json()["receipt"]).valid


def test_a_second_submit_answers_409_and_changes_nothing(cast, client, records):
    api(client, cast.staff)
    events = AuditEvent.objects.count()
    response = send(client, "post", reverse("api:records_submit", args=[records.own.id]), {})
    assert response.status_code == 409 and "已经提交过了" in response.json()["error"]
    assert AuditEvent.objects.count() == events


def test_a_submitted_record_cannot_be_updated(cast, client, records):
    api(client, cast.staff)
    assert send(client, "put", detail(records.own.id), body()).status_code == 409


@pytest.mark.parametrize("payload", ["{not json", "[1]", '"text"'])
def test_a_body_that_is_not_a_json_object_gets_400(cast, client, payload):
    api(client, cast.staff)
    response = send(client, "post", LIST, payload)
    assert response.status_code == 400 and "JSON" in response.json()["error"]
    assert not Record.objects.exists()


def test_invalid_fields_get_400_with_a_chinese_message_per_field(cast, client):
    api(client, cast.staff)
    bad = body(category="bribe", occurred_at="yesterday", not_about_a_case="yes", color="red")
    response = send(client, "post", LIST, bad)
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {"category", "occurred_at", "not_about_a_case", "color"}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in fields.values())
    assert not Record.objects.exists()


def test_a_future_time_and_an_unknown_case_are_400_per_field(cast, client):
    api(client, cast.staff)
    future = (timezone.now() + timedelta(days=1)).isoformat()
    response = send(client, "post", LIST, body(occurred_at=future))
    assert "occurred_at" in response.json()["fields"]
    response = send(client, "post", LIST, body(case_numbers=[cast.other_case.number]))
    assert response.status_code == 400 and "case_numbers" in response.json()["fields"]
    assert not Record.objects.exists()


def test_a_late_contact_submitted_without_a_reason_gets_400(cast, client):
    api(client, cast.staff)
    late = body(
        category="improper_contact",
        subject_kind="lawyer",
        off_hours_contact=True,
        occurred_at=(timezone.now() - timedelta(days=4)).isoformat(),
    )
    record_id = send(client, "post", LIST, late).json()["id"]
    submit = reverse("api:records_submit", args=[record_id])
    response = send(client, "post", submit, {})
    assert response.status_code == 400 and "late_reason" in response.json()["fields"]
    assert Record.objects.get().status == RecordStatus.DRAFT
    response = send(client, "post", submit, {"late_reason": "外出培训"})
    assert response.status_code == 200 and response.json()["record"]["is_late"]


def test_reading_a_record_gives_contents_to_its_readers_and_logs_the_read(cast, client, records):
    api(client, cast.head)
    response = client.get(detail(records.own.id))
    assert response.json()["contents"]["content"] == SECRET_CONTENT
    assert AuditEvent.objects.filter(action="record.read", actor_id=cast.head.pk).exists()


def test_counts_roles_read_metadata_without_contents(cast, client, records):
    api(client, cast.deptadmin)
    response = client.get(detail(records.own.id))
    assert response.status_code == 200 and response.json()["contents"] is None
    assert SECRET_CONTENT not in response.content.decode()


def test_the_list_gives_metadata_only(cast, client, records):
    api(client, cast.custodian)
    response = client.get(LIST)
    ids = {item["id"] for item in response.json()["results"]}
    assert records.own.id in ids and records.draft.id not in ids
    assert SECRET_CONTENT not in response.content.decode()


def test_another_courts_record_answers_404(cast, client, records):
    api(client, cast.staff)
    assert client.get(detail(records.other_court.id)).status_code == 404
    amendments = reverse("api:records_amendments", args=[records.other_court.id])
    assert send(client, "post", amendments, {"reason": "x", "correction": "y"}).status_code == 404


def test_the_named_subject_does_not_find_the_record(cast, client, records):
    api(client, cast.head)
    assert client.get(detail(records.names_head.id)).status_code == 404


def test_the_recorder_adds_amendments_and_readers_list_them_in_order(cast, client, records):
    url = reverse("api:records_amendments", args=[records.own.id])
    api(client, cast.staff)
    first = send(client, "post", url, {"reason": "第一", "correction": "甲"})
    send(client, "post", url, {"reason": "第二", "correction": "乙"})
    assert first.status_code == 201
    api(client, cast.custodian)
    listed = client.get(url).json()["results"]
    assert [a["reason"] for a in listed] == ["第一", "第二"]


def test_only_the_recorder_amends_and_bad_amendments_change_nothing(cast, client, records):
    url = reverse("api:records_amendments", args=[records.own.id])
    api(client, cast.head)
    assert send(client, "post", url, {"reason": "x", "correction": "y"}).status_code == 403
    api(client, cast.staff)
    response = send(client, "post", url, {"reason": "", "correction": 5})
    assert response.status_code == 400 and "correction" in response.json()["fields"]
    response = send(client, "post", url, {"reason": "", "correction": "y"})
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    assert not Amendment.objects.exists()


def test_the_sysadmin_cannot_create_records(cast, client):
    api(client, cast.sysadmin)
    assert send(client, "post", LIST, body()).status_code == 403


def test_the_openapi_document_describes_every_field_of_a_record(cast, client, records):
    from mingjing.api.records import record_detail
    from mingjing.api.v1 import openapi_document
    from mingjing.security.actor import actor_for
    from tests.api.test_api import _properties

    document = openapi_document()
    out = record_detail(actor_for(cast.staff), records.own, None)
    assert set(out) == _properties(document, "RecordDetail")
    assert set(out["contents"]) <= _properties(document, "RecordContents")


def test_the_list_costs_the_same_queries_for_many_records_as_for_one(
    cast, client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_record

    call = api(client, cast.custodian)
    make_record(cast.people["staff"], case=cast.case)
    with CaptureQueriesContext(connection) as one:
        assert len(call.get(reverse("api:records_list")).json()["results"]) == 1
    for _ in range(5):
        make_record(cast.people["staff"], case=cast.case)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(call.get(reverse("api:records_list")).json()["results"]) == 6
