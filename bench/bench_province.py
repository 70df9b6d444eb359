"""Benchmark: one court's pages on a province's database (bench/province.py wrote it).

    .venv/bin/python bench/bench_province.py --database-url postgresql://postgres@127.0.0.1:5432/mingjing_province
        [--data-dir /tmp/mingjing-province] [--court 豫0101] [--runs 7] [--explain DIR]

Migrates the database first (a no-op unless a migration is new: then it prints how long
applying it took at this size). Picks the basic court with the most cases unless --court
names one, gives three of its people accounts (custodian, head of 民事审判第一庭, and the
staff member with the most records), and serves each page through django.test.Client:
the median of --runs runs, in ms, with its query count and the time of its slowest query.

Two anchors, measured the same way in the same run:
- bare: what the bare page of issue 11 costs in this process (the session and the user read
  from this database, a login-required view rendering a 10-item template). `ratio` is
  bare / page, the share of the bare page's throughput a sync worker keeps on this page;
  the targets of issue 11 are 0.35 for report pages and 0.5 for staff pages.
- SQL: one hand-written query of the page's main figure, so that the database's part shows.

With --explain DIR, writes EXPLAIN (ANALYZE, BUFFERS) of each page's three slowest queries
and of the anchors to DIR/<page>.txt.
"""

import argparse
import os
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from province import master_key_file  # noqa: E402

MONTH = "2026-10"
STAFF, REPORT = 0.5, 0.35  # ratio targets (issue 11)


def main() -> None:
    args = _arguments()
    _setup_django(Path(args.data_dir), args.database_url)
    court = _court(args.court)
    people = _accounts(court)
    explain = Path(args.explain) if args.explain else None
    if explain:
        explain.mkdir(parents=True, exist_ok=True)
    bare_ms = _median(lambda: _bare(people["custodian"]), args.runs)
    print(f"法院 {court.code}（{court.name}）：案件 {court.cases.count():,}，"
          f"人员 {court.people.count():,}，记录 {court.records.count():,}")  # fmt: skip
    print(f"空白页（会话 + 用户 + 10 项模板）：{bare_ms:.1f} ms")
    print(f"{'页面':<20}{'ms':>8}{'查询':>6}{'最慢查询':>10}{'SQL锚':>8}{'比值':>7}{'目标':>6}")
    for label, user, url, target, anchor in _pages(court, people):
        ms, queries, slowest = _page(_client(user), url, args.runs, label, explain)
        sql_ms = _median(lambda anchor=anchor: _sql(anchor), args.runs)
        if explain:
            _explain_to(explain / f"{_slug(label)}.txt", "SQL 锚", anchor, mode="a")
        ratio = bare_ms / ms
        mark = "" if ratio >= target else "  ✗"
        print(f"{label:<20}{ms:>8.1f}{queries:>6}{slowest:>10.1f}{sql_ms:>8.1f}{ratio:>7.2f}"
              f"{'≥' + str(target):>6}{mark}")  # fmt: skip


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--data-dir", default="/tmp/mingjing-province")
    parser.add_argument("--court", help="court code; default: the basic court with most cases")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--explain", help="directory for EXPLAIN (ANALYZE, BUFFERS) output")
    return parser.parse_args()


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
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    start = time.perf_counter()
    call_command("migrate", verbosity=1)
    print(f"migrate：{time.perf_counter() - start:.1f} 秒")


def _court(code: str | None):
    from django.db.models import Count

    from mingjing.org.models import Court

    if code:
        return Court.objects.get(code=code)
    basic = Court.objects.filter(parent__parent__isnull=False)
    return basic.annotate(n=Count("cases")).order_by("-n").first()


def _accounts(court) -> dict:
    """custodian, head and staff of `court`, each with an account (made once)."""
    from django.db.models import Count

    from mingjing.accounts.models import User
    from mingjing.org.models import Person, RoleAssignment
    from mingjing.org.roles import Role

    office = court.departments.get(code="ZH")
    civil = court.departments.get(code="MY1")
    chosen = {
        "custodian": (Person.objects.filter(department=office).order_by("id").first(),
                      Role.CUSTODIAN),
        "head": (Person.objects.filter(department=civil).order_by("id").first(), Role.DEPT_HEAD),
        "staff": (Person.objects.filter(court=court).annotate(n=Count("records"))
                  .order_by("-n", "id").first(), Role.STAFF),
    }  # fmt: skip
    people = {}
    for key, (person, role) in chosen.items():
        if person.user_id is None:
            username = f"bench-{key}-{court.id}"
            person.user = User.objects.create_user(username, password=secrets.token_hex(8))
            person.save(update_fields=["user"])
        # Written directly (bulk_create skips the grant check), as bench_reporting does.
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(person=person, court=court, role=role)], ignore_conflicts=True
        )
        people[key] = person
    return people


def _pages(court, people) -> list[tuple[str, object, str, float, tuple[str, list]]]:
    from django.urls import reverse

    civil = court.departments.get(code="MY1").id
    staff = people["staff"]
    number = f"{court.code}民初123"
    window = f"?end={MONTH}&months=12"
    return [
        ("全院月视图", people["custodian"], reverse("court_reporting:month") + f"?month={MONTH}",
         REPORT, _month_sql(court)),
        ("部门月视图", people["custodian"],
         reverse("court_reporting:department_month", args=[civil]) + f"?month={MONTH}",
         REPORT, _department_sql(court, civil)),
        ("全院合规（12个月）", people["custodian"], reverse("court_reporting:compliance") + window,
         REPORT, _compliance_sql(court)),
        ("部门合规（负责人）", people["head"],
         reverse("court_reporting:department_compliance", args=[civil]) + window,
         REPORT, _compliance_sql(court, civil)),
        ("案号查询", staff, reverse("cases:search") + f"?q={number}", STAFF,
         _search_sql(court, number)),
        ("我承办的案件", staff, reverse("cases:search") + "?mine=1", STAFF, _mine_sql(staff)),
        ("我的记录", staff, reverse("records:list"), STAFF, _records_sql(staff)),
        ("首页（我的待办）", staff, reverse("web:home"), STAFF, _tasks_sql(staff)),
    ]  # fmt: skip


# --- anchors ------------------------------------------------------------------------------


def _month_sql(court) -> tuple[str, list]:
    return (
        "SELECT department_id, count(*), count(*) FILTER (WHERE is_zero),"
        " count(*) FILTER (WHERE is_late) FROM reporting_monthlyreport"
        " WHERE court_id = %s AND month = %s AND kind = 'regular' GROUP BY department_id",
        [court.id, f"{MONTH}-01"],
    )


def _department_sql(court, department: int) -> tuple[str, list]:
    return (
        "SELECT p.id, p.name, r.is_zero, r.is_late FROM org_person p"
        " LEFT JOIN reporting_monthlyreport r ON r.person_id = p.id AND r.month = %s"
        " AND r.kind = 'regular' WHERE p.court_id = %s AND p.department_id = %s"
        " ORDER BY p.staff_no",
        [f"{MONTH}-01", court.id, department],
    )


def _compliance_sql(court, department: int | None = None) -> tuple[str, list]:
    where = " AND department_id = %s" if department else ""
    return (
        "SELECT department_id, month, count(*), count(*) FILTER (WHERE is_zero),"
        " count(*) FILTER (WHERE NOT is_late) FROM reporting_monthlyreport"
        " WHERE court_id = %s AND kind = 'regular' AND month BETWEEN %s AND %s" + where +
        " GROUP BY department_id, month",
        [court.id, "2025-11-01", f"{MONTH}-01", *([department] if department else [])],
    )  # fmt: skip


def _search_sql(court, number: str) -> tuple[str, list]:
    return (
        "SELECT id, number, year, filed_on FROM cases_case WHERE court_id = %s"
        " AND number LIKE %s ORDER BY year DESC, filed_on DESC, number LIMIT 25",
        [court.id, f"%{number}%"],
    )


def _mine_sql(person) -> tuple[str, list]:
    return (
        "SELECT DISTINCT c.id, c.number, c.year, c.filed_on FROM cases_case c"
        " JOIN cases_assignment a ON a.case_id = c.id WHERE a.person_id = %s"
        " ORDER BY c.year DESC, c.filed_on DESC, c.number LIMIT 25",
        [person.id],
    )


def _records_sql(person) -> tuple[str, list]:
    return (
        "SELECT id, category, status, occurred_at FROM records_record WHERE recorder_id = %s"
        " AND status <> 'draft' ORDER BY occurred_at DESC LIMIT 30",
        [person.id],
    )


def _tasks_sql(person) -> tuple[str, list]:
    return (
        "SELECT d.id, c.number FROM records_casedeclaration d JOIN cases_case c ON c.id = d.case_id"
        " WHERE d.person_id = %s AND d.status = 'pending' ORDER BY c.filed_on LIMIT 10",
        [person.id],
    )


def _sql(anchor: tuple[str, list]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(*anchor)
        cursor.fetchall()


def _bare(person) -> None:
    """The bare page: session and user read from the database, 10 items rendered."""
    from django.contrib.auth import get_user
    from django.contrib.auth.decorators import login_required
    from django.contrib.sessions.backends.db import SessionStore
    from django.template import engines
    from django.test import RequestFactory

    template = engines["django"].from_string(
        "<h1>{{ request.user.get_username }}</h1><ul>"
        "{% for item in items %}<li>{{ item.n }}：{{ item.title }}</li>{% endfor %}</ul>"
    )

    @login_required
    def page(request):
        from django.http import HttpResponse

        items = [{"n": n, "title": f"事项 {n}"} for n in range(10)]
        return HttpResponse(template.render({"items": items}, request))

    request = RequestFactory().get("/")
    request.session = SessionStore(_session_key(person))
    request.user = get_user(request)
    assert page(request).status_code == 200


_SESSIONS: dict[int, str] = {}


def _session_key(person) -> str:
    if person.id not in _SESSIONS:
        _SESSIONS[person.id] = _client(person).session.session_key
    return _SESSIONS[person.id]


# --- pages --------------------------------------------------------------------------------


def _client(person):
    from django.test import Client

    from mingjing.accounts.middleware import SESSION_KEY

    client = Client()
    client.force_login(person.user)
    session = client.session
    session[SESSION_KEY] = True
    session.save()
    return client


def _median(run: Callable[[], object], runs: int) -> float:
    run()  # warm: caches, connection
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def _page(client, url: str, runs: int, label: str, explain: Path | None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    ms = _median(get, runs)
    with CaptureQueriesContext(connection) as captured:
        get()
    queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    slowest = float(queries[0]["time"]) * 1000 if queries else 0.0
    if explain:
        path = explain / f"{_slug(label)}.txt"
        path.write_text(f"{label} {url}\n\n")
        for query in queries[:3]:
            _explain_to(path, f"{float(query['time']) * 1000:.1f} ms", (query["sql"], []), "a")
    return ms, len(captured.captured_queries), slowest


def _explain_to(path: Path, title: str, anchor: tuple[str, list], mode: str) -> None:
    from django.db import connection

    sql, params = anchor
    if not sql.lstrip().upper().startswith("SELECT"):
        return
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params or None)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    with open(path, mode, encoding="utf-8") as file:
        file.write(f"--- {title}\n{sql}\n{params}\n{plan}\n\n")


def _slug(label: str) -> str:
    return "".join(ch for ch in label if ch.isalnum())


if __name__ == "__main__":
    main()
