"""查阅审批: an inspector sees contents only through an approved, unexpired, unrevoked grant."""

from datetime import timedelta

import pyotp
import pytest
from django.urls import reverse
from django.utils import timezone

from mingjing.oversight.models import DisclosureRequest
from mingjing.security.authn import totp_begin_enrolment, totp_verify
from mingjing.security.models import AuditEvent
from tests.conftest import SECRET_CONTENT, login_as

REASON = "核查举报线索：反映该案承办人受到请托，需核实记录"


def _enrol(user) -> pyotp.TOTP:
    secret = totp_begin_enrolment(user=user)
    totp = pyotp.TOTP(secret)
    assert totp_verify(user=user, code=totp.at(timezone.now() - timedelta(seconds=30)))
    return totp


def _ask(client, cast, record_ids, **extra):
    login_as(client, cast.inspector)
    data = {"kind": "view", "records": record_ids, "reason": REASON, "days": 7, **extra}
    return client.post(reverse("oversight:disclosure_new"), data)


def _decide(client, cast, disclosure, totp, decision="approve"):
    login_as(client, cast.approver)
    url = reverse("oversight:disclosure_detail", args=[disclosure.id])
    return client.post(url, {"decision": decision, "otp": totp.now(), "note": "同意"})


def _read(client, cast, record):
    """The record page as the inspector: he sees that it exists (200), contents or not."""
    login_as(client, cast.inspector)
    response = client.get(reverse("records:detail", args=[record.id]))
    assert response.status_code == 200 and f"#{record.id}" in response.content.decode()
    return response.content.decode()


@pytest.fixture
def approved(cast, records, client):
    totp = _enrol(cast.approver)
    _ask(client, cast, f"{records.own.id}")
    disclosure = DisclosureRequest.objects.get()
    _decide(client, cast, disclosure, totp)
    disclosure.refresh_from_db()
    return disclosure


def test_inspector_cannot_browse_contents_without_a_grant(cast, records, client):
    assert SECRET_CONTENT not in _read(client, cast, records.own)


def test_an_approved_grant_opens_exactly_its_records_and_each_use_is_logged(
    cast, records, client, approved
):
    assert approved.status == "approved"
    assert SECRET_CONTENT in _read(client, cast, records.own)
    assert SECRET_CONTENT not in _read(client, cast, records.office)
    read = AuditEvent.objects.filter(action="record.read", object_id=str(records.own.id)).last()
    assert read.detail == {"grant": approved.id}
    assert read.actor_id == cast.inspector.id


def test_a_grant_expires(cast, records, client, approved):
    DisclosureRequest.objects.filter(pk=approved.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert SECRET_CONTENT not in _read(client, cast, records.own)


def test_a_revoked_grant_opens_nothing(cast, records, client, approved):
    login_as(client, cast.approver)
    client.post(reverse("oversight:disclosure_revoke", args=[approved.id]))
    approved.refresh_from_db()
    assert approved.status == "revoked"
    assert SECRET_CONTENT not in _read(client, cast, records.own)


def test_a_refused_request_opens_nothing(cast, records, client):
    totp = _enrol(cast.approver)
    _ask(client, cast, f"{records.own.id}")
    disclosure = DisclosureRequest.objects.get()
    _decide(client, cast, disclosure, totp, decision="refuse")
    disclosure.refresh_from_db()
    assert disclosure.status == "refused"
    assert SECRET_CONTENT not in _read(client, cast, records.own)


def test_approval_needs_a_fresh_totp_code(cast, records, client):
    _enrol(cast.approver)
    _ask(client, cast, f"{records.own.id}")
    disclosure = DisclosureRequest.objects.get()
    login_as(client, cast.approver)
    url = reverse("oversight:disclosure_detail", args=[disclosure.id])
    response = client.post(url, {"decision": "approve", "otp": "000000"})
    assert "动态口令不正确" in response.content.decode()
    disclosure.refresh_from_db()
    assert disclosure.status == "pending"


def test_a_request_needs_a_reason_and_existing_records(cast, records, client):
    response = _ask(client, cast, "999999", reason="看看")
    body = response.content.decode()
    assert "请写明事由" in body
    response = _ask(client, cast, "999999")
    assert "不存在或尚未提交" in response.content.decode()
    response = _ask(client, cast, f"{records.draft.id}")
    assert "不存在或尚未提交" in response.content.decode()
    assert not DisclosureRequest.objects.exists()


def test_records_of_another_court_cannot_be_requested(cast, records, client):
    response = _ask(client, cast, f"{records.other_court.id}")
    assert "不存在或尚未提交" in response.content.decode()
    assert not DisclosureRequest.objects.exists()


def test_staff_and_department_admin_cannot_request_or_approve(cast, records, client):
    for username in ("staff", "deptadmin", "head", "leader", "sysadmin"):
        login_as(client, cast.users[username])
        assert client.get(reverse("oversight:disclosure_new")).status_code == 403, username


def test_only_an_approver_decides(cast, records, client):
    _ask(client, cast, f"{records.own.id}")
    disclosure = DisclosureRequest.objects.get()
    login_as(client, cast.custodian)
    url = reverse("oversight:disclosure_detail", args=[disclosure.id])
    assert client.post(url, {"decision": "approve", "otp": "123456"}).status_code == 403
    disclosure.refresh_from_db()
    assert disclosure.status == "pending"


def test_another_courts_request_is_not_found(cast, records, client):
    _ask(client, cast, f"{records.own.id}")
    disclosure = DisclosureRequest.objects.get()
    login_as(client, cast.other_court)
    url = reverse("oversight:disclosure_detail", args=[disclosure.id])
    assert client.get(url).status_code == 404
