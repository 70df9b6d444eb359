"""`mingjing db_roles --owner mingjing_owner --app mingjing_app [--execute]`: PostgreSQL roles.

Prints the SQL that makes the owner role (runs migrations) and the application role (DML
only, nothing but SELECT and INSERT on the audit table); with --execute runs it on the
configured database, which needs a superuser connection. See docs/deployment.md.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from mingjing.security.dbroles import role_sql


class Command(BaseCommand):
    help = (
        "生成（或以超级用户执行）PostgreSQL 角色设置：所有者角色执行数据迁移，"
        "应用角色只有增删改查权限，对审计表只能查询和追加，无法关闭只追加触发器。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--owner", default="mingjing_owner", help="所有者角色（执行迁移）")
        parser.add_argument("--app", default="mingjing_app", help="应用角色（服务器连接用）")
        parser.add_argument("--database", help="数据库名，默认取 MINGJING_DATABASE_URL 中的")
        parser.add_argument(
            "--execute", action="store_true", help="以当前连接（须为超级用户）直接执行"
        )

    def handle(
        self, *args: Any, owner: str, app: str, database: str, execute: bool, **options: Any
    ) -> None:
        database = database or connection.settings_dict["NAME"]
        if not database:
            raise CommandError("请用 --database 指定数据库名。")
        try:
            statements = role_sql(owner=owner, app=app, database=str(database))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not execute:
            self.stdout.write(f"-- 以超级用户在数据库 {database} 上执行；口令另设：")
            self.stdout.write(
                f"--   ALTER ROLE {owner} PASSWORD '…'; ALTER ROLE {app} PASSWORD '…';"
            )
            for statement in statements:
                self.stdout.write(statement)
            return
        if connection.vendor != "postgresql":
            raise CommandError("db_roles 只适用于 PostgreSQL。")
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"已设置角色 {owner}（所有者）和 {app}（应用），数据库 {database}。")
