"""A DBA tampers with the audit table by hand; verification names the first bad event.

On SQLite the raw SQL just runs. On PostgreSQL `dba()` first switches the table's triggers
off (the test user owns the table), as a DBA with full rights could.
"""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from mingjing.security import audit, checkpoints
from mingjing.security.models import AuditEvent
from tests.security.conftest import AUDIT_TABLE, db_time, dba, is_postgresql, rechain_from

pytestmark = pytest.mark.django_db

COLUMNS = (
    "seq, at, court_code, actor_id, actor_name, action, object_type, object_id, ip, detail, "
    "algorithm, prev_hash, hash"
)


def execute(sql: str, params: list | None = None) -> None:
    with dba() as cursor:
        cursor.execute(sql, params or [])


def first_bad() -> tuple[int | None, str]:
    result = audit.verify_chain()
    assert not result.ok
    return result.first_bad_seq, result.reason


def renumber_from(seq: int, shift: int) -> None:
    """Shift every event from `seq` on by `shift` (through negatives, as seq is unique)."""
    execute(f"UPDATE {AUDIT_TABLE} SET seq = -(seq + %s) WHERE seq >= %s", [shift, seq])
    execute(f"UPDATE {AUDIT_TABLE} SET seq = -seq WHERE seq < 0")


def insert_forged(seq: int, prev_hash: str, *, chained: bool) -> None:
    """Insert a forged event at `seq`; `chained`: with the hash a careful forger would compute."""
    fields = {
        "seq": seq,
        "at": AuditEvent.objects.get(seq=seq - 1).at + timedelta(seconds=1),
        "court_code": "豫9001",
        "actor_id": None,
        "actor_name": "系统",
        "action": "records.approve",
        "object_type": "records.Record",
        "object_id": "42",
        "ip": "",
        "detail": {"forged": True},
        "algorithm": "sha256",
    }
    digest = audit.event_hash(prev_hash, fields) if chained else "e" * 64
    raw = {**fields, "at": db_time(fields["at"]), "detail": json.dumps(fields["detail"])}
    values = [*raw.values(), prev_hash, digest]
    execute(f"INSERT INTO {AUDIT_TABLE} ({COLUMNS}) VALUES ({', '.join(['%s'] * 13)})", values)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("action", "records.view"),
        ("detail", json.dumps({"n": 7, "字段": []})),
        ("actor_name", "张三"),
        ("court_code", "豫9002"),
        ("object_id", "99"),
    ],
)
def test_edited_field(chain, column, value):
    execute(f"UPDATE {AUDIT_TABLE} SET {column} = %s WHERE seq = 7", [value])
    assert first_bad() == (7, "内容与摘要不符，疑被篡改")


def test_edited_time(chain):
    execute(
        f"UPDATE {AUDIT_TABLE} SET at = %s WHERE seq = 7",
        [db_time(chain[6].at - timedelta(hours=1))],
    )
    assert first_bad() == (7, "内容与摘要不符，疑被篡改")


def test_edited_hash_breaks_the_next_link(chain):
    execute(f"UPDATE {AUDIT_TABLE} SET hash = %s WHERE seq = 7", ["a" * 64])
    assert first_bad()[0] == 7


def test_deleted_middle_row(chain):
    execute(f"DELETE FROM {AUDIT_TABLE} WHERE seq = 10")
    seq, reason = first_bad()
    assert seq == 10 and "缺失" in reason and "跳到 11" in reason


def test_deleted_middle_row_and_renumbered(chain):
    execute(f"DELETE FROM {AUDIT_TABLE} WHERE seq = 10")
    renumber_from(11, -1)
    seq, reason = first_bad()
    assert seq == 10 and "链条断裂" in reason


def test_deleted_first_row(chain):
    execute(f"DELETE FROM {AUDIT_TABLE} WHERE seq = 1")
    assert first_bad()[0] == 1


def test_deleted_last_row_is_caught_only_by_a_checkpoint(chain):
    kept = checkpoints.make_checkpoint()
    execute(f"DELETE FROM {AUDIT_TABLE} WHERE seq = 20")
    assert audit.verify_chain() == audit.VerifyResult(True, 19)
    result = audit.verify_against_checkpoint(kept)
    assert (result.ok, result.first_bad_seq) == (False, 20)
    assert "不存在" in result.reason


def test_deleted_last_rows_then_new_events_are_caught_by_a_checkpoint(chain):
    kept = checkpoints.make_checkpoint()
    execute(f"DELETE FROM {AUDIT_TABLE} WHERE seq >= 18")
    for n in range(3):
        audit.log_event(action="test.cover", detail={"n": n})
    assert audit.verify_chain().ok
    result = audit.verify_against_checkpoint(kept)
    assert (result.ok, result.first_bad_seq) == (False, 20)


def test_forged_row_inserted_in_the_middle(chain):
    renumber_from(10, 1)
    insert_forged(10, chain[8].hash, chained=False)
    assert first_bad() == (10, "内容与摘要不符，疑被篡改")


def test_carefully_forged_row_inserted_in_the_middle(chain):
    renumber_from(10, 1)
    insert_forged(10, chain[8].hash, chained=True)
    seq, reason = first_bad()
    assert seq == 11 and "链条断裂" in reason


def test_forged_row_appended_at_the_end(chain):
    insert_forged(21, "b" * 64, chained=True)
    seq, reason = first_bad()
    assert seq == 21 and "链条断裂" in reason


def test_swapped_rows(chain):
    execute(f"UPDATE {AUDIT_TABLE} SET seq = -1 WHERE seq = 5")
    execute(f"UPDATE {AUDIT_TABLE} SET seq = 5 WHERE seq = 8")
    execute(f"UPDATE {AUDIT_TABLE} SET seq = 8 WHERE seq = -1")
    seq, reason = first_bad()
    assert seq == 5 and "链条断裂" in reason


def test_recomputed_chain_is_caught_only_by_a_checkpoint(chain):
    kept = checkpoints.make_checkpoint()
    execute(f"UPDATE {AUDIT_TABLE} SET action = %s WHERE seq = 5", ["records.view"])
    rechain_from(5)
    assert audit.verify_chain() == audit.VerifyResult(True, 20)
    result = audit.verify_against_checkpoint(kept)
    assert (result.ok, result.first_bad_seq) == (False, 20)
    assert "整体改写" in result.reason


def test_verify_from_a_seq_after_the_damage_does_not_see_it(chain):
    execute(f"UPDATE {AUDIT_TABLE} SET action = %s WHERE seq = 5", ["records.view"])
    assert audit.verify_chain(start_seq=6).ok
    assert audit.verify_chain(start_seq=3).first_bad_seq == 5


def test_audit_verify_command_reports_and_exits_1(chain, capsys):
    execute(f"UPDATE {AUDIT_TABLE} SET actor_name = %s WHERE seq = 7", ["张三"])
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit_verify")
    assert exit_info.value.code == 1
    assert "第 7 条审计事件异常：内容与摘要不符，疑被篡改" in capsys.readouterr().err


def test_audit_verify_command_with_a_checkpoint(chain, tmp_path, capsys):
    target = tmp_path / "checkpoint.json"
    call_command("audit_export", output=str(target))
    execute(f"DELETE FROM {AUDIT_TABLE} WHERE seq = 21")
    call_command("audit_verify")
    assert "审计链完整：共 20 条" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        call_command("audit_verify", checkpoint=str(target))
    assert "第 21 条审计事件异常" in capsys.readouterr().err


# --- PostgreSQL refuses all of it in the database itself ------------------------------------


@pytest.fixture
def postgresql_only(db) -> None:
    if not is_postgresql():
        pytest.skip("PostgreSQL 专有：SQLite 没有触发器，审计表只读由 PostgreSQL 部署保证")


@pytest.mark.parametrize(
    "sql",
    [
        f"UPDATE {AUDIT_TABLE} SET action = 'x' WHERE seq = 3",
        f"DELETE FROM {AUDIT_TABLE} WHERE seq = 20",
        f"TRUNCATE {AUDIT_TABLE}",
    ],
)
def test_postgresql_refuses(postgresql_only, chain, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)
    assert audit.verify_chain() == audit.VerifyResult(True, 20)


def test_postgresql_refuses_the_orm_too(postgresql_only, chain):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=3).update(action="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=3).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        chain[2].save()
    assert audit.verify_chain().ok


def test_test_flush_switches_triggers_back_on(postgresql_only, chain):
    from django.core.management.color import no_style

    sql = connection.ops.sql_flush(no_style(), [AUDIT_TABLE])
    connection.ops.execute_sql_flush(sql)
    assert not AuditEvent.objects.exists()
    audit.log_event(action="test.after_flush")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.update(action="x")
