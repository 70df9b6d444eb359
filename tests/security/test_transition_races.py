"""Races on real connections: a stale draft save against its submission, two reviews of one
monthly report. Issue 8 point 4; DESIGN.md section 4 (every state change locks its row).

PostgreSQL only: there select_for_update really waits. On SQLite it is a no-op and writers
are serialised by BEGIN IMMEDIATE instead (the two-tab tests cover that path).
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from mingjing.records import services as records
from mingjing.records.models import Record, RecordStatus
from mingjing.reporting import calendar
from mingjing.reporting import services as reporting
from mingjing.reporting.models import MonthlyReport, PersonalStatus
from mingjing.security import receipts
from mingjing.security.actor import actor_for
from mingjing.security.models import AuditEvent
from tests.recording.helpers import record_input

ITERATIONS = 25

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "select_for_update 只在 PostgreSQL 上真正加锁；SQLite 的写事务由 BEGIN IMMEDIATE "
            "串行化（见两个标签页的测试）。请设 MINGJING_DATABASE_URL 运行。"
        )


def race(*calls) -> list[tuple[str, object]]:
    """Run the calls at once, each on its own thread and database connection."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index: int, call) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[index] = ("ok", call())
        except ValidationError as exc:
            outcomes[index] = ("refused", exc)
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            outcomes[index] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(outcome is not None for outcome in outcomes), outcomes
    assert not [o for o in outcomes if o[0] == "error"], outcomes
    return outcomes


def test_a_stale_save_racing_the_submission_never_makes_a_draft_again(cast):
    actor = actor_for(cast.staff)
    for _ in range(ITERATIONS):
        draft = records.record_save_draft(actor=actor, data=record_input())
        stale = Record.objects.get(pk=draft.pk)  # what both tabs loaded
        saved, submitted = race(
            lambda stale=stale: records.record_save_draft(
                actor=actor_for(cast.staff), data=record_input(manner="in_person"), record=stale
            ),
            lambda stale=stale: records.record_submit(actor=actor_for(cast.staff), record=stale),
        )
        assert submitted[0] == "ok", submitted
        record = Record.objects.get(pk=draft.pk)
        assert record.status == RecordStatus.SUBMITTED and record.submitted_at is not None
        # The save either came first (and was submitted) or was refused: never half of each.
        assert record.manner == ("in_person" if saved[0] == "ok" else "phone")
        receipt = receipts.receipt_for(record)
        assert receipt is not None and receipt.payload["digest"] == records.content_digest(record)
        events = AuditEvent.objects.filter(object_id=str(record.pk), action="record.submit")
        assert events.count() == 1


def test_two_reviews_of_one_monthly_report_only_one_counts(cast):
    month = reporting.current_month()
    for _ in range(ITERATIONS):
        report = reporting.monthly_report_submit(
            actor=actor_for(cast.staff), month=month, zero=True, affirm=True
        )
        approve, give_back = race(
            lambda report=report: reporting.monthly_report_review(
                actor=actor_for(cast.head), report=report, approve=True
            ),
            lambda report=report: reporting.monthly_report_review(
                actor=actor_for(cast.head), report=report, approve=False, reason="请补充说明"
            ),
        )
        assert sorted([approve[0], give_back[0]]) == ["ok", "refused"]
        report = MonthlyReport.objects.get(pk=report.pk)
        winner = PersonalStatus.APPROVED if approve[0] == "ok" else PersonalStatus.RETURNED
        assert report.status == winner and report.reviewed_at is not None
        reviews = AuditEvent.objects.filter(
            object_id=str(report.pk), action__in=["monthly_report.approve", "monthly_report.return"]
        )
        assert reviews.count() == 1
        month = calendar.previous_month(month)  # the next round files another month
