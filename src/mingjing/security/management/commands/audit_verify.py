"""`mingjing audit_verify [--checkpoint FILE]`: prove the audit chain unbroken."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mingjing.security.audit import (
    VerifyResult,
    verify_against_checkpoint,
    verify_chain,
    verify_coverage,
)
from mingjing.security.checkpoints import verify_checkpoint


class Command(BaseCommand):
    help = (
        "校验审计链是否完整（并确认有数据的法院都有审计事件，清空的审计表不算完整）；"
        "可同时与导出的检查点比对。异常时退出码为 1。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint",
            metavar="FILE",
            help="由 audit_export 导出的检查点文件，用于发现整链改写或末尾删除。",
        )

    def handle(self, *args: Any, checkpoint: str | None = None, **options: Any) -> None:
        doc = self._load_checkpoint(checkpoint) if checkpoint else None
        result = verify_chain()
        self._fail_if_bad(result)
        # An emptied table links up too: a court with data must have its events.
        self._fail_if_bad(verify_coverage())
        if doc is not None:
            self._fail_if_bad(verify_against_checkpoint(doc))
            self.stdout.write(f"与检查点一致：第 {doc['seq']} 条摘要相符")
        self.stdout.write(f"审计链完整：共 {result.checked} 条")

    def _load_checkpoint(self, path: str) -> dict[str, Any]:
        try:
            doc = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取检查点文件 {path}：{exc}") from exc
        if not isinstance(doc, dict) or not verify_checkpoint(doc):
            raise CommandError(f"检查点 {path} 的签名无效或不是本系统的签名密钥所签")
        return doc

    def _fail_if_bad(self, result: VerifyResult) -> None:
        if not result.ok:
            if result.first_bad_seq is None:
                self.stderr.write(f"审计链不完整：{result.reason}")
            else:
                self.stderr.write(f"第 {result.first_bad_seq} 条审计事件异常：{result.reason}")
            raise SystemExit(1)
