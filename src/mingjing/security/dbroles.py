"""PostgreSQL roles: an owner that runs migrations, an application role that cannot undo the
audit table's append-only triggers.

The triggers refusing UPDATE, DELETE and TRUNCATE on the audit table bind everyone but the
table's owner (and superusers), who may `ALTER TABLE … DISABLE TRIGGER`. So the server must
not connect as the owner. `mingjing db_roles --owner mingjing_owner --app mingjing_app` prints
(or with --execute runs, as a superuser) the SQL below; docs/deployment.md has the steps.

- the owner owns the database, the schema and every table; `mingjing migrate` connects as it
  (MINGJING_MIGRATE_DATABASE_URL);
- the application role has SELECT, INSERT, UPDATE, DELETE on the tables and the sequences'
  USAGE, for tables made by later migrations too (default privileges), and on the audit
  table SELECT and INSERT only: no UPDATE, DELETE, TRUNCATE, TRIGGER or REFERENCES, and as it
  owns nothing it cannot disable a trigger. After every migration the audit table's grants
  are tightened again (post_migrate), whatever the default privileges gave.
"""

import re

from mingjing.security.models import AuditEvent

AUDIT_TABLE = AuditEvent._meta.db_table
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
REFUSED_ON_AUDIT = "UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES"


def check_role_name(name: str) -> str:
    """A role name safe to put in SQL unquoted: lower-case letters, digits and `_`."""
    if not _NAME.fullmatch(name or ""):
        raise ValueError(f"角色名 {name!r} 不合规：只能用小写字母、数字和下划线，且不以数字开头。")
    return name


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _create_role(name: str) -> str:
    return (
        "DO $$ BEGIN\n"
        f"  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') THEN\n"
        f"    CREATE ROLE {name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;\n"
        "  END IF;\n"
        "END $$;"
    )


def _own_every_table(owner: str) -> str:
    """Tables and sequences made earlier by another role (e.g. one `mingjing` role) pass to
    the owner; sequences owned by a column follow their table."""
    return (
        "DO $$ DECLARE item record; BEGIN\n"
        "  FOR item IN SELECT c.relname, c.relkind FROM pg_class c\n"
        "      JOIN pg_namespace n ON n.oid = c.relnamespace\n"
        "      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')\n"
        f"        AND pg_get_userbyid(c.relowner) <> '{owner}'\n"
        "        AND NOT (c.relkind = 'S' AND EXISTS (\n"
        "          SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))\n"
        "  LOOP\n"
        "    EXECUTE format('ALTER %s public.%I OWNER TO %I',\n"
        "      CASE item.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'\n"
        "        WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,\n"
        f"      item.relname, '{owner}');\n"
        "  END LOOP;\n"
        "END $$;"
    )


def audit_revoke_sql() -> str:
    """Takes UPDATE, DELETE, TRUNCATE, TRIGGER and REFERENCES on the audit table from
    everyone but its owner (PUBLIC included), whoever granted them. Idempotent."""
    return (
        "DO $$ DECLARE grantee_name text; BEGIN\n"
        f"  IF to_regclass('public.{AUDIT_TABLE}') IS NULL THEN RETURN; END IF;\n"
        f"  REVOKE {REFUSED_ON_AUDIT} ON public.{AUDIT_TABLE} FROM PUBLIC;\n"
        "  FOR grantee_name IN SELECT DISTINCT pg_get_userbyid(a.grantee)\n"
        "      FROM pg_class c, aclexplode(c.relacl) a\n"
        f"      WHERE c.oid = 'public.{AUDIT_TABLE}'::regclass\n"
        "        AND a.grantee <> 0 AND a.grantee <> c.relowner\n"
        "        AND a.privilege_type IN\n"
        "          ('UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER', 'REFERENCES')\n"
        "  LOOP\n"
        f"    EXECUTE format('REVOKE {REFUSED_ON_AUDIT} ON public.{AUDIT_TABLE} FROM %I',\n"
        "      grantee_name);\n"
        "  END LOOP;\n"
        "END $$;"
    )


def role_sql(*, owner: str, app: str, database: str) -> list[str]:
    """The statements, in order, to run as a superuser on `database`."""
    owner, app = check_role_name(owner), check_role_name(app)
    if owner == app:
        raise ValueError("所有者角色和应用角色必须不同。")
    db = _quote(database)
    return [
        _create_role(owner),
        _create_role(app),
        # The application role must not inherit the owner's rights.
        f"REVOKE {owner} FROM {app};",
        f"ALTER DATABASE {db} OWNER TO {owner};",
        f"REVOKE ALL ON DATABASE {db} FROM PUBLIC;",
        f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {app};",
        f"ALTER SCHEMA public OWNER TO {owner};",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC;",
        f"GRANT USAGE ON SCHEMA public TO {app};",
        _own_every_table(owner),
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app};",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app};",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public\n"
        f"  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app};",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public\n"
        f"  GRANT USAGE, SELECT ON SEQUENCES TO {app};",
        audit_revoke_sql(),
    ]


def tighten_audit_grants(sender: object = None, using: str = "default", **kwargs: object) -> None:
    """post_migrate: the audit table keeps no UPDATE/DELETE/TRUNCATE grant for anyone but its
    owner, whatever default privileges a new migration's tables received."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(audit_revoke_sql())
