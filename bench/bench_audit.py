"""How fast the audit chain appends and verifies, with SHA-256 and with SM3.

    .venv/bin/python bench/bench_audit.py [--events 20000] [--database-url URL]

Four ways: an event a transaction (log_event), many log_event calls in one transaction,
log_events (one lock, one read of the last event, bulk inserts), and verify_chain over all.

Uses a throwaway SQLite database in a temporary directory; with --database-url (a
PostgreSQL server, any existing database on it) also a temporary PostgreSQL database
`mingjing_bench_<pid>`, created and dropped here. Never touches a configured database.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ALGORITHMS = (("sha256", "aes"), ("sm3", "sm"))


def _configure(data_dir: str, database_url: str | None) -> None:
    """Environment for a throwaway Django, set before django.setup()."""
    for name in [name for name in os.environ if name.startswith("MINGJING_")]:
        del os.environ[name]
    os.environ.update(
        MINGJING_DATA_DIR=data_dir,
        MINGJING_DEBUG="1",
        DJANGO_SETTINGS_MODULE="mingjing.settings",
    )
    if database_url:
        os.environ["MINGJING_DATABASE_URL"] = database_url
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def _rate(count: int, action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return count / (time.perf_counter() - start)


def _measure(events: int, crypto_family: str) -> tuple[float, float, float]:
    """(appended/s one transaction each, appended/s in one transaction, verified/s)."""
    from django.conf import settings
    from django.db import transaction

    from mingjing.security import audit
    from mingjing.security.models import AuditEvent

    settings.MINGJING_CRYPTO = crypto_family
    first = (AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1

    def append_each() -> None:
        for n in range(events):
            audit.log_event(action="bench.each", detail={"n": n})

    def append_batched() -> None:
        with transaction.atomic():
            for n in range(events):
                audit.log_event(action="bench.batch", detail={"n": n})

    def append_bulk() -> None:
        audit.log_events({"action": "bench.bulk", "detail": {"n": n}} for n in range(events))

    def verify() -> None:
        result = audit.verify_chain(start_seq=first)
        assert result.ok and result.checked == 3 * events, result

    return (
        _rate(events, append_each),
        _rate(events, append_batched),
        _rate(events, append_bulk),
        _rate(3 * events, verify),
    )


def _run(label: str, events: int) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    for algorithm, family in ALGORITHMS:
        each, batched, bulk, verified = _measure(events, family)
        print(
            f"{label:<10} {algorithm:<6} {events:>7} 条  逐条提交 {each:>9,.0f} 条/秒  "
            f"单事务 {batched:>9,.0f} 条/秒  批量 log_events {bulk:>9,.0f} 条/秒  "
            f"校验 {verified:>10,.0f} 条/秒"
        )


@contextmanager
def _temporary_postgresql(server_url: str):
    """A database `mingjing_bench_<pid>` on the server of `server_url`, dropped afterwards."""
    import psycopg

    name = f"mingjing_bench_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunparse(urlparse(server_url)._replace(path=f"/{name}"))
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20000, help="每种算法、每种方式的事件数")
    parser.add_argument("--database-url", help="PostgreSQL 服务器地址（另建临时库，用后删除）")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mingjing-bench-") as data_dir:
        if args.database_url:
            with _temporary_postgresql(args.database_url) as url:
                _configure(data_dir, url)
                _run("PostgreSQL", args.events)
        else:
            _configure(data_dir, None)
            _run("SQLite", args.events)
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"负载（uptime，1/5/15 分钟）{load}，{os.cpu_count()} 核")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"进程内存峰值 {peak:,.0f} MiB（校验按块读取，不随事件数增长）")


if __name__ == "__main__":
    main()
