"""Who sees a record's contents, who sees only its existence, and who sees nothing.

Each row is checked from the outside, on the record page, as that role.
"""

import pytest
from django.urls import reverse

from tests.conftest import ROLE_USERS, SECRET_CONTENT, SECRET_SUBJECT, login_as
from tests.matrix.roles import CONTENT_READERS

# record key -> users who read its contents / users who see it exists without contents.
# Everyone else gets 404.
CONTENTS = {
    "own": CONTENT_READERS,
    "names_head": {"staff2", "custodian", "approver"},  # the head is its subject
    "draft": {"staff"},
    "office": {"custodian", "approver"},
    "other_court": {"other_court"},
}
METADATA_ONLY = {
    "own": {"deptadmin", "leader", "inspector"},
    "names_head": {"deptadmin", "leader", "inspector"},
    "draft": set(),
    "office": {"inspector"},
    "other_court": set(),
}
CASES = [(key, user) for key in CONTENTS for user in ROLE_USERS]


def _page(client, record):
    return client.get(reverse("records:detail", args=[record.id]))


@pytest.mark.parametrize(("record_key", "username"), CASES)
def test_record_page_shows_each_role_exactly_what_the_policy_allows(
    cast, records, client, record_key, username
):
    record = getattr(records, record_key)
    login_as(client, cast.users[username])
    response = _page(client, record)
    if username in CONTENTS[record_key]:
        assert response.status_code == 200
        assert SECRET_CONTENT in response.content.decode()
    elif username in METADATA_ONLY[record_key]:
        assert response.status_code == 200
        body = response.content.decode()
        assert SECRET_CONTENT not in body
        assert "无权查看本记录的具体内容" in body
    else:
        assert response.status_code == 404


def test_a_named_subject_never_sees_the_record_whatever_roles_he_holds(cast, records, client):
    from tests.conftest import grant_role

    head = cast.people["head"]
    for role in ("custodian", "approver"):
        grant_role(head, role)
    login_as(client, cast.head)
    assert _page(client, records.names_head).status_code == 404
    listing = client.get(reverse("records:list")).content.decode()
    assert f"#{records.names_head.id}<" not in listing


def test_department_admin_sees_counts_but_never_the_subject(cast, records, client):
    login_as(client, cast.deptadmin)
    listing = client.get(reverse("records:list")).content.decode()
    assert f"#{records.own.id}<" in listing
    assert SECRET_SUBJECT not in listing and SECRET_CONTENT not in listing


def test_every_read_of_contents_is_logged_and_shown_to_the_recorder(cast, records, client):
    login_as(client, cast.custodian)
    _page(client, records.own)
    login_as(client, cast.staff)
    page = _page(client, records.own).content.decode()
    assert "谁查阅过这条记录" in page
    assert cast.people["custodian"].name in page


def test_a_metadata_only_view_is_not_logged_as_a_read(cast, records, client):
    from mingjing.security.models import AuditEvent

    login_as(client, cast.inspector)
    response = _page(client, records.own)
    assert response.status_code == 200 and f"#{records.own.id}" in response.content.decode()
    reads = AuditEvent.objects.filter(action="record.read", object_id=str(records.own.id))
    assert not reads.exists()


def test_the_recorder_downloads_a_receipt_that_verifies(cast, records, client):
    from mingjing.security.receipts import verify_receipt

    login_as(client, cast.staff)
    response = client.get(reverse("records:receipt", args=[records.own.id]))
    assert response.status_code == 200
    document = response.json()
    assert verify_receipt(document).valid
    assert verify_receipt(document).in_chain is True


def test_nobody_but_the_recorder_downloads_his_receipt(cast, records, client):
    for username in ("head", "custodian", "approver", "staff2"):
        login_as(client, cast.users[username])
        response = client.get(reverse("records:receipt", args=[records.own.id]))
        assert response.status_code == 404, username
