"""Corrections after submission: appended, in order, sealed, by the recorder only."""

from django.urls import reverse

from mingjing.records.models import Amendment
from mingjing.security.models import AuditEvent
from tests.conftest import login_as


def amend(client, record, reason="记错了时间", correction="应为下午三点"):
    return client.post(
        reverse("records:amend", args=[record.id]), {"reason": reason, "correction": correction}
    )


def test_the_recorder_appends_amendments_shown_in_order(cast, client, records):
    login_as(client, cast.staff)
    assert amend(client, records.own, "第一次更正", "甲").status_code == 302
    amend(client, records.own, "第二次更正", "乙")
    page = client.get(reverse("records:detail", args=[records.own.id])).content.decode()
    assert page.index("第一次更正") < page.index("第二次更正")


def test_an_amendment_never_changes_the_record(cast, client, records):
    before = bytes(records.own.sealed)
    login_as(client, cast.staff)
    amend(client, records.own)
    records.own.refresh_from_db()
    assert bytes(records.own.sealed) == before


def test_an_amendment_is_sealed_and_logged_without_its_text(cast, client, records):
    login_as(client, cast.staff)
    amend(client, records.own, correction="机密的更正内容")
    assert "机密的更正内容".encode() not in bytes(Amendment.objects.get().sealed)
    event = AuditEvent.objects.get(action="amendment.add")
    assert "机密" not in str(event.detail)


def test_only_the_recorder_may_amend(cast, client, records):
    for user in (cast.head, cast.custodian, cast.approver):
        login_as(client, user)
        assert amend(client, records.own).status_code == 404
    assert not Amendment.objects.exists()


def test_an_amendment_needs_a_reason_and_a_correction(cast, client, records):
    login_as(client, cast.staff)
    response = amend(client, records.own, reason="", correction="")
    assert response.status_code == 200
    assert not Amendment.objects.exists()


def test_a_draft_is_edited_not_amended(cast, client, records):
    login_as(client, cast.staff)
    assert amend(client, records.draft).status_code == 404


def test_the_head_reads_the_amendments_of_his_department(cast, client, records):
    login_as(client, cast.staff)
    amend(client, records.own, reason="补充说明")
    login_as(client, cast.head)
    page = client.get(reverse("records:detail", args=[records.own.id])).content.decode()
    assert "补充说明" in page
    login_as(client, cast.deptadmin)
    page = client.get(reverse("records:detail", args=[records.own.id])).content.decode()
    assert "补充说明" not in page
