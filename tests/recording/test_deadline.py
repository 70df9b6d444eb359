"""Off-hours and off-site contacts: due within three days, late ones flagged with a reason."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mingjing.records.models import Record, RecordStatus
from mingjing.records.services import record_save_draft, record_submit
from mingjing.security.actor import actor_for
from tests.conftest import ROLE_USERS, login_as
from tests.recording.conftest import form_data, form_time, submit_form
from tests.recording.helpers import CASE_NUMBER, record_input

LATE_PAGE = reverse("records:late")


def contact(**overrides):
    values = {"category": "improper_contact", "behaviour": "contact", "subject_kind": "lawyer"}
    return record_input(off_hours_contact=True, **{**values, **overrides})


def draft(person, **overrides) -> Record:
    return record_save_draft(actor=actor_for(person.user), data=contact(**overrides))


def late_submitted(person, ago: timedelta = timedelta(days=5), cases=None) -> Record:
    record = draft(person, occurred_at=timezone.now() - ago, case_numbers=cases or [CASE_NUMBER])
    record, _ = record_submit(actor=actor_for(person.user), record=record, late_reason="出差未归")
    return record


def test_an_off_hours_contact_is_due_three_days_after_the_contact(cast):
    record = draft(cast.people["staff"])
    assert record.report_due_at == record.occurred_at + timedelta(days=3)


def test_an_ordinary_inquiry_has_no_deadline(cast):
    record = record_save_draft(actor=actor_for(cast.staff), data=record_input())
    assert record.report_due_at is None


def test_off_hours_applies_only_to_contacts_with_parties_lawyers_and_the_like(cast):
    with pytest.raises(ValidationError) as caught:
        draft(cast.people["staff"], category="leader_interference", subject_kind="external_cadre")
    assert "off_hours_contact" in caught.value.message_dict
    assert not Record.objects.exists()


def test_the_form_shows_the_time_left_before_the_deadline(cast, client):
    record = draft(cast.people["staff"], occurred_at=timezone.now() - timedelta(hours=20))
    login_as(client, cast.staff)
    html = client.get(reverse("records:edit", args=[record.id])).content.decode()
    assert "距报告期限还有 2 天" in html


def test_the_form_says_when_the_deadline_has_passed(cast, client):
    record = draft(cast.people["staff"], occurred_at=timezone.now() - timedelta(days=4))
    login_as(client, cast.staff)
    html = client.get(reverse("records:edit", args=[record.id])).content.decode()
    assert "已超过报告期限" in html


def test_a_late_submission_without_a_reason_is_refused_and_nothing_changes(cast, client):
    record = draft(cast.people["staff"], occurred_at=timezone.now() - timedelta(days=4))
    login_as(client, cast.staff)
    edit = reverse("records:edit", args=[record.id])
    occurred = form_time(timedelta(days=-4))
    data = form_data(
        category="improper_contact",
        subject_kind="lawyer",
        behaviour="contact",
        off_hours_contact="on",
        occurred_at=occurred,
        content="改过的内容",
        action="submit",
    )
    sealed = bytes(record.sealed)
    response = client.post(edit, data)
    assert "请填写逾期报告的原因" in response.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.DRAFT and not record.is_late
    assert bytes(record.sealed) == sealed


def test_a_late_submission_with_a_reason_is_flagged_late(cast, client):
    login_as(client, cast.staff)
    submit_form(
        client,
        reverse("records:new"),
        form_data(
            category="improper_contact",
            subject_kind="party",
            behaviour="contact",
            off_hours_contact="on",
            occurred_at=form_time(timedelta(days=-5)),
            late_reason="出差在外，回院后补报",
        ),
    )
    record = Record.objects.get()
    assert record.status == RecordStatus.SUBMITTED
    assert record.is_late and record.late_reason == "出差在外，回院后补报"


def test_a_submission_within_three_days_is_not_late(cast):
    record = draft(cast.people["staff"], occurred_at=timezone.now() - timedelta(days=2))
    record, _ = record_submit(actor=actor_for(cast.staff), record=record)
    assert not record.is_late


# The inspection office's page of late contact reports -------------------------------------------


@pytest.mark.parametrize("username", ROLE_USERS)
def test_the_late_reports_page_is_for_the_inspection_office_only(cast, client, username):
    login_as(client, cast.users[username])
    expected = 200 if username in {"custodian", "inspector"} else 403
    assert client.get(LATE_PAGE).status_code == expected


@pytest.mark.parametrize("username", ["custodian", "inspector"])
def test_the_late_reports_page_shows_metadata_and_never_contents(cast, client, username):
    # Due five days and 23 hours ago plus three days: submitted 2 days 23 hours late.
    record = late_submitted(cast.people["staff"], timedelta(days=6, hours=-1))
    login_as(client, cast.users[username])
    html = client.get(LATE_PAGE).content.decode()
    assert f"#{record.id}" in html and cast.departments["civil"].name in html
    assert '<td data-label="逾期天数">3</td>' in html
    assert "王某" not in html and "出差未归" not in html and "询问案件" not in html


def test_the_late_reports_page_leaves_out_records_naming_the_viewer(cast, client):
    staff = cast.people["staff"]
    record = draft(
        staff,
        occurred_at=timezone.now() - timedelta(days=5),
        subject_person_id=cast.people["inspector"].id,
        subject_kind="party",
    )
    record_submit(actor=actor_for(cast.staff), record=record, late_reason="出差")
    login_as(client, cast.inspector)
    page = client.get(LATE_PAGE)
    assert page.status_code == 200 and "逾期" in page.content.decode()
    assert f"#{record.id}" not in page.content.decode()
    login_as(client, cast.custodian)
    assert f"#{record.id}" in client.get(LATE_PAGE).content.decode()


def test_another_courts_late_reports_are_not_listed(cast, client):
    record = late_submitted(cast.people["other_court"], cases=[cast.other_case.number])
    login_as(client, cast.custodian)
    page = client.get(LATE_PAGE)
    assert page.status_code == 200 and "逾期" in page.content.decode()
    assert f"#{record.id}<" not in page.content.decode()
