"""Special report forms: filing, drafts, submission, immutability, receipts, bad input."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from mingjing.records.models import SpecialReport
from mingjing.records.special import (
    special_report_digest,
    special_report_save_draft,
    special_report_submit,
)
from mingjing.records.special_selectors import special_report_contents
from mingjing.security import reencrypt
from mingjing.security.actor import actor_for
from mingjing.security.models import AuditEvent, Receipt
from mingjing.security.receipts import verify_receipt
from tests.special.factories import (
    ROW,
    SECRET_CONCERN,
    SECRET_DEPUTY,
    SECRET_FIRM,
    SECRET_RELATIVE,
    deputy_input,
    make_deputy_report,
    make_relatives_report,
    relative,
    relatives_input,
    relatives_post,
)


def raw_rows(table: str) -> bytes:
    """Every column of every row, as the database stores them."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - a fixed table name
        rows = cursor.fetchall()
    return b"".join(
        bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
        for row in rows
        for value in row
    )


# Filing and drafts -------------------------------------------------------------------------


def test_a_draft_is_sealed_before_it_reaches_the_database(cast):
    report = make_relatives_report(cast.people["staff"], submit=False)
    assert report.status == "draft" and report.reporter == cast.people["staff"]
    stored = raw_rows(SpecialReport._meta.db_table)
    for secret in (SECRET_RELATIVE, SECRET_FIRM):
        assert secret.encode() not in stored


def test_staff_files_a_relatives_report_with_two_relatives_on_the_web(cast, login):
    client = login(cast.staff)
    second = {**ROW, "name": "欧阳中介", "occupation": "intermediary", "relationship": "sibling"}
    response = client.post(reverse("special:new", args=["relatives"]), relatives_post(ROW, second))
    report = SpecialReport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("special:detail", args=[report.id])
    contents = special_report_contents(actor_for(cast.staff), report)
    assert [r["name"] for r in contents["relatives"]] == ["上官律师", "欧阳中介"]
    page = client.get(response.url).content.decode()
    assert "上官律师" in page and "兄弟姐妹" in page and "中介组织人员" in page


def test_add_a_relative_shows_one_more_row_and_saves_nothing(cast, login):
    client = login(cast.staff)
    data = relatives_post(ROW, add_row="1")
    response = client.post(reverse("special:new", args=["relatives"]), data)
    assert response.status_code == 200
    assert 'name="relatives-1-name"' in response.content.decode()
    assert not SpecialReport.objects.exists()


def test_an_empty_extra_row_is_ignored(cast, login):
    client = login(cast.staff)
    data = relatives_post(ROW, {"name": "", "relationship": "", "occupation": ""})
    response = client.post(reverse("special:new", args=["relatives"]), data)
    assert response.status_code == 302
    report = SpecialReport.objects.get()
    assert len(special_report_contents(actor_for(cast.staff), report)["relatives"]) == 1


def test_the_reporter_edits_his_draft(cast, login):
    report = make_relatives_report(cast.people["staff"], submit=False)
    client = login(cast.staff)
    form = client.get(reverse("special:edit", args=[report.id])).content.decode()
    assert SECRET_RELATIVE in form
    response = client.post(reverse("special:edit", args=[report.id]), relatives_post(ROW))
    assert response.status_code == 302
    report.refresh_from_db()
    names = [r["name"] for r in special_report_contents(actor_for(cast.staff), report)["relatives"]]
    assert names == ["上官律师"] and SpecialReport.objects.count() == 1


def test_a_deputy_concern_report_links_the_case_by_its_number(cast):
    half_width = cast.case.number.replace("（", "(").replace("）", ")")
    actor = actor_for(cast.staff)
    report = special_report_save_draft(
        actor=actor, kind="deputy_concern", data=deputy_input(half_width)
    )
    assert report.case == cast.case
    contents = special_report_contents(actor, report)
    assert contents["case_number"] == cast.case.number
    assert contents["deputy_name"] == SECRET_DEPUTY


def test_a_deputy_concern_report_on_the_web(cast, login):
    client = login(cast.staff)
    data = {
        "deputy_name": "诸葛代表",
        "body": "cppcc",
        "level": "county",
        "deputy_unit": "",
        "case_number": cast.case.number,
        "concerned_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "manner": "in_person",
        "content": SECRET_CONCERN,
        "handling": "依法告知",
    }
    response = client.post(reverse("special:new", args=["deputy_concern"]), data)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert SECRET_CONCERN in page and "政协委员" in page and cast.case.number in page


def test_someone_without_the_staff_role_cannot_file(cast):
    with pytest.raises(PermissionDenied):
        special_report_save_draft(
            actor=actor_for(cast.sysadmin), kind="relatives", data=relatives_input()
        )


def test_an_unknown_form_is_not_found(cast, login):
    response = login(cast.staff).get(reverse("special:new", args=["pledge"]))
    assert response.status_code == 404


# Bad input: a clear message, nothing changes -------------------------------------------------


def test_an_unknown_case_number_is_refused(cast):
    with pytest.raises(ValidationError) as error:
        special_report_save_draft(
            actor=actor_for(cast.staff),
            kind="deputy_concern",
            data=deputy_input("（2026）豫9001民初999号"),
        )
    assert "本院没有案号为" in " ".join(error.value.message_dict["case_number"])
    assert not SpecialReport.objects.exists()


def test_another_courts_case_number_is_unknown_here(cast):
    with pytest.raises(ValidationError) as error:
        special_report_save_draft(
            actor=actor_for(cast.staff),
            kind="deputy_concern",
            data=deputy_input(cast.other_case.number),
        )
    assert "case_number" in error.value.message_dict


def test_a_future_concern_date_is_refused(cast):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        special_report_save_draft(
            actor=actor_for(cast.staff),
            kind="deputy_concern",
            data=deputy_input(cast.case.number, concerned_on=tomorrow),
        )
    assert error.value.message_dict["concerned_on"] == ["关注日期不能晚于今天。"]
    assert not SpecialReport.objects.exists()


def test_every_problem_of_a_relative_is_reported_at_once(cast):
    bad = relative(name=" ", relationship="cousin", acted_here=True, acted_note="")
    with pytest.raises(ValidationError) as error:
        special_report_save_draft(
            actor=actor_for(cast.staff), kind="relatives", data=relatives_input(bad)
        )
    messages = error.value.message_dict["relatives"]
    assert len(messages) == 3 and all(m.startswith("第 1 名亲属") for m in messages)


def test_a_relatives_report_needs_at_least_one_relative(cast):
    data = relatives_input()
    data.relatives = []
    with pytest.raises(ValidationError):
        special_report_save_draft(actor=actor_for(cast.staff), kind="relatives", data=data)


def test_missing_fields_on_the_web_are_shown_and_nothing_is_saved(cast, login):
    client = login(cast.staff)
    response = client.post(
        reverse("special:new", args=["deputy_concern"]), {"case_number": "（2026）豫9001民初9号"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "这个字段是必填项" in page
    assert not SpecialReport.objects.exists()


def test_an_unknown_case_on_the_web_gets_the_message_on_the_field(cast, login):
    client = login(cast.staff)
    data = {
        "deputy_name": "诸葛代表",
        "body": "npc",
        "level": "city",
        "case_number": "（2026）豫9001民初999号",
        "concerned_on": timezone.localdate().isoformat(),
        "manner": "phone",
        "content": "询问进展",
        "handling": "告知依法审理",
    }
    response = client.post(reverse("special:new", args=["deputy_concern"]), data)
    assert response.status_code == 200
    assert "本院没有案号为" in response.content.decode()
    assert not SpecialReport.objects.exists()


def test_a_web_edit_with_bad_input_leaves_the_draft_unchanged(cast, login):
    report = make_relatives_report(cast.people["staff"], submit=False)
    before = bytes(report.sealed)
    client = login(cast.staff)
    response = client.post(
        reverse("special:edit", args=[report.id]), relatives_post({**ROW, "name": ""})
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert bytes(report.sealed) == before


# Submission, immutability, the receipt --------------------------------------------------------


def test_submission_makes_the_report_immutable(cast):
    report = make_relatives_report(cast.people["staff"])
    actor = actor_for(cast.staff)
    assert report.status == "submitted" and report.submitted_at is not None
    with pytest.raises(ValidationError):
        special_report_save_draft(
            actor=actor, kind="relatives", data=relatives_input(relative()), report=report
        )
    with pytest.raises(ValidationError):
        special_report_submit(actor=actor, report=report)
    assert Receipt.objects.filter(object_id=str(report.pk)).count() == 1


def test_a_submitted_report_cannot_be_edited_on_the_web(cast, login):
    report = make_relatives_report(cast.people["staff"])
    client = login(cast.staff)
    response = client.post(reverse("special:edit", args=[report.id]), relatives_post(ROW))
    assert response.status_code == 302 and response.url == reverse(
        "special:detail", args=[report.id]
    )
    report.refresh_from_db()
    assert special_report_contents(actor_for(cast.staff), report)["relatives"][0]["name"] == (
        SECRET_RELATIVE
    )


def test_only_the_reporter_submits(cast):
    report = make_relatives_report(cast.people["staff"], submit=False)
    with pytest.raises(PermissionDenied):
        special_report_submit(actor=actor_for(cast.head), report=report)


def test_submit_on_the_web_and_the_receipt_verifies(cast, login):
    report = make_relatives_report(cast.people["staff"], submit=False)
    client = login(cast.staff)
    response = client.post(reverse("special:submit", args=[report.id]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    document = client.get(reverse("special:receipt", args=[report.id])).json()
    result = verify_receipt(document)
    assert result.valid and result.in_chain
    assert document["payload"]["digest"] == special_report_digest(report)
    assert document["payload"]["object_type"] == "records.SpecialReport"


def test_a_tampered_receipt_does_not_verify(cast, login):
    report = make_relatives_report(cast.people["staff"])
    document = login(cast.staff).get(reverse("special:receipt", args=[report.id])).json()
    document["payload"]["submitted_at"] = "2020-01-01T00:00:00+00:00"
    assert not verify_receipt(document).valid


def test_the_audit_chain_has_the_submission_without_contents(cast):
    report = make_relatives_report(cast.people["staff"])
    event = AuditEvent.objects.get(action="special.submit", object_id=str(report.pk))
    assert event.detail["kind"] == "relatives" and len(event.detail["digest"]) == 64
    assert SECRET_RELATIVE not in str(event.detail)


def test_key_rotation_knows_the_sealed_reports(cast):
    make_deputy_report(cast.people["staff"], cast.case)
    versions = reencrypt.content_versions(cast.courts["a"])
    assert sum(versions["special-report"].values()) == 1
