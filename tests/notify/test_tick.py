"""Tick is idempotent, catches up sensibly after downtime, audits counts, emails once."""

import pytest
from django.core import mail
from django.test import override_settings

from mingjing.notify.models import Notification
from mingjing.security.models import AuditEvent
from tests.notify.helpers import keys_of, tick

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def test_running_twice_creates_nothing_new(cast):
    tick("2026-11-23 09:00")
    first = Notification.objects.count()
    assert first > 0
    output = tick("2026-11-23 09:05")
    assert Notification.objects.count() == first
    assert "new=0" in output


def test_a_day_later_the_overdue_ones_appear_once(cast):
    tick("2026-11-25 09:00")
    before = Notification.objects.count()
    tick("2026-11-26 09:00")
    after = Notification.objects.count()
    assert after > before
    assert Notification.objects.filter(kind="monthly-overdue").count() == 10
    tick("2026-11-26 09:00")
    tick("2026-11-27 09:00")
    assert Notification.objects.count() == after


def test_after_a_month_of_downtime_nothing_stale_is_sent(cast):
    tick("2026-11-23 09:00")
    tick("2026-12-23 09:00")
    assert keys_of("staff") == {"monthly-due:2026-11", "monthly-due:2026-12"}
    assert not Notification.objects.filter(key__contains="overdue:2026-11").exists()


def test_first_run_after_the_month_ended_sends_nothing_about_it(cast):
    tick("2026-12-05 09:00")
    assert not Notification.objects.filter(key__endswith="2026-11").exists()


def test_dry_run_writes_nothing(cast):
    output = tick("2026-11-23 09:00", "--dry-run")
    assert "new=" in output and "new=0" not in output
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action="tick.run").exists()


def test_each_run_logs_one_audit_event_with_counts_only(cast):
    tick("2026-11-23 09:00")
    tick("2026-11-23 09:05")
    events = list(AuditEvent.objects.filter(action="tick.run").order_by("seq"))
    assert len(events) == 2
    assert events[0].detail["created"] == Notification.objects.count()
    assert events[1].detail["created"] == 0
    assert set(events[0].detail) == {"now", "relevant", "created", "by_kind"}


@override_settings(EMAIL_BACKEND=LOCMEM)
def test_email_is_sent_once_when_configured(cast, settings):
    settings.EMAIL_HOST = "smtp.example.test"
    settings.DEFAULT_FROM_EMAIL = "mingjing@example.test"
    cast.staff.email = "staff@example.test"
    cast.staff.save()
    tick("2026-11-23 09:00")
    tick("2026-11-23 09:05")
    assert [m.to for m in mail.outbox] == [["staff@example.test"]]
    assert mail.outbox[0].from_email == "mingjing@example.test"
    assert Notification.objects.get(recipient=cast.staff).emailed_at is not None
    assert not Notification.objects.exclude(recipient=cast.staff).exclude(emailed_at=None)


@override_settings(EMAIL_BACKEND=LOCMEM)
def test_no_email_without_a_host(cast, settings):
    settings.EMAIL_HOST = ""
    cast.staff.email = "staff@example.test"
    cast.staff.save()
    tick("2026-11-23 09:00")
    assert mail.outbox == []


def test_bad_now_is_refused(cast):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("tick", "--now", "yesterday")


def test_the_loop_runs_until_told_to_stop(cast):
    """`make run`'s scheduler: `tick --loop` runs tick again and again (here twice, no pause)."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("tick", "--loop", "--interval", "0", "--runs", "2", stdout=out)
    assert out.getvalue().count("relevant=") == 2
    assert "tick loop stopped after 2 run(s)" in out.getvalue()
    assert AuditEvent.objects.filter(action="tick.run").count() == 2


def test_the_loop_refuses_a_fixed_moment(cast):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="--loop"):
        call_command("tick", "--loop", "--now", "2026-11-23T09:00")
    assert not AuditEvent.objects.filter(action="tick.run").exists()
