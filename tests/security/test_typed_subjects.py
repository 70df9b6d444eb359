"""A subject typed instead of picked is a named subject too (issue 8.1, DESIGN.md section 3).

Each test acts from the outside, as the role, through the web and the API.
"""

import pytest
from django.urls import reverse

from mingjing.oversight.models import DisclosureRequest
from mingjing.oversight.selectors import screening_queue
from mingjing.oversight.services import disclosure_request
from mingjing.records.models import Record
from mingjing.records.services import amendment_add
from mingjing.records.subjects import reindex_records
from mingjing.security.actor import actor_for
from mingjing.security.authn import api_token_create
from tests.conftest import SECRET_CONTENT, login_as, make_record
from tests.recording.helpers import CASE_NUMBER

REASON = "核查举报线索：反映该案承办人受到请托，需核实记录"


def typed(cast, author: str, name: str):
    """A submitted record of `author` whose subject was typed as `name` (no colleague picked)."""
    return make_record(cast.people[author], name=name, case=cast.case)


def page(client, user, record):
    login_as(client, user)
    return client.get(reverse("records:detail", args=[record.id]))


def api_get(client, user, url):
    _, secret = api_token_create(user=user, name="test")
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {secret}")


# Ways a hurried clerk types the head's name "测试head": as is, with spaces, full-width.
HEAD_SPELLINGS = ["测试head", " 测试 head ", "测试ｈｅａｄ", "测试HEAD"]


@pytest.mark.parametrize("spelling", HEAD_SPELLINGS)
def test_a_typed_subject_is_hidden_from_the_head_it_names(cast, client, spelling):
    record = typed(cast, "staff2", spelling)
    assert page(client, cast.head, record).status_code == 404
    listing = client.get(reverse("records:list")).content.decode()
    assert f"/records/{record.id}/" not in listing
    assert page(client, cast.staff2, record).status_code == 200


def test_a_traditional_variant_of_the_name_counts_too(cast, client):
    person = cast.people["staff"]
    person.name = "陈明"
    person.save()
    record = typed(cast, "staff2", "陳明")
    assert page(client, cast.staff, record).status_code == 404
    assert page(client, cast.head, record).status_code == 200


def test_the_api_answers_404_to_a_typed_subject_exactly_as_to_a_missing_id(cast, client):
    record = typed(cast, "staff2", "测试head")
    named = api_get(client, cast.head, reverse("api:records_detail", args=[record.id]))
    missing = api_get(client, cast.head, reverse("api:records_detail", args=[record.id + 999]))
    assert named.status_code == missing.status_code == 404
    assert named.json() == missing.json()
    listed = api_get(client, cast.head, reverse("api:records_list")).json()
    assert record.id not in [row["id"] for row in listed["results"]]
    own = api_get(client, cast.staff2, reverse("api:records_detail", args=[record.id]))
    assert own.json()["contents"]["content"] == SECRET_CONTENT


def test_the_recorder_keeps_his_own_record_when_the_subject_shares_his_name(cast, client):
    record = typed(cast, "staff2", "测试staff2")
    response = page(client, cast.staff2, record)
    assert response.status_code == 200
    assert SECRET_CONTENT in response.content.decode()


def test_a_homonym_who_is_not_the_subject_loses_sight_too(cast, client):
    homonym = cast.people["inspector"]
    homonym.name = "测试head"
    homonym.save()
    record = typed(cast, "staff2", "测试head")
    assert page(client, cast.head, record).status_code == 404
    assert page(client, cast.inspector, record).status_code == 404


def test_the_custodian_named_by_a_typed_name_never_sees_it(cast, client):
    record = typed(cast, "staff", "测试custodian")
    assert page(client, cast.custodian, record).status_code == 404
    login_as(client, cast.custodian)
    queue = client.get(reverse("oversight:screening_queue")).content.decode()
    assert f"/screening/{record.id}/" not in queue
    url = reverse("oversight:screening_detail", args=[record.id])
    assert client.get(url).status_code == 404


def test_records_naming_the_custodian_go_to_the_approver_who_screens_them(cast, client):
    naming = typed(cast, "staff", "测试custodian")
    other = typed(cast, "staff", "外单位某人")
    approver = actor_for(cast.approver)
    assert list(screening_queue(approver)) == [naming]
    login_as(client, cast.approver)
    queue = client.get(reverse("oversight:screening_queue"))
    assert queue.status_code == 200
    assert reverse("oversight:screening_detail", args=[naming.id]) in queue.content.decode()
    url = reverse("oversight:screening_detail", args=[naming.id])
    response = client.post(url, {"classification": "normal_duty", "note": "履职过问"})
    assert response.status_code == 302
    naming.refresh_from_db()
    assert naming.status == "screened"
    # The rest stays with the custodian: the approver cannot screen it.
    assert client.get(reverse("oversight:screening_detail", args=[other.id])).status_code == 404
    assert other in screening_queue(actor_for(cast.custodian))


def test_the_custodian_cannot_ask_to_see_a_record_naming_him(cast, client):
    naming = typed(cast, "staff", "测试custodian")
    missing = naming.id + 999
    login_as(client, cast.custodian)
    for record_id in (naming.id, missing):
        data = {"kind": "view", "records": str(record_id), "reason": REASON, "days": 7}
        response = client.post(reverse("oversight:disclosure_new"), data)
        assert response.status_code == 200
        assert f"以下记录编号不存在或尚未提交：{record_id}" in response.content.decode()
    assert not DisclosureRequest.objects.exists()


def test_a_disclosure_of_a_record_naming_the_president_goes_around_him(cast, client):
    naming = typed(cast, "staff", "测试approver")
    disclosure = disclosure_request(
        actor=actor_for(cast.inspector), kind="view", reason=REASON, record_ids=[naming.id]
    )
    login_as(client, cast.approver)
    listing = client.get(reverse("oversight:disclosure_list"))
    assert listing.status_code == 200
    assert reverse("oversight:disclosure_detail", args=[disclosure.id]) not in (
        listing.content.decode()
    )
    url = reverse("oversight:disclosure_detail", args=[disclosure.id])
    assert client.get(url).status_code == 404
    decided = client.post(url, {"decision": "approve", "otp": "000000", "note": "同意"})
    assert decided.status_code == 404
    disclosure.refresh_from_db()
    assert disclosure.status == "pending"
    # The inspector who asked still sees his request.
    login_as(client, cast.inspector)
    assert client.get(url).status_code == 200


def test_the_recorder_is_told_that_the_typed_name_matches_a_colleague(cast, client):
    login_as(client, cast.staff2)
    data = {
        "category": "internal_inquiry",
        "behaviour": "progress",
        "manner": "phone",
        "subject_kind": "internal_staff",
        "occurred_at": "2026-01-05T10:00",
        "subject_name": "测试head",
        "content": "询问开庭时间",
        "case_numbers": CASE_NUMBER,
        "action": "save",
    }
    response = client.post(reverse("records:new"), data, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "过问人姓名与本院人员 测试head（民事审判第一庭） 同名" in text
    record = Record.objects.get(recorder=cast.people["staff2"])
    detail = page(client, cast.staff2, record).content.decode()
    assert 'data-testid="colleagues-notice"' in detail
    api = api_get(client, cast.staff2, reverse("api:records_detail", args=[record.id])).json()
    assert api["subject_colleagues"] == [
        {"id": cast.people["head"].id, "name": "测试head", "department": "民事审判第一庭"}
    ]


def test_no_notice_when_the_colleague_was_picked(cast, client):
    record = make_record(cast.people["staff2"], subject_person=cast.people["head"])
    detail = page(client, cast.staff2, record).content.decode()
    assert "过问人" in detail
    assert 'data-testid="colleagues-notice"' not in detail


def test_a_subject_named_in_an_amendment_loses_sight_of_the_record(cast, client):
    record = typed(cast, "staff2", "外单位某人")
    assert page(client, cast.head, record).status_code == 200
    login_as(client, cast.staff2)
    url = reverse("records:amend", args=[record.id])
    data = {"reason": "过问人写错", "correction": "实为本庭负责人", "subject_name": "测试head"}
    assert client.post(url, data).status_code == 302
    assert page(client, cast.head, record).status_code == 404
    shown = page(client, cast.staff2, record).content.decode()
    assert "更正后的过问人" in shown and "测试head" in shown


def test_an_api_amendment_naming_a_subject_counts_too(cast, client):
    record = typed(cast, "staff2", "外单位某人")
    _, secret = api_token_create(user=cast.staff2, name="test")
    response = client.post(
        reverse("api:records_amendments", args=[record.id]),
        {"reason": "补充过问人", "correction": "另有本院人员过问", "subject_name": "测试custodian"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 201
    assert page(client, cast.custodian, record).status_code == 404


def test_the_migration_reindexes_existing_records(cast, client):
    record = typed(cast, "staff2", "测试head")
    amendment_add(
        actor=actor_for(cast.staff2),
        record=record,
        reason="补充",
        correction="另有过问",
        subject_name="测试custodian",
    )
    Record.objects.filter(pk=record.pk).update(named_indexes="", subject_name_index="")
    assert page(client, cast.head, record).status_code == 200
    assert reindex_records() >= 1
    assert page(client, cast.head, record).status_code == 404
    assert page(client, cast.custodian, record).status_code == 404
    assert page(client, cast.approver, record).status_code == 200
