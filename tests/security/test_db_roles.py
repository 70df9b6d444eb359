"""PostgreSQL: the server's role cannot undo the audit table's append-only protection.

In a scratch database: `mingjing db_roles` makes an owner and an application role,
`mingjing migrate` runs as the owner (MINGJING_MIGRATE_DATABASE_URL), and then the
application role inserts events and rows but cannot UPDATE, DELETE or TRUNCATE audit events,
disable or drop the triggers, or switch them off with session_replication_role.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection

from mingjing.security.dbroles import AUDIT_TABLE, check_role_name, role_sql

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_role_sql_refuses_unsafe_names_and_one_role_for_both():
    for bad in ("Robert'); DROP TABLE x;--", "1abc", "", "a" * 64, 'x"y'):
        with pytest.raises(ValueError, match="角色名"):
            check_role_name(bad)
    with pytest.raises(ValueError, match="必须不同"):
        role_sql(owner="mj", app="mj", database="mingjing")


def test_the_command_prints_the_sql(capsys, db):
    call_command("db_roles", owner="mj_owner", app="mj_app", database="mingjing")
    out = capsys.readouterr().out
    assert 'ALTER DATABASE "mingjing" OWNER TO mj_owner;' in out
    assert "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO mj_app;" in out
    assert f"REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON public.{AUDIT_TABLE}" in out


def test_migrate_uses_the_owner_url_and_nothing_else_does(monkeypatch):
    from mingjing.__main__ import use_migrate_database

    monkeypatch.setenv("MINGJING_DATABASE_URL", "postgresql://app@db/mj")
    monkeypatch.setenv("MINGJING_MIGRATE_DATABASE_URL", "postgresql://owner@db/mj")
    use_migrate_database(["mingjing", "runserver"])
    assert os.environ["MINGJING_DATABASE_URL"] == "postgresql://app@db/mj"
    use_migrate_database(["mingjing", "migrate"])
    assert os.environ["MINGJING_DATABASE_URL"] == "postgresql://owner@db/mj"


# --- against a real server ------------------------------------------------------------------


def _url(user: str, password: str, database: str) -> str:
    s = connection.settings_dict
    host = s["HOST"] or "127.0.0.1"
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgresql://{quote(user)}:{quote(password)}@{host}{port}/{quote(database)}"


def _superuser_url(database: str) -> str:
    s = connection.settings_dict
    return _url(s["USER"], s["PASSWORD"] or "", database)


@pytest.fixture
def scratch(db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL 专有：角色与权限")
    import psycopg

    suffix = secrets.token_hex(4)
    names = {"db": f"mj_roles_{suffix}", "owner": f"mj_owner_{suffix}", "app": f"mj_app_{suffix}"}
    passwords = {role: secrets.token_hex(12) for role in ("owner", "app")}
    with psycopg.connect(_superuser_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{names["db"]}"')
    try:
        with psycopg.connect(_superuser_url(names["db"]), autocommit=True) as su:
            for statement in role_sql(owner=names["owner"], app=names["app"], database=names["db"]):
                su.execute(statement)
            for role in ("owner", "app"):
                su.execute(f"ALTER ROLE {names[role]} PASSWORD '{passwords[role]}'")
        urls = {role: _url(names[role], passwords[role], names["db"]) for role in ("owner", "app")}
        yield names, urls, tmp_path
    finally:
        with psycopg.connect(_superuser_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{names["db"]}" WITH (FORCE)')
            for role in ("app", "owner"):
                admin.execute(f"DROP ROLE IF EXISTS {names[role]}")


def _run(args: list[str], env: dict, tmp_path: Path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MINGJING_", "DJANGO_"))}
    key_file = tmp_path / "master.key"
    key_file.write_text(secrets.token_hex(32) + "\n", encoding="ascii")
    clean.update(
        MINGJING_DATA_DIR=str(tmp_path),
        MINGJING_SECRET_KEY="s" * 50,
        DJANGO_SETTINGS_MODULE="mingjing.settings",
        MINGJING_MASTER_KEY_FILE=str(key_file),
        PYTHONPATH=os.pathsep.join([str(REPO_ROOT / "src"), clean.get("PYTHONPATH", "")]),
        **env,
    )
    return subprocess.run(
        [sys.executable, *args], env=clean, capture_output=True, text=True, timeout=600
    )


APP_WRITES = """
import django
django.setup()
from mingjing.org.models import Court, Person
from mingjing.security import audit
court = Court.objects.create(code="豫9099", name="角色测试法院")
Person.objects.create(court=court, staff_no="R1", name="甲")
Court.objects.filter(pk=court.pk).update(name="角色测试法院（改）")
audit.log_event(action="test.app_role", court=court)
print(audit.verify_chain().ok, audit.verify_coverage().ok)
"""


def test_the_app_role_cannot_undo_the_audit_protection(scratch):
    import psycopg
    from psycopg import errors

    names, urls, tmp_path = scratch
    migrated = _run(
        ["-m", "mingjing", "migrate", "--no-input", "-v", "0"],
        {"MINGJING_DATABASE_URL": urls["app"], "MINGJING_MIGRATE_DATABASE_URL": urls["owner"]},
        tmp_path,
    )
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    with psycopg.connect(urls["owner"]) as owner:
        table_owner = owner.execute(
            "SELECT tableowner FROM pg_tables WHERE tablename = %s", [AUDIT_TABLE]
        ).fetchone()[0]
    assert table_owner == names["owner"]

    # The server's role writes rows and events as usual.
    wrote = _run(["-c", APP_WRITES], {"MINGJING_DATABASE_URL": urls["app"]}, tmp_path)
    assert wrote.returncode == 0, wrote.stderr[-3000:]
    assert wrote.stdout.split() == ["True", "True"]

    refused = [
        f"UPDATE {AUDIT_TABLE} SET action = 'x'",
        f"DELETE FROM {AUDIT_TABLE}",
        f"TRUNCATE {AUDIT_TABLE}",
        f"ALTER TABLE {AUDIT_TABLE} DISABLE TRIGGER USER",
        f"ALTER TABLE {AUDIT_TABLE} DISABLE TRIGGER security_auditevent_no_update_delete",
        f"DROP TRIGGER security_auditevent_no_truncate ON {AUDIT_TABLE}",
        "SET session_replication_role = replica",
        f"ALTER TABLE {AUDIT_TABLE} OWNER TO {names['app']}",
        "CREATE TABLE sneaky (id int)",
    ]
    with psycopg.connect(urls["app"], autocommit=True) as app:
        for sql in refused:
            with pytest.raises(errors.InsufficientPrivilege):
                app.execute(sql)
        count = app.execute(f"SELECT count(*) FROM {AUDIT_TABLE}").fetchone()[0]
        assert count > 0
        app.execute("UPDATE org_court SET short_name = 'x' WHERE code = '豫9099'")
        grants = app.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE table_name = %s AND grantee = %s ORDER BY 1",
            [AUDIT_TABLE, names["app"]],
        ).fetchall()
    assert [g[0] for g in grants] == ["INSERT", "SELECT"]

    # A later migration run (the owner again) leaves the audit grants as tight as they were.
    again = _run(
        ["-m", "mingjing", "migrate", "--no-input", "-v", "0"],
        {"MINGJING_DATABASE_URL": urls["app"], "MINGJING_MIGRATE_DATABASE_URL": urls["owner"]},
        tmp_path,
    )
    assert again.returncode == 0, again.stderr[-3000:]
    with psycopg.connect(urls["app"], autocommit=True) as app:
        with pytest.raises(errors.InsufficientPrivilege):
            app.execute(f"DELETE FROM {AUDIT_TABLE}")
