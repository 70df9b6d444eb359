"""Bad dates on the web recording form get a Chinese message and change nothing (no 500)."""

import pytest
from django.urls import reverse

from mingjing.records.models import Record
from mingjing.security.models import AuditEvent
from tests.recording.conftest import form_data

NEW = reverse("records:new")


@pytest.mark.parametrize(
    "occurred_at, message",
    [
        ("0001-01-01T00:00", "不能早于 2000 年"),
        ("1899-12-31T23:59", "不能早于 2000 年"),
        ("9999-12-31T23:59", "不能晚于现在"),
        ("2026-02-30T00:00", "日期"),
        ("2026-13-01T00:00", "日期"),
        ("0000-01-01T00:00", "日期"),
        ("-0001-01-01T00:00", "日期"),
        ("2026-03-01T25:00", "日期"),
        ("x" * 5000, "日期"),
        ("", "必填"),
    ],
)
def test_a_bad_occurred_at_is_refused_with_a_message(cast, staff_client, occurred_at, message):
    events = AuditEvent.objects.count()
    for action in ("draft", "submit"):
        response = staff_client.post(NEW, form_data(occurred_at=occurred_at, action=action))
        assert response.status_code == 200
        errors = " ".join(response.context["form"].errors.get("occurred_at", []))
        assert message in errors, errors
    assert not Record.objects.exists()
    assert AuditEvent.objects.count() == events


def test_nul_in_a_text_field_is_refused(cast, staff_client):
    response = staff_client.post(NEW, form_data(content="甲\x00乙"))
    assert response.status_code == 200
    assert response.context["form"].errors["content"]
    assert not Record.objects.exists()


def test_a_bad_date_on_the_edit_form_leaves_the_draft_as_it_was(cast, staff_client):
    staff_client.post(NEW, form_data())
    record = Record.objects.get()
    before = record.occurred_at
    edit = reverse("records:edit", args=[record.id])
    response = staff_client.post(edit, form_data(occurred_at="0001-01-01T00:00"))
    assert response.status_code == 200
    record.refresh_from_db()
    assert record.occurred_at == before
