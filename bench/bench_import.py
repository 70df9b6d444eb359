"""Benchmark: import a year of a large court's cases, then import the same file again.

    .venv/bin/python bench/bench_import.py [--cases 50000] [--people 500] [--xlsx]
        [--database-url postgresql://postgres@127.0.0.1:5432/postgres] [--tracemalloc]

Runs on a throwaway SQLite database in a temporary directory. With --database-url it runs on
a throwaway database created on that PostgreSQL server instead, and drops it afterwards.
Each import is timed as a whole (wall clock and CPU) and by phase. Memory is each step's own
peak RSS (the kernel's high-water mark, reset before the step); --tracemalloc adds Python's
own allocation peak per step (and slows everything down). --first-only stops after the first
import (for a million cases). On PostgreSQL the anchor is a bare COPY of the same rows (the
cases, participants and handlers the import wrote, dumped to files beforehand) into empty
copies of the same tables with the same indexes and foreign keys (its COMMIT included): the
import's time over the anchor's is the ratio of issue 11 (at most 3).
"""

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
import tracemalloc
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

from generate import create_court, make_people, write_cases_csv, write_people_csv

COURT_CODE = "豫9901"


@dataclass
class Step:
    label: str
    rows: int
    seconds: float
    cpu_seconds: float
    outcome: str = ""
    phases: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: float = 0.0
    traced_mb: float | None = None


class PhaseTimer:
    """A Progress for the import services that notes when each phase starts and ends."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.marks: list[tuple[str, float]] = []

    def start(self, label: str, total: int) -> None:
        self.marks.append((label, time.perf_counter()))

    def advance(self, count: int) -> None:
        pass

    def finish(self) -> None:
        self.marks.append(("", time.perf_counter()))

    def phases(self) -> dict[str, float]:
        """读取 (before the first phase), then each named phase's duration."""
        if not self.marks:
            return {}
        phases = {"读取": self.marks[0][1] - self.started}
        for (label, start), (_, end) in zip(self.marks, self.marks[1:], strict=False):
            if label:
                phases[label] = end - start
        return phases


def main() -> None:
    args = _arguments()
    with tempfile.TemporaryDirectory(prefix="mingjing-bench-") as tmp:
        with _database(args.database_url) as database_url:
            _setup_django(Path(tmp), database_url)
            steps = _run(Path(tmp), args)
            _print(steps, args, database_url)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--database-url", help="PostgreSQL server to run on, as postgresql://…")
    parser.add_argument("--xlsx", action="store_true", help="also import an XLSX copy")
    parser.add_argument("--tracemalloc", action="store_true", help="trace Python allocations")
    parser.add_argument("--first-only", action="store_true", help="only the first import")
    return parser.parse_args()


@contextmanager
def _database(server_url: str | None) -> Iterator[str | None]:
    """None for SQLite, or the URL of a fresh PostgreSQL database dropped on the way out."""
    if not server_url:
        yield None
        return
    import psycopg

    name = f"mingjing_bench_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlparse(server_url)._replace(path=f"/{name}").geturl()
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(server_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _setup_django(data_dir: Path, database_url: str | None) -> None:
    os.environ["MINGJING_DATA_DIR"] = str(data_dir)
    os.environ["MINGJING_DEBUG"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "mingjing.settings"
    # Never the database of the environment: the benchmark writes 50,000 cases.
    os.environ.pop("MINGJING_DATABASE_URL", None)
    if database_url:
        os.environ["MINGJING_DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # DEBUG keeps every query in memory, which production does not
    call_command("migrate", verbosity=0)


def _run(tmp: Path, args: argparse.Namespace) -> list[Step]:
    from mingjing.imports.cases import cases_import
    from mingjing.imports.people import people_import

    court = create_court(COURT_CODE)
    people, cases, updated = tmp / "people.csv", tmp / "cases.csv", tmp / "cases-updated.csv"
    steps = [_generate(tmp, args)]

    def step(label: str, rows: int, service: Callable, path: Path) -> None:
        def run(progress: PhaseTimer) -> object:
            return service(court=court, source=path, progress=progress)

        steps.append(_measure(label, rows, run, args.tracemalloc))

    step("人员导入", args.people, people_import, people)
    step("案件首次导入", args.cases, cases_import, cases)
    from django.db import connection

    if connection.vendor == "postgresql":
        steps.append(_bare_copy(tmp, args.cases))
    if args.first_only:
        return steps
    step("案件重复导入（无变化）", args.cases, cases_import, cases)
    _close_open_cases(cases, updated)
    step("案件更新导入（未结的全部结案）", args.cases, cases_import, updated)
    if args.xlsx:
        step("XLSX 重复导入（无变化）", args.cases, cases_import, _xlsx_copy(updated, tmp))
    return steps


def _generate(tmp: Path, args: argparse.Namespace) -> Step:
    start, cpu = time.perf_counter(), time.process_time()
    people = make_people(args.people)
    write_people_csv(tmp / "people.csv", people)
    write_cases_csv(tmp / "cases.csv", people, court_code=COURT_CODE, count=args.cases)
    seconds = time.perf_counter() - start
    return Step("生成 CSV", args.cases, seconds, time.process_time() - cpu, "", {}, _peak_rss_mb())


COPIED_TABLES = ("cases_case", "cases_participant", "cases_assignment")


def _bare_copy(tmp: Path, cases: int) -> Step:
    """The anchor: COPY the rows the import wrote into empty twins of their tables (same
    columns, defaults, constraints, indexes and foreign keys), in one transaction, timing the
    COPY in and the COMMIT (where the deferred foreign keys are checked)."""
    from django.db import connection, transaction

    dumps = {table: tmp / f"{table}.copy" for table in COPIED_TABLES}
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for table, path in dumps.items():
            with open(path, "wb") as file, raw.copy(f"COPY {table} TO STDOUT") as copy:
                for block in copy:
                    file.write(block)
            cursor.execute(f"CREATE TABLE bench_{table} (LIKE {table} INCLUDING ALL)")
            # The same foreign keys (deferred, as Django makes them), to the same tables.
            cursor.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f'",
                [table],
            )
            for (definition,) in cursor.fetchall():
                cursor.execute(f"ALTER TABLE bench_{table} ADD {definition}")
        _reset_peak()
        start, cpu = time.perf_counter(), time.process_time()
        with transaction.atomic():  # one transaction, its foreign keys checked at COMMIT
            for table, path in dumps.items():
                with open(path, "rb") as file, raw.copy(f"COPY bench_{table} FROM STDIN") as copy:
                    while block := file.read(1 << 20):
                        copy.write(block)
        seconds = time.perf_counter() - start
        counts = []
        for table in COPIED_TABLES:
            cursor.execute(f"SELECT count(*) FROM bench_{table}")
            counts.append(cursor.fetchone()[0])
            cursor.execute(f"DROP TABLE bench_{table}")
    outcome = "基准：裸 COPY 案件 {:,}、当事人 {:,}、承办人 {:,} 行".format(*counts)
    return Step(
        "裸 COPY（同样的行、同样的表结构）",
        cases,
        seconds,
        time.process_time() - cpu,
        outcome,
        {},
        _peak_rss_mb(),
    )


def _reset_peak() -> None:
    """Reset the kernel's peak-RSS mark of this process (Linux), so each step has its own."""
    try:
        with open("/proc/self/clear_refs", "w") as file:
            file.write("5")
    except OSError:
        pass


def _measure(label: str, rows: int, run: Callable, trace: bool) -> Step:
    _reset_peak()
    if trace:
        tracemalloc.start()
    timer = PhaseTimer()
    cpu = time.process_time()
    result = run(timer)
    seconds, cpu = time.perf_counter() - timer.started, time.process_time() - cpu
    traced = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    tracemalloc.stop()
    if result.errors:
        sys.exit(f"{label}出错：{[str(error) for error in result.errors[:5]]}")
    outcome = f"新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}"
    return Step(label, rows, seconds, cpu, outcome, timer.phases(), _peak_rss_mb(), traced)


def _peak_rss_mb() -> float:
    """VmHWM since the last _reset_peak (Linux); else the process's lifetime peak."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _close_open_cases(source: Path, target: Path) -> None:
    """The same export some weeks later: every open case closed a month after filing."""
    with (
        open(source, encoding="utf-8-sig", newline="") as file,
        open(target, "w", encoding="utf-8-sig", newline="") as out,
    ):
        rows, writer = csv.reader(file), csv.writer(out)
        header = next(rows)
        writer.writerow(header)
        filed, closed, stage = (header.index(name) for name in ("立案日期", "结案日期", "案件状态"))
        for row in rows:
            if not row[closed]:
                row[closed] = (date.fromisoformat(row[filed]) + timedelta(days=30)).isoformat()
                row[stage] = "已结"
            writer.writerow(row)


def _xlsx_copy(source: Path, tmp: Path) -> Path:
    import openpyxl

    target = tmp / (source.stem + ".xlsx")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    with open(source, encoding="utf-8-sig", newline="") as file:
        for row in csv.reader(file):
            sheet.append(row)
    book.save(target)
    return target


def _pad(text: str, width: int) -> str:
    """Left-justify by display width: a Chinese character takes two columns."""
    used = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(0, width - used)


def _print(steps: list[Step], args: argparse.Namespace, database_url: str | None) -> None:
    import django

    engine = f"PostgreSQL（{urlparse(database_url).hostname}）" if database_url else "SQLite"
    print(f"\n明镜导入基准：{args.cases} 件案件，{args.people} 名人员，{engine}，")
    print(f"Python {sys.version.split()[0]}，Django {django.get_version()}，{os.cpu_count()} 核")
    print(f"负载 {os.getloadavg()[0]:.1f}（其他进程占用 CPU 时，墙钟时间会比 CPU 时间长）\n")
    anchor = next((step for step in steps if step.label.startswith("裸 COPY")), None)
    first = next((step for step in steps if step.label == "案件首次导入"), None)
    for step in steps:
        rate = step.rows / step.seconds if step.seconds else 0
        phases = "  ".join(f"{name} {seconds:.2f}" for name, seconds in step.phases.items())
        traced = f"  Python 分配峰值 {step.traced_mb:.0f} MB" if step.traced_mb is not None else ""
        print(
            f"{_pad(step.label, 30)}{step.seconds:6.2f} 秒（CPU {step.cpu_seconds:5.2f}）"
            f"{rate:8,.0f} 行/秒  峰值内存 {step.peak_rss_mb:4.0f} MB{traced}"
        )
        if step.outcome:
            print(f"{'':30}{step.outcome}；{phases}")
    if anchor and first:
        ratio = first.seconds / anchor.seconds
        print(f"\n首次导入 / 裸 COPY = {ratio:.2f}（目标 ≤ 3），首次导入 {first.seconds:.1f} 秒")
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"结束时负载（1/5/15 分钟）{load}")


if __name__ == "__main__":
    main()
