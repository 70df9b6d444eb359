"""`mingjing audit_export [--output FILE]`: write a signed checkpoint of the audit chain."""

import getpass
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from mingjing.security.audit import log_event
from mingjing.security.checkpoints import make_checkpoint


class Command(BaseCommand):
    help = "导出签名的审计链检查点（JSON），请保存在数据库以外的地方。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", metavar="FILE", help="写入该文件；省略时输出到标准输出。")

    def handle(self, *args: Any, output: str | None = None, **options: Any) -> None:
        # One transaction: the export is logged first, so that the checkpoint covers it, and
        # nothing is logged if the checkpoint cannot be made or written.
        try:
            with transaction.atomic():
                log_event(
                    action="audit.export",
                    detail={"target": "file" if output else "stdout", "os_user": _os_user()},
                )
                doc = make_checkpoint()
                self._write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", output)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if output:
            self.stderr.write(f"已导出审计检查点（第 {doc['seq']} 条）到 {output}")

    def _write(self, text: str, output: str | None) -> None:
        if not output:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"无法写入 {output}：{exc}") from exc


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
