"""Screening and disposition (甄别处置): the custodian only, never on a record naming him."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse

from mingjing.oversight.models import Screening
from mingjing.oversight.screening import screening_classify, screening_dispose
from mingjing.oversight.selectors import screening_outcome_for, screening_queue
from mingjing.security.actor import actor_for
from mingjing.security.models import AuditEvent
from tests.conftest import SECRET_CONTENT, make_record

NOTE = "过问人系某局副局长，请托说情属实，拟移送纪检监察机关"


def classify(cast, record, classification="improper_inquiry", note=NOTE):
    return screening_classify(
        actor=actor_for(cast.custodian), record=record, classification=classification, note=note
    )


def dispose(cast, record, disposition="referred_discipline", note="已移送"):
    return screening_dispose(
        actor=actor_for(cast.custodian), record=record, disposition=disposition, note=note
    )


def status_of(record) -> str:
    record.refresh_from_db()
    return record.status


# State transitions -------------------------------------------------------------------------


def test_the_custodian_classifies_then_disposes(cast, records):
    screening = classify(cast, records.own)
    assert status_of(records.own) == "screened"
    assert screening.classification == "improper_inquiry" and screening.screened_by_id
    dispose(cast, records.own)
    assert status_of(records.own) == "disposed"
    screening.refresh_from_db()
    assert screening.disposition == "referred_discipline" and screening.disposed_at


def test_both_steps_are_in_the_audit_chain_without_the_note(cast, records):
    classify(cast, records.own)
    dispose(cast, records.own)
    events = AuditEvent.objects.filter(action__startswith="screening.").order_by("seq")
    assert [e.action for e in events] == ["screening.classify", "screening.dispose"]
    assert all(e.detail["record"] == records.own.pk for e in events)
    assert NOTE not in str([e.detail for e in events])


def test_disposing_before_classifying_is_refused(cast, records):
    with pytest.raises(ValidationError):
        dispose(cast, records.own)
    assert status_of(records.own) == "submitted"


def test_classifying_twice_is_refused(cast, records):
    classify(cast, records.own)
    with pytest.raises(ValidationError):
        classify(cast, records.own, classification="normal_duty")
    assert Screening.objects.get().classification == "improper_inquiry"


def test_a_disposed_record_is_final(cast, records):
    classify(cast, records.own)
    dispose(cast, records.own)
    with pytest.raises(ValidationError):
        dispose(cast, records.own, disposition="no_action")
    assert Screening.objects.get().disposition == "referred_discipline"


def test_a_draft_is_not_screened(cast, records):
    with pytest.raises(ValidationError):
        classify(cast, records.draft)
    assert status_of(records.draft) == "draft"


@pytest.mark.parametrize("value", ["", "guilty", None])
def test_an_unknown_classification_changes_nothing(cast, records, value):
    with pytest.raises(ValidationError):
        classify(cast, records.own, classification=value)
    assert status_of(records.own) == "submitted" and not Screening.objects.exists()


def test_an_overlong_note_changes_nothing(cast, records):
    with pytest.raises(ValidationError):
        classify(cast, records.own, note="长" * 2001)
    assert status_of(records.own) == "submitted"


# Who may screen ----------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["staff", "head", "inspector", "approver", "sysadmin"])
def test_only_the_custodian_screens(cast, records, username):
    with pytest.raises(PermissionDenied):
        screening_classify(
            actor=actor_for(cast.users[username]),
            record=records.own,
            classification="normal_duty",
            note="",
        )
    assert status_of(records.own) == "submitted"


def test_the_custodian_never_screens_a_record_naming_him(cast, login, records):
    naming = make_record(cast.people["staff"], subject_person=cast.people["custodian"])
    with pytest.raises(PermissionDenied):
        classify(cast, naming)
    assert naming not in screening_queue(actor_for(cast.custodian))
    response = login(cast.custodian).get(reverse("oversight:screening_detail", args=[naming.id]))
    assert response.status_code == 404
    assert status_of(naming) == "submitted"


def test_another_courts_record_is_not_screened_nor_found(cast, login, records):
    with pytest.raises(PermissionDenied):
        classify(cast, records.other_court)
    client = login(cast.custodian)
    url = reverse("oversight:screening_detail", args=[records.other_court.id])
    assert client.get(url).status_code == 404


# The note is sealed --------------------------------------------------------------------------


def test_the_note_is_sealed_in_the_database(cast, records):
    classify(cast, records.own)
    dispose(cast, records.own, note="移送说明：某局副局长已被立案")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Screening._meta.db_table}")  # noqa: S608
        rows = cursor.fetchall()
    raw = b"".join(
        bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode() for r in rows for v in r
    )
    assert NOTE.encode() not in raw and "移送说明".encode() not in raw
    assert b"improper_inquiry" in raw  # the classification stays plain


# The recorder sees the outcome, not the note --------------------------------------------------


def test_the_recorder_sees_classification_and_disposition(cast, records):
    classify(cast, records.own)
    dispose(cast, records.own)
    outcome = screening_outcome_for(actor_for(cast.staff), records.own)
    assert outcome["classification"] == "违规过问"
    assert outcome["disposition"] == "移送纪检监察机关"
    assert NOTE not in str(outcome)


def test_no_outcome_before_screening(cast, records):
    assert screening_outcome_for(actor_for(cast.staff), records.own) is None


@pytest.mark.parametrize("username", ["staff2", "deptadmin", "inspector", "other_court"])
def test_others_do_not_see_the_outcome(cast, records, username):
    classify(cast, records.own)
    assert screening_outcome_for(actor_for(cast.users[username]), records.own) is None


def test_the_named_subject_does_not_see_the_outcome(cast, records):
    classify(cast, records.names_head)
    assert screening_outcome_for(actor_for(cast.head), records.names_head) is None


def test_the_include_shows_the_outcome_to_the_recorder_without_the_note(cast, records, rf):
    classify(cast, records.own)
    request = rf.get("/")
    request.actor = actor_for(cast.staff)
    context = {"record": records.own, "actor": request.actor, "request": request}
    html = render_to_string("oversight/_screening_outcome.html", context)
    assert "违规过问" in html and "待处置" in html and NOTE not in html


def test_the_include_is_empty_for_those_who_may_not_see(cast, records, rf):
    classify(cast, records.own)
    context = {"record": records.own, "actor": actor_for(cast.staff2)}
    assert render_to_string("oversight/_screening_outcome.html", context).strip() == ""


# The pages ---------------------------------------------------------------------------------


def test_the_queue_lists_submitted_records_without_contents(cast, login, records):
    page = login(cast.custodian).get(reverse("oversight:screening_queue")).content.decode()
    assert reverse("oversight:screening_detail", args=[records.own.id]) in page
    assert reverse("oversight:screening_detail", args=[records.draft.id]) not in page
    assert reverse("oversight:screening_detail", args=[records.other_court.id]) not in page
    assert SECRET_CONTENT not in page


def test_the_queue_moves_a_screened_record_to_awaiting_disposition(cast, login, records):
    classify(cast, records.own)
    queue = list(screening_queue(actor_for(cast.custodian)))
    assert records.own in queue
    dispose(cast, records.own)
    assert records.own not in screening_queue(actor_for(cast.custodian))


def test_the_custodian_screens_on_the_web_and_the_read_is_logged(cast, login, records):
    client = login(cast.custodian)
    url = reverse("oversight:screening_detail", args=[records.own.id])
    page = client.get(url).content.decode()
    assert SECRET_CONTENT in page
    assert AuditEvent.objects.filter(
        action="record.read", object_id=str(records.own.pk), actor_id=cast.custodian.pk
    ).exists()
    response = client.post(url, {"classification": "improper_inquiry", "note": NOTE})
    assert response.status_code == 302 and status_of(records.own) == "screened"
    response = client.post(url, {"disposition": "reported_to_president", "note": ""})
    assert response.status_code == 302 and status_of(records.own) == "disposed"
    page = client.get(url).content.decode()
    assert NOTE in page and "报告院长" in page and '<form method="post" novalidate>' not in page


def test_a_bad_form_on_the_web_changes_nothing(cast, login, records):
    client = login(cast.custodian)
    url = reverse("oversight:screening_detail", args=[records.own.id])
    response = client.post(url, {"classification": "guilty", "note": ""})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert status_of(records.own) == "submitted"


def test_posting_to_a_disposed_record_changes_nothing(cast, login, records):
    classify(cast, records.own)
    dispose(cast, records.own)
    client = login(cast.custodian)
    url = reverse("oversight:screening_detail", args=[records.own.id])
    response = client.post(url, {"disposition": "no_action", "note": ""})
    assert response.status_code == 302
    assert Screening.objects.get().disposition == "referred_discipline"


def test_moved_models_keep_their_stored_labels():
    """Screening and CaseDeclaration moved apps (issue 9.3) with their tables; sealed notes
    stay bound, and audit events name them, under the labels their rows were stored with."""
    from mingjing.declarations.models import CaseDeclaration
    from mingjing.security.labels import stored_label
    from mingjing.security.sealing import row_binding

    assert Screening._meta.db_table == "records_screening"
    assert CaseDeclaration._meta.db_table == "records_casedeclaration"
    assert row_binding(Screening, 7, "sealed_note") == "records.screening:7:sealed_note"
    assert stored_label(Screening) == "records.Screening"
    assert stored_label(CaseDeclaration) == "records.CaseDeclaration"
