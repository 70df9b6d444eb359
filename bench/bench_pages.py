"""Benchmark: Mingjing's pages under gunicorn against a bare Django page, both driven by wrk.

    .venv/bin/python bench/bench_pages.py [--duration 10] [--connections 16] [--workers 2]
        [--database-url postgresql://postgres@127.0.0.1:5432/postgres] [--pages home,…]

Builds the demo court (`mingjing demo`) in a throwaway data directory (SQLite, or with
--database-url a throwaway PostgreSQL database dropped afterwards) and a bare Django project
of the same shape as the anchor of issue 11: a login-required view rendering a 10-item
template, database sessions, the same database engine. Both are served by gunicorn with the
same number of sync workers (`mingjing serve`, the production configuration, for Mingjing),
and each page is driven by wrk as a signed-in user (a session made as login makes one, the
second factor given) right after the bare page, so that each ratio compares two runs made
under the same load. wrk comes from Debian's package (installed with apt-get when missing).

Targets (issue 11): staff pages ≥ 0.5 × the bare page's requests/s, report pages ≥ 0.35 ×,
p99 ≤ 2.5 × the bare page's p99.
"""

import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "mingjing-demo"
STAFF, REPORT = "staff", "report"


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    kind: str  # STAFF or REPORT: which target applies
    user: str


PAGES = (
    Page("home", "staff home (my tasks)", STAFF, "staff1"),
    Page("record_form", "record form", STAFF, "staff1"),
    Page("my_records", "my records", STAFF, "staff1"),
    Page("record_detail", "record detail", STAFF, "staff1"),
    Page("department_month", "department month (head)", REPORT, "head1"),
    Page("court_month", "court month (custodian)", REPORT, "custodian"),
    Page("compliance", "court compliance (custodian)", REPORT, "custodian"),
    Page("api_records", "API records list (token)", STAFF, "staff1"),
)


@dataclass
class Load:
    requests_per_second: float
    p99_ms: float
    non_2xx: int


# The bare project -------------------------------------------------------------------------

BARE_SETTINGS = """
SECRET_KEY = "bare-bench-only-{key}"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "bare_urls"
TEMPLATES = [{{"BACKEND": "django.template.backends.django.DjangoTemplates",
              "DIRS": [{templates!r}], "OPTIONS": {{"context_processors": [
                  "django.template.context_processors.request",
                  "django.contrib.auth.context_processors.auth"]}}}}]
DATABASES = {{"default": {database!r}}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
USE_TZ = True
"""
BARE_URLS = """
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path


@login_required
def page(request):
    items = [{"n": n, "title": f"事项 {n}"} for n in range(10)]
    return render(request, "page.html", {"items": items})


urlpatterns = [path("", page)]
"""
BARE_TEMPLATE = """<!doctype html><html lang="zh-hans"><head><meta charset="utf-8">
<title>页面</title></head><body><h1>{{ user.get_username }}</h1><ul>
{% for item in items %}<li>{{ item.n }}：{{ item.title }}</li>{% endfor %}
</ul></body></html>
"""


def _bare_project(tmp: Path, database: dict) -> Path:
    bare = tmp / "bare"
    (bare / "templates").mkdir(parents=True)
    settings = BARE_SETTINGS.format(
        key=secrets.token_hex(16), templates=str(bare / "templates"), database=database
    )
    (bare / "bare_settings.py").write_text(settings, encoding="utf-8")
    (bare / "bare_urls.py").write_text(BARE_URLS, encoding="utf-8")
    (bare / "templates" / "page.html").write_text(BARE_TEMPLATE, encoding="utf-8")
    (bare / "bare_wsgi.py").write_text(
        "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        encoding="utf-8",
    )
    return bare


BARE_SESSION = """
import django
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
call_command("migrate", verbosity=0)
user = get_user_model().objects.create_user("bench", password="x")
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


# Mingjing's side --------------------------------------------------------------------------

MINGJING_SESSIONS = """
import django, json
django.setup()
from django.contrib.sessions.backends.db import SessionStore
from mingjing.accounts.middleware import SESSION_KEY
from mingjing.accounts.models import User
from mingjing.security.authn import api_token_create
from mingjing.org.models import Person

out = {"sessions": {}}
for username in %(users)r:
    user = User.objects.get(username=username)
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session[SESSION_KEY] = True  # the second factor, given at login
    session.create()
    out["sessions"][username] = session.session_key
staff = User.objects.get(username="staff1")
out["token"] = api_token_create(user=staff, name="bench")[1]
# The demo has no records: twenty submitted ones of staff1's, through the real services.
from datetime import timedelta
from django.utils import timezone
from mingjing.records.services import RecordInput, record_save_draft, record_submit
from mingjing.security.actor import actor_for
actor = actor_for(staff)
for n in range(20):
    data = RecordInput(
        category="leader_interference", behaviour="plea", manner="phone",
        subject_kind="external_cadre", occurred_at=timezone.now() - timedelta(days=1 + n),
        subject_name=f"某某{n}", subject_unit="某区某局", subject_position="副局长",
        place="办公室", content="请托关照某案，许诺事后重谢", handling="当场拒绝并如实记录",
        not_about_a_case=True,
    )
    record, _ = record_submit(actor=actor, record=record_save_draft(actor=actor, data=data))
out["record"] = record.pk
head = Person.objects.get(user__username="head1")
out["department"] = head.department_id
print(json.dumps(out))
"""


def _paths(data: dict) -> dict[str, str]:
    return {
        "home": "/",
        "record_form": "/records/new/",
        "my_records": "/records/",
        "record_detail": f"/records/{data['record']}/",
        "department_month": f"/reports/departments/{data['department']}/",
        "court_month": "/reports/court/",
        "compliance": "/reports/court/compliance/",
        "api_records": "/api/v1/records",
    }


# Running ----------------------------------------------------------------------------------


def main() -> None:
    args = _arguments()
    wrk = _wrk()
    with tempfile.TemporaryDirectory(prefix="mingjing-bench-pages-") as name:
        tmp = Path(name)
        with _databases(args.database_url) as (mingjing_url, bare_url):
            env = _mingjing_env(tmp, mingjing_url)
            _run([sys.executable, "-m", "mingjing", "migrate", "--no-input", "-v", "0"], env)
            _run([sys.executable, "-m", "mingjing", "demo"], env)
            pages = [page for page in PAGES if page.key in args.pages]
            users = sorted({page.user for page in pages})
            data = _json(_run([sys.executable, "-c", MINGJING_SESSIONS % {"users": users}], env))
            bare_db = _bare_database(tmp, bare_url)
            bare = _bare_project(tmp, bare_db)
            bare_env = {**_clean_env(), "DJANGO_SETTINGS_MODULE": "bare_settings"}
            bare_env["PYTHONPATH"] = str(bare)
            bare_key = _run([sys.executable, "-c", BARE_SESSION], bare_env).strip()
            engine = "PostgreSQL" if mingjing_url else "SQLite"
            with (
                _gunicorn(
                    [sys.executable, "-m", "mingjing", "serve", "--workers", str(args.workers)],
                    env,
                ) as mingjing_port,
                _gunicorn(
                    [sys.executable, "-m", "gunicorn", "--workers", str(args.workers),
                     "--chdir", str(bare), "bare_wsgi:application"],
                    bare_env,
                ) as bare_port,
            ):  # fmt: skip
                _report_header(args, engine)
                _drive(wrk, args, pages, data, mingjing_port, bare_port, bare_key)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers on each side")
    parser.add_argument("--database-url", help="PostgreSQL server to run on, as postgresql://…")
    parser.add_argument(
        "--pages",
        default=",".join(page.key for page in PAGES),
        type=lambda text: set(text.split(",")),
        help="comma-separated: " + ",".join(page.key for page in PAGES),
    )
    return parser.parse_args()


def _wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk 未安装：从 Debian 软件包安装（apt-get install wrk）…", file=sys.stderr)
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*prefix, "apt-get", "install", "-y", "-q", "wrk"], check=True)
    return shutil.which("wrk") or sys.exit("wrk 安装失败")


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("MINGJING_", "DJANGO_"))}


def _mingjing_env(tmp: Path, database_url: str | None) -> dict[str, str]:
    key_file = tmp / "master.key"
    key_file.write_text(secrets.token_hex(32) + "\n")
    env = {
        **_clean_env(),
        "PYTHONPATH": str(ROOT / "src"),
        "MINGJING_DATA_DIR": str(tmp),
        "MINGJING_SECRET_KEY": secrets.token_urlsafe(50),
        "MINGJING_MASTER_KEY_FILE": str(key_file),
        "MINGJING_ALLOWED_HOSTS": "127.0.0.1",
        "MINGJING_SSL_REDIRECT": "0",
        "MINGJING_SECURE_COOKIES": "0",
        "MINGJING_ACCESS_LOG": "",  # neither side logs each request
        "DJANGO_SETTINGS_MODULE": "mingjing.settings",
    }
    if database_url:
        env["MINGJING_DATABASE_URL"] = database_url
    return env


def _bare_database(tmp: Path, url: str | None) -> dict:
    """The bare project's database: the same engine, with connections kept between requests
    as Mingjing keeps them (env.py), so that neither side pays a connection per request."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(tmp / "bare.sqlite3"),
            "CONN_MAX_AGE": 600,
        }
    parts = urlparse(url)
    return {
        "CONN_MAX_AGE": 60,
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts.path.lstrip("/"),
        "USER": parts.username or "",
        "PASSWORD": parts.password or "",
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
    }


@contextmanager
def _databases(server_url: str | None) -> Iterator[tuple[str | None, str | None]]:
    """(Mingjing's, the bare project's) database URLs: None for SQLite files, or two fresh
    PostgreSQL databases on the server of `server_url`, dropped on the way out."""
    if not server_url:
        yield None, None
        return
    import psycopg

    names = [f"mingjing_bench_pages_{os.getpid()}", f"mingjing_bench_bare_{os.getpid()}"]
    with psycopg.connect(server_url, autocommit=True) as connection:
        for name in names:
            connection.execute(f'CREATE DATABASE "{name}"')
    try:
        urls = [urlparse(server_url)._replace(path=f"/{name}").geturl() for name in names]
        yield urls[0], urls[1]
    finally:
        with psycopg.connect(server_url, autocommit=True) as connection:
            for name in names:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    if result.returncode:
        sys.exit(f"{' '.join(command[:4])[:200]} 失败：\n{result.stderr[-3000:]}")
    return result.stdout


def _json(text: str) -> dict:
    import json

    return json.loads(text.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _gunicorn(command: list[str], env: dict[str, str]) -> Iterator[int]:
    port = _free_port()
    server = subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except urllib.error.HTTPError:
                break  # answering (the bare project has no /healthz)
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"gunicorn 未能启动：{server.stderr.read()[-3000:]}")
                time.sleep(0.3)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
_P99 = re.compile(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")


def _wrk_run(wrk: str, args: argparse.Namespace, url: str, header: str) -> Load:
    command = [
        wrk, "-t", "2", "-c", str(args.connections), "-d", f"{args.duration}s", "--latency",
        "-H", header, url,
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate, p99 = _RATE.search(output), _P99.search(output)
    if not rate or not p99:
        sys.exit(f"无法解析 wrk 的输出：\n{output}")
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99[2]]
    non_2xx = _NON_2XX.search(output)
    return Load(float(rate[1]), float(p99[1]) * scale, int(non_2xx[1]) if non_2xx else 0)


def _check(url: str, header: str) -> None:
    """One request first: the page must answer 200 as this user (not a login redirect)."""
    name, _, value = header.partition(": ")
    request = urllib.request.Request(url, headers={name: value})
    opener = urllib.request.build_opener(_NoRedirect)
    with opener.open(request, timeout=30) as response:
        if response.status != 200:
            sys.exit(f"{url} 答复 {response.status}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise SystemExit(f"{args[0].full_url} 被重定向到 {args[-1]}：会话无效")


def _report_header(args: argparse.Namespace, engine: str) -> None:
    import django

    print(f"\n明镜页面基准：{engine}，gunicorn {args.workers} 个同步进程（两边相同），")
    version = django.get_version()
    print(f"wrk {args.connections} 个连接、每页 {args.duration} 秒；Django {version}，")
    print(f"{os.cpu_count()} 核。每页紧接在裸 Django 页之后测，比值取这一对。\n")
    print(
        f"{'page':<32}{'req/s':>8}{'bare':>8}{'ratio':>7}{'target':>8}"
        f"{'p99 ms':>9}{'bare':>7}{'×':>6}  load"
    )


def _drive(
    wrk: str,
    args: argparse.Namespace,
    pages: list[Page],
    data: dict,
    mingjing_port: int,
    bare_port: int,
    bare_key: str,
) -> None:
    paths = _paths(data)
    bare_url, bare_header = f"http://127.0.0.1:{bare_port}/", f"Cookie: sessionid={bare_key}"
    _check(bare_url, bare_header)
    failed = []
    for page in pages:
        url = f"http://127.0.0.1:{mingjing_port}{paths[page.key]}"
        if page.key == "api_records":
            header = f"Authorization: Bearer {data['token']}"
        else:
            header = f"Cookie: sessionid={data['sessions'][page.user]}"
        _check(url, header)
        anchor = _wrk_run(wrk, args, bare_url, bare_header)
        load = _wrk_run(wrk, args, url, header)
        ratio = load.requests_per_second / anchor.requests_per_second
        latency = load.p99_ms / anchor.p99_ms
        target = 0.5 if page.kind == STAFF else 0.35
        ok = ratio >= target and latency <= 2.5 and not load.non_2xx
        failed += [] if ok else [page.label]
        print(
            f"{page.label:<32}{load.requests_per_second:8.0f}{anchor.requests_per_second:8.0f}"
            f"{ratio:7.2f}{'≥' + str(target):>8}{load.p99_ms:9.0f}{anchor.p99_ms:7.0f}"
            f"{latency:6.1f}  {os.getloadavg()[0]:.1f}{'' if ok else '  ✗'}"
            + (f"  ({load.non_2xx} 个非 2xx)" if load.non_2xx else "")
        )
    print("\n全部达标" if not failed else f"\n未达标：{'、'.join(failed)}")


if __name__ == "__main__":
    main()
