"""Rules (d) and (e): 3-day contact deadlines for recorders, pending disclosures for approvers."""

from datetime import timedelta

from mingjing.notify.models import Notification
from mingjing.oversight.services import disclosure_request
from mingjing.records.models import Record
from mingjing.security.actor import actor_for
from tests.conftest import SECRET_CONTENT, SECRET_SUBJECT, make_record
from tests.notify.helpers import at, keys_of, recipients, tick

NOW = "2026-11-10 09:00"  # outside the monthly reminder window


def _contact(person, *, due_in: timedelta, submit: bool = False) -> Record:
    record = make_record(person, submit=submit)
    Record.objects.filter(pk=record.pk).update(
        off_hours_contact=True, report_due_at=at(NOW) + due_in
    )
    return record


def test_recorder_is_warned_a_day_before_and_told_when_late(cast):
    soon = _contact(cast.people["staff"], due_in=timedelta(hours=10))
    later = _contact(cast.people["staff"], due_in=timedelta(days=2))
    _contact(cast.people["staff2"], due_in=timedelta(hours=5), submit=True)
    tick(NOW)
    assert keys_of("staff") == {f"contact-due:{soon.id}"}
    assert recipients("contact-due") == {"staff"}
    tick("2026-11-10 20:00")
    assert keys_of("staff") == {f"contact-due:{soon.id}", f"contact-late:{soon.id}"}
    tick("2026-11-11 20:00")
    assert keys_of("staff") == {
        f"contact-due:{soon.id}",
        f"contact-late:{soon.id}",
        f"contact-due:{later.id}",
    }
    tick("2026-11-11 20:05")
    assert Notification.objects.filter(recipient=cast.staff).count() == 3


def test_contact_notifications_never_carry_contents(cast):
    _contact(cast.people["staff"], due_in=timedelta(hours=-30))
    tick(NOW)
    note = Notification.objects.get(recipient=cast.staff)
    text = note.title + note.body
    assert SECRET_SUBJECT not in text and SECRET_CONTENT not in text
    assert note.url.endswith("/edit/")


def test_approvers_hear_of_pending_disclosure_requests(cast, records):
    request = disclosure_request(
        actor=actor_for(cast.inspector),
        kind="view",
        reason="核查举报线索，需要查阅该记录",
        record_ids=[records.own.id],
    )
    tick(NOW)
    tick(NOW)
    assert recipients("disclosure-pending") == {"approver"}
    note = Notification.objects.get(kind="disclosure-pending")
    assert note.key == f"disclosure-pending:{request.id}"
    assert "核查" not in note.title + note.body
