"""A province on one PostgreSQL: courts, staff, cases, a year of records and reports, audit.

    .venv/bin/python bench/province.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
        [--courts 180] [--cases 3000000] [--staff 90000] [--years 3] [--handlers 2]
        [--participants 2] [--records-per-court-month 12] [--audit-per-court-day 60]
        [--name mingjing_province] [--data-dir /tmp/mingjing-province]

Creates the database `--name` on that server (dropping one of that name first), migrates
it, and writes every table with COPY (psycopg 3) in one pass per table, in the shape the
services leave: a high court, intermediate courts and basic courts (`parent` links them);
nine departments a court; staff with the staff role; cases spread over `--years` years
(by the 案号's year), each with its handlers (assignments), their 一案一表 declarations and
participants; twelve months (ending October 2026) of personal monthly reports, mostly zero,
with the month's records linked; department and court reports; and an audit chain whose
hashes verify (`mingjing verify_audit`). Records are sealed per row with the court's own
data key (AES-256-GCM, bound to table, row and column as security/sealing.py requires), and
their subjects' names carry real blind indexes.

The master key is `--data-dir`/master.key (made on first use and reused, so that
bench/bench_province.py can open what this wrote). Prints what it wrote and how long each
table took. Constraints hold: unique numbers per court, one regular report per person and
month, one declaration per handler and case.
"""

import argparse
import json
import os
import random
import secrets
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import DEPARTMENTS, FIRMS, GIVEN, SURNAMES  # noqa: E402

PROVINCE = "豫"
END_MONTH = date(2026, 10, 1)
MONTHS = 12
CATEGORIES = ["leader_interference", "internal_inquiry", "improper_contact"]
BEHAVIOURS = ["progress"] * 12 + ["relay"] * 6 + ["supervision", "plea", "contact"]
SUBJECT_KINDS = ["external_cadre", "internal_staff", "lawyer", "party", "special_relation"]
AUDIT_ACTIONS = [
    ("auth.login", "", 0.55),
    ("record.read", "records.Record", 0.15),
    ("declaration.declare", "declarations.CaseDeclaration", 0.15),
    ("report.submit", "reporting.MonthlyReport", 0.1),
    ("record.submit", "records.Record", 0.05),
]


def main() -> None:
    args = _arguments()
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    url = _fresh_database(args.database_url, args.name)
    _setup_django(data_dir, url)
    rng = random.Random(args.seed)
    started = time.perf_counter()
    province = Province(args, rng)
    province.write()
    print(f"合计 {time.perf_counter() - started:.0f} 秒；数据库 {url}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL server, as URL")
    parser.add_argument("--name", default="mingjing_province", help="database to (re)create")
    parser.add_argument("--data-dir", default="/tmp/mingjing-province", help="master key here")
    parser.add_argument("--courts", type=int, default=180)
    parser.add_argument("--cases", type=int, default=3_000_000)
    parser.add_argument("--staff", type=int, default=90_000)
    parser.add_argument("--years", type=int, default=3, help="cases spread over these years")
    parser.add_argument("--handlers", type=int, default=2, choices=(1, 2, 3))
    parser.add_argument("--participants", type=int, default=2, choices=(0, 1, 2))
    parser.add_argument("--records-per-court-month", type=int, default=12)
    parser.add_argument("--audit-per-court-day", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def _fresh_database(server_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlparse(server_url)._replace(path=f"/{name}").geturl()


def master_key_file(data_dir: Path) -> Path:
    key_file = data_dir / "master.key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32) + "\n")
        key_file.chmod(0o600)
    return key_file


def _setup_django(data_dir: Path, url: str) -> None:
    os.environ["MINGJING_DATA_DIR"] = str(data_dir)
    os.environ["MINGJING_DEBUG"] = "1"
    os.environ["MINGJING_MASTER_KEY_FILE"] = str(master_key_file(data_dir))
    os.environ["MINGJING_DATABASE_URL"] = url
    os.environ.pop("MINGJING_REPLICA_DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "mingjing.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    call_command("migrate", verbosity=0)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))


def _aware(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _months() -> list[date]:
    months, month = [], END_MONTH
    for _ in range(MONTHS):
        months.append(month)
        month = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    return months[::-1]


class Ids:
    """The next free primary key of each table (the tables start empty after migrate)."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def take(self, model, count: int = 1) -> int:
        table = model._meta.db_table
        first = self.next.get(table, 1)
        self.next[table] = first + count
        return first

    def reset_sequences(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            for table, following in self.next.items():
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s, false)",
                    [following],
                )


def copy_rows(model, fields: list[str], rows: Iterable[tuple]) -> int:
    """COPY `rows` (tuples in `fields` order, attnames) into `model`'s table."""
    from django.db import connection

    table = model._meta.db_table
    columns = [model._meta.get_field(name).column for name in fields]
    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


class Province:
    """Writes the province table by table; keeps the ids it needs to link the next tables."""

    def __init__(self, args: argparse.Namespace, rng: random.Random) -> None:
        self.args = args
        self.rng = rng
        self.ids = Ids()
        self.now = datetime(2026, 11, 5, 2, tzinfo=UTC)
        self.courts: list = []  # Court instances
        self.weights: list[float] = []
        self.departments: dict[int, list[tuple[int, str, str, tuple]]] = {}  # court -> rows
        self.staff: dict[int, dict[int, list[int]]] = {}  # court -> department -> people
        self.case_ids: dict[int, tuple[int, int]] = {}  # court -> (first id, count)

    def write(self) -> None:
        steps = [
            ("法院", self.write_courts),
            ("部门", self.write_departments),
            ("人员与角色", self.write_people),
            ("案件、办案人员、一案一表、参与人", self.write_cases),
            ("记录与个人月报告", self.write_reports),
            ("部门与全院月报告", self.write_court_levels),
            ("审计链", self.write_audit),
        ]
        for label, step in steps:
            start = time.perf_counter()
            counts = step()
            seconds = time.perf_counter() - start
            rate = sum(counts.values()) / seconds if seconds else 0
            text = "，".join(f"{name} {count:,}" for name, count in counts.items())
            print(f"{label}：{text}（{seconds:.1f} 秒，{rate:,.0f} 行/秒）", flush=True)
        self.ids.reset_sequences()
        start = time.perf_counter()
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"ANALYZE：{time.perf_counter() - start:.1f} 秒", flush=True)

    # --- courts and people ----------------------------------------------------------------

    def write_courts(self) -> dict[str, int]:
        from mingjing.org.models import Court

        n = self.args.courts
        intermediate = max(1, round(n * 17 / 180)) if n > 2 else 0
        high = Court.objects.create(code=PROVINCE, name="示例省高级人民法院", short_name="省高院")
        self.courts, self.weights = [high], [0.3]
        middles = [
            Court.objects.create(
                code=f"{PROVINCE}{i:02d}", name=f"示例省第{i}中级人民法院", short_name=f"{i}中院",
                parent=high,
            )
            for i in range(1, intermediate + 1)
        ]  # fmt: skip
        self.courts += middles
        self.weights += [0.6] * len(middles)
        for index in range(n - 1 - len(middles)):
            parent = middles[index % len(middles)] if middles else high
            number = index // max(1, len(middles)) + 1
            self.courts.append(Court.objects.create(
                code=f"{parent.code}{number:02d}" if middles else f"{PROVINCE}{number:04d}",
                name=f"{parent.short_name}辖区第{number}基层人民法院",
                short_name=f"基层{index + 1}", parent=parent,
            ))  # fmt: skip
            self.weights.append(self.rng.uniform(0.5, 1.6))
        self._make_keys()
        return {"法院": len(self.courts)}

    def _make_keys(self) -> None:
        from mingjing.security.keys import current_key
        from mingjing.security.models import KeyPurpose

        for court in self.courts:
            current_key(court, KeyPurpose.DATA)
            current_key(court, KeyPurpose.INDEX)

    def _shares(self, total: int) -> list[int]:
        weight = sum(self.weights)
        shares = [int(total * w / weight) for w in self.weights]
        shares[-1] += total - sum(shares)
        return shares

    def write_departments(self) -> dict[str, int]:
        from mingjing.org.models import Department

        rows = []
        for court in self.courts:
            self.departments[court.id] = []
            for code, name, kind, causes in DEPARTMENTS:
                pk = self.ids.take(Department)
                self.departments[court.id].append((pk, name, kind, causes))
                rows.append((pk, court.id, code, name, True))
        fields = ["id", "court_id", "code", "name", "is_active"]
        return {"部门": copy_rows(Department, fields, rows)}

    def write_people(self) -> dict[str, int]:
        from mingjing.org.models import Person, RoleAssignment

        people, roles = [], []
        for court, count in zip(self.courts, self._shares(self.args.staff), strict=True):
            by_department: dict[int, list[int]] = {}
            departments = self.departments[court.id]
            hearing = [d for d in departments if d[2]]
            for index in range(count):
                department = hearing[index % len(hearing)] if index % 10 else departments[
                    index % len(departments)]  # fmt: skip
                pk = self.ids.take(Person)
                by_department.setdefault(department[0], []).append(pk)
                position = "庭长" if len(by_department[department[0]]) == 1 else "审判员"
                people.append((pk, court.id, f"S{index + 1:05d}", _name(self.rng), position,
                               department[0], False, "serving"))  # fmt: skip
                roles.append((pk, court.id, "staff", self.now))
            self.staff[court.id] = by_department
        fields = ["id", "court_id", "staff_no", "name", "position", "department_id", "is_leader",
                  "status"]  # fmt: skip
        written = {"人员": copy_rows(Person, fields, people)}
        role_fields = ["person_id", "court_id", "role", "granted_at"]
        written["角色"] = copy_rows(RoleAssignment, role_fields, roles)
        return written

    # --- cases ------------------------------------------------------------------------------

    def write_cases(self) -> dict[str, int]:
        from mingjing.cases.models import Assignment, Case, Participant
        from mingjing.declarations.models import CaseDeclaration

        plan = []  # (case id, court id, department id, closed, filed, handlers)
        counts: dict[str, int] = {}
        case_fields = ["id", "court_id", "number", "year", "kind", "cause", "department_id",
                       "filed_on", "closed_on", "stage", "updated_at"]  # fmt: skip
        counts["案件"] = copy_rows(Case, case_fields, self._cases(plan))
        counts["办案人员"] = copy_rows(
            Assignment, ["case_id", "person_id", "role", "assigned_on"], self._assignments(plan)
        )
        declaration_fields = ["case_id", "person_id", "status", "none_to_report", "declared_at",
                              "created_at"]  # fmt: skip
        declarations = self._declarations(plan)
        counts["一案一表"] = copy_rows(CaseDeclaration, declaration_fields, declarations)
        if self.args.participants:
            counts["参与人"] = copy_rows(
                Participant, ["case_id", "role", "name", "law_firm"], self._participants(plan)
            )
        return counts

    def _cases(self, plan: list) -> Iterator[tuple]:
        from mingjing.cases.models import Case

        years = [END_MONTH.year - offset for offset in range(self.args.years)][::-1]
        for court, count in zip(self.courts, self._shares(self.args.cases), strict=True):
            first = self.ids.take(Case, count)
            self.case_ids[court.id] = (first, count)
            hearing = [d for d in self.departments[court.id] if d[2]]
            sequence: dict[tuple[int, str], int] = {}
            for offset in range(count):
                year = years[offset * len(years) // count]
                department_id, _, kind, causes = self.rng.choice(hearing)
                sequence[(year, kind)] = sequence.get((year, kind), 0) + 1
                filed = date(year, 1, 1) + timedelta(days=self.rng.randrange(300))
                old = year < END_MONTH.year or self.rng.random() < 0.6
                closed = filed + timedelta(days=self.rng.randrange(10, 60)) if old else None
                handlers = self._handlers(court.id, department_id)
                plan.append((first + offset, department_id, closed, filed, handlers))
                number = f"（{year}）{court.code}{kind}{sequence[(year, kind)]}号"
                stage = "closed" if closed else "trial"
                yield (first + offset, court.id, number, year, kind, self.rng.choice(causes),
                       department_id, filed, closed, stage, self.now)  # fmt: skip

    def _handlers(self, court_id: int, department_id: int) -> list[int]:
        people = self.staff[court_id].get(department_id, [])
        count = min(self.args.handlers, len(people))
        return self.rng.sample(people, count) if count else []

    def _assignments(self, plan: list) -> Iterator[tuple]:
        roles = ["judge", "clerk", "presiding"]
        for case_id, _, _, filed, handlers in plan:
            for role, person in zip(roles, handlers, strict=False):
                yield (case_id, person, role, filed)

    def _declarations(self, plan: list) -> Iterator[tuple]:
        for case_id, _, closed, filed, handlers in plan:
            for person in handlers:
                if closed:
                    yield (case_id, person, "declared", True, _aware(closed), _aware(filed))
                else:
                    yield (case_id, person, "pending", False, None, _aware(filed))

    def _participants(self, plan: list) -> Iterator[tuple]:
        rng = self.rng
        for case_id, *_ in plan:
            yield (case_id, "plaintiff", _name(rng), "")
            if self.args.participants > 1:
                yield (case_id, "defendant", f"示例{_name(rng)}有限公司", rng.choice(FIRMS))

    # --- the monthly cycle --------------------------------------------------------------------

    def write_reports(self) -> dict[str, int]:
        from mingjing.records.models import Record
        from mingjing.reporting.models import MonthlyReport

        records, reports, links, record_cases = [], [], [], []
        for court in self.courts:
            self._court_year(court, records, reports, links, record_cases)
        record_fields = [
            "id", "court_id", "recorder_id", "department_id", "category", "behaviour", "manner",
            "subject_kind", "occurred_at", "status", "submitted_at", "not_about_a_case",
            "off_hours_contact", "report_due_at", "is_late", "sealed_late_reason",
            "subject_person_index", "subject_name_index", "named_indexes", "sealed",
            "created_at", "updated_at",
        ]  # fmt: skip
        counts = {"记录": copy_rows(Record, record_fields, records)}
        counts["记录关联案件"] = copy_rows(
            Record.cases.through, ["record_id", "case_id"], record_cases
        )
        report_fields = ["id", "court_id", "person_id", "department_id", "month", "kind",
                         "is_zero", "status", "submitted_at", "is_late", "sealed_return_reason",
                         "reviewed_by_id", "reviewed_at"]  # fmt: skip
        counts["个人月报告"] = copy_rows(MonthlyReport, report_fields, reports)
        counts["报告所含记录"] = copy_rows(
            MonthlyReport.records.through, ["monthlyreport_id", "record_id"], links
        )
        return counts

    def _court_year(self, court, records: list, reports: list, links: list, cases: list) -> None:
        from mingjing.records.models import Record
        from mingjing.reporting.models import MonthlyReport

        people = [
            (pk, department, members[0])
            for department, members in self.staff[court.id].items()
            for pk in members
        ]
        for month in _months():
            recorded: dict[int, list[int]] = {}
            for _ in range(self._records_this_month()):
                person, department, _ = self.rng.choice(people)
                pk = self.ids.take(Record)
                records.append(self._record(court, pk, person, department, month))
                recorded.setdefault(person, []).append(pk)
                first, count = self.case_ids[court.id]
                cases.append((pk, first + self.rng.randrange(count)))
            for person, department, head in people:
                if person not in recorded and self.rng.random() < 0.01:
                    continue  # not reported: no row, never a zero report
                pk = self.ids.take(MonthlyReport)
                links += [(pk, record) for record in recorded.get(person, [])]
                reports.append(self._report(court, pk, person, department, head, month,
                                            person not in recorded))  # fmt: skip

    def _records_this_month(self) -> int:
        mean = self.args.records_per_court_month
        return max(0, round(self.rng.gauss(mean, mean / 2)))

    def _record(self, court, pk: int, person: int, department: int, month: date) -> tuple:
        from mingjing.records.models import Record
        from mingjing.security.sealing import blind_index, row_binding, seal_json

        rng = self.rng
        at = _aware(month.replace(day=rng.randint(1, 25)), rng.randint(1, 9))
        subject = _name(rng)
        content = {
            "subject_name": subject, "subject_unit": "示例单位", "subject_position": "",
            "subject_contact": "", "place": "办公室", "content": f"询问案件进展（{pk}）",
            "handling": "告知依法办理",
        }  # fmt: skip
        sealed = seal_json(court, content, purpose="record", bind=row_binding(Record, pk, "sealed"))
        name_index = blind_index(court, subject, kind="name")
        contact = rng.random() < 0.05
        return (pk, court.id, person, department, rng.choice(CATEGORIES), rng.choice(BEHAVIOURS),
                "phone", rng.choice(SUBJECT_KINDS), at, "submitted", at, False, contact,
                at + timedelta(days=3) if contact else None, False, b"", "", name_index,
                f" {name_index} ", sealed, at, at)  # fmt: skip

    def _report(self, court, pk, person, department, head, month, zero) -> tuple:
        late = self.rng.random() < 0.02
        submitted = _aware(month.replace(day=28 if late else self.rng.randint(20, 25)))
        return (pk, court.id, person, department, month, "regular", zero, "approved", submitted,
                late, b"", head, submitted + timedelta(days=1))  # fmt: skip

    def write_court_levels(self) -> dict[str, int]:
        from mingjing.reporting.models import CourtReport, DepartmentReport

        departments, courts = [], []
        for court in self.courts:
            heads = {d: members[0] for d, members in self.staff[court.id].items()}
            for month in _months():
                at = _aware(month.replace(day=26))
                for department, head in heads.items():
                    if self.rng.random() < 0.97:
                        late = self.rng.random() < 0.05
                        departments.append((court.id, department, month, "submitted", head, at,
                                            late, "{}"))  # fmt: skip
                if month < END_MONTH:
                    reviewer = next(iter(heads.values()))
                    courts.append((court.id, month, "reviewed", "{}", reviewer, at, reviewer,
                                   at + timedelta(days=2), b""))  # fmt: skip
        fields = ["court_id", "department_id", "month", "status", "submitted_by_id",
                  "submitted_at", "is_late", "figures"]  # fmt: skip
        counts = {"部门月报告": copy_rows(DepartmentReport, fields, departments)}
        fields = ["court_id", "month", "status", "figures", "assembled_by_id", "assembled_at",
                  "reviewed_by_id", "reviewed_at", "sealed_review_note"]  # fmt: skip
        counts["全院月报告"] = copy_rows(CourtReport, fields, courts)
        return counts

    # --- the audit chain ----------------------------------------------------------------------

    def write_audit(self) -> dict[str, int]:
        from mingjing.security.models import AuditEvent

        fields = ["seq", "at", "court_code", "actor_id", "actor_name", "action", "object_type",
                  "object_id", "ip", "detail", "algorithm", "prev_hash", "hash"]  # fmt: skip
        from mingjing.security.audit import GENESIS_HASH

        # The chain goes on from what the key creation logged (read before the COPY starts:
        # the connection runs nothing else meanwhile).
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        events = self._events(*(last or (0, GENESIS_HASH)))
        return {"审计事件": copy_rows(AuditEvent, fields, events)}

    def _events(self, seq: int, prev: str) -> Iterator[tuple]:
        from mingjing.security.audit import event_hash

        day = END_MONTH.replace(year=END_MONTH.year - 1)
        per_day = self.args.audit_per_court_day * len(self.courts)
        actions = [a for a in AUDIT_ACTIONS for _ in range(round(a[2] * 100))]
        while day <= date(2026, 10, 31):
            start = _aware(day, 0)
            for index in range(per_day):
                court = self.courts[index % len(self.courts)]
                action, object_type, _ = self.rng.choice(actions)
                seq += 1
                fields = {
                    "seq": seq, "at": start + timedelta(seconds=index * 86400 / per_day),
                    "court_code": court.code, "actor_id": None, "actor_name": _name(self.rng),
                    "action": action, "object_type": object_type,
                    "object_id": str(self.rng.randrange(1, 10**6)) if object_type else "",
                    "ip": "10.0.0.1", "detail": {}, "algorithm": "sha256",
                }  # fmt: skip
                digest = event_hash(prev, fields)
                yield (*list(fields.values())[:9], json.dumps(fields["detail"]), "sha256", prev,
                       digest)  # fmt: skip
                prev = digest
            day += timedelta(days=1)


if __name__ == "__main__":
    main()
