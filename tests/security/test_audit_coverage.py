"""An emptied audit table does not verify as intact for a court that has data."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from mingjing.org.models import Court, Person
from mingjing.records.models import Record
from mingjing.security import audit
from mingjing.security.models import AuditEvent

pytestmark = pytest.mark.django_db


def empty_the_audit_table() -> None:
    """What an attacker with the table owner's rights does (PostgreSQL: triggers off first)."""
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        else:
            cursor.execute(f"DELETE FROM {table}")


def test_a_fresh_installation_with_no_data_verifies():
    assert audit.verify_coverage().ok
    Court.objects.create(code="豫9009", name="空法院")
    assert audit.verify_coverage() == audit.VerifyResult(True, 0)


def test_a_court_with_people_and_no_events_fails():
    court = Court.objects.create(code="豫9009", name="某法院")
    Person.objects.create(court=court, staff_no="T1", name="甲")
    assert audit.verify_coverage().ok  # the creation was audited
    empty_the_audit_table()
    result = audit.verify_coverage()
    assert not result.ok
    assert "豫9009" in result.reason and "1 名人员" in result.reason
    assert "疑被清空" in result.reason
    audit.log_event(action="people.import", court=court)
    assert audit.verify_coverage().ok


def test_an_emptied_table_fails_the_command_with_a_clear_message(cast, records, capsys):
    for court in cast.courts.values():
        audit.log_event(action="test.court", court=court)
    call_command("audit_verify")
    assert "审计链完整" in capsys.readouterr().out
    empty_the_audit_table()
    assert AuditEvent.objects.count() == 0
    assert audit.verify_chain() == audit.VerifyResult(True, 0)  # the chain alone says "fine"
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit_verify")
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "审计链不完整" in err and "疑被清空" in err and "名人员" in err


def test_a_table_emptied_then_continued_fails(cast, records):
    for court in cast.courts.values():
        audit.log_event(action="test.court", court=court)
    assert audit.verify_coverage().ok
    # Emptied a day after the records were made, then used again from a new genesis.
    Record.objects.update(created_at=timezone.now() - timedelta(days=1))
    empty_the_audit_table()
    for court in cast.courts.values():
        audit.log_event(action="test.after", court=court)
    assert audit.verify_chain().ok
    result = audit.verify_coverage()
    assert not result.ok and "豫9001" in result.reason
    assert "早于该院第一条审计事件" in result.reason
