"""The screening page shows everything the custodian decides on, and a visit is one read."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mingjing.records import selectors
from mingjing.records.services import (
    amendment_add,
    attachment_add,
    record_save_draft,
    record_submit,
)
from mingjing.security.actor import actor_for
from mingjing.security.models import AuditEvent
from tests.recording.helpers import ATTACHMENT_SECRET, record_input

CORRECTION = "时间记错，应为三月五日上午"
CONTACT = "13800001111"


def reads_of(record, user) -> int:
    return AuditEvent.objects.filter(
        action="record.read", object_id=str(record.pk), actor_id=user.pk
    ).count()


def screened_record(cast):
    actor = actor_for(cast.staff)
    record = record_save_draft(actor=actor, data=record_input(subject_contact=CONTACT))
    attachment = attachment_add(actor=actor, record=record, name="照片.png", data=ATTACHMENT_SECRET)
    record, _ = record_submit(actor=actor, record=record, require_case=True)
    amendment_add(actor=actor, record=record, reason="补正时间", correction=CORRECTION)
    return record, attachment


def page_of(client, record) -> str:
    response = client.get(reverse("oversight:screening_detail", args=[record.id]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_corrections_attachments_contact_and_cases(cast, login):
    record, attachment = screened_record(cast)
    page = page_of(login(cast.custodian), record)
    assert CORRECTION in page and "补正时间" in page
    assert reverse("records:attachment", args=[record.id, attachment.id]) in page
    assert "照片.png" in page
    assert CONTACT in page
    assert cast.case.number in page and reverse("cases:detail", args=[cast.case.id]) in page


def test_the_custodian_downloads_an_attachment_from_the_page(cast, login):
    record, attachment = screened_record(cast)
    client = login(cast.custodian)
    page_of(client, record)
    response = client.get(reverse("records:attachment", args=[record.id, attachment.id]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="attachment.read", actor_id=cast.custodian.pk).exists()


def test_reloading_the_page_is_one_read(cast, login, records):
    client = login(cast.custodian)
    for _ in range(3):
        page_of(client, records.own)
    assert reads_of(records.own, cast.custodian) == 1


def test_a_failed_decision_and_the_page_after_a_save_are_the_same_visit(cast, login, records):
    client = login(cast.custodian)
    url = reverse("oversight:screening_detail", args=[records.own.id])
    page_of(client, records.own)
    assert client.post(url, {"classification": "guilty", "note": ""}).status_code == 200
    saved = client.post(url, {"classification": "improper_inquiry", "note": "属实"})
    assert saved.status_code == 302
    page_of(client, records.own)
    assert reads_of(records.own, cast.custodian) == 1


def test_a_new_visit_is_a_new_read(cast, login, records, client):
    login(cast.custodian)
    page_of(client, records.own)
    session = client.session
    visits = session[selectors.VISITS_KEY]
    earlier = timezone.now() - timedelta(seconds=selectors.VISIT_SECONDS + 1)
    visits[str(records.own.pk)] = earlier.timestamp()
    session[selectors.VISITS_KEY] = visits
    session.save()
    page_of(client, records.own)
    assert reads_of(records.own, cast.custodian) == 2


def test_another_session_is_another_visit(cast, records):
    from django.test import Client

    from tests.conftest import login_as

    for _ in range(2):
        page_of(login_as(Client(), cast.custodian), records.own)
    assert reads_of(records.own, cast.custodian) == 2


def test_the_record_page_still_logs_every_read(cast, login, records):
    client = login(cast.custodian)
    for _ in range(2):
        assert client.get(reverse("records:detail", args=[records.own.id])).status_code == 200
    assert reads_of(records.own, cast.custodian) == 2
