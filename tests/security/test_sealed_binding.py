"""Sealed values are bound to their row and column (issue 8.5): a value copied by someone with
write access to the database into another row of the same court and the same column does not
open. The pages and the API say so in Chinese (409), never a 500, never the other row's text.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mingjing.oversight.models import DisclosureRequest
from mingjing.records.models import Record
from mingjing.records.services import record_save_draft, record_submit
from mingjing.reporting.models import MonthlyReport
from mingjing.security.actor import actor_for
from mingjing.security.authn import api_token_create
from mingjing.security.sealing import SealError
from tests.conftest import login_as
from tests.recording.helpers import CASE_NUMBER, record_input

REASON_A = "甲记录的逾期原因：在外地开庭三日"
REASON_B = "乙记录的逾期原因：住院"
REFUSED = "未通过密封校验"


def late_record(person, reason: str) -> Record:
    data = record_input(
        category="improper_contact",
        behaviour="contact",
        subject_kind="lawyer",
        off_hours_contact=True,
        occurred_at=timezone.now() - timedelta(days=5),
        case_numbers=[CASE_NUMBER],
    )
    record = record_save_draft(actor=actor_for(person.user), data=data)
    record, _ = record_submit(actor=actor_for(person.user), record=record, late_reason=reason)
    return record


def copy_column(model, column: str, source, target) -> None:
    """What a writer with database access would do: copy the stored bytes across rows."""
    blob = model.objects.filter(pk=source.pk).values_list(column, flat=True).get()
    model.objects.filter(pk=target.pk).update(**{column: blob})


def test_the_late_reason_is_stored_sealed_and_reads_back(cast):
    record = late_record(cast.people["staff"], REASON_A)
    stored = Record.objects.get(pk=record.pk)
    assert REASON_A.encode() not in bytes(stored.sealed_late_reason)
    assert bytes(stored.sealed_late_reason)[:3] == b"MJ2"
    assert stored.late_reason == REASON_A


def test_a_late_reason_copied_to_another_record_refuses_to_open(cast, client):
    a = late_record(cast.people["staff"], REASON_A)
    b = late_record(cast.people["staff"], REASON_B)
    copy_column(Record, "sealed_late_reason", a, b)
    with pytest.raises(SealError):
        Record.objects.get(pk=b.pk).late_reason  # noqa: B018
    assert Record.objects.get(pk=a.pk).late_reason == REASON_A
    login_as(client, cast.staff)
    response = client.get(reverse("records:detail", args=[b.id]))
    page = response.content.decode()
    assert response.status_code == 409
    assert REFUSED in page and REASON_A not in page and REASON_B not in page


def test_contents_copied_to_another_record_refuse_to_open_on_the_web_and_the_api(cast, client):
    a = late_record(cast.people["staff"], REASON_A)
    b = late_record(cast.people["staff"], REASON_B)
    a_contents = Record.objects.filter(pk=a.pk).values_list("sealed", flat=True).get()
    copy_column(Record, "sealed", a, b)
    assert bytes(Record.objects.get(pk=b.pk).sealed) == bytes(a_contents)
    login_as(client, cast.custodian)
    response = client.get(reverse("records:detail", args=[b.id]))
    assert response.status_code == 409 and REFUSED in response.content.decode()
    assert client.get(reverse("records:detail", args=[a.id])).status_code == 200

    client.logout()
    _, secret = api_token_create(user=cast.custodian, name="test")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    answer = client.get(reverse("api:records_detail", args=[b.id]), **headers)
    assert answer.status_code == 409 and answer["Content-Type"].startswith("application/json")
    assert REFUSED in answer.json()["error"]


def test_a_disclosure_reason_copied_to_another_request_refuses_to_open(cast, client):
    court, inspector = cast.courts["a"], cast.people["inspector"]
    first = DisclosureRequest.objects.create(
        court=court, requester=inspector, kind="view", reason="核查举报线索甲：某律师多次来电"
    )
    second = DisclosureRequest.objects.create(
        court=court, requester=inspector, kind="view", reason="核查举报线索乙"
    )
    assert DisclosureRequest.objects.get(pk=first.pk).reason == "核查举报线索甲：某律师多次来电"
    copy_column(DisclosureRequest, "sealed_reason", first, second)
    login_as(client, cast.approver)
    response = client.get(reverse("oversight:disclosure_detail", args=[second.id]))
    page = response.content.decode()
    assert response.status_code == 409
    assert REFUSED in page and "某律师多次来电" not in page


def test_a_value_moved_to_another_column_of_the_same_row_refuses_to_open(cast):
    report = MonthlyReport.objects.create(
        court=cast.courts["a"],
        person=cast.people["staff"],
        month=date(2026, 3, 1),
        submitted_at=timezone.now(),
        return_reason="请补充三月五日的记录",
    )
    disclosure = DisclosureRequest.objects.create(
        court=cast.courts["a"],
        requester=cast.people["inspector"],
        kind="view",
        reason="核查举报线索",
        decision_note="同意查阅",
    )
    blob = DisclosureRequest.objects.values_list("sealed_decision_note", flat=True).get()
    DisclosureRequest.objects.filter(pk=disclosure.pk).update(sealed_reason=blob)
    with pytest.raises(SealError):
        DisclosureRequest.objects.get(pk=disclosure.pk).reason  # noqa: B018
    assert MonthlyReport.objects.get(pk=report.pk).return_reason == "请补充三月五日的记录"
