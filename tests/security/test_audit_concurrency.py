"""Concurrent writers, each on its own database connection, never fork the chain."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, connections

from mingjing.security import audit
from mingjing.security.models import AuditEvent

REPO_ROOT = Path(__file__).resolve().parents[2]
THREADS = 6
EVENTS_EACH = 25


def _append(thread_no: int, barrier: threading.Barrier, errors: list) -> None:
    try:
        barrier.wait(timeout=30)
        for i in range(EVENTS_EACH):
            audit.log_event(action="test.concurrent", detail={"thread": thread_no, "i": i})
    except Exception as exc:  # noqa: BLE001 - reported by the main thread
        errors.append(exc)
    finally:
        connections.close_all()


def run_writers() -> None:
    barrier = threading.Barrier(THREADS)
    errors: list = []
    threads = [threading.Thread(target=_append, args=(n, barrier, errors)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


def in_memory_sqlite() -> bool:
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    if in_memory_sqlite():
        pytest.skip(
            "SQLite 测试库是共享缓存的内存库：其表级锁立即报 “database table is locked”，"
            "不等待也不可重试，不代表生产环境。生产的 SQLite 配置（文件库、WAL、BEGIN IMMEDIATE）"
            "由 test_concurrent_writers_on_a_sqlite_file 覆盖；"
            "PostgreSQL 请设 MINGJING_DATABASE_URL。"
        )
    run_writers()
    total = THREADS * EVENTS_EACH
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, total + 1))
    assert audit.verify_chain() == audit.VerifyResult(True, total)
    for n in range(THREADS):
        mine = AuditEvent.objects.filter(detail__thread=n).order_by("seq")
        assert [event.detail["i"] for event in mine] == list(range(EVENTS_EACH))


WRITERS_ON_A_SQLITE_FILE = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from mingjing.security import audit
from mingjing.security.models import AuditEvent
from tests.security.test_audit_concurrency import run_writers
run_writers()
last = AuditEvent.objects.order_by("seq").last()
print(audit.verify_chain().ok, AuditEvent.objects.count(), last.seq)
"""


def test_concurrent_writers_on_a_sqlite_file(tmp_path):
    """The production SQLite setup (file, WAL, BEGIN IMMEDIATE), in a process of its own."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("MINGJING_") and key != "DJANGO_SETTINGS_MODULE"
    }
    env.update(
        MINGJING_DATA_DIR=str(tmp_path),
        MINGJING_DEBUG="1",
        DJANGO_SETTINGS_MODULE="mingjing.settings",
        PYTHONPATH=os.pathsep.join([str(REPO_ROOT), env.get("PYTHONPATH", "")]),
    )
    done = subprocess.run(
        [sys.executable, "-c", WRITERS_ON_A_SQLITE_FILE],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    total = THREADS * EVENTS_EACH
    assert done.stdout.split() == ["True", str(total), str(total)]
