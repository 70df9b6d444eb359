"""Benchmark: the court level of the monthly cycle on a large court's year.

    .venv/bin/python bench/bench_reporting.py [--people 500] [--departments 25] [--runs 7]

Runs on a throwaway SQLite database in a temporary directory (its own master key too). Builds
500 staff in 25 departments with 12 months of personal reports (mostly zero, ~3% with a
sealed record, ~2% late, ~1% missing) and department reports, then times each page as the
custodian or a department head through django.test.Client: the median of several runs in ms,
and the number of SQL queries of one run (which must not grow with the court's size).
"""

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

COURT_CODE = "豫9902"
END = date(2026, 10, 1)


def _setup_django(tmp: Path) -> None:
    key_file = tmp / "master.key"
    key_file.write_text(secrets.token_hex(32) + "\n")
    os.environ["MINGJING_DATA_DIR"] = str(tmp)
    os.environ["MINGJING_DEBUG"] = "1"
    os.environ["MINGJING_MASTER_KEY_FILE"] = str(key_file)
    os.environ["DJANGO_SETTINGS_MODULE"] = "mingjing.settings"
    os.environ.pop("MINGJING_DATABASE_URL", None)  # never the database of the environment
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # DEBUG keeps every query in memory, which production does not
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    call_command("migrate", verbosity=0)


def _months() -> list[date]:
    from mingjing.reporting.compliance import months_ending

    return months_ending(END, 12)


def _court(departments: int):
    from mingjing.org.models import Court, Department

    court = Court.objects.create(code=COURT_CODE, name="基准市人民法院", short_name="基准")
    depts = [
        Department(court=court, code=f"D{i:02d}", name=f"第{i}部门")
        for i in range(1, departments + 1)
    ]
    return court, Department.objects.bulk_create(depts)


def _people(court, depts, count: int) -> list:
    from mingjing.accounts.models import User
    from mingjing.org.models import Person, RoleAssignment
    from mingjing.org.roles import Role

    people = Person.objects.bulk_create(
        Person(court=court, staff_no=f"B{i:04d}", name=f"干警{i}", department=depts[i % len(depts)])
        for i in range(count)
    )
    roles = [RoleAssignment(person=p, court=court, role=Role.STAFF) for p in people]
    heads = people[: len(depts)]  # person i is in department i: one head each
    roles += [RoleAssignment(person=p, court=court, role=Role.DEPT_HEAD) for p in heads]
    roles.append(RoleAssignment(person=people[-1], court=court, role=Role.CUSTODIAN))
    RoleAssignment.objects.bulk_create(roles)
    for person, username in ((people[-1], "bench-custodian"), (people[0], "bench-head")):
        person.user = User.objects.create_user(username=username, password=secrets.token_hex(8))
        person.save(update_fields=["user"])
    return people


def _record(court, person, month: date, blob: bytes, rng: random.Random):
    from django.utils import timezone

    from mingjing.records.models import Record

    at = timezone.make_aware(datetime(month.year, month.month, rng.randint(1, 25), 10))
    contact = rng.random() < 0.3
    return Record(
        court=court, recorder=person, department_id=person.department_id,
        category=rng.choice(["leader_interference", "internal_inquiry", "improper_contact"]),
        behaviour=rng.choice(["progress", "relay", "plea", "contact"]), manner="phone",
        subject_kind=rng.choice(["external_cadre", "internal_staff", "lawyer", "party"]),
        occurred_at=at, status="submitted", submitted_at=at, sealed=blob,
        off_hours_contact=contact, is_late=contact and rng.random() < 0.2,
    )  # fmt: skip


def _reports(court, people, rng: random.Random) -> tuple[int, int]:
    """A year of personal reports; returns (reports, records)."""
    from django.utils import timezone

    from mingjing.records.models import Record
    from mingjing.reporting.models import MonthlyReport
    from mingjing.security.sealing import seal_json

    blob = seal_json(court, {"content": "基准测试内容"}, purpose="record")
    reports, records = [], []
    for month in _months():
        for person in people:
            if rng.random() < 0.01:
                continue
            record = _record(court, person, month, blob, rng) if rng.random() < 0.03 else None
            reports.append(MonthlyReport(
                court=court, person=person, department_id=person.department_id, month=month,
                is_zero=record is None, submitted_at=timezone.now(), is_late=rng.random() < 0.02,
            ))  # fmt: skip
            records.append(record)
    made = MonthlyReport.objects.bulk_create(reports)
    pairs = [(r, rec) for r, rec in zip(made, records, strict=True) if rec is not None]
    Record.objects.bulk_create([rec for _, rec in pairs])
    through = MonthlyReport.records.through
    through.objects.bulk_create(
        through(monthlyreport_id=r.id, record_id=rec.id) for r, rec in pairs
    )
    return len(made), len(pairs)


def _department_reports(court, depts, people, rng: random.Random) -> int:
    from django.utils import timezone

    from mingjing.reporting.models import DepartmentReport

    rows = [
        DepartmentReport(
            court=court, department=d, month=m, submitted_by=people[i],
            submitted_at=timezone.now(), is_late=rng.random() < 0.1,
        )
        for m in _months() for i, d in enumerate(depts) if rng.random() < 0.95
    ]  # fmt: skip
    return len(DepartmentReport.objects.bulk_create(rows))


def _client(username: str):
    import time

    from django.test import Client

    from mingjing.accounts.middleware import SESSION_KEY
    from mingjing.accounts.models import User
    from mingjing.accounts.reauth import SESSION_KEY as REAUTH_KEY

    client = Client()
    client.force_login(User.objects.get(username=username))
    session = client.session
    session[SESSION_KEY] = True
    session[REAUTH_KEY] = time.time()  # exports ask to re-authenticate
    session.save()
    return client


def _time(client, url: str, runs: int) -> tuple[float, int, int]:
    """(median ms, queries of one run, bytes) of GET url, reading streamed bodies through."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries, size = [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries, size = len(captured), len(body)
    return statistics.median(timings), queries, size


def _pages(depts) -> list[tuple[str, str, str]]:
    from django.urls import reverse

    dept = depts[0].id
    window = "?end=2026-10&months=12"
    return [
        ("全院月视图", "bench-custodian", reverse("court_reporting:month") + "?month=2026-10"),
        ("部门月视图", "bench-custodian",
         reverse("court_reporting:department_month", args=[dept]) + "?month=2026-10"),
        ("全院合规（12个月）", "bench-custodian", reverse("court_reporting:compliance") + window),
        ("部门合规（负责人）", "bench-head",
         reverse("court_reporting:department_compliance", args=[dept]) + window),
        ("合规导出 XLSX", "bench-custodian", reverse("court_reporting:compliance_xlsx") + window),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--departments", type=int, default=25)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mingjing-bench-") as tmp:
        _setup_django(Path(tmp))
        rng = random.Random(1)
        start = time.perf_counter()
        court, depts = _court(args.departments)
        people = _people(court, depts, args.people)
        reports, records = _reports(court, people, rng)
        dept_reports = _department_reports(court, depts, people, rng)
        built = time.perf_counter() - start
        print(f"数据：{args.people} 人，{args.departments} 个部门，12 个月；个人月报告 {reports}，"
              f"记录 {records}，部门月报告 {dept_reports}（生成 {built:.1f} 秒）")  # fmt: skip
        print(f"{'页面':<16}{'中位数 ms':>12}{'查询数':>8}{'字节':>10}")
        for label, username, url in _pages(depts):
            ms, queries, size = _time(_client(username), url, args.runs)
            print(f"{label:<16}{ms:>12.1f}{queries:>8}{size:>10}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    main()
