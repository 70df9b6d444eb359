"""Fixtures for the audit-chain tests, and the PostgreSQL flush workaround.

On PostgreSQL the audit table refuses TRUNCATE (migration security.0002). Transactional tests
(``transactional_db``, ``django_db(transaction=True)``, ``live_server``) are cleaned up by
Django's ``flush``, a single TRUNCATE of every table, which the trigger would refuse.
``audit_truncatable`` makes the test run's flush switch the audit table's triggers off and
on again around its TRUNCATE, inside flush's own transaction, so no other session ever sees
the triggers off and production stays strict. It is autouse here; tests/conftest.py should
carry the same fixture so that it covers every transactional test of the suite.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

import pytest
from django.db import connection

from mingjing.org.models import Court
from mingjing.security import audit
from mingjing.security.models import AuditEvent

AUDIT_TABLE = "security_auditevent"
DISABLE_TRIGGERS = f"ALTER TABLE {AUDIT_TABLE} DISABLE TRIGGER USER;"
ENABLE_TRIGGERS = f"ALTER TABLE {AUDIT_TABLE} ENABLE TRIGGER USER;"


def _truncatable(original: Callable) -> Callable:
    """Wrap PostgreSQL's `sql_flush` so the audit table's triggers are off during the flush."""

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        sql = original(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if not sql or AUDIT_TABLE not in tables:
            return sql
        return [DISABLE_TRIGGERS, *sql, ENABLE_TRIGGERS]

    sql_flush.audit_truncatable = True
    return sql_flush


@pytest.fixture(scope="session", autouse=True)
def audit_truncatable() -> Iterator[None]:
    """Let the test run's flush empty the append-only audit table on PostgreSQL."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush
    if getattr(original, "audit_truncatable", False):
        yield
        return
    DatabaseOperations.sql_flush = _truncatable(original)
    try:
        yield
    finally:
        DatabaseOperations.sql_flush = original


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


@contextmanager
def dba() -> Iterator:
    """A raw cursor as a DBA would hold it: on PostgreSQL with the audit triggers off."""
    with connection.cursor() as cursor:
        if is_postgresql():
            cursor.execute(DISABLE_TRIGGERS)
        try:
            yield cursor
        finally:
            if is_postgresql():
                cursor.execute(ENABLE_TRIGGERS)


def db_time(value: datetime):
    """A datetime as the database stores it, for raw SQL parameters."""
    return connection.ops.adapt_datetimefield_value(value)


@pytest.fixture
def court(db) -> Court:
    """A court made without signals, so the chain under test starts empty."""
    Court.objects.bulk_create(
        [Court(code="豫9001", name="济源市人民法院（测试）", short_name="A院")]
    )
    return Court.objects.get(code="豫9001")


@pytest.fixture
def chain(court) -> list[AuditEvent]:
    """Twenty events: system, court-bound, with objects and with details."""
    events = []
    for n in range(1, 21):
        events.append(
            audit.log_event(
                action=f"test.step{n % 4}",
                court=court if n % 2 else None,
                obj=court if n % 3 == 0 else None,
                detail={"n": n, "字段": ["案号", "日期"]} if n % 5 else None,
            )
        )
    return events


def rechain_from(seq: int) -> None:
    """Recompute prev_hash and hash of every event from `seq` on, as a careful forger would."""
    rows = list(AuditEvent.objects.filter(seq__gte=seq - 1).order_by("seq").values())
    prev_hash = rows[0]["hash"] if rows[0]["seq"] < seq else audit.GENESIS_HASH
    with dba() as cursor:
        for row in rows:
            if row["seq"] < seq:
                continue
            new_hash = audit.event_hash(prev_hash, row)
            cursor.execute(
                f"UPDATE {AUDIT_TABLE} SET prev_hash = %s, hash = %s WHERE seq = %s",
                [prev_hash, new_hash, row["seq"]],
            )
            prev_hash = new_hash
